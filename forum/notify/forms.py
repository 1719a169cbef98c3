from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError

from forum.notify.addresses import AddressError, normalize
from forum.notify.models import Channel

LANGUAGE_CHOICES = [SelectChoice("th", "ไทย"), SelectChoice("en", "English")]


class AddressCheck:
    """Checks (and normalizes) the field as an address of the channel given by the form's
    ``channel`` field, or of a fixed channel."""

    def __init__(self, channel: str | None = None):
        self.channel = channel

    def __call__(self, form, field):
        if not (field.data or "").strip():
            return
        channel = self.channel or form.channel.data
        try:
            field.data = normalize(channel, field.data)
        except AddressError as error:
            raise ValidationError(str(error)) from error


class MyChannelsForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[Optional(), AddressCheck(Channel.EMAIL)])
    phone = StringField(_l("Mobile number for SMS"), validators=[Optional(),
                                                                 AddressCheck(Channel.SMS)])
    line_id = StringField(_l("LINE user ID"), validators=[Optional(), AddressCheck(Channel.LINE)])
    locale = SelectField(_l("Language of the messages"), choices=LANGUAGE_CHOICES)


class FollowForm(FlaskForm):
    channel = RadioField(_l("Send to"), validators=[DataRequired(message=_l("Choose a channel."))])
    address = StringField(
        _l("Address: e-mail, mobile number or LINE ID"),
        validators=[DataRequired(message=_l("Enter the address to send to.")), AddressCheck()],
    )
    locale = SelectField(_l("Language of the messages"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel.choices = [SelectChoice(c.value, c.title) for c in channels]


class ProposerForm(FlaskForm):
    code = StringField(
        _l("Tracking code"),
        validators=[DataRequired(message=_l("Enter the tracking code.")), Length(max=20)],
    )
    channel = RadioField(_l("Send to"), validators=[DataRequired(message=_l("Choose a channel."))])
    address = StringField(
        _l("Address (for SMS: leave blank to use the number given with the proposal)"),
        validators=[Optional(), AddressCheck()],
    )
    locale = SelectField(_l("Language of the messages"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel.choices = [SelectChoice(c.value, c.title) for c in channels]


def _template_check(form, field):
    if form.sms_enabled.data and "{text}" not in (field.data or ""):
        raise ValidationError(_l("The body template must contain {text}, e.g. message={text}."))
    for line in (field.data or "").splitlines():
        if line.strip() and "=" not in line:
            raise ValidationError(_l("Write one field per line as name=value."))


class SettingsForm(FlaskForm):
    email_enabled = BooleanField(_l("Send e-mail"))
    smtp_host = StringField(_l("SMTP server"), validators=[Optional(), Length(max=255)])
    smtp_port = IntegerField(_l("SMTP port"), default=587, validators=[
        DataRequired(message=_l("Enter the port.")),
        NumberRange(min=1, max=65535, message=_l("From 1 to 65535."))])  # fmt: skip
    smtp_security = SelectField(_l("Connection security"), choices=[
        SelectChoice("starttls", "STARTTLS"), SelectChoice("ssl", "SSL/TLS"),
        SelectChoice("none", _l("None (local relay only)"))])
    smtp_username = StringField(_l("SMTP user name"), validators=[Optional(), Length(max=255)])
    smtp_password = PasswordField(_l("SMTP password (leave blank to keep)"),
                                  validators=[Optional(), Length(max=255)])
    smtp_from = StringField(_l("Sender address"),
                            validators=[Optional(), AddressCheck(Channel.EMAIL)])
    sms_enabled = BooleanField(_l("Send SMS"))
    sms_url = StringField(_l("Gateway URL"), validators=[
        Optional(), URL(require_tld=False, message=_l("Enter a web address (https://…).")),
        Length(max=500)])  # fmt: skip
    sms_username = StringField(_l("Gateway user name or API key"),
                               validators=[Optional(), Length(max=255)])
    sms_password = PasswordField(_l("Gateway password or secret (leave blank to keep)"),
                                 validators=[Optional(), Length(max=255)])
    sms_sender = StringField(_l("Sender name"), validators=[Optional(), Length(max=32)])
    sms_encoding = SelectField(_l("Body format"), choices=[
        SelectChoice("form", _l("Form fields")), SelectChoice("json", "JSON")])  # fmt: skip
    sms_body_template = TextAreaField(_l("Body template: one name={placeholder} per line"),
                                      validators=[Optional(), Length(max=2000), _template_check])
    sms_success_marker = StringField(_l("Text every successful answer contains"),
                                     validators=[Optional(), Length(max=120)])
    sms_dedupes_reference = BooleanField(
        _l("The gateway ignores a repeated {reference} (retrying is then safe)"))
    line_enabled = BooleanField(_l("Send LINE messages"))
    line_token = PasswordField(_l("LINE channel access token (leave blank to keep)"),
                               validators=[Optional(), Length(max=500)])
    line_base_url = StringField(_l("LINE API address"), default="https://api.line.me",
                                validators=[DataRequired(message=_l("Enter the address.")),
                                            URL(require_tld=False, message=_l("Enter a web address (https://…).")),
                                             Length(max=255)])
    max_attempts = IntegerField(_l("Tries before a message is given up"), default=6, validators=[
        DataRequired(message=_l("Enter a number.")),
        NumberRange(min=1, max=50, message=_l("From 1 to 50."))])  # fmt: skip

    SECRETS = ("smtp_password", "sms_password", "line_token")
