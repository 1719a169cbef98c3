"""Forms of plan amendments: the amendment, one item, one approval step."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from forum.plans.amendment_models import KIND_TITLES, AmendmentKind
from forum.proposals.forms import BahtField, too_long
from forum.proposals.models import SHORT_MAX, TEXT_MAX, TITLE_MAX
from forum.proposals.states import ANNEX_TITLES, Annex


class AmendmentForm(FlaskForm):
    kind = SelectField(
        _l("Kind of amendment"),
        choices=[SelectChoice(k.value, KIND_TITLES[k]) for k in AmendmentKind],
    )
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), too_long(2000)])


class ItemForm(FlaskForm):
    """One item; the budget fields (budget_<year>) are added per plan period by item_form()."""

    # The amendment's version when the form was opened: a later save by someone else refuses it.
    record_version = HiddenField()
    proposal_id = SelectField(_l("Project"), coerce=int, validate_choice=False)
    title = StringField(_l("Project title"), validators=[Optional(), too_long(TITLE_MAX)])
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
    equipment_category = StringField(
        _l("Equipment category (form P.03)"), validators=[Optional(), too_long(SHORT_MAX)]
    )
    equipment_type = StringField(
        _l("Equipment type (form P.03)"), validators=[Optional(), too_long(SHORT_MAX)]
    )
    strategy_id = SelectField(_l("Strategy"), coerce=int, validate_choice=False)
    tactic_id = SelectField(_l("Tactic"), coerce=int, validate_choice=False)
    program_id = SelectField(_l("Program"), coerce=int, validate_choice=False)
    annex = SelectField(
        _l("Plan annex"),
        choices=[SelectChoice(a.value, ANNEX_TITLES[a]) for a in Annex],
        default=Annex.OWN.value,
    )
    reason = TextAreaField(
        _l("Reason (เหตุผลความจำเป็น)"), validators=[Optional(), too_long(TEXT_MAX)]
    )

    def budget_fields(self):
        return [getattr(self, f"budget_{year}") for year in self.years]

    def budgets(self) -> dict[int, int]:
        """The years with an amount entered (an emptied year counts as 0)."""
        return {
            year: field.data or 0
            for year, field in zip(self.years, self.budget_fields(), strict=True)
            if field.raw_data and field.raw_data[0].strip() != ""
        }


def item_form(years, *args, **kwargs) -> ItemForm:
    """An ItemForm with one budget field per plan year."""

    class PeriodItemForm(ItemForm):
        pass

    for year in years:
        # As on the proposal form: "1,250,000" is accepted and kept as typed on a refusal.
        field = BahtField(_l("Budget %(year)s (baht)", year=year))
        setattr(PeriodItemForm, f"budget_{year}", field)
    form = PeriodItemForm(*args, **kwargs)
    form.years = list(years)
    return form


class StepForm(FlaskForm):
    """An approval step: the meeting (when the step needs one), its vote and a reason."""

    meeting_id = SelectField(_l("Meeting"), coerce=int, validate_choice=False)
    votes_for = IntegerField(_l("Votes for"), validators=[Optional(), NumberRange(min=0)])
    votes_against = IntegerField(_l("Votes against"), validators=[Optional(), NumberRange(min=0)])
    votes_abstain = IntegerField(_l("Abstentions"), validators=[Optional(), NumberRange(min=0)])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), too_long(4000)])

    def vote(self) -> dict | None:
        """The same shape as a ballot round's line in a proposal's Decision."""
        counts = (self.votes_for.data, self.votes_against.data, self.votes_abstain.data)
        if all(c is None for c in counts):
            return None
        return {"for": counts[0] or 0, "against": counts[1] or 0, "abstain": counts[2] or 0}


class DeleteItemForm(FlaskForm):
    """The CSRF-protected button that takes an item out of a draft amendment."""

    record_version = HiddenField()
