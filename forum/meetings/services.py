"""Recording meetings and the organization's quorum rule. Services flush; the request commits."""

from sqlalchemy import func, select

from forum.extensions import db
from forum.meetings.models import Attendee, Meeting, MeetingKind, buddhist_year
from forum.notify import events as notify

NAME_MAX = 255


def next_number(organization_id: int, series: str, year: int) -> int:
    last = db.session.scalar(
        select(func.max(Meeting.number)).where(
            Meeting.organization_id == organization_id,
            Meeting.series == series,
            Meeting.year == year,
        )
    )
    return (last or 0) + 1


def parse_attendees(text: str | None) -> list[str]:
    """One name per line; blank lines and repeated names are dropped, order kept."""
    names = []
    for line in (text or "").splitlines():
        name = " ".join(line.split())[:NAME_MAX]
        if name and name not in names:
            names.append(name)
    return names


def number_taken(meeting: Meeting) -> bool:
    clash = select(Meeting.id).where(
        Meeting.organization_id == meeting.organization_id,
        Meeting.series == meeting.series,
        Meeting.year == meeting.year,
        Meeting.number == meeting.number,
    )
    if meeting.id is not None:
        clash = clash.where(Meeting.id != meeting.id)
    return db.session.scalar(clash) is not None


def apply_meeting_form(meeting: Meeting, form) -> None:
    """Copy the form onto the meeting; a blank number takes the next one of its series."""
    meeting.kind = form.kind.data
    meeting.village_id = (
        form.village_id.data if form.kind.data == MeetingKind.VILLAGE_FORUM else None
    )
    meeting.series = Meeting.series_for(meeting.kind, meeting.village_id)
    meeting.held_on = form.held_on.data
    meeting.year = buddhist_year(form.held_on.data)
    meeting.number = form.number.data or next_number(
        meeting.organization_id, meeting.series, meeting.year
    )
    meeting.place = form.place.data.strip()
    meeting.attendee_count = form.attendee_count.data
    meeting.member_count = form.member_count.data
    meeting.minutes = (form.minutes.data or "").strip() or None
    set_attendees(meeting, parse_attendees(form.attendees.data))
    notify.meeting_saved(meeting)  # an edited meeting that moved


def set_attendees(meeting: Meeting, names: list[str]) -> None:
    current = {a.name: a for a in meeting.attendees}
    for name in names:
        if name not in current:
            meeting.attendees.append(Attendee(name=name))
    for name, attendee in current.items():
        if name not in names:
            meeting.attendees.remove(attendee)


class NumberTaken(ValueError):
    """ครั้งที่ N/YYYY is already used in this meeting series."""


def create_meeting(organization, form, user) -> Meeting:
    meeting = Meeting(organization=organization, organization_id=organization.id, created_by=user)
    with db.session.no_autoflush:
        apply_meeting_form(meeting, form)
        if number_taken(meeting):
            raise NumberTaken(meeting.number_label)
    db.session.add(meeting)
    db.session.flush()
    notify.meeting_called(meeting)
    return meeting


def set_quorum(organization, count: int | None, share: int | None) -> None:
    organization.quorum_count = count or None
    organization.quorum_share = share or None
    db.session.flush()
