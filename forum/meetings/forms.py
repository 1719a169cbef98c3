from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from forum.meetings.models import MeetingKind
from forum.thai_dates import ThaiDateField


class MeetingForm(FlaskForm):
    kind = SelectField(
        _l("Kind of meeting"), choices=[SelectChoice(k.value, k.title) for k in MeetingKind]
    )
    village_id = SelectField(_l("Village (for a village forum)"), coerce=int, validate_choice=False)
    held_on = ThaiDateField(  # InputRequired: DataRequired would hide why a typed date failed
        _l("Date"), validators=[InputRequired(message=_l("Enter the date of the meeting."))]
    )
    number = IntegerField(
        _l("Meeting number (ครั้งที่); leave blank for the next one"),
        validators=[Optional(), NumberRange(min=1, max=999, message=_l("From 1 to 999."))],
    )
    place = StringField(
        _l("Place"),
        validators=[
            DataRequired(message=_l("Enter where the meeting was held.")),
            Length(max=255, message=_l("At most %(max)d characters.", max=255)),
        ],
    )
    attendees = TextAreaField(
        _l("Attendance register: one name per line"),
        validators=[Optional(), Length(max=60_000)],
    )
    attendee_count = IntegerField(
        _l("Or the number present (for a large forum)"),
        validators=[Optional(), NumberRange(min=0, max=100_000, message=_l("From 0 to 100,000."))],
    )
    member_count = IntegerField(
        _l("Eligible members of the forum (for a quorum given as a share)"),
        validators=[Optional(), NumberRange(min=1, max=1_000_000, message=_l("At least 1."))],
    )
    minutes = TextAreaField(_l("Minutes"), validators=[Optional(), Length(max=100_000)])

    def __init__(self, *args, organization, kinds=None, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        if kinds is not None:
            self.kind.choices = [SelectChoice(k.value, k.title) for k in kinds]
        villages = organization.villages if villages is None else villages
        self.village_id.choices = [SelectChoice(0, _l("— not a village forum —"))] + [
            SelectChoice(v.id, v.label) for v in villages
        ]
        self._village_ids = {v.id for v in villages}

    def validate_village_id(self, field):
        if self.kind.data == MeetingKind.VILLAGE_FORUM and field.data not in self._village_ids:
            raise ValidationError(_l("Choose the village whose forum this is."))


class QuorumForm(FlaskForm):
    quorum_count = IntegerField(
        _l("Quorum: at least this many present"),
        validators=[Optional(), NumberRange(min=1, max=100_000, message=_l("At least 1."))],
    )
    quorum_share = IntegerField(
        _l("Quorum: at least this percentage of the members present"),
        validators=[Optional(), NumberRange(min=1, max=100, message=_l("From 1 to 100."))],
    )
