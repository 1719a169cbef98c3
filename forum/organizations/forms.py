from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange


class PlanPeriodForm(FlaskForm):
    first_year = IntegerField(
        _l("First fiscal year (Buddhist era)"),
        validators=[
            InputRequired(message=_l("Enter the first year, e.g. 2571.")),
            NumberRange(min=2540, max=2700, message=_l("A Buddhist-era year, e.g. 2571.")),
        ],
    )
    layout = SelectField(
        _l("Annex layout"),
        choices=[
            SelectChoice("strategy", _l("By strategy (plans up to 2566–2570)")),
            SelectChoice("issue", _l("By development issue, no KPI column (from 2571–2575)")),
        ],
    )
