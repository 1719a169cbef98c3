"""The security log is paged, filtered by account and local date range, and exported as CSV
(every matching entry, not only one page)."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from forum.audit.models import AccessDenial, LoginEvent
from forum.audit.views import PER_PAGE
from forum.auth.models import User
from forum.extensions import db
from tests.helpers import org

MANY = 260  # more than the 200 the page used to stop at


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


@pytest.fixture
def many_failures(app):
    """MANY failed log-ins on officer-banon, one an hour from 1 Jan 2026 00:00 UTC, each with its
    own address (10.0.<i // 256>.<i % 256>), then three on village1-banon."""
    officer, village = user("officer-banon"), user("village1-banon")
    start = datetime(2026, 1, 1)
    for i in range(MANY):
        db.session.add(LoginEvent(username=officer.username, user_id=officer.id,
                                  address=f"10.0.{i // 256}.{i % 256}", outcome="failure",
                                  created_at=start + timedelta(hours=i)))  # fmt: skip
    for k in range(3):
        db.session.add(LoginEvent(username=village.username, user_id=village.id,
                                  address=f"10.9.9.{k}", outcome="failure",
                                  created_at=start + timedelta(days=30, hours=k)))  # fmt: skip
    db.session.add(AccessDenial(user_id=village.id, organization_id=org("ban-on").id,
                                method="GET", path="/o/ban-on/audit", address="10.9.9.9",
                                created_at=start))  # fmt: skip
    db.session.commit()
    return officer, village


def test_every_entry_can_be_reached_by_paging(client, auth, many_failures):
    auth.login("admin-banon")
    first = client.get("/o/ban-on/audit").get_data(as_text=True)
    pages = (MANY + 3 + PER_PAGE - 1) // PER_PAGE
    assert f"หน้า 1 จาก {pages}" in first
    assert first.count("10.0.") == PER_PAGE - 3  # the three newest are village1-banon's
    last = client.get(f"/o/ban-on/audit?logins_page={pages}").get_data(as_text=True)
    assert ">10.0.0.0<" in last  # the oldest entry, beyond the 200 newest
    seen = set()
    for number in range(1, pages + 1):
        html = client.get(f"/o/ban-on/audit?logins_page={number}").get_data(as_text=True)
        seen |= {f"10.0.{i // 256}.{i % 256}" for i in range(MANY)
                 if f">10.0.{i // 256}.{i % 256}<" in html}  # fmt: skip
    assert len(seen) == MANY


def test_filter_by_account(client, auth, many_failures):
    _officer, village = many_failures
    auth.login("admin-banon")
    html = client.get(f"/o/ban-on/audit?account={village.id}").get_data(as_text=True)
    assert html.count(">10.9.9.") == 3 + 1  # three log-ins and the denial
    assert "10.0.0." not in html


def test_filter_by_local_dates_includes_both_ends(client, auth, many_failures):
    # Bangkok is UTC+7: local 2 Jan 2026 runs from 1 Jan 17:00 UTC (hour 17) to hour 40
    auth.login("admin-banon")
    html = client.get("/o/ban-on/audit?date_from=2026-01-02&date_to=2026-01-02").get_data(
        as_text=True
    )
    shown = [i for i in range(MANY) if f">10.0.{i // 256}.{i % 256}<" in html]
    assert shown == list(range(17, 41))
    assert "24 รายการ" in html


@pytest.mark.parametrize(
    ("query", "message", "kept"),
    [
        ("date_from=2026-02-30", "วันที่ไม่ถูกต้อง", "2026-02-30"),
        ("date_from=2026-01-05&date_to=2026-01-02", "วันที่สิ้นสุดอยู่ก่อนวันที่เริ่มต้น", "2026-01-05"),
        ("account=999999", "เลือกบัญชีผู้ใช้ขององค์กรนี้", None),
    ],
)
def test_bad_filters_get_a_message_next_to_the_field(client, auth, many_failures, query,
                                                      message, kept):  # fmt: skip
    auth.login("admin-banon")
    response = client.get(f"/o/ban-on/audit?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="error"' in html and message in html
    if kept:
        assert f'value="{kept}"' in html


def test_csv_export_has_every_matching_entry(client, auth, many_failures):
    officer, _village = many_failures
    auth.login("admin-banon")
    response = client.get(f"/o/ban-on/audit/logins.csv?account={officer.id}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "security-log-logins.csv" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["เวลา", "บัญชีผู้ใช้", "ชื่อ", "ที่อยู่ IP", "ผล"]
    body = [r for r in rows[1:] if r[3].startswith("10.0.")]
    assert len(body) == MANY
    # newest first, in local time (UTC+7)
    assert body[-1][0] == "2026-01-01 07:00:00" and body[-1][1] == "officer-banon"
    dated = client.get("/o/ban-on/audit/logins.csv?date_from=2026-01-02&date_to=2026-01-02")
    assert len(list(csv.reader(io.StringIO(dated.data.decode("utf-8-sig"))))) == 1 + 24


def test_denials_csv(client, auth, many_failures):
    auth.login("admin-banon")
    rows = list(csv.reader(io.StringIO(
        client.get("/o/ban-on/audit/denials.csv").data.decode("utf-8-sig"))))  # fmt: skip
    assert any(r[1] == "village1-banon" and r[4] == "/o/ban-on/audit" for r in rows[1:])


@pytest.mark.parametrize("username", ["officer-banon", "officer-khelang"])
def test_only_the_admin_exports_the_log(client, auth, username):
    auth.login(username)
    assert client.get("/o/ban-on/audit/logins.csv").status_code == 403
