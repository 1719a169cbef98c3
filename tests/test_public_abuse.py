"""Abuse limits on every public write: rate limits per address and organization (in Redis), a
clear Thai 429, a honeypot and a minimum fill time on the public form, a daily photo quota, and
the office marking proposals as spam (one or a burst), reversibly and on the record."""

import io
import re
import time

import pytest
from limits import parse_many
from PIL import Image
from sqlalchemy import func, select

from forum.abuse import formguard
from forum.config import Defaults
from forum.extensions import db
from forum.proposals.models import Proposal
from forum.workflow.models import Decision
from tests.helpers import org, submitted_id, valid_proposal_form


@pytest.fixture
def app_config(limited):
    return limited


def propose(client, slug="ban-on", address="198.51.100.7", **overrides):
    return client.post(
        f"/o/{slug}/proposals/new", data=valid_proposal_form(org(slug), **overrides),
        headers={"X-Forwarded-For": address},
    )


def proposal_count() -> int:
    return db.session.scalar(select(func.count(Proposal.id)))


# --- rate limits ---------------------------------------------------------------------------


def test_a_burst_from_one_address_stops_at_the_limit_with_a_thai_page(client):
    before = proposal_count()
    answers = [propose(client) for _ in range(30)]
    statuses = [a.status_code for a in answers]
    assert statuses.count(302) == 10 and statuses.count(429) == 20
    assert proposal_count() == before + 10
    page = answers[-1].get_data(as_text=True)
    assert "คำขอมากเกินไป" in page and answers[-1].headers.get("Retry-After")
    assert propose(client, address="198.51.100.8").status_code == 302  # another villager


@pytest.fixture
def small_limits(app, redis_prefix):
    app.config.update(
        PUBLIC_PROPOSALS_PER_ORGANIZATION="3 per hour",
        PUBLIC_WITHDRAWALS_PER_ADDRESS="3 per hour",
        PUBLIC_LOOKUPS_PER_ADDRESS="3 per 10 minutes",
    )


def test_an_organization_is_limited_across_addresses(client, small_limits):
    statuses = [propose(client, address=f"198.51.100.{n}").status_code for n in range(1, 5)]
    assert statuses == [302, 302, 302, 429]
    assert propose(client, "khelang-nakhon", village=1).status_code == 302


def test_guessing_tracking_codes_is_limited(client, small_limits):
    proposal_id = submitted_id(propose(client))
    guesses = [
        client.post(f"/proposals/{proposal_id}/act/withdraw",
                    data={"tracking_code": f"GUESS{n}", "reason": "x"},
                    headers={"X-Forwarded-For": "192.0.2.66"}).status_code
        for n in range(4)
    ]
    assert guesses == [422, 422, 422, 429]
    lookups = [client.get(f"/track?code=AAAAA{n}").status_code for n in range(4)]
    assert lookups == [200, 200, 200, 429]
    assert client.get("/track").status_code == 200  # the empty look-up page is not a guess


def test_a_committee_entering_a_paper_list_is_not_limited(client, auth, small_limits):
    auth.login("village1-banon")
    assert all(propose(client).status_code == 302 for _ in range(5))


def events_in_busiest_window(times: list[float], seconds: int) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t < start + seconds) for i, start in enumerate(times))


def test_the_default_limits_let_a_village_evening_through():
    """40 villagers on one hotspot, 3 hours, 2 proposals each; 8 of them finish in the same
    minute at the start of each hour (the others spread out)."""
    times = []
    for hour in range(3):
        times += [hour * 3600 + s * 5 for s in range(8)]
        times += [hour * 3600 + 120 + s * 90 for s in range(19)]
    times = times[:80]
    for setting in ("PUBLIC_PROPOSALS_PER_ADDRESS", "PUBLIC_PROPOSALS_PER_ORGANIZATION"):
        for limit in parse_many(getattr(Defaults, setting)):
            window = limit.get_expiry()
            assert events_in_busiest_window(times, window) <= limit.amount, (setting, limit)
    burst = [i * 2.3 / 30 for i in range(30)]  # the probe: 30 proposals in 2.3 s
    assert min(lm.amount for lm in parse_many(Defaults.PUBLIC_PROPOSALS_PER_ADDRESS)) < 30
    assert events_in_busiest_window(burst, 60) == 30


# --- the public form's honeypot and fill time ------------------------------------------------


def test_a_filled_honeypot_is_refused_and_nothing_typed_is_lost(client):
    before = proposal_count()
    response = propose(client, homepage="http://cheap-pills.example")
    assert response.status_code == 200 and proposal_count() == before
    page = response.get_data(as_text=True)
    assert "ก่อสร้างถนนคอนกรีตสายหน้าวัด" in page
    assert "เว้นว่าง" in page  # "leave the last field empty"


def opened(app, seconds_ago: float) -> str:
    with app.test_request_context():
        return formguard._serializer().dumps(time.time() - seconds_ago)


def test_the_form_must_be_open_a_few_seconds(app, client):
    app.config["PUBLIC_FORM_MIN_SECONDS"] = 5
    form_page = client.get("/o/ban-on/proposals/new").get_data(as_text=True)
    token = re.search(r'name="form_opened" type="hidden" value="([^"]+)"', form_page).group(1)
    too_fast = propose(client, form_opened=token)
    assert too_fast.status_code == 200
    assert "ก่อสร้างถนนคอนกรีตสายหน้าวัด" in too_fast.get_data(as_text=True)
    assert propose(client, form_opened="forged.token").status_code == 200
    assert propose(client).status_code == 200  # no time at all
    assert propose(client, form_opened=opened(app, 30)).status_code == 302


# --- the daily photo quota ---------------------------------------------------------------------


def jpeg() -> tuple[io.BytesIO, str]:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), "green").save(out, "JPEG")
    return io.BytesIO(out.getvalue()), "site.jpg"


def test_the_daily_photo_quota_of_an_organization(app, client):
    from forum.abuse.quota import photo_bytes_today

    data = valid_proposal_form(org("ban-on"))
    first = client.post("/o/ban-on/proposals/new", data={**data, "photos": [jpeg()]},
                        content_type="multipart/form-data")
    assert first.status_code == 302
    used = photo_bytes_today(org("ban-on"))
    assert used > 0
    app.config["PUBLIC_PHOTO_BYTES_PER_ORGANIZATION_PER_DAY"] = used + 10
    before = proposal_count()
    second = client.post("/o/ban-on/proposals/new", data={**data, "photos": [jpeg(), jpeg()]},
                         content_type="multipart/form-data")
    assert second.status_code == 200 and proposal_count() == before
    assert "พรุ่งนี้" in second.get_data(as_text=True)  # "…or try again tomorrow"
    assert client.post("/o/ban-on/proposals/new", data=data).status_code == 302  # no photos


# --- spam ------------------------------------------------------------------------------------


def public_everywhere(client, proposal_id) -> dict[str, bool]:
    api = client.get("/api/organizations/ban-on/proposals?limit=5000").get_json()
    return {
        "page": client.get(f"/proposals/{proposal_id}").status_code == 200,
        "list": f'href="/proposals/{proposal_id}"' in client.get(
            "/o/ban-on/proposals?q=ขยะ").get_data(as_text=True),
        "api": any(row["id"] == proposal_id for row in api),
    }


def test_the_office_marks_a_burst_as_spam_and_can_take_it_back(app, client, auth):
    burst = [submitted_id(propose(client, title=f"ขยะ {n}")) for n in range(3)]
    other = submitted_id(propose(client, address="203.0.113.44", title="ขยะ แต่จริง"))
    viewer = app.test_client()
    assert all(public_everywhere(viewer, burst[0]).values())

    auth.login("officer-banon")
    page = client.get(f"/proposals/{burst[0]}").get_data(as_text=True)
    assert "198.51.100.7" in page  # the office sees where it came from
    client.post(f"/proposals/{burst[0]}/spam",
                data={"burst_minutes": "60", "reason": "ส่งซ้ำอัตโนมัติ"})
    assert [db.session.get(Proposal, pid).spam for pid in burst] == [True] * 3
    assert db.session.get(Proposal, other).spam is False
    for pid in burst:
        assert not any(public_everywhere(viewer, pid).values())
    assert public_everywhere(viewer, other)["page"]
    assert client.get(f"/proposals/{burst[1]}").status_code == 200  # kept, for the office
    assert f'href="/proposals/{burst[1]}"' in client.get(
        "/o/ban-on/proposals?spam=1").get_data(as_text=True)

    client.post(f"/proposals/{burst[1]}/not-spam", data={"reason": "ชาวบ้านส่งจริง"})
    assert all(public_everywhere(viewer, burst[1]).values())
    decisions = db.session.scalars(
        select(Decision).where(Decision.proposal_id == burst[1]).order_by(Decision.id)
    ).all()
    assert [d.action for d in decisions] == ["submit", "mark_spam", "unmark_spam"]
    assert decisions[1].actor.username == "officer-banon"
    assert (decisions[1].reason, decisions[2].reason) == ("ส่งซ้ำอัตโนมัติ", "ชาวบ้านส่งจริง")
    assert decisions[0].address == "198.51.100.7"


def test_spam_makes_no_workflow_move_and_only_the_office_marks_it(client, auth):
    proposal_id = submitted_id(propose(client))
    auth.login("village1-banon")
    assert client.post(f"/proposals/{proposal_id}/spam").status_code == 403
    auth.logout()
    auth.login("officer-banon")
    client.post(f"/proposals/{proposal_id}/spam")
    answer = client.post(f"/proposals/{proposal_id}/act/screen", data={})
    assert answer.status_code == 302 and db.session.get(Proposal, proposal_id).status == "submitted"


def test_the_assistant_endpoint_is_limited_for_anonymous_callers_only(client, auth, app):
    app.config.update(PUBLIC_ASSIST_PER_ADDRESS="3 per minute")
    ask = {"title": "ก่อสร้างถนนคอนกรีตเสริมเหล็กสายหน้าวัด"}
    answers = [
        client.get("/o/ban-on/assist", query_string=ask, headers={"X-Forwarded-For": "192.0.2.9"})
        for _ in range(4)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].get_json() == {"error": 429} and answers[-1].headers.get("Retry-After")
    auth.login("village1-banon")  # a village committee typing a paper list is not limited
    for _ in range(4):
        response = client.get(
            "/o/ban-on/assist", query_string=ask, headers={"X-Forwarded-For": "192.0.2.9"}
        )
        assert response.status_code == 200
