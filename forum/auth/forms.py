from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from forum.auth.passwords import password_problem


def strong_password(form, field) -> None:
    """Refuse short and common passwords (forum.auth.passwords)."""
    username = getattr(form, "username_for_check", None)
    problem = password_problem(field.data or "", username)
    if problem:
        raise ValidationError(problem)


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class EmptyForm(FlaskForm):
    """CSRF protection for POST-only buttons."""


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(min=10, max=200, message=_l("Use at least 10 characters.")),
            strong_password,
        ],
    )


class SetPasswordForm(FlaskForm):
    """First password (invitation) or a new one (reset), through a one-time link."""

    new_password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(message=_l("Choose a password.")),
            Length(max=200),
            strong_password,
        ],
    )
    confirm_password = PasswordField(
        _l("The same password again"),
        validators=[
            DataRequired(message=_l("Type the password again.")),
            EqualTo("new_password", message=_l("The two passwords are not the same.")),
        ],
    )
