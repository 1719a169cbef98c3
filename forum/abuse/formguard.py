"""Two checks on the public proposal form that cost a villager nothing (no third-party CAPTCHA):

* a honeypot: a text field hidden from people (and from screen readers) that scripts filling
  every field fill;
* a minimum fill time: the form carries the time it was opened, signed with SECRET_KEY; a
  submission faster than PUBLIC_FORM_MIN_SECONDS is not a person typing (0 turns it off).

Both are skipped for logged-in users. A refused submission comes back with everything typed and
the reason at the top of the form; sending again after a moment passes.
"""

import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import HiddenField, StringField
from wtforms.validators import ValidationError

OPENED_MAX_AGE = 3 * 24 * 3600  # a form left open longer is sent again


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="public-form-opened")


def opened_now() -> str:
    return _serializer().dumps(time.time())


def _checked() -> bool:
    return not current_user.is_authenticated


def honeypot_empty(_form, field) -> None:
    if _checked() and field.data:
        raise ValidationError(_l("Leave the last field empty and send again."))


def opened_long_enough(_form, field) -> None:
    minimum = float(current_app.config.get("PUBLIC_FORM_MIN_SECONDS") or 0)
    if not _checked() or minimum <= 0:
        return
    try:
        opened = float(_serializer().loads(field.data or "", max_age=OPENED_MAX_AGE))
    except (BadSignature, TypeError, ValueError):
        field.data = opened_now()
        raise ValidationError(
            _l("The form could not be checked (it may have been open too long). Nothing you "
               "typed was lost: please send it again.")
        ) from None
    if time.time() - opened < minimum:
        raise ValidationError(
            _l("The form was sent very quickly after it was opened. Check it and send it again.")
        )


def honeypot_field() -> StringField:
    return StringField(
        _l("Leave this field empty"),
        validators=[honeypot_empty],
        render_kw={"autocomplete": "off", "tabindex": "-1"},
    )


def opened_at_field() -> HiddenField:
    return HiddenField(default=opened_now, validators=[opened_long_enough])
