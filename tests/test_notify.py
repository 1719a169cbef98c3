"""Notifications over HTTP, delivered to real servers on loopback (aiosmtpd, and an HTTP server
standing in for an SMS gateway and the LINE API), with failures injected."""

import re
import threading
import uuid
from base64 import b64encode
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from forum.auth.models import User, utcnow
from forum.extensions import db
from forum.meetings.models import Meeting
from forum.notify import delivery
from forum.notify.addresses import AddressError, normalize, normalize_phone
from forum.notify.events import daily_digest
from forum.notify.links import token_for
from forum.notify.models import (
    Attempt,
    Message,
    NotifySettings,
    Subscription,
    SubscriptionKind,
)
from forum.notify.subscriptions import set_person_channels
from forum.notify.texts import fit
from forum.proposals.models import Proposal
from tests.helpers import org, submitted_id, valid_proposal_form
from tests.loopback import FakeProvider, SmtpSink, free_port
from tests.test_workflow import (
    act,
    as_user,
    open_round,
    propose,
    propose_with_code,
    record_meeting,
)

BASE = "https://bo.example.go.th"
SMS_TEMPLATE = "msisdn={to}\nmessage={text}\nsender={sender}\nreference={reference}"


@pytest.fixture
def app_config():
    return {
        "NOTIFY_BASE_URL": BASE,
        "NOTIFY_BACKOFF_SECONDS": 0,
        "NOTIFY_TIMEOUT_SECONDS": 1.0,
    }


class Channels:
    def __init__(self):
        self.sms = FakeProvider("sms", slow_seconds=1.5).start()
        self.line = FakeProvider("line", slow_seconds=1.5).start()
        self.smtp = SmtpSink().start()

    def stop(self):
        self.sms.stop()
        self.line.stop()
        self.smtp.stop()


@pytest.fixture
def channels(app):
    servers = Channels()
    organization = org("ban-on")
    db.session.add(NotifySettings(
        organization_id=organization.id,
        email_enabled=True, smtp_host="127.0.0.1", smtp_port=servers.smtp.port,
        smtp_security="none", smtp_from="plan@bo.example.go.th",
        sms_enabled=True, sms_url=servers.sms.url + "/sms", sms_username="key",
        sms_password="s3cr3t-pw", sms_sender="BANON", sms_encoding="form",
        sms_body_template=SMS_TEMPLATE, sms_success_marker="phone_number_list",
        line_enabled=True, line_token="line-token", line_base_url=servers.line.url,
        max_attempts=3,
    ))  # fmt: skip
    db.session.commit()
    yield servers
    servers.stop()


def user(username) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def give_channels(username, **addresses):
    set_person_channels(user(username), addresses, "th")
    db.session.commit()


def messages(**where) -> list[Message]:
    db.session.expire_all()
    query = select(Message).order_by(Message.id)
    for name, value in where.items():
        query = query.where(getattr(Message, name) == value)
    return db.session.scalars(query).all()


def deliver_all(rounds: int = 10) -> None:
    for _ in range(rounds):
        if not delivery.deliver_due():
            break


# --- texts and addresses --------------------------------------------------------------------


def test_long_thai_text_is_cut_at_a_word_and_keeps_the_link():
    link = f"{BASE}/n/AbCdEfGh.0123456789"
    body = "สถานะข้อเสนอ ผ่านการคัดกรอง: ก่อสร้างถนนคอนกรีตเสริมเหล็กสายหน้าวัดบ้านอ้อนหมู่ที่หนึ่ง"
    text = fit(body, link)
    assert len(text) <= 70 and text.endswith(" " + link)
    kept = text[: -len(link) - 2]
    assert text[len(kept)] == "…"
    assert body.startswith(kept)
    # the cut falls between two words of the tokenizer, not inside one
    from pythainlp.tokenize import word_tokenize

    boundaries = {0}
    for word in word_tokenize(body, keep_whitespace=True):
        boundaries.add(max(boundaries) + len(word))
    assert len(kept) in boundaries or len(kept.rstrip()) + 1 in boundaries or (
        len(body[: len(kept)].rstrip(" ,.;:-–—")) == len(kept)
        and any(b >= len(kept) and body[len(kept):b].strip(" ,.;:-–—") == "" for b in boundaries)
    )
    assert fit("Short", link) == f"Short {link}"
    english = "Proposal Screened by plan staff: " + "concrete road " * 10
    assert len(fit(english, link)) <= 160


@pytest.mark.parametrize("typed, stored", [
    ("081-234-5678", "0812345678"), ("+66 81 234 5678", "0812345678"),
    ("66912345678", "0912345678"), ("(06) 1234 5678", "0612345678"),
])  # fmt: skip
def test_thai_mobile_numbers_are_normalized(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("channel, typed", [
    ("sms", "02-123-4567"), ("sms", "08123"), ("sms", "hello"),
    ("email", "somchai@"), ("email", "a b@example.com"), ("line", "somchai"),
])  # fmt: skip
def test_bad_addresses_are_refused_with_a_message(app, channel, typed):
    with pytest.raises(AddressError) as refused:
        normalize(channel, typed)
    assert str(refused.value)


# --- events, recipients and exact provider requests -----------------------------------------


def test_proposal_status_change_reaches_the_proposer_and_the_village_committee(
    client, auth, channels
):
    organization = org("ban-on")
    response = client.post("/o/ban-on/proposals/new", data=valid_proposal_form(organization))
    proposal_id = submitted_id(response)
    submitted = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'action="/notifications/proposal"' in submitted  # the opt-in, by POST
    code = re.search(r'name="code" value="([^"]+)"', submitted).group(1)
    assert f"code={code}" not in submitted  # the code never in a link
    # the proposer asks for SMS to the phone on the proposal (no address typed)
    response = client.post("/notifications/proposal",
                           data={"code": code, "channel": "sms", "address": "", "locale": "th"})
    assert response.status_code == 302
    as_user(auth, "village1-banon")
    response = client.post("/notifications/me", data={
        "email": "village1@example.com", "phone": "", "line_id": "", "locale": "th"})
    assert response.status_code == 302
    as_user(auth, "village2-banon")  # another village: not told
    client.post("/notifications/me", data={"phone": "0899999999", "locale": "th"})

    as_user(auth, "officer-banon")
    meeting = record_meeting(client, "ban-on", "village_forum", village=1, present=40)
    assert act(client, proposal_id, "village_rank", meeting_id=meeting).status_code == 302

    sent = messages(event="proposal_status")
    assert sorted((m.channel, m.address) for m in sent) == [
        ("email", "village1@example.com"), ("sms", "0812345678")]
    for message in sent:
        assert len(message.text) <= 70
        assert message.text.endswith(f"{BASE}/n/{token_for(message.reference)}")
        assert message.text.startswith("ประชาคมหมู่บ้านจัดลำดับ")  # the status comes first

    deliver_all()
    assert {m.status for m in messages(event="proposal_status")} == {"sent"}
    sms = next(m for m in sent if m.channel == "sms")
    requests = [r for r in channels.sms.requests if r.form.get("msisdn") == "0812345678"]
    [request] = requests
    assert request.path == "/sms"
    assert request.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert request.headers["Authorization"] == "Basic " + b64encode(b"key:s3cr3t-pw").decode()
    assert request.form == {"msisdn": "0812345678", "message": sms.text, "sender": "BANON",
                            "reference": sms.idempotency_key}
    email = next(m for m in sent if m.channel == "email")
    [mail] = [e for e in channels.smtp.envelopes if email.reference in e.content.decode()]
    assert mail.rcpt_tos == ["village1@example.com"]
    assert mail.mail_from == "plan@bo.example.go.th"
    content = mail.content.decode()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in content
    assert f"/n/{token_for(email.reference)}/stop" in content


def test_a_refused_change_writes_no_message(client, auth, channels):
    proposal_id = propose(client)
    give_channels("village1-banon", sms="0811111111")
    as_user(auth, "officer-banon")
    # ranking needs a village forum: refused, and so nothing is queued
    assert act(client, proposal_id, "village_rank").status_code != 302
    assert messages() == []


def test_meeting_called_and_moved_reach_the_members_by_line(client, auth, channels):
    line_ids = {}
    for i in range(1, 4):
        line_ids[f"committee{i}-banon"] = "U" + uuid.uuid4().hex
        give_channels(f"committee{i}-banon", line=line_ids[f"committee{i}-banon"])
    give_channels("council1-banon", line="U" + uuid.uuid4().hex)  # another body
    as_user(auth, "officer-banon")
    meeting_id = record_meeting(client, "ban-on", "dev_committee", present=5)
    called = messages(event="meeting_called")
    assert sorted(m.address for m in called) == sorted(line_ids.values())

    # a change of the minutes is no move; a change of place is
    form = {"kind": "dev_committee", "village_id": 0, "held_on": "2024-11-20", "number": "",
            "place": "ศาลาเอนกประสงค์", "attendees": "", "attendee_count": "5",
            "member_count": "", "minutes": "แก้ไขรายงาน"}
    page = client.get(f"/meetings/{meeting_id}/edit").get_data(as_text=True)
    form["number"] = re.search(r'name="number"[^>]*value="(\d+)"', page).group(1)
    form["held_on"] = re.search(r'name="held_on"[^>]*value="([^"]+)"', page).group(1)
    assert client.post(f"/meetings/{meeting_id}/edit", data=form).status_code == 302
    assert messages(event="meeting_moved") == []
    form["place"] = "ห้องประชุม อบต."
    assert client.post(f"/meetings/{meeting_id}/edit", data=form).status_code == 302
    moved = messages(event="meeting_moved")
    assert len(moved) == 3 and moved[0].text.startswith("เลื่อนเป็น ")
    assert "/n/" in moved[0].text  # the place is cut to fit one SMS; the link is kept

    deliver_all()
    assert {m.status for m in messages()} == {"sent"}
    request = channels.line.requests[0]
    first = messages(event="meeting_called")[0]
    assert request.path == "/v2/bot/message/push"
    assert request.headers["Authorization"] == "Bearer line-token"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Line-Retry-Key"] == first.idempotency_key
    assert request.json == {"to": first.address,
                            "messages": [{"type": "text", "text": first.text}]}


def test_meeting_moved_is_rolled_back_with_a_refused_edit(client, auth, channels):
    give_channels("committee1-banon", sms="0811111111")
    as_user(auth, "officer-banon")
    first = record_meeting(client, "ban-on", "dev_committee", present=5)
    record_meeting(client, "ban-on", "dev_committee", present=5)
    before = len(messages())
    number_of_second = db.session.scalar(select(func.max(Meeting.number)).where(
        Meeting.kind == "dev_committee"))
    # moving the first meeting while giving it the second one's number: refused as a whole
    response = client.post(f"/meetings/{first}/edit", data={
        "kind": "dev_committee", "village_id": 0,
        "held_on": (date.today() - timedelta(days=1)).isoformat(),  # same year: numbers clash
        "number": str(number_of_second), "place": "ที่อื่น", "attendee_count": "5"})
    assert response.status_code == 200  # the form again, with the clash told
    assert len(messages()) == before


def test_ballot_round_opened_and_closing_reach_members_who_have_not_voted(
    client, auth, channels
):
    for i in range(1, 6):
        give_channels(f"committee{i}-banon", sms=f"08100000{i:02d}")
    proposal_id = propose(client)
    with db.session.begin_nested():
        db.session.get(Proposal, proposal_id).status = "in_draft_plan"
    db.session.commit()
    as_user(auth, "officer-banon")
    names = [user(f"committee{i}-banon").display_name for i in range(1, 6)]
    meeting = record_meeting(client, "ban-on", "dev_committee", names=names)
    round_id = open_round(client, meeting, "approval", [proposal_id], "ร่างแผน")
    assert len(messages(event="round_opened")) == 5
    for i in (1, 2):
        as_user(auth, f"committee{i}-banon")
        response = client.post(f"/rounds/{round_id}/ballot", data={f"p{proposal_id}": "for"})
        assert response.status_code == 302
    as_user(auth, "officer-banon")
    page = client.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert f"/rounds/{round_id}/remind" in page
    assert client.post(f"/rounds/{round_id}/remind").status_code == 302
    closing = messages(event="round_closing")
    assert sorted(m.address for m in closing) == ["0810000003", "0810000004", "0810000005"]
    client.post(f"/rounds/{round_id}/remind")  # a double click writes nothing more
    assert len(messages(event="round_closing")) == 3


def test_followers_hear_of_a_plan_version_and_bad_addresses_are_refused(
    client, auth, channels
):
    page = client.get("/o/ban-on").get_data(as_text=True)
    assert "/o/ban-on/follow" in page
    response = client.post("/o/ban-on/follow",
                           data={"channel": "sms", "address": "02-123-4567", "locale": "th"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "06, 08 or 09" in page or "06, 08 หรือ 09" in page
    assert 'value="02-123-4567"' in page  # what was typed stays
    response = client.post("/o/ban-on/follow",
                           data={"channel": "email", "address": "not-an-address", "locale": "en"})
    assert response.status_code == 200 and messages() == []
    assert client.post("/o/ban-on/follow", data={
        "channel": "sms", "address": "089-111-2222", "locale": "th"}).status_code == 302
    assert client.post("/o/ban-on/follow", data={
        "channel": "email", "address": "Somchai@Example.COM", "locale": "en"}).status_code == 302
    welcome = messages(event="follow_welcome")
    assert sorted(m.address for m in welcome) == ["0891112222", "Somchai@example.com"]

    as_user(auth, "officer-banon")
    response = client.post("/o/ban-on/plan/versions", data={"note": "ทบทวน"})
    assert response.status_code == 302
    announced = messages(event="plan_version")
    assert sorted(m.address for m in announced) == ["0891112222", "Somchai@example.com"]
    english = next(m for m in announced if m.channel == "email")
    assert english.text.startswith("Ban On") and "version" in english.text


def test_daily_digest_to_plan_officers_once(client, auth, channels):
    give_channels("officer-banon", email="officer@bo.example.go.th")
    give_channels("village1-banon", email="v1@example.com")  # not an officer
    propose(client)
    propose(client)
    from forum.notify.events import new_proposal_counts, yesterday

    today = yesterday() + timedelta(days=1)
    count = new_proposal_counts(today)[org("ban-on").id]  # the demo's and these two
    assert count >= 2
    assert daily_digest(today) == 1
    db.session.commit()
    assert daily_digest(today) == 0  # once only, however often it runs
    [digest] = messages(event="digest")
    assert digest.address == "officer@bo.example.go.th"
    assert digest.text.startswith(f"ข้อเสนอใหม่ {count} เรื่อง")
    assert daily_digest(date(2001, 1, 1)) == 0


# --- delivery: retries, dead letters, unknown, no duplicates ---------------------------------


def queue_sms(count: int, **settings) -> list[int]:
    organization = org("ban-on")
    for name, value in settings.items():
        setattr(db.session.scalar(select(NotifySettings)), name, value)
    ids = []
    from forum.notify.outbox import enqueue

    for i in range(count):
        subscription = Subscription(kind=SubscriptionKind.FOLLOWER, organization=organization,
                                    channel="sms", address=f"0891{i:06d}")  # fmt: skip
        db.session.add(subscription)
        [message] = enqueue(organization.id, [subscription], "test", lambda: "ทดสอบ",
                            ("organizations.show", {"slug": "ban-on"}))  # fmt: skip
        db.session.flush()
        ids.append(message.id)
    db.session.commit()
    return ids


def test_gateway_down_then_500_then_recovered_loses_nothing(app, channels):
    ids = queue_sms(3)
    settings = db.session.scalar(select(NotifySettings))
    good_url = settings.sms_url
    settings.sms_url = f"http://127.0.0.1:{free_port()}/sms"  # down: connection refused
    db.session.commit()
    delivery.deliver_due()
    assert {m.status for m in messages()} == {"retry"}
    db.session.scalar(select(NotifySettings)).sms_url = good_url
    db.session.commit()
    channels.sms.modes.extend(["500", "500"])
    deliver_all()
    assert [m.status for m in messages()] == ["sent"] * 3
    assert sorted(channels.sms.accepted) == sorted(m.idempotency_key for m in messages())
    first = db.session.get(Message, ids[0])
    outcomes = [a.outcome for a in first.attempt_log]
    assert outcomes == ["retry", "retry", "sent"]
    assert first.attempt_log[1].http_status == 500 and "internal" in first.attempt_log[1].answer


def test_dead_letter_after_the_last_try(app, channels):
    [message_id] = queue_sms(1)
    channels.sms.default = "500"
    deliver_all()
    message = db.session.get(Message, message_id)
    assert message.status == "dead" and message.attempts == 3
    assert [a.outcome for a in message.attempt_log] == ["retry", "retry", "dead"]
    assert len(channels.sms.requests) == 3


def test_a_refusal_for_good_is_not_retried(app, channels):
    [message_id] = queue_sms(1)
    channels.sms.modes.append("400")
    deliver_all()
    assert db.session.get(Message, message_id).status == "dead"
    assert len(channels.sms.requests) == 1


@pytest.mark.parametrize("mode", ["garbage", "slow", "drop"])
def test_unclear_sms_answer_is_unknown_and_never_sent_twice(app, channels, mode):
    [message_id] = queue_sms(1)
    channels.sms.modes.append(mode)
    deliver_all()
    message = db.session.get(Message, message_id)
    assert message.status == "unknown"
    assert len(channels.sms.requests) == 1


def test_unclear_answer_is_retried_where_the_gateway_dedupes(app, channels):
    [message_id] = queue_sms(1, sms_dedupes_reference=True)
    channels.sms.modes.append("garbage")
    deliver_all()
    assert db.session.get(Message, message_id).status == "sent"
    assert len(channels.sms.requests) == 2
    assert channels.sms.requests[0].form["reference"] == channels.sms.requests[1].form["reference"]


def line_message(address=None) -> int:
    organization = org("ban-on")
    subscription = Subscription(kind=SubscriptionKind.FOLLOWER, organization=organization,
                                channel="line", address=address or "U" + uuid.uuid4().hex)
    db.session.add(subscription)
    from forum.notify.outbox import enqueue

    [message] = enqueue(organization.id, [subscription], "test", lambda: "ทดสอบ LINE",
                        ("organizations.show", {"slug": "ban-on"}))  # fmt: skip
    db.session.commit()
    return message.id


@pytest.mark.parametrize("mode", ["drop", "slow", "garbage", "500"])
def test_line_retries_with_the_same_key_and_delivers_once(app, channels, mode):
    message_id = line_message()
    channels.line.modes.append(mode)
    deliver_all()
    message = db.session.get(Message, message_id)
    assert message.status == "sent"
    keys = [r.headers["X-Line-Retry-Key"] for r in channels.line.requests]
    assert keys == [message.idempotency_key] * 2
    assert channels.line.accepted == [message.idempotency_key]  # delivered once


def test_line_out_of_tries_after_an_unclear_answer_is_unknown_not_dead(app, channels):
    """LINE may have accepted the dropped request: giving up must not claim it failed."""
    message_id = line_message()
    channels.line.modes.extend(["drop", "500", "500"])
    deliver_all()
    message = db.session.get(Message, message_id)
    assert message.status == "unknown"
    assert [a.outcome for a in message.attempt_log] == ["unclear", "retry", "unknown"]
    assert channels.line.accepted == [message.idempotency_key]
    dead_id = line_message()
    channels.line.modes.extend(["500", "500", "500"])
    deliver_all()
    assert db.session.get(Message, dead_id).status == "dead"  # never reached: failed for good


def test_crash_between_sending_and_recording(app, channels):
    """A worker claims and sends, then dies before recording: after the lease, SMS becomes
    unknown (never re-sent by itself); LINE is re-sent with its key and LINE drops the repeat."""
    [sms_id] = queue_sms(1)
    line_id = line_message()
    claimed = delivery.claim()
    assert sorted(claimed) == sorted([sms_id, line_id])
    settings = db.session.scalar(select(NotifySettings))
    from forum.notify.channels import sender_for

    for message_id in claimed:  # sent, and then the process "dies"
        message = db.session.get(Message, message_id)
        assert sender_for(message.channel).send(message, settings, 1.0).kind == "sent"
    db.session.rollback()
    assert delivery.deliver_due() == 0  # still within the lease: nothing is touched
    for message in messages():
        message.claimed_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    deliver_all()
    assert db.session.get(Message, sms_id).status == "unknown"
    assert db.session.get(Message, line_id).status == "sent"
    assert len(channels.sms.requests) == 1
    assert len(channels.line.accepted) == 1 and len(channels.line.requests) == 2


def test_claims_never_overlap_between_workers(app, channels):
    ids = queue_sms(30)
    results: list[list[int]] = []

    def worker():
        with app.app_context():
            taken = []
            while batch := delivery.claim(limit=3):
                taken += batch
            results.append(taken)
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    claimed = [i for taken in results for i in taken]
    assert sorted(claimed) == sorted(ids)  # every row once, none twice


def test_smtp_unreachable_is_retried_then_sent(app, channels):
    organization = org("ban-on")
    settings = db.session.scalar(select(NotifySettings))
    real_port = settings.smtp_port
    settings.smtp_port = free_port()
    subscription = Subscription(kind=SubscriptionKind.FOLLOWER, organization=organization,
                                channel="email", address="a@example.com")  # fmt: skip
    from forum.notify.outbox import enqueue

    [message] = enqueue(organization.id, [subscription], "test", lambda: "ทดสอบ",
                        ("organizations.show", {"slug": "ban-on"}))  # fmt: skip
    db.session.commit()
    delivery.deliver_due()
    assert db.session.get(Message, message.id).status == "retry"
    db.session.scalar(select(NotifySettings)).smtp_port = real_port
    db.session.commit()
    deliver_all()
    assert db.session.get(Message, message.id).status == "sent"
    assert len(channels.smtp.envelopes) == 1


# --- the link in every message: landing, stop, replay, forgery ------------------------------


def test_one_tap_stop_replay_and_forgery(client, auth, channels):
    give_channels("committee1-banon", sms="0811111111")
    as_user(auth, "officer-banon")
    record_meeting(client, "ban-on", "dev_committee", present=5)
    auth.logout()
    [message] = messages()
    token = token_for(message.reference)
    page = client.get(f"/n/{token}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "/meetings/" in page.get_data(as_text=True)
    response = client.post(f"/n/{token}/stop")  # no log-in, no CSRF token (RFC 8058)
    assert response.status_code == 200
    assert db.session.get(Subscription, message.subscription_id).stopped_at is not None
    replay = client.post(f"/n/{token}/stop")
    assert replay.status_code == 200 and "หยุดไว้แล้ว" in replay.get_data(as_text=True)
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (forged, "nothing", "x.y", message.reference, "." * 40):
        assert client.get(f"/n/{bad}").status_code == 404
        assert client.post(f"/n/{bad}/stop").status_code == 404
    # stopped: the next event sends nothing to it
    as_user(auth, "officer-banon")
    record_meeting(client, "ban-on", "dev_committee", present=5)
    assert len(messages()) == 1


def test_links_never_appear_on_public_pages(client, auth, channels):
    proposal_id, code = propose_with_code(client)
    client.post("/notifications/proposal", data={"code": code, "channel": "sms", "locale": "th"})
    as_user(auth, "officer-banon")
    meeting = record_meeting(client, "ban-on", "village_forum", village=1, present=40)
    act(client, proposal_id, "village_rank", meeting_id=meeting)
    [message] = messages(event="proposal_status")
    token = token_for(message.reference)
    queue_page = client.get("/o/ban-on/notifications?show=all").get_data(as_text=True)
    assert "proposal_status" in queue_page and token not in queue_page
    auth.logout()
    for path in (f"/proposals/{proposal_id}", "/o/ban-on", "/o/ban-on/proposals",
                 "/api/organizations/ban-on/proposals", f"/meetings/{meeting}"):
        assert token not in client.get(path).get_data(as_text=True)


# --- the officer's page and the settings ----------------------------------------------------


def test_officer_queue_shows_failures_with_retry_and_cancel(client, auth, channels):
    [unknown_id, dead_id] = queue_sms(2)
    channels.sms.modes.extend(["garbage", "400"])
    deliver_all()
    assert db.session.get(Message, unknown_id).status == "unknown"
    as_user(auth, "village1-banon")
    assert client.get("/o/ban-on/notifications").status_code == 403
    as_user(auth, "officer-banon")
    page = client.get("/o/ban-on/notifications").get_data(as_text=True)
    assert "proxy says hello" in page and "invalid msisdn" in page
    assert client.post(f"/o/ban-on/notifications/{unknown_id}/retry").status_code == 302
    assert client.post(f"/o/ban-on/notifications/{dead_id}/cancel").status_code == 302
    deliver_all()
    assert db.session.get(Message, unknown_id).status == "sent"
    assert db.session.get(Message, dead_id).status == "cancelled"
    actions = db.session.scalars(select(Attempt).where(Attempt.actor_id.is_not(None))).all()
    assert sorted(a.outcome for a in actions) == ["cancelled", "requeued"]
    assert {a.actor.username for a in actions} == {"officer-banon"}
    # another organization's officer cannot touch it
    as_user(auth, "officer-khelang")
    assert client.post(f"/o/ban-on/notifications/{unknown_id}/retry").status_code == 403


def test_settings_page_keeps_secrets_and_refuses_bad_input(client, auth, channels):
    as_user(auth, "officer-banon")
    assert client.get("/o/ban-on/notifications/settings").status_code == 403
    as_user(auth, "admin-banon")
    page = client.get("/o/ban-on/notifications/settings").get_data(as_text=True)
    assert "s3cr3t-pw" not in page and "line-token" not in page
    form = {"sms_enabled": "y", "sms_url": "not a url", "sms_body_template": "msisdn={to}",
            "smtp_port": "587", "smtp_security": "none", "sms_encoding": "form",
            "line_base_url": "https://api.line.me", "max_attempts": "4"}
    response = client.post("/o/ban-on/notifications/settings", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "{text}" in page
    form.update(sms_url="https://api-v2.example.com/sms", sms_body_template=SMS_TEMPLATE)
    assert client.post("/o/ban-on/notifications/settings", data=form).status_code == 302
    db.session.expire_all()
    settings = db.session.scalar(select(NotifySettings))
    assert settings.sms_password == "s3cr3t-pw" and settings.line_token == "line-token"
    assert settings.max_attempts == 4 and not settings.email_enabled


def test_my_channels_refuse_bad_addresses_and_keep_what_was_typed(client, auth, channels):
    as_user(auth, "committee1-banon")
    response = client.post("/notifications/me", data={
        "email": "somchai@", "phone": "12345", "line_id": "", "locale": "th"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="somchai@"' in page and 'value="12345"' in page
    assert db.session.scalar(select(func.count(Subscription.id))) == 0
