"""Personal data (PDPA): the privacy notice, consent at collection, data-subject requests
(find, export, correct, erase) and retention."""

import io
import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from forum.audit.models import LoginEvent
from forum.auth.models import User
from forum.extensions import db
from forum.jobs.periodic import PeriodicRun
from forum.jobs.worker import work
from forum.meetings.models import Attendee, Meeting
from forum.privacy.models import PrivacyAction, PrivacyNotice
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from tests.helpers import org, valid_proposal_form


@pytest.fixture
def app_config(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads"), "UPLOAD_MAX_BYTES": 2**20}


def demo_proposer(private: bool = False) -> Proposal:
    """A submitted demo proposal of Ban On (its proposer's name public, or kept private)."""
    return db.session.scalars(
        select(Proposal)
        .where(Proposal.organization_id == org("ban-on").id,
               Proposal.proposer_name_private.is_(private))
        .order_by(Proposal.id)
    ).first()  # fmt: skip


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, "JPEG")
    return out.getvalue()


# ------------------------------------------------------------------------ the notice


def test_the_default_notice_is_shown_in_thai_and_english(client):
    page = client.get("/o/ban-on/privacy").get_data(as_text=True)
    assert "ประกาศความเป็นส่วนตัว" in page or "Privacy notice" in page
    assert "อบต.บ้านอ้อน" in page or "บ้านอ้อน" in page
    assert "มาตรา 24" in page and "2 ปี" in page
    client.post("/language/en")
    english = client.get("/o/ban-on/privacy").get_data(as_text=True)
    assert "Personal Data Protection Act" in english and "2 years" in english


def test_every_page_links_the_notice_from_its_footer(client):
    assert 'href="/privacy"' in client.get("/").get_data(as_text=True)
    assert 'href="/o/ban-on/privacy"' in client.get("/o/ban-on").get_data(as_text=True)
    assert client.get("/privacy").status_code == 200


def test_the_administrator_saves_a_new_version_from_the_default(client, auth):
    auth.login("admin-banon")
    form = client.get("/o/ban-on/privacy/edit").get_data(as_text=True)
    assert "มาตรา 24" in form  # the editor starts from the default text
    data = _notice_data(contact="ที่ทำการ อบต.บ้านอ้อน โทร 054-000-000")
    response = client.post("/o/ban-on/privacy/edit", data=data)
    assert response.status_code == 200
    assert "054-000-000" in response.get_data(as_text=True)
    versions = db.session.scalars(
        select(PrivacyNotice).where(PrivacyNotice.organization_id == org("ban-on").id)
        .order_by(PrivacyNotice.version)
    ).all()  # fmt: skip
    # version 1 is the default forms showed until now; version 2 the administrator's
    assert [v.version for v in versions] == [1, 2]
    assert "054-000-000" not in versions[0].contact and "054-000-000" in versions[1].contact
    assert versions[1].created_by.username == "admin-banon"
    assert client.get("/o/ban-on/privacy/versions/1").status_code == 200


def _notice_data(**overrides) -> dict:
    from forum.privacy.notice import default_texts

    return default_texts(org("ban-on")) | overrides


def test_a_blank_notice_is_refused_next_to_each_field_and_keeps_the_rest(client, auth):
    auth.login("admin-banon")
    data = _notice_data(purposes_th="  ", contact="", data_en="English kept as typed")
    response = client.post("/o/ban-on/privacy/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count("Write this part of the notice") + page.count("เขียนส่วนนี้") == 2
    assert "English kept as typed" in page
    assert db.session.scalar(select(func.count(PrivacyNotice.id))) == 0


@pytest.mark.parametrize("username", ["officer-banon", "village1-banon", "officer-khelang"])
def test_only_the_organizations_administrator_edits_the_notice(client, auth, username):
    auth.login(username)
    assert client.get("/o/ban-on/privacy/edit").status_code == 403
    assert client.post("/o/ban-on/privacy/edit", data=_notice_data()).status_code == 403


def test_notice_versions_cannot_be_changed(app):
    from forum.privacy.notice import save_notice

    notice = save_notice(org("ban-on"), _notice_data(), None)
    db.session.commit()
    with db.engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text("UPDATE privacy_notice SET contact = 'x'"))
    assert notice.version == 2


# ------------------------------------------------------------------------ consent at collection


def test_the_public_form_says_what_the_phone_is_for_and_links_the_notice(client):
    page = client.get("/o/ban-on/proposals/new").get_data(as_text=True)
    assert 'href="/o/ban-on/privacy"' in page
    assert 'name="notify_opt_in"' in page
    assert 'name="privacy_notice_version" type="hidden" value="0"' in page


def test_a_submission_records_the_notice_shown_and_the_opt_in(client):
    data = valid_proposal_form(org("ban-on"), notify_opt_in="y", privacy_notice_version="0")
    response = client.post("/o/ban-on/proposals/new", data=data)
    assert response.status_code == 302
    proposal = db.session.scalars(select(Proposal).order_by(Proposal.id.desc())).first()
    assert proposal.notify_opt_in is True
    assert proposal.privacy_notice_version == 1  # the default, stored when first consented to
    assert datetime.now(UTC) - proposal.consented_at.replace(tzinfo=UTC) < timedelta(minutes=5)
    stored = db.session.scalar(select(PrivacyNotice).where(PrivacyNotice.version == 1))
    assert stored.created_by is None and "มาตรา 24" in stored.purposes_th


def test_no_news_unless_ticked(client):
    data = valid_proposal_form(org("ban-on"), privacy_notice_version="0")
    assert client.post("/o/ban-on/proposals/new", data=data).status_code == 302
    proposal = db.session.scalars(select(Proposal).order_by(Proposal.id.desc())).first()
    assert proposal.notify_opt_in is False and proposal.privacy_notice_version == 1


def test_news_without_a_phone_number_is_refused_next_to_the_box(client):
    data = valid_proposal_form(org("ban-on"), proposer_phone="", notify_opt_in="y")
    before = db.session.scalar(select(func.count(Proposal.id)))
    response = client.post("/o/ban-on/proposals/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="notify_opt_in-error"' in page
    assert "นางสมศรี ใจดี" in page  # nothing typed is lost
    assert db.session.scalar(select(func.count(Proposal.id))) == before


def test_the_version_shown_is_recorded_even_if_the_notice_changes_meanwhile(client, auth):
    from forum.privacy.notice import save_notice

    save_notice(org("ban-on"), _notice_data(contact="v2"), None)
    db.session.commit()
    page = client.get("/o/ban-on/proposals/new").get_data(as_text=True)
    assert 'name="privacy_notice_version" type="hidden" value="2"' in page
    save_notice(org("ban-on"), _notice_data(contact="v3"), None)
    db.session.commit()
    data = valid_proposal_form(org("ban-on"), privacy_notice_version="2")
    client.post("/o/ban-on/proposals/new", data=data)
    proposal = db.session.scalars(select(Proposal).order_by(Proposal.id.desc())).first()
    assert proposal.privacy_notice_version == 2


def test_the_committee_form_records_consent_too(client, auth):
    auth.login("village1-banon")
    page = client.get("/o/ban-on/proposals/new").get_data(as_text=True)
    assert 'href="/o/ban-on/privacy"' in page and 'name="notify_opt_in"' in page
    data = valid_proposal_form(org("ban-on"), notify_opt_in="y", privacy_notice_version="0")
    assert client.post("/o/ban-on/proposals/new", data=data).status_code == 302
    proposal = db.session.scalars(select(Proposal).order_by(Proposal.id.desc())).first()
    assert proposal.notify_opt_in and proposal.privacy_notice_version == 1


def test_a_private_name_stays_off_public_pages_api_and_exports(client, auth):
    data = valid_proposal_form(org("ban-on"), proposer_name="นายลับเฉพาะ ไม่เปิดเผย",
                               proposer_name_private="y")  # fmt: skip
    client.post("/o/ban-on/proposals/new", data=data)
    proposal = db.session.scalars(select(Proposal).order_by(Proposal.id.desc())).first()
    public = [
        client.get(f"/proposals/{proposal.id}"),
        client.get("/api/organizations/ban-on/proposals"),
        client.get("/o/ban-on/exports/proposals.csv"),
    ]
    for response in public:
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "นายลับเฉพาะ" not in body and "081-234-5678" not in body
    auth.login("officer-banon")
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "นายลับเฉพาะ" in page and "081-234-5678" in page


# ------------------------------------------------------------------------ data-subject requests


def desk(client, query: str, action: str = "find", reference: str = "หนังสือ 1/2569", **extra):
    data = {"query": query, "reference": reference, "action": action, **extra}
    return client.post("/o/ban-on/privacy/requests", data=data)


def test_a_request_for_nobody_answers_clearly_and_empty(client, auth):
    auth.login("officer-banon")
    for query in ("099-999-9999", "นายไม่มีตัวตน ในระบบ"):
        response = desk(client, query)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "Nothing is held about this person" in page or "ไม่มีข้อมูล" in page
    exported = desk(client, "099-999-9999", "json")
    assert exported.status_code == 200
    data = exported.get_json() or json.loads(exported.data)
    assert data["proposals"] == [] and data["accounts"] == []


def test_bad_requests_get_messages_not_errors(client, auth):
    auth.login("officer-banon")
    for data in ({"query": "", "action": "find"}, {"query": "ก", "action": "find"},
                 {"query": "0812345678", "action": "erase", "reference": ""}):  # fmt: skip
        response = client.post("/o/ban-on/privacy/requests", data=data)
        assert response.status_code == 200
        assert 'class="error"' in response.get_data(as_text=True)


@pytest.mark.parametrize("username", [None, "village1-banon", "committee1-banon",
                                      "officer-khelang"])  # fmt: skip
def test_only_the_office_uses_the_request_desk(client, auth, username):
    if username:
        auth.login(username)
    response = desk(client, "ผู้เสนอ")
    assert response.status_code in (302, 403)
    assert "ผู้เสนอ ลำดับที่" not in response.get_data(as_text=True)


def test_the_export_of_a_demo_proposer_holds_what_is_kept_about_them(client, auth):
    proposal = demo_proposer()
    phone, name = proposal.proposer_phone, proposal.proposer_name
    auth.login("officer-banon")
    found = desk(client, f"{phone[:3]}-{phone[3:6]}-{phone[6:]}").get_data(as_text=True)
    assert name in found and proposal.title in found
    from forum.proposals.services import issue_tracking_code

    code = issue_tracking_code(proposal)  # the proposer's secret: never in an export
    db.session.commit()
    response = desk(client, phone, "json")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.data)
    [held] = [p for p in data["proposals"] if p["id"] == proposal.id]
    assert held["proposer_name"] == name and held["proposer_phone"] == phone
    assert held["decisions"] and held["title"] == proposal.title
    exported = response.get_data(as_text=True)
    assert code not in exported and proposal.tracking_code_hash not in exported
    action = db.session.scalars(select(PrivacyAction).order_by(PrivacyAction.id.desc())).first()
    assert action.kind == "export" and action.reference == "หนังสือ 1/2569"
    assert action.actor.username == "officer-banon"
    assert phone not in json.dumps(action.details) and name not in json.dumps(action.details)


def test_the_printable_export_is_a_thai_pdf(client, auth, tmp_path):
    proposal = demo_proposer()
    auth.login("officer-banon")
    response = desk(client, proposal.proposer_phone, "pdf")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    path = tmp_path / "export.pdf"
    path.write_bytes(response.data)
    extracted = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                               capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert proposal.proposer_name in extracted and proposal.proposer_phone in extracted
    assert "ข้อมูลส่วนบุคคล" in extracted


def test_a_search_by_name_finds_proposals_attendance_and_accounts(client, auth):
    meeting = db.session.scalars(select(Meeting).where(Meeting.kind == "village_forum")).first()
    meeting.attendees.append(Attendee(name="ผู้เสนอ ลำดับที่ 3"))
    db.session.commit()
    auth.login("officer-banon")
    page = desk(client, "ผู้เสนอ ลำดับที่ 3").get_data(as_text=True)
    assert meeting.title in page
    page = desk(client, "กรรมการพัฒนาท้องถิ่น คนที่ 1").get_data(as_text=True)
    assert "committee1-banon" in page


def test_erasure_removes_name_phone_and_photos_keeps_the_proposal_and_records_it(
    app, client, auth
):
    client.post("/o/ban-on/proposals/new", data=valid_proposal_form(
        org("ban-on"), proposer_name="นางทดสอบ ลบข้อมูล", notify_opt_in="y",
        photos=[(io.BytesIO(jpeg()), "me.jpg")]), content_type="multipart/form-data")  # fmt: skip
    proposal = db.session.scalars(select(Proposal).order_by(Proposal.id.desc())).first()
    pid, title, [photo] = proposal.id, proposal.title, proposal.photos
    photo_id, photo_name = photo.id, photo.stored_name
    photo_path = Path(app.config["UPLOAD_DIR"]) / "photos" / photo_name
    assert photo_path.exists()
    decisions_before = len(proposal.decisions)
    auth.login("officer-banon")
    page = desk(client, "081-234-5678").get_data(as_text=True)
    assert f'value="proposal:{pid}" form="desk" checked' in page  # a phone number: ticked
    response = desk(client, "081-234-5678", "erase", remove_photos="y", erase=f"proposal:{pid}")
    assert response.status_code == 200
    db.session.expire_all()
    proposal = db.session.get(Proposal, pid)
    assert (proposal.proposer_name, proposal.proposer_phone) == (None, None)
    assert proposal.notify_opt_in is False and proposal.photos == []
    assert proposal.title == title and proposal.status == Status.SUBMITTED
    assert len(proposal.decisions) == decisions_before
    assert not photo_path.exists()
    action = db.session.scalars(select(PrivacyAction).order_by(PrivacyAction.id.desc())).first()
    assert action.kind == "erase" and action.reference == "หนังสือ 1/2569"
    assert action.actor.username == "officer-banon"
    [entry] = [d for d in action.details if d["id"] == pid]
    assert entry["fields"] == ["proposer_name", "proposer_phone", "notify_opt_in"]
    assert entry["photos_removed"] == [photo_id]
    auth.logout()
    public = client.get(f"/proposals/{pid}").get_data(as_text=True)
    api = client.get("/api/organizations/ban-on/proposals").get_data(as_text=True)
    assert title in public and "นางทดสอบ" not in public and f"/photos/{photo_name}" not in public
    assert "นางทดสอบ" not in api and title in api


def test_erasure_under_an_open_ballot_touches_personal_fields_only(app, client, auth):
    round_id, ids = _open_round_with_photo(app, client)
    proposal = db.session.get(Proposal, ids[0])
    auth.login("officer-banon")
    response = desk(client, proposal.proposer_phone, "erase", remove_photos="y",
                    erase=f"proposal:{ids[0]}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert str(ids[0]) in page and ("still open" in page or "ยังเปิด" in page)
    db.session.expire_all()
    proposal = db.session.get(Proposal, ids[0])
    assert proposal.proposer_phone is None and len(proposal.photos) == 1
    assert proposal.status == Status.IN_DRAFT_PLAN


def _open_round_with_photo(app, client):
    from datetime import date as _date

    from forum.meetings.models import MeetingKind
    from forum.meetings.services import next_number
    from forum.proposals.models import ProposalPhoto
    from forum.uploads import current_store
    from forum.voting.models import Method
    from forum.voting.services import open_round

    ban_on = org("ban-on")
    proposal = demo_proposer()
    proposal.status = Status.IN_DRAFT_PLAN
    stored = current_store().save_image(io.BytesIO(jpeg()))
    proposal.photos.append(ProposalPhoto(
        position=1, stored_name=stored.name, media_type=stored.media_type, size=stored.size))
    series = Meeting.series_for(MeetingKind.DEV_COMMITTEE, None)
    year = _date.today().year + 543
    meeting = Meeting(organization=ban_on, kind=MeetingKind.DEV_COMMITTEE, series=series,
                      number=next_number(ban_on.id, series, year), year=year,
                      held_on=_date.today(), place="ห้องประชุม", attendee_count=5)  # fmt: skip
    db.session.add(meeting)
    db.session.flush()
    officer = db.session.scalar(select(User).where(User.username == "officer-banon"))
    ballot_round = open_round(meeting, Method.APPROVAL, "รอบที่ 1", [proposal.id], officer)
    db.session.commit()
    return ballot_round.id, [proposal.id]


def test_a_name_matching_several_people_erases_only_what_is_ticked(client, auth):
    auth.login("officer-banon")
    page = desk(client, "ผู้เสนอ ลำดับที่").get_data(as_text=True)  # every demo proposer
    assert page.count('name="erase"') >= 24 and 'form="desk" checked' not in page
    response = desk(client, "ผู้เสนอ ลำดับที่", "erase")
    assert "Tick the proposals" in response.get_data(as_text=True) or "กรุณาเลือก" in (
        response.get_data(as_text=True))
    assert db.session.scalar(select(func.count(PrivacyAction.id))) == 0
    first, second = db.session.scalars(select(Proposal).order_by(Proposal.id).limit(2)).all()
    desk(client, "ผู้เสนอ ลำดับที่", "erase", erase=f"proposal:{second.id}")
    db.session.expire_all()
    assert db.session.get(Proposal, second.id).proposer_name is None
    assert db.session.get(Proposal, first.id).proposer_name == "ผู้เสนอ ลำดับที่ 1"


def test_correction_changes_the_field_and_is_recorded(client, auth):
    proposal = demo_proposer()
    pid, phone = proposal.id, proposal.proposer_phone
    auth.login("officer-banon")
    response = desk(client, phone, f"correct:proposal:{pid}",
                    **{"fix-name": "นางแก้ไข ถูกต้อง", "fix-phone": "089-111-2222"})  # fmt: skip
    assert response.status_code == 200
    db.session.expire_all()
    proposal = db.session.get(Proposal, pid)
    assert (proposal.proposer_name, proposal.proposer_phone) == ("นางแก้ไข ถูกต้อง", "089-111-2222")
    action = db.session.scalars(select(PrivacyAction).order_by(PrivacyAction.id.desc())).first()
    assert action.kind == "correct" and action.details[0]["fields"] == [
        "proposer_name", "proposer_phone"]
    bad = desk(client, "089-111-2222", f"correct:proposal:{pid}", **{"fix-phone": "abc"})
    assert bad.status_code == 200
    assert db.session.get(Proposal, pid).proposer_phone == "089-111-2222"


def test_another_organizations_row_cannot_be_corrected(client, auth):
    proposal = demo_proposer()
    auth.login("officer-khelang")
    response = client.post("/o/khelang-nakhon/privacy/requests", data={
        "query": proposal.proposer_phone, "reference": "x",
        "action": f"correct:proposal:{proposal.id}", "fix-phone": "089-111-2222"})  # fmt: skip
    assert response.status_code == 404
    assert db.session.get(Proposal, proposal.id).proposer_phone != "089-111-2222"


def test_the_privacy_record_is_append_only(app, client, auth):
    auth.login("officer-banon")
    desk(client, demo_proposer().proposer_phone, "json")
    with db.engine.connect() as conn:
        for statement in ("UPDATE privacy_action SET reference = 'x'",
                          "DELETE FROM privacy_action"):
            with pytest.raises(DBAPIError, match="append-only"):
                conn.execute(text(statement))
            conn.rollback()


# ------------------------------------------------------------------------ retention


def retention(app, *args):
    return app.test_cli_runner().invoke(args=["retention", *args])


def test_the_dry_run_over_the_demo_lists_and_changes_nothing(app):
    result = retention(app, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "ban-on plan B.E. 2566–2570: 24 numbers kept until 2029-10-01" in result.output
    assert "Dry run: nothing erased." in result.output
    assert db.session.scalar(select(func.count(PrivacyAction.id))) == 0


def test_phone_numbers_go_when_their_period_is_over_and_it_is_recorded(app):
    ids = [p.id for p in db.session.scalars(
        select(Proposal).where(Proposal.organization_id == org("ban-on").id))]  # fmt: skip
    dry = retention(app, "--dry-run", "--today", "2029-10-01")
    assert "ban-on plan B.E. 2566–2570: 24 numbers, due since 2029-10-01" in dry.output
    assert db.session.scalar(select(func.count(Proposal.id)).where(
        Proposal.id.in_(ids), Proposal.proposer_phone.is_not(None))) == 24  # fmt: skip
    assert "kept until" in retention(app, "--today", "2029-09-30").output
    result = retention(app, "--today", "2029-10-01")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Proposal.id)).where(
        Proposal.id.in_(ids), Proposal.proposer_phone.is_not(None))) == 0  # fmt: skip
    assert all(db.session.get(Proposal, i).proposer_name for i in ids[1:])  # names stay
    [action] = db.session.scalars(select(PrivacyAction)).all()
    assert action.kind == "retention" and sorted(action.details[0]["ids"]) == sorted(ids)


def test_old_log_in_records_are_deleted_through_the_recorded_horizon(app, client):
    client.post("/login", data={"username": "officer-banon", "password": "wrong"})
    old = datetime.now(UTC) - timedelta(days=200)
    db.session.add_all([LoginEvent(username="nobody", outcome="failure", created_at=old),
                        LoginEvent(username="officer-banon", outcome="success", created_at=old)])
    db.session.commit()
    with db.engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text("DELETE FROM login_event"))  # no horizon recorded: refused
    dry = retention(app, "--dry-run")
    assert "Log-in records older than 180 days" in dry.output and ": 2" in dry.output
    # a day in the future does not move the horizon past the real clock
    assert ": 2\n" in retention(app, "--dry-run", "--today", "2040-01-01").output
    result = retention(app)
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(LoginEvent.id))) == 1  # the recent one stays
    action = db.session.scalars(select(PrivacyAction).where(
        PrivacyAction.purged_table == "login_event")).one()  # fmt: skip
    assert action.details[0]["count"] == 2 and action.kind == "retention"
    with db.engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text("DELETE FROM login_event"))  # the newer record is still protected


def test_retention_on_an_empty_database(tmp_path):
    from flask_migrate import upgrade

    from forum import create_app
    from tests.conftest import base_config

    app = create_app(base_config(f"sqlite:///{tmp_path / 'empty.sqlite'}"))
    with app.app_context():
        upgrade()
        for args in (["--dry-run"], []):
            result = app.test_cli_runner().invoke(args=["retention", *args])
            assert result.exit_code == 0, result.output
            assert "none held" in result.output
        assert "Nothing is due" in result.output
        db.engine.dispose()


def test_the_worker_runs_retention_once_a_day_whatever_the_number_of_workers(app):
    from forum.jobs.periodic import claim

    work(app, once=True)
    run = db.session.get(PeriodicRun, "retention")
    assert run.last_started_at is not None and run.last_finished_at is not None
    work(app, once=True)  # a second worker, or the same one a moment later
    db.session.expire_all()
    assert db.session.get(PeriodicRun, "retention").last_started_at == run.last_started_at
    later = datetime.now(UTC) + timedelta(days=1, minutes=1)
    assert claim("retention", timedelta(days=1), now=later) is True
    assert claim("retention", timedelta(days=1), now=later) is False
