from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional


class OrganizationVisionForm(FlaskForm):
    vision = TextAreaField(_l("Vision"), validators=[Optional(), Length(max=2000)])
    vision_definition = TextAreaField(
        _l("Definition of the vision"), validators=[Optional(), Length(max=4000)]
    )


class StrategyForm(FlaskForm):
    title = TextAreaField(_l("Strategy"), validators=[DataRequired(), Length(max=2000)])
    province_number = SelectField(
        _l("Province-wide strategy it links up to (line E of form P.02)"),
        coerce=int,
        validate_choice=True,
    )
    national_strategy = TextAreaField(
        _l("A. National strategy"), validators=[Optional(), Length(max=2000)]
    )
    national_plan = TextAreaField(
        _l("B. National Economic and Social Development Plan"),
        validators=[Optional(), Length(max=2000)],
    )
    sdgs = TextAreaField(_l("C. Sustainable Development Goals"), validators=[Optional()])
    provincial_strategy = TextAreaField(
        _l("D. Provincial strategy"), validators=[Optional(), Length(max=2000)]
    )


    def __init__(self, *args, province_strategies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.province_number.choices = [SelectChoice(0, _l("— none —"))] + [
            SelectChoice(s.number, s.label) for s in province_strategies
        ]


class CatalogTextForm(FlaskForm):
    """A mission, goal or indicator: one numbered text."""

    text = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=4000)])


class TacticForm(FlaskForm):
    number = StringField(_l("Number"), validators=[DataRequired(), Length(max=16)])
    title = TextAreaField(_l("Tactic"), validators=[DataRequired(), Length(max=2000)])
    description = TextAreaField(_l("Explanation"), validators=[Optional(), Length(max=4000)])
    program_ids = SelectMultipleField(
        _l("Programs that fund this tactic"), coerce=int, validate_choice=True
    )

    def __init__(self, *args, programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.program_ids.choices = [SelectChoice(p.id, p.name_th) for p in programs]


class CatalogImportForm(FlaskForm):
    text = TextAreaField(
        _l("Published strategy text"),
        validators=[DataRequired(), Length(max=200_000)],
        render_kw={"rows": 16},
    )
