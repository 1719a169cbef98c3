"""The proposal form: every field the plan annex ผ.02 needs, with one budget field per plan year."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from werkzeug.datastructures import FileStorage
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import TextInput

from forum.abuse.formguard import honeypot_field, opened_at_field
from forum.catalog.choices import strategy_choices, tactic_choices
from forum.proposals.models import BUDGET_MAX, PHOTOS_MAX, SHORT_MAX, TEXT_MAX, TITLE_MAX
from forum.proposals.states import ANNEX_TITLES, Annex


class BahtField(Field):
    """Whole baht. Accepts "1,250,000" or "1250000"; refuses negatives, decimals and words,
    and keeps what was typed so the form comes back as the user left it."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.raw = ""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:,}"

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        self.data = parse_baht(self.raw)


def parse_baht(text: str) -> int:
    """Whole baht as typed ("1,250,000", "1250000", "" for 0); ValueError says what is wrong."""
    cleaned = (text or "").replace(",", "").replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        return 0
    if cleaned.startswith("-") and cleaned[1:].isdigit():
        raise ValueError(_l("The budget cannot be negative."))
    if not cleaned.isascii() or not cleaned.isdigit():
        raise ValueError(_l("Enter the budget in whole baht, digits only (e.g. 250,000)."))
    if int(cleaned) > BUDGET_MAX:
        raise ValueError(_l("The budget is too large (at most 1,000,000,000,000 baht)."))
    return int(cleaned)


def too_long(limit: int) -> Length:
    return Length(max=limit, message=_l("At most %(max)d characters.", max=limit))


class ProposalForm(FlaskForm):
    title = StringField(
        _l("Project title"),
        validators=[DataRequired(message=_l("Enter the project title.")), too_long(TITLE_MAX)],
    )
    village_id = SelectField(_l("Village"), coerce=int, validate_choice=False)
    location = StringField(_l("Location"), validators=[Optional(), too_long(SHORT_MAX)])
    rationale = TextAreaField(
        _l("Rationale (why it is needed)"), validators=[Optional(), too_long(TEXT_MAX)]
    )
    objective = TextAreaField(_l("Objective"), validators=[Optional(), too_long(TEXT_MAX)])
    target = TextAreaField(
        _l("Target (output of the project)"), validators=[Optional(), too_long(TEXT_MAX)]
    )
    kpi = TextAreaField(_l("Indicator (KPI)"), validators=[Optional(), too_long(TEXT_MAX)])
    expected_result = TextAreaField(
        _l("Expected result"), validators=[Optional(), too_long(TEXT_MAX)]
    )
    responsible_unit = StringField(
        _l("Responsible unit"), validators=[Optional(), too_long(SHORT_MAX)]
    )
    strategy_id = SelectField(_l("Strategy"), coerce=int, validate_choice=False)
    tactic_id = SelectField(_l("Tactic"), coerce=int, validate_choice=False)
    program_id = SelectField(_l("Program"), coerce=int, validate_choice=False)
    annex = SelectField(
        _l("Plan annex"),
        choices=[SelectChoice(a.value, ANNEX_TITLES[a]) for a in Annex],
        default=Annex.OWN.value,
    )
    equipment_category = StringField(
        _l("Equipment category (form P.03)"), validators=[Optional(), too_long(SHORT_MAX)]
    )
    equipment_type = StringField(
        _l("Equipment type (form P.03)"), validators=[Optional(), too_long(SHORT_MAX)]
    )
    proposer_name = StringField(_l("Proposer's name"), validators=[Optional(), too_long(SHORT_MAX)])
    proposer_phone = StringField(
        _l("Proposer's phone"),
        validators=[
            Optional(),
            Regexp(r"^[0-9+\- ]{6,20}$", message=_l("Enter a phone number, e.g. 081-234-5678.")),
        ],
        render_kw={"inputmode": "tel", "autocomplete": "tel"},
    )
    proposer_name_private = BooleanField(_l("Do not show my name publicly"))
    # Consent at collection (forum.privacy.consent): news only if ticked; the notice shown.
    notify_opt_in = BooleanField(_l("Send me news of this proposal by SMS or LINE"))
    privacy_notice_version = HiddenField()
    # Checked by content and stored by the view (forum.uploads), after every other field passed.
    photos = MultipleFileField(
        _l("Photos (up to %(n)d)", n=PHOTOS_MAX),
        render_kw={"accept": "image/*", "multiple": True},
    )

    # Public-form guards (forum.abuse.formguard): a field people leave empty, the opening time.
    homepage = honeypot_field()
    form_opened = opened_at_field()

    def __init__(self, *args, organization, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.years = years
        self._catalog_choices(organization)
        from forum.privacy.consent import prepare_consent_fields

        prepare_consent_fields(self, organization)

    def _catalog_choices(self, organization) -> None:
        from forum.catalog.models import Program

        none = [SelectChoice(0, _l("— choose —"))]
        self.village_id.choices = none + [
            SelectChoice(v.id, v.label) for v in organization.villages
        ]
        self.strategy_id.choices = none + strategy_choices(organization, self.strategy_id.data)
        self.tactic_id.choices = none + tactic_choices(organization, self.tactic_id.data)
        programs = Program.query.order_by(Program.code).all()
        self.program_id.choices = [SelectChoice(0, _l("— not yet chosen —"))] + [
            SelectChoice(p.id, p.display_name()) for p in programs
        ]
        self._program_ids = {p.id for p in programs}

    # Budget fields are added per plan year by proposal_form(); they are named budget_<year>.
    def budget_fields(self):
        return [(year, self[f"budget_{year}"]) for year in self.years]

    def budgets(self) -> dict[int, int]:
        return {year: field.data or 0 for year, field in self.budget_fields()}

    def validate_village_id(self, field):
        if field.data not in {v.id for v in self.organization.villages}:
            raise ValidationError(_l("Choose a village of this organization."))

    def validate_strategy_id(self, field):
        if field.data not in {s.id for s in self.organization.strategies}:
            raise ValidationError(_l("Choose a strategy of this organization."))

    def validate_tactic_id(self, field):
        strategy = next(
            (s for s in self.organization.strategies if s.id == self.strategy_id.data), None
        )
        if strategy is None:
            raise ValidationError(_l("Choose a strategy first, then one of its tactics."))
        if field.data not in {t.id for t in strategy.tactics}:
            raise ValidationError(_l("This tactic does not belong to the chosen strategy."))

    def chosen_photos(self) -> list[FileStorage]:
        """The files actually chosen (a browser sends one empty part when none is)."""
        return [f for f in self.photos.data or [] if isinstance(f, FileStorage) and f.filename]

    def validate_photos(self, field):
        if len(self.chosen_photos()) > PHOTOS_MAX:
            raise ValidationError(_l("Choose at most %(n)d photos.", n=PHOTOS_MAX))

    def validate_notify_opt_in(self, field):
        if field.data and not (self.proposer_phone.data or "").strip():
            raise ValidationError(
                _l("Enter a phone number to receive news, or untick this box.")
            )

    def validate_program_id(self, field):
        if field.data and field.data not in self._program_ids:
            raise ValidationError(_l("Choose a program from the list."))


def proposal_form(organization, years: list[int], **kwargs) -> ProposalForm:
    """A ProposalForm subclass with one budget field per plan year (Buddhist era)."""

    class _Form(ProposalForm):
        pass

    for year in years:
        setattr(_Form, f"budget_{year}", BahtField(_l("Budget %(year)s (baht)", year=year)))
    return _Form(organization=organization, years=years, **kwargs)
