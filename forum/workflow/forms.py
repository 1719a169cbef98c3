"""The form behind every workflow button: only the fields the chosen transition needs."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from forum.catalog.choices import strategy_choices, tactic_choices
from forum.proposals.states import ANNEX_TITLES, Annex


class TransitionForm(FlaskForm):
    meeting_id = SelectField(_l("Meeting"), coerce=int, validate_choice=False)
    round_id = SelectField(
        _l("Vote result from a closed round (optional)"), coerce=int, validate_choice=False
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            Optional(),
            Length(max=4000, message=_l("At most %(max)d characters.", max=4000)),
        ],
    )
    tracking_code = StringField(
        _l("Tracking code"),
        validators=[Optional(), Length(max=32)],
        render_kw={"autocomplete": "off"},
    )
    merged_into_id = SelectField(_l("Merge into proposal"), coerce=int, validate_choice=False)
    strategy_id = SelectField(_l("Strategy"), coerce=int, validate_choice=False)
    tactic_id = SelectField(_l("Tactic"), coerce=int, validate_choice=False)
    program_id = SelectField(_l("Program"), coerce=int, validate_choice=False)
    annex = SelectField(
        _l("Plan annex"),
        # the lazy titles: Annex.title here would freeze them in English at import time
        choices=[SelectChoice(a.value, ANNEX_TITLES[a]) for a in Annex],
        validate_choice=False,
    )
    # Form P.03 prints an equipment project's category and type in columns of their own
    # (no Optional(): it would stop the chain before the check that they are there).
    equipment_category = StringField(
        _l("Equipment category (form P.03)"), validators=[Length(max=255)]
    )
    equipment_type = StringField(
        _l("Equipment type (form P.03)"), validators=[Length(max=255)]
    )

    def __init__(
        self, *args, proposal, transition, meetings=(), rounds=(), duplicates=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.transition = transition
        none = [SelectChoice(0, _l("— choose —"))]
        self.meeting_id.choices = none + [SelectChoice(m.id, m.title) for m in meetings]
        self.round_id.choices = [SelectChoice(0, _l("— none —"))] + [
            SelectChoice(r.id, r.title) for r in rounds
        ]
        self.merged_into_id.choices = none + [
            SelectChoice(p.id, f"#{p.id} {p.title}") for p in duplicates
        ]
        organization = proposal.organization
        self.strategy_id.choices = strategy_choices(organization, proposal.strategy_id)
        self.tactic_id.choices = tactic_choices(organization, proposal.tactic_id)
        from forum.catalog.models import Program
        from forum.extensions import db

        programs = db.session.scalars(db.select(Program).order_by(Program.code)).all()
        self.program_id.choices = [SelectChoice(0, _l("— not yet chosen —"))] + [
            SelectChoice(p.id, p.display_name()) for p in programs
        ]
        self._program_ids = {p.id for p in programs}

    @property
    def screening(self) -> bool:
        return self.transition.action == "screen"

    def validate_tactic_id(self, field):
        if not self.screening:
            return
        strategy = next(
            (s for s in self.proposal.organization.strategies if s.id == self.strategy_id.data),
            None,
        )
        if strategy is None or field.data not in {t.id for t in strategy.tactics}:
            raise ValidationError(_l("This tactic does not belong to the chosen strategy."))

    def validate_annex(self, field):
        if self.screening and field.data not in {a.value for a in Annex}:
            raise ValidationError(_l("Choose the plan annex."))

    def validate_equipment_category(self, field):
        if self.equipment_missing(field):
            raise ValidationError(_l("Form P.03 prints the equipment category: enter it."))

    def validate_equipment_type(self, field):
        if self.equipment_missing(field):
            raise ValidationError(_l("Form P.03 prints the equipment type: enter it."))

    def equipment_missing(self, field) -> bool:
        return (
            self.screening
            and self.annex.data == Annex.EQUIPMENT
            and not (field.data or "").strip()
        )

    def validate_program_id(self, field):
        if self.screening and field.data not in self._program_ids:
            raise ValidationError(_l("Screening confirms the program: choose one."))
