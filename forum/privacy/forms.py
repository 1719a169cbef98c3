"""Forms of the privacy pages: the notice editor and the data-subject request desk."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from forum.privacy.models import SECTION_MAX

SECTION_LABELS = {
    "data": _l("Which personal data"),
    "purposes": _l("Why (purposes and legal basis)"),
    "recipients": _l("Who sees it"),
    "retention": _l("How long it is kept"),
    "requests": _l("How to ask (your rights)"),
}
BLANK_SECTION = _l("Write this part of the notice; the default text is a sound start.")


def _thai(limit: int):
    return [DataRequired(message=BLANK_SECTION),
            Length(max=limit, message=_l("At most %(max)d characters.", max=limit))]  # fmt: skip


def _english(limit: int):
    return [Optional(), Length(max=limit, message=_l("At most %(max)d characters.", max=limit))]


class NoticeForm(FlaskForm):
    """Thai is required; English may be left blank (the Thai text is then shown)."""

    controller_th = StringField(_l("Data controller (Thai)"), validators=_thai(255))
    controller_en = StringField(_l("Data controller (English)"), validators=_english(255))
    contact = TextAreaField(_l("Contact (address, telephone, e-mail)"),
                            validators=_thai(SECTION_MAX))  # fmt: skip


for _section, _label in SECTION_LABELS.items():
    setattr(NoticeForm, f"{_section}_th", TextAreaField(
        _l("%(section)s (Thai)", section=_label), validators=_thai(SECTION_MAX)))  # fmt: skip
    setattr(NoticeForm, f"{_section}_en", TextAreaField(
        _l("%(section)s (English)", section=_label), validators=_english(SECTION_MAX)))  # fmt: skip


REFERENCE_HINT = _l("The request as received, e.g. a letter number and date.")


class RequestForm(FlaskForm):
    """The data-subject request desk: whom to look for, and under which request."""

    query = StringField(
        _l("Phone number or name"),
        validators=[
            DataRequired(message=_l("Enter the phone number or the name to look for.")),
            Length(min=2, max=100, message=_l("Enter 2 to 100 characters.")),
        ],
    )
    reference = StringField(
        _l("Request reference"),
        validators=[Optional(), Length(max=255, message=_l("At most %(max)d characters.",
                                                           max=255))],  # fmt: skip
    )
    remove_photos = BooleanField(_l("Also remove the photos of these proposals"))

    def reference_given(self) -> bool:
        if (self.reference.data or "").strip():
            return True
        self.reference.errors = [*self.reference.errors,
                                 _l("Enter the request's reference: it is recorded with what "
                                    "is done.")]  # fmt: skip
        return False


PHONE = Regexp(r"^[0-9+\- ]{6,20}$", message=_l("Enter a phone number, e.g. 081-234-5678."))


class CorrectionForm(FlaskForm):
    """The corrected values of one row (the request desk's form carries the reference)."""

    name = StringField(_l("Name"), validators=[Optional(), Length(max=255)])
    phone = StringField(_l("Phone"), validators=[Optional(), PHONE])
