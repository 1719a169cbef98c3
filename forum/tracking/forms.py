"""The update form (one project, one year) and the carry-over form."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forum.proposals.forms import BahtField
from forum.proposals.models import TEXT_MAX
from forum.thai_dates import ThaiDateField
from forum.tracking.models import STAGE_TITLES, Stage

# Which figures each stage needs (a later stage keeps the figures of the earlier ones).
REQUIRED = {
    Stage.BUDGETED: ("budget_amount",),
    Stage.CONTRACTED: ("budget_amount", "contract_date", "contract_amount"),
    Stage.IN_PROGRESS: ("budget_amount", "percent"),
    Stage.COMPLETED: ("budget_amount", "completed_date", "amount_spent"),
    Stage.NOT_IMPLEMENTED: ("reason",),
}
MISSING = {
    "budget_amount": _l("Enter the amount in the budget ordinance."),
    "contract_date": _l("Enter the date the contract was signed."),
    "contract_amount": _l("Enter the contract amount."),
    "percent": _l("Enter how far the work has come, 0 to 100 percent."),
    "completed_date": _l("Enter the date the project was completed."),
    "amount_spent": _l("Enter the amount spent."),
    "reason": _l("Give the reason the project was not implemented."),
}


class UpdateForm(FlaskForm):
    stage = SelectField(
        _l("Stage"),
        # the lazy titles: ``Stage.title`` here would freeze them in English at import time
        choices=[SelectChoice(s.value, STAGE_TITLES[s]) for s in Stage],
        validate_choice=True,
    )
    budget_amount = BahtField(_l("Amount in the budget ordinance (baht)"))
    contract_date = ThaiDateField(_l("Contract signed on"), validators=[Optional()])
    contract_amount = BahtField(_l("Contract amount (baht)"))
    percent = IntegerField(
        _l("Progress (percent)"),
        validators=[
            Optional(),
            NumberRange(min=0, max=100, message=_l("A percentage from 0 to 100.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    completed_date = ThaiDateField(_l("Completed on"), validators=[Optional()])
    amount_spent = BahtField(_l("Amount spent (baht)"))
    reason = TextAreaField(
        _l("Reason it was not implemented"),
        validators=[Optional(), Length(max=TEXT_MAX, message=_l("At most %(max)d characters.",
                                                                 max=TEXT_MAX))],
    )  # fmt: skip
    note = TextAreaField(
        _l("Note"),
        validators=[Optional(), Length(max=TEXT_MAX, message=_l("At most %(max)d characters.",
                                                                 max=TEXT_MAX))],
    )  # fmt: skip
    based_on = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        ok = True
        for name in REQUIRED[Stage(self.stage.data)]:
            field = getattr(self, name)
            if self._blank(field):
                field.errors.append(MISSING[name])
                ok = False
        today = date.today()
        for field in (self.contract_date, self.completed_date):
            if field.data and field.data > today:
                field.errors.append(_l("The date cannot be in the future."))
                ok = False
        if (
            self.contract_date.data
            and self.completed_date.data
            and self.completed_date.data < self.contract_date.data
        ):
            self.completed_date.errors.append(
                _l("The project cannot be completed before its contract was signed.")
            )
            ok = False
        return ok

    @staticmethod
    def _blank(field) -> bool:
        if isinstance(field, BahtField):
            return not field.raw
        if isinstance(field.data, str):
            return not field.data.strip()
        return field.data is None

    def values(self) -> dict:
        """The figures as stored: blank amounts are None (not known), not zero."""
        values = {}
        for name in ("budget_amount", "contract_amount", "amount_spent"):
            field = getattr(self, name)
            values[name] = None if self._blank(field) else field.data
        values["contract_date"] = self.contract_date.data
        values["completed_date"] = self.completed_date.data
        values["percent"] = self.percent.data
        values["reason"] = (self.reason.data or "").strip() or None
        values["note"] = (self.note.data or "").strip() or None
        return values

    def based_on_id(self) -> int | None:
        value = (self.based_on.data or "").strip()
        return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


class CarryOverForm(FlaskForm):
    period_id = SelectField(_l("Into the plan period"), coerce=int, validate_choice=False)
    year = IntegerField(
        _l("Fiscal year of the budget (Buddhist era)"),
        validators=[
            InputRequired(message=_l("Enter the fiscal year, e.g. 2571.")),
            NumberRange(min=2540, max=2700, message=_l("A Buddhist-era year, e.g. 2571.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    amount = BahtField(_l("Budget (baht)"))
    reason = TextAreaField(
        _l("Reason for carrying it over"),
        validators=[
            DataRequired(message=_l("Give the reason for carrying the project over.")),
            Length(max=TEXT_MAX, message=_l("At most %(max)d characters.", max=TEXT_MAX)),
        ],
    )
