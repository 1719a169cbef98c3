"""Going live: the first account, organizations, villages, people, roles, one-time links and the
record of every administrative change. Journeys through HTTP on top, service rules below."""

import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from forum.admin import services
from forum.audit.models import AdminChange, AuditRecordChanged
from forum.auth.links import AccountLink, LinkError, LinkPurpose, issue_link, use_link
from forum.auth.models import Membership, Role, User
from forum.extensions import db
from forum.organizations.models import Organization, Village
from forum.proposals.models import Proposal
from tests.helpers import org, valid_proposal_form
from tests.pdf_fixtures import pdftotext

STRONG = "ทุ่งนาเขียวขจี-2569"


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def login(client, username, password="prachakhom-demo"):
    client.post("/logout")
    return client.post("/login", data={"username": username, "password": password})


def field_errors(response) -> list[str]:
    return re.findall(r'class="error"[^>]*>([^<]*)<', response.get_data(as_text=True))


def flashes(response) -> list[str]:
    return re.findall(r'class="flash [a-z]+"[^>]*>([^<]*)<', response.get_data(as_text=True))


def link_token(response) -> str:
    page = response.get_data(as_text=True)
    match = re.search(r'/set-password/([A-Za-z0-9_-]+)"', page)
    assert match, page[:3000]
    return match.group(1)


def changes(action: str) -> list[AdminChange]:
    return db.session.scalars(
        select(AdminChange).where(AdminChange.action == action).order_by(AdminChange.id)
    ).all()


# --- the first account ------------------------------------------------------------------------


def test_create_admin_asks_the_password_twice_and_refuses_a_taken_name(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "province-it"],
                           input=f"short\n{STRONG}\n{STRONG}\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "at least 10 characters" in result.output  # the short one was refused, asked again
    admin = user("province-it")
    assert admin.is_system_admin and admin.check_password(STRONG)
    assert login(client, "province-it", STRONG).status_code == 302
    assert client.get("/admin").status_code == 200

    again = runner.invoke(args=["create-admin", "province-it"], input=f"{STRONG}\n{STRONG}\n")
    assert again.exit_code != 0 and "already taken" in again.output
    assert db.session.scalar(select(db.func.count()).where(User.username == "province-it")) == 1


def test_create_admin_with_a_link_prints_a_one_time_link(app, client):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "province-it", "--link", "--base-url", "https://plan.example"]
    )
    assert result.exit_code == 0, result.output
    token = re.search(r"https://plan\.example/set-password/(\S+)", result.output).group(1)
    assert login(client, "province-it", "").status_code == 200  # no password yet
    page = client.get(f"/set-password/{token}")
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    response = client.post(f"/set-password/{token}",
                           data={"new_password": STRONG, "confirm_password": STRONG})  # fmt: skip
    assert response.status_code == 302
    assert login(client, "province-it", STRONG).status_code == 302
    assert client.get(f"/set-password/{token}").status_code == 410  # used


# --- organizations ----------------------------------------------------------------------------


def organization_form(**overrides) -> dict:
    return {
        "kind": "sao", "name_th": "องค์การบริหารส่วนตำบลทุ่งผึ้ง", "name_en": "Thung Phueng SAO",
        "province": "ลำปาง", "district": "แจ้ห่ม", "dla_code": "6521001", "slug": "thung-phueng",
        "province_catalog_id": org("lampang-province").id if org("lampang-province") else 0,
        "council_step": "", **overrides,
    }  # fmt: skip


def test_system_admin_creates_an_organization_and_its_first_administrator(client, auth, tmp_path):
    auth.login("admin-lampang")
    response = client.post("/admin/organizations/new", data=organization_form())
    assert response.status_code == 302
    created = org("thung-phueng")
    assert (created.kind, created.dla_code, created.has_council_step) == ("sao", "6521001", True)
    assert created.current_period is not None  # ready to take proposals
    response = client.post(f"/admin/organizations/{created.id}/first-admin",
                           data={"username": "admin-thungphueng", "display_name": "ปลัด อบต.",
                                 "role": "admin"})  # fmt: skip
    assert response.status_code == 200
    assert "<svg" in response.get_data(as_text=True)  # the QR code
    token = link_token(response)
    sheet = client.post("/admin/link-sheet.pdf", data={"token": token})
    assert sheet.status_code == 200 and sheet.data.startswith(b"%PDF")
    printed = tmp_path / "sheet.pdf"
    printed.write_bytes(sheet.data)
    words = pdftotext(printed)
    assert "ชื่อผู้ใช้: admin-thungphueng" in words and "ใช้ได้ครั้งเดียว" in words
    login(client, "admin-banon")  # only the one who issued the link prints its sheet
    assert client.post("/admin/link-sheet.pdf", data={"token": token}).status_code == 404
    login(client, "admin-lampang")
    new_admin = user("admin-thungphueng")
    assert new_admin.has_role(created.id, Role.ADMIN) and not new_admin.has_password
    assert [c.subject for c in changes("organization_created")][-1] == "organization:thung-phueng"

    client.post("/logout")
    client.post(f"/set-password/{token}", data={"new_password": STRONG, "confirm_password": STRONG})
    assert login(client, "admin-thungphueng", STRONG).status_code == 302
    assert client.get("/o/thung-phueng/admin").status_code == 200
    assert client.get("/admin").status_code == 403  # not the system's administrator
    assert client.get("/o/ban-on/admin").status_code == 403  # nor another organization's


def test_municipality_kinds_and_council_step(client, auth):
    auth.login("admin-lampang")
    form = organization_form(kind="subdistrict_municipality", slug="wang-nuea",
                             dla_code="6521002", council_step="yes")  # fmt: skip
    assert client.post("/admin/organizations/new", data=form).status_code == 302
    created = org("wang-nuea")
    assert created.kind_abbreviation == "เทศบาลตำบล" and created.has_council_step


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"dla_code": "6521001"}, "dla_code", "DLA code"),
        ({"slug": "ban-on"}, "slug", "slug"),
        ({"slug": "Ban On!"}, "slug", "lower-case Latin letters"),
        ({"dla_code": "12ab"}, "dla_code", "7 digits"),
        ({"name_th": ""}, "name_th", "Thai name"),
    ],
)
def test_organization_form_refuses_bad_input_and_keeps_what_was_typed(
    client, auth, overrides, field, message
):
    auth.login("admin-lampang")
    client.post("/language/en")
    assert client.post("/admin/organizations/new", data=organization_form()).status_code == 302
    count = db.session.scalar(select(db.func.count(Organization.id)))
    data = organization_form(**{"slug": "another", "dla_code": "6521009", **overrides})
    response = client.post("/admin/organizations/new", data=data)
    assert response.status_code == 422
    assert any(message in e for e in field_errors(response)), field_errors(response)
    assert "Thung Phueng SAO" in response.get_data(as_text=True)  # what was typed stays
    assert db.session.scalar(select(db.func.count(Organization.id))) == count


def test_deactivated_organization_says_so_and_keeps_everything(client, auth):
    ban_on = org("ban-on")
    proposals = db.session.scalar(
        select(db.func.count(Proposal.id)).where(Proposal.organization_id == ban_on.id)
    )
    auth.login("admin-lampang")
    client.post("/language/en")
    assert client.post(f"/admin/organizations/{ban_on.id}/active",
                       data={"active": "0"}).status_code == 302  # fmt: skip
    client.post("/logout")
    page = client.get("/o/ban-on").get_data(as_text=True)
    assert "has been deactivated" in page or "ยุติการใช้งาน" in page
    assert db.session.scalar(
        select(db.func.count(Proposal.id)).where(Proposal.organization_id == ban_on.id)
    ) == proposals
    [change] = changes("organization_deactivated")
    assert (change.before, change.after) == ({"active": True}, {"active": False})


# --- bulk creation ----------------------------------------------------------------------------

CLEAN_LIST = (
    "code,kind,name,district,province,name_en\n"
    "6521101,อบต.,องค์การบริหารส่วนตำบลแม่สุก,แจ้ห่ม,ลำปาง,Mae Suk SAO\n"
    "6521102,เทศบาลตำบล,เทศบาลตำบลแจ้ห่ม,แจ้ห่ม,ลำปาง,Chae Hom Subdistrict Municipality\n"
)


def upload(client, content: bytes, name="list.csv", **extra):
    data = {"file": (io.BytesIO(content), name), **extra}
    return client.post("/admin/organizations/import", data=data,
                       content_type="multipart/form-data")  # fmt: skip


def test_bulk_list_with_errors_is_refused_line_by_line_and_nothing_is_saved(client, auth):
    auth.login("admin-lampang")
    client.post("/language/en")
    bad = CLEAN_LIST + "6521103,หมู่บ้าน,ชื่อ,แจ้ห่ม,ลำปาง,\n6521104,อบต.,,แจ้ห่ม,ลำปาง,\n"
    before = db.session.scalar(select(db.func.count(Organization.id)))
    response = upload(client, bad.encode())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Unknown kind หมู่บ้าน" in page and "The name is missing." in page
    assert "Create these organizations" not in page  # no way to save a list with errors
    assert db.session.scalar(select(db.func.count(Organization.id))) == before


def test_bulk_list_preview_then_save_is_idempotent_on_the_code(client, auth):
    auth.login("admin-lampang")
    response = upload(client, CLEAN_LIST.encode("utf-8-sig"))
    assert response.status_code == 200
    table = re.search(r'name="table" value="([^"]+)"', response.get_data(as_text=True)).group(1)
    assert db.session.scalar(select(Organization.id).where(Organization.dla_code == "6521101")) \
        is None  # the preview saved nothing  # fmt: skip
    saved = client.post("/admin/organizations/import", data={"table": table, "save": "1"})
    assert saved.status_code == 302
    assert org("mae-suk-sao").kind == "sao"
    assert org("chae-hom-subdistrict-municipality").municipality_class == "subdistrict"
    again = client.post("/admin/organizations/import", data={"table": table, "save": "1"})
    assert again.status_code == 302
    assert db.session.scalar(
        select(db.func.count(Organization.id)).where(Organization.dla_code.like("65211%"))
    ) == 2


def test_bulk_list_from_xlsx(client, auth):
    from openpyxl import Workbook

    book = Workbook()
    for row in (["รหัส", "ประเภท", "ชื่อ", "อำเภอ", "จังหวัด"],
                ["6521201", "อบต.", "องค์การบริหารส่วนตำบลบ้านสา", "แจ้ห่ม", "ลำปาง"]):  # fmt: skip
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    auth.login("admin-lampang")
    response = upload(client, buffer.getvalue(), "list.xlsx")
    assert response.status_code == 200
    assert "org-6521201" in response.get_data(as_text=True)


# --- villages ---------------------------------------------------------------------------------


def test_villages_added_renumbered_retired_and_restored(client, auth):
    ban_on = org("ban-on")
    auth.login("admin-banon")
    client.post("/language/en")
    assert client.post("/o/ban-on/admin/villages",
                       data={"number": "11", "name": "ป่าแดง"}).status_code == 302  # fmt: skip
    taken = client.post("/o/ban-on/admin/villages", data={"number": "3", "name": "ซ้ำ"})
    assert taken.status_code == 422 and "Number 3 is already in use." in field_errors(taken)
    assert 'value="ซ้ำ"' in taken.get_data(as_text=True)

    village3 = next(v for v in ban_on.villages if v.number == 3)
    kept = len(db.session.scalars(select(Proposal).where(Proposal.village_id == village3.id)).all())
    assert client.post(f"/o/ban-on/admin/villages/{village3.id}/retire").status_code == 302
    db.session.expire_all()
    assert village3.retired and village3 not in org("ban-on").villages
    assert len(db.session.scalars(
        select(Proposal).where(Proposal.village_id == village3.id)).all()) == kept  # fmt: skip
    # its number is free again among the villages in use
    new3 = client.post("/o/ban-on/admin/villages", data={"number": "3", "name": "ทุ่งใหม่"})
    assert new3.status_code == 302
    refused = client.post(f"/o/ban-on/admin/villages/{village3.id}/retire",
                          data={"restore": "1"})  # fmt: skip
    assert refused.status_code == 302
    db.session.expire_all()
    assert db.session.get(Village, village3.id).retired
    renamed = client.post(f"/o/ban-on/admin/villages/{village3.id}",
                          data={"number": "12", "name": "อ้อนเก่า"})  # fmt: skip
    assert renamed.status_code == 302
    [change] = changes("village_updated")
    assert change.before == {"name": "ทุ่งโป่ง", "number": 3}
    assert change.after == {"name": "อ้อนเก่า", "number": 12}


def test_a_municipality_has_communities(client, auth):
    khelang = org("khelang-nakhon")
    assert khelang.villages[0].label.startswith("ชุมชน")
    assert org("ban-on").villages[0].label.startswith("หมู่ที่ 1")


def test_another_organizations_village_and_person_are_not_found(client, auth):
    khelang = org("khelang-nakhon")
    other_village = khelang.villages[0]
    officer = user("officer-khelang")
    auth.login("admin-banon")
    assert client.get(f"/o/ban-on/admin/villages/{other_village.id}").status_code == 404
    assert client.post(f"/o/ban-on/admin/villages/{other_village.id}/retire").status_code == 404
    assert client.get(f"/o/ban-on/admin/people/{officer.id}").status_code == 404
    assert client.post(f"/o/ban-on/admin/people/{officer.id}/link").status_code == 404
    assert client.get("/o/khelang-nakhon/admin/people").status_code == 403


# --- people, roles and links ------------------------------------------------------------------


def new_person(client, **overrides):
    village1 = next(v for v in org("ban-on").villages if v.number == 1)
    data = {"username": "somsri-m1", "display_name": "นางสมศรี กรรมการหมู่ 1",
            "role": "village_committee", "village_id": village1.id, **overrides}  # fmt: skip
    return client.post("/o/ban-on/admin/people/new", data=data)


def test_invited_committee_member_sets_a_password_and_proposes(client, auth):
    auth.login("admin-banon")
    response = new_person(client)
    assert response.status_code == 200
    token = link_token(response)
    assert "somsri-m1" in response.get_data(as_text=True)
    invited = user("somsri-m1")
    stored = db.session.scalar(select(AccountLink).where(AccountLink.user_id == invited.id))
    assert token not in (stored.token_hash, str(stored.id)) and len(token) >= 40

    client.post("/logout")
    client.post("/language/en")
    common = "1234567890"
    weak = client.post(f"/set-password/{token}",
                       data={"new_password": common, "confirm_password": common})  # fmt: skip
    assert weak.status_code == 422 and any("common" in e for e in field_errors(weak))
    short = client.post(f"/set-password/{token}",
                        data={"new_password": "abc12", "confirm_password": "abc12"})  # fmt: skip
    assert any("10 characters" in e for e in field_errors(short))
    ok = client.post(f"/set-password/{token}",
                     data={"new_password": STRONG, "confirm_password": STRONG})  # fmt: skip
    assert ok.status_code == 302
    reused = client.get(f"/set-password/{token}")
    assert reused.status_code == 410 and "already been used" in reused.get_data(as_text=True)

    assert login(client, "somsri-m1", STRONG).status_code == 302
    ban_on = org("ban-on")
    response = client.post("/o/ban-on/proposals/new", data=valid_proposal_form(ban_on, 1))
    assert response.status_code == 302
    login(client, "officer-banon")
    assert "ก่อสร้างถนนคอนกรีตสายหน้าวัด" in client.get("/o/ban-on/proposals").get_data(
        as_text=True)  # fmt: skip


def test_duplicate_username_is_refused_next_to_the_field(client, auth):
    auth.login("admin-banon")
    client.post("/language/en")
    response = new_person(client, username="officer-banon")
    assert response.status_code == 422
    assert "This username is already taken." in field_errors(response)
    assert 'value="นางสมศรี กรรมการหมู่ 1"' in response.get_data(as_text=True)


def test_expired_link_is_refused(client, app):
    somebody = services.create_account("late-comer", "ผู้มาช้า")
    token = issue_link(somebody, LinkPurpose.INVITATION, None)
    link = db.session.scalar(select(AccountLink).where(AccountLink.user_id == somebody.id))
    link.expires_at = link.expires_at - timedelta(days=8)
    db.session.commit()
    response = client.get(f"/set-password/{token}")
    assert response.status_code == 410
    with pytest.raises(LinkError):
        use_link(token, STRONG)


def test_a_newer_link_withdraws_the_older_one(app):
    somebody = services.create_account("twice-asked", "ขอสองครั้ง")
    first = issue_link(somebody, LinkPurpose.INVITATION, None)
    second = issue_link(somebody, LinkPurpose.INVITATION, None)
    with pytest.raises(LinkError):
        use_link(first, STRONG)
    assert use_link(second, STRONG).check_password(STRONG)


def test_reset_link_stops_the_old_password_and_every_session(app, client, auth):
    other = app.test_client()
    assert login(other, "officer-banon").status_code == 302
    assert other.get("/o/ban-on/periods").status_code == 200
    auth.login("admin-banon")
    officer = user("officer-banon")
    response = client.post(f"/o/ban-on/admin/people/{officer.id}/link")
    assert response.status_code == 200
    token = link_token(response)
    assert other.get("/o/ban-on/periods").status_code == 302  # logged out at once
    assert login(other, "officer-banon").status_code == 200  # the old password is gone
    other.post(f"/set-password/{token}", data={"new_password": STRONG, "confirm_password": STRONG})
    assert login(other, "officer-banon", STRONG).status_code == 302
    assert changes("link_reset")[-1].subject == "user:officer-banon"


def test_deactivated_person_cannot_log_in_and_can_be_reactivated(client, auth):
    auth.login("admin-banon")
    village2 = user("village2-banon")
    assert client.post(f"/o/ban-on/admin/people/{village2.id}/active",
                       data={"active": "0"}).status_code == 302  # fmt: skip
    assert login(client, "village2-banon").status_code == 200
    login(client, "admin-banon")
    client.post(f"/o/ban-on/admin/people/{village2.id}/active", data={"active": "1"})
    assert login(client, "village2-banon").status_code == 302
    assert db.session.get(User, village2.id) is not None  # never deleted


def test_last_active_administrator_cannot_remove_or_demote_themself(client, auth):
    auth.login("admin-banon")
    client.post("/language/en")
    admin = user("admin-banon")
    membership = next(m for m in admin.memberships if m.role == Role.ADMIN)
    response = client.post(
        f"/o/ban-on/admin/people/{admin.id}/roles/{membership.id}/end", follow_redirects=True
    )
    assert any("last active administrator" in f for f in flashes(response))
    response = client.post(f"/o/ban-on/admin/people/{admin.id}/active", data={"active": "0"},
                           follow_redirects=True)  # fmt: skip
    assert any("last active administrator" in f for f in flashes(response))
    db.session.expire_all()
    admin = user("admin-banon")
    assert admin.active and admin.has_role(org("ban-on").id, Role.ADMIN)

    # with a second administrator, stepping down is allowed
    membership = next(m for m in admin.memberships if m.role == Role.ADMIN)
    officer = user("officer-banon")
    client.post(f"/o/ban-on/admin/people/{officer.id}", data={"role-role": "admin"})
    client.post(f"/o/ban-on/admin/people/{admin.id}/roles/{membership.id}/end")
    db.session.expire_all()
    assert not user("admin-banon").has_role(org("ban-on").id, Role.ADMIN)


def test_roles_split_executive_from_administrator(client, auth):
    ban_on = org("ban-on")
    assert user("executive-banon").is_executive(ban_on.id)
    assert not user("admin-banon").is_executive(ban_on.id)
    auth.login("admin-banon")
    assert client.post("/o/ban-on/plan/announce").status_code == 403
    login(client, "executive-banon")
    assert client.post("/o/ban-on/plan/announce").status_code == 302


def test_new_committee_roles_can_be_granted(client, auth):
    auth.login("admin-banon")
    person = user("committee1-banon")
    for role in ("support_committee", "monitoring_committee", "executive"):
        response = client.post(f"/o/ban-on/admin/people/{person.id}", data={"role-role": role})
        assert response.status_code == 302, field_errors(response)
    db.session.expire_all()
    roles = user("committee1-banon").roles_in(org("ban-on").id)
    assert {Role.SUPPORT_COMMITTEE, Role.MONITORING_COMMITTEE, Role.EXECUTIVE} <= roles


# --- bodies by date ---------------------------------------------------------------------------


def test_body_membership_on_the_meeting_date_decides_ballots_and_quorum(app):
    from forum.meetings.models import Meeting, MeetingKind

    ban_on = org("ban-on")
    member = user("committee1-banon")
    membership = next(m for m in member.memberships if m.role == Role.DEV_COMMITTEE)
    services.end_role(user("admin-banon"), membership, on=date(2024, 1, 1))
    newcomer = services.create_account("committee6-banon", "กรรมการคนใหม่")
    services.grant_role(user("admin-banon"), ban_on, newcomer, Role.DEV_COMMITTEE,
                        starts_on=date(2024, 1, 1))  # fmt: skip
    db.session.flush()

    def meeting_on(day):
        return Meeting(organization=ban_on, organization_id=ban_on.id,
                       kind=MeetingKind.DEV_COMMITTEE, held_on=day)  # fmt: skip

    before, after = meeting_on(date(2023, 6, 1)), meeting_on(date(2024, 6, 1))
    assert before.is_member(member) and not before.is_member(newcomer)
    assert after.is_member(newcomer) and not after.is_member(member)
    assert before.members() == 5 and after.members() == 5
    db.session.rollback()


# --- the audit trail --------------------------------------------------------------------------


def test_every_change_is_recorded_and_shown_to_the_organization_admin(client, auth):
    auth.login("admin-banon")
    person = user("village2-banon")
    client.post(f"/o/ban-on/admin/people/{person.id}", data={"name-display_name": "ชื่อใหม่"})
    [change] = changes("person_updated")
    assert change.actor.username == "admin-banon" and change.organization_id == org("ban-on").id
    assert (change.before, change.after) == (
        {"display_name": "คณะกรรมการหมู่บ้าน หมู่ที่ 2"}, {"display_name": "ชื่อใหม่"})
    page = client.get("/o/ban-on/audit").get_data(as_text=True)
    assert "person_updated" in page and "ชื่อใหม่" in page


def test_administrative_changes_are_append_only(app):
    record = db.session.scalars(select(AdminChange)).first()
    record.action = "forged"
    with pytest.raises(AuditRecordChanged):
        db.session.flush()
    db.session.rollback()
    with db.engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text("DELETE FROM admin_change"))


def test_demo_people_were_made_through_the_services(app):
    made = {c.subject for c in changes("account_created")}
    assert {"user:executive-banon", "user:village1-banon", "user:admin-lampang"} <= made
    assert db.session.scalar(select(db.func.count(Membership.id)).where(
        Membership.starts_on.is_(None))) == 0  # fmt: skip


# --- the administrator and the plan office -----------------------------------------------------


def test_the_administrator_does_plan_work_only_with_the_plan_officer_role(client, auth):
    auth.login("admin-banon")
    for office_page in ("/o/ban-on/tracking", "/o/ban-on/meetings/new", "/o/ban-on/imports/new"):
        assert client.get(office_page).status_code == 403, office_page
    for settings_page in ("/o/ban-on/catalog/import", "/o/ban-on/periods",
                          "/o/ban-on/settings/quorum", "/o/ban-on/audit"):  # fmt: skip
        assert client.get(settings_page).status_code == 200, settings_page
    home = client.get("/home").get_data(as_text=True)
    assert 'href="/o/ban-on/admin"' in home and 'href="/o/ban-on/tracking' not in home

    # one clerk doing both jobs in a small อบต.: the administrator gives themself the role
    admin = user("admin-banon")
    response = client.post(f"/o/ban-on/admin/people/{admin.id}", data={"role-role": "plan_officer"})
    assert response.status_code == 302, field_errors(response)
    page = client.get(f"/o/ban-on/admin/people/{admin.id}").get_data(as_text=True)
    assert "ผู้ดูแลระบบ" in page and "เจ้าหน้าที่แผน" in page
    for office_page in ("/o/ban-on/tracking", "/o/ban-on/meetings/new", "/o/ban-on/imports/new"):
        response = client.get(office_page)
        assert response.status_code in (200, 302), office_page
        assert "/login" not in response.headers.get("Location", "")
    assert client.get("/o/ban-on/admin/people").status_code == 200  # still the administrator
    assert changes("role_granted")[-1].subject == "user:admin-banon role:plan_officer"


# --- one-time links by e-mail (the server's SMTP, MAIL_*) ----------------------------------------


@pytest.fixture
def mail_server(app):
    """aiosmtpd on loopback as the server's SMTP."""
    from tests.loopback import SmtpSink

    sink = SmtpSink().start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port, MAIL_SECURITY="none",
                      MAIL_FROM="plan@ban-on.example.go.th", MAIL_TIMEOUT_SECONDS=5)  # fmt: skip
    yield sink
    sink.stop()


def sheet_token(response) -> str:
    match = re.search(r'name="token" type="hidden" value="([^"]+)"',
                      response.get_data(as_text=True))  # fmt: skip
    assert match, response.get_data(as_text=True)[:3000]
    return match.group(1)


def received(sink) -> list:
    import email
    from email.policy import default

    return [email.message_from_bytes(e.content, policy=default) for e in sink.envelopes]


def test_invitation_is_emailed_in_thai_and_its_link_sets_the_password(client, auth, mail_server):
    auth.login("admin-banon")
    response = new_person(client, email="Somsri@Example.COM")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'action="/admin/link-email"' in page and "Somsri@example.com" in page
    token = sheet_token(response)
    assert not mail_server.envelopes  # nothing is sent before the administrator asks

    sent = client.post("/admin/link-email", data={"token": token})
    assert sent.status_code == 200
    assert "ส่งลิงก์ไปที่ Somsri@example.com แล้ว" in sent.get_data(as_text=True)
    assert link_token(sent) == token  # the same link page, to print or show as well
    [envelope] = mail_server.envelopes
    assert envelope.rcpt_tos == ["Somsri@example.com"]
    [mail] = received(mail_server)
    body = mail.get_content()
    assert mail["From"] == "plan@ban-on.example.go.th"
    assert "somsri-m1" in mail["Subject"] and "ยินดีต้อนรับ" in mail["Subject"]
    assert "ชื่อผู้ใช้: somsri-m1" in body and "องค์การบริหารส่วนตำบลบ้านอ้อน" in body
    address = re.search(r"http\S+/set-password/(\S+)", body)
    assert address and address.group(1) == token

    [record] = changes("link_invitation_emailed")
    assert record.subject == "user:somsri-m1" and record.actor.username == "admin-banon"
    assert record.after == {"to": "Somsri@example.com", "sent": True}
    stored = db.session.execute(text("SELECT * FROM admin_change")).all()
    assert token not in repr(stored)  # the token is never kept
    audit = client.get("/o/ban-on/audit").get_data(as_text=True)
    assert "link_invitation_emailed" in audit and token not in audit

    # nobody but the issuer can have it sent (or sent again) with the token
    login(client, "officer-banon")
    assert client.post("/admin/link-email", data={"token": token}).status_code == 404
    client.post("/logout")
    ok = client.post(f"/set-password/{address.group(1)}",
                     data={"new_password": STRONG, "confirm_password": STRONG})  # fmt: skip
    assert ok.status_code == 302
    assert login(client, "somsri-m1", STRONG).status_code == 302


def test_a_member_from_next_month_gets_the_email_in_the_organizations_name(
    client, auth, mail_server
):
    """A role that starts later: the link, its e-mail and its audit record still belong to the
    organization whose administrator issued it."""
    from datetime import timedelta

    from forum import clock

    auth.login("admin-banon")
    later = (clock.today() + timedelta(days=30)).isoformat()
    response = new_person(client, email="later@example.org", starts_on=later)
    assert response.status_code == 200
    sent = client.post("/admin/link-email", data={"token": sheet_token(response)})
    assert sent.status_code == 200
    [mail] = received(mail_server)
    assert "องค์การบริหารส่วนตำบลบ้านอ้อน" in mail.get_content()
    [record] = changes("link_invitation_emailed")
    assert record.organization_id == org("ban-on").id


def test_reset_link_is_emailed_to_the_address_saved_on_the_person_page(client, auth, mail_server):
    auth.login("admin-banon")
    officer = user("officer-banon")
    response = client.post(f"/o/ban-on/admin/people/{officer.id}",
                           data={"name-display_name": officer.display_name,
                                 "name-email": "plan.officer@ban-on.example.go.th"})  # fmt: skip
    assert response.status_code == 302, field_errors(response)
    assert changes("person_updated")[-1].after == {"email": "plan.officer@ban-on.example.go.th"}
    response = client.post(f"/o/ban-on/admin/people/{officer.id}/link")
    token = sheet_token(response)
    assert client.post("/admin/link-email", data={"token": token}).status_code == 200
    [mail] = received(mail_server)
    assert "ตั้งรหัสผ่านใหม่" in mail["Subject"] and token in mail.get_content()
    assert changes("link_reset_emailed")[-1].subject == "user:officer-banon"


def test_first_administrator_gets_the_invitation_by_email(client, auth, mail_server):
    login(client, "admin-lampang")
    ban_on = org("ban-on")
    form = {"username": "palad-banon", "display_name": "ปลัด อบต.", "role": "admin",
            "email": "palad@ban-on.example.go.th"}
    response = client.post(f"/admin/organizations/{ban_on.id}/first-admin", data=form)
    assert response.status_code == 200 and 'action="/admin/link-email"' in response.get_data(
        as_text=True)  # fmt: skip
    assert client.post("/admin/link-email",
                       data={"token": sheet_token(response)}).status_code == 200  # fmt: skip
    assert [e.rcpt_tos for e in mail_server.envelopes] == [["palad@ban-on.example.go.th"]]


def test_smtp_down_says_so_and_the_link_page_stays(client, auth, mail_server):
    from tests.loopback import free_port

    auth.login("admin-banon")
    response = new_person(client, email="somsri@example.com")
    token = sheet_token(response)
    client.application.config["MAIL_PORT"] = free_port()
    failed = client.post("/admin/link-email", data={"token": token})
    assert failed.status_code == 200 and link_token(failed) == token
    assert "ส่งอีเมลไม่สำเร็จ" in failed.get_data(as_text=True)
    assert changes("link_invitation_emailed")[-1].after["sent"] is False


def test_without_smtp_there_is_no_email_button_and_a_post_is_refused(client, auth):
    auth.login("admin-banon")
    response = new_person(client, email="somsri@example.com")
    assert response.status_code == 200
    assert "/admin/link-email" not in response.get_data(as_text=True)
    token = sheet_token(response)
    assert client.post("/admin/link-email", data={"token": token}).status_code == 404
    assert changes("link_invitation_emailed") == []


def test_an_account_without_email_gets_no_email_button(client, auth, mail_server):
    auth.login("admin-banon")
    response = new_person(client)
    assert "/admin/link-email" not in response.get_data(as_text=True)
    assert client.post("/admin/link-email",
                       data={"token": sheet_token(response)}).status_code == 404  # fmt: skip
    assert not mail_server.envelopes


def test_invalid_email_is_refused_in_thai_next_to_the_field(client, auth):
    thai = "กรอกที่อยู่อีเมล เช่น name@example.com"
    auth.login("admin-banon")
    response = new_person(client, email="somsri at example")
    assert response.status_code == 422 and field_errors(response) == [thai]
    assert 'value="somsri at example"' in response.get_data(as_text=True)  # what was typed
    assert user("somsri-m1") is None  # nothing half-saved
    officer = user("officer-banon")
    response = client.post(f"/o/ban-on/admin/people/{officer.id}",
                           data={"name-display_name": "x", "name-email": "a@b"})  # fmt: skip
    assert response.status_code == 422 and field_errors(response) == [thai]
    login(client, "admin-lampang")
    response = client.post(f"/admin/organizations/{org('ban-on').id}/first-admin",
                           data={"username": "palad-banon", "display_name": "ปลัด",
                                 "role": "admin", "email": "palad@"})  # fmt: skip
    assert response.status_code == 422 and field_errors(response) == [thai]
