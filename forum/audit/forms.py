"""The security log's filter: an account of the organization and a date range (local dates)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError


class LogFilterForm(FlaskForm):
    """Read from the query string; a GET form needs no CSRF token."""

    class Meta:
        csrf = False

    account = SelectField(_l("Account"), coerce=int, default=0, validators=[Optional()])
    date_from = DateField(_l("From date"), validators=[Optional()])
    date_to = DateField(_l("To date"), validators=[Optional()])

    def __init__(self, members, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.account.choices = [(0, _l("All accounts"))] + [
            (user.id, f"{user.username} ({user.display_name})") for user in members
        ]

    def validate_account(self, field) -> None:
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose an account of this organization."))

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))
