"""Dates typed as Thai minutes write them: day/month/Buddhist-era year."""

from datetime import date

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.meetings.models import Meeting
from forum.thai_dates import format_thai_date, parse_thai_date


@pytest.mark.parametrize("typed", [
    "12/01/2569", "12/1/2569", "12-01-69", "12.01.2026", "2569-01-12", "2026-01-12",
    "๑๒/๐๑/๒๕๖๙", " 12 / 01 / 2569 ",
])  # fmt: skip
def test_every_usual_way_of_typing_a_date(typed):
    assert parse_thai_date(typed) == date(2026, 1, 12)


@pytest.mark.parametrize("typed", ["31/02/2569", "12/13/2569", "tomorrow", "12/01", "", "1/1/1"])
def test_what_is_not_a_date(typed):
    assert parse_thai_date(typed) is None


def test_shown_back_in_the_buddhist_era():
    assert format_thai_date(date(2026, 1, 12)) == "12/01/2569"


def meeting_form(held_on: str) -> dict:
    return {"kind": "subdistrict_forum", "village_id": 0, "held_on": held_on,
            "place": "ห้องประชุม อบต.", "attendees": "", "attendee_count": "80",
            "member_count": ""}  # fmt: skip


def test_a_meeting_dated_in_the_buddhist_era(client, auth):
    auth.login("officer-banon")
    response = client.post("/o/ban-on/meetings/new", data=meeting_form("12/01/2569"))
    assert response.status_code == 302
    meeting = db.session.scalar(select(Meeting).order_by(Meeting.id.desc()))
    assert meeting.held_on == date(2026, 1, 12)
    page = client.get(f"/meetings/{meeting.id}/edit").get_data(as_text=True)
    assert 'value="12/01/2569"' in page


def test_a_wrong_date_is_explained_and_kept(client, auth):
    auth.login("officer-banon")
    response = client.post("/o/ban-on/meetings/new", data=meeting_form("31/02/2569"))
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 422)
    assert "พิมพ์วันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 12/01/2569" in page
    assert 'value="31/02/2569"' in page
