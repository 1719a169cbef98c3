"""Forms for ballot rounds. Per-proposal ballot fields are named p<proposal id> (and
p<proposal id>_<choice> for counts); the services validate their content."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RoundForm(FlaskForm):
    method = SelectField(_l("Voting method"))
    title = StringField(
        _l("Title of the vote"),
        validators=[
            DataRequired(message=_l("Give the vote a title.")),
            Length(max=255, message=_l("At most %(max)d characters.", max=255)),
        ],
    )
    resolution_number = StringField(
        _l("Resolution number (council roll call)"), validators=[Optional(), Length(max=64)]
    )
    proposals = MultiCheckboxField(
        _l("Proposals on the ballot"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose at least one proposal to vote on."))],
    )

    def __init__(self, *args, methods, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.method.choices = [SelectChoice(m.value, m.title) for m in methods]
        self.proposals.choices = [SelectChoice(p.id, f"#{p.id} {p.title}") for p in proposals]


class SelectionForm(FlaskForm):
    """Budget-constrained selection (GET parameters; no CSRF needed for reading)."""

    class Meta:
        csrf = False

    year = SelectField(_l("Plan year"), coerce=int, validate_choice=False)
    budget = IntegerField(
        _l("Budget (baht)"),
        validators=[
            Optional(),
            NumberRange(min=0, max=10**12, message=_l("At most 1,000,000,000,000.")),
        ],
    )
    voters = SelectField(
        _l("Voters for the Method of Equal Shares"),
        choices=[
            SelectChoice("villages", _l("Village forum attendees (each village's share)")),
            SelectChoice("ballots", _l("The round's ballots")),
        ],
        default="villages",
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.year.choices = [SelectChoice(0, _l("The whole plan period"))] + [
            SelectChoice(y, str(y)) for y in years
        ]
