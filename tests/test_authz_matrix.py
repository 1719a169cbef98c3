"""Who may do what: every route of the application × every role, against ONE declared table.

A route that is not in ``MATRIX`` fails ``test_every_route_is_in_the_matrix``: whoever adds a route
decides, here, who may use it. Answers are classified as
  ok  — served (2xx, or a redirect other than to the log-in page),
  bad — let through to the form or service, which refused the input (400, 409, 422),
  no  — refused: 401, 403, 404 (a hidden object), or a redirect to the log-in page.
Each cell runs in its own database, so a state-changing request cannot affect another cell.
"""

from datetime import date

import pytest
from sqlalchemy import select

from forum import create_app
from forum.auth.models import Membership, Role, User
from forum.extensions import db
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from tests.conftest import base_config
from tests.helpers import org

ROLES = ("anon", "villager", "village1", "village2", "officer", "committee", "council",
         "admin", "executive", "other_admin", "sysadmin")  # fmt: skip
USERS = {
    "village1": "village1-banon",  # village committee of หมู่ที่ 1 (the proposals' village)
    "village2": "village2-banon",  # village committee of หมู่ที่ 2
    "officer": "officer-banon",
    "committee": "committee1-banon",
    "council": "council1-banon",
    "admin": "admin-banon",  # the organization's administrator (accounts and settings)
    "executive": "executive-banon",  # ผู้บริหารท้องถิ่น: announces, approves amendments
    "other_admin": "admin-khelang",  # administrator of another organization
    "sysadmin": "admin-lampang",  # the system (province) administrator: no role in Ban On
}

# endpoint: (method, path template, {role: outcome}); "*" is every role not named.
# Path templates are filled from the scene: {slug}, {proposal}, {draft}, {meeting}, {round},
# {strategy}, {tactic}, {code}, {job}.
OK, BAD, NO = "ok", "bad", "no"
# Plan work needs the plan-officer role: neither the administrator (accounts and settings)
# nor the executive has it.
OFFICE_ONLY = {"officer": OK, "*": NO}
# The organization's settings the administrator keeps with the office: the strategy catalog,
# plan periods, personal-data requests, the notification queue.
SETTINGS = {"officer": OK, "admin": OK, "*": NO}
IMPORTERS = {"officer": OK, "village1": OK, "village2": OK, "*": NO}
ORG_ADMIN = {"admin": OK, "*": NO}  # the organization's own administrator only
SYSTEM_ADMIN = {"sysadmin": OK, "*": NO}
PUBLIC = {"*": OK}
MATRIX = {
    "organizations.index": ("GET", "/", PUBLIC),
    "organizations.show": ("GET", "/o/{slug}", PUBLIC),
    "organizations.periods": ("GET", "/o/{slug}/periods", SETTINGS),
    "auth.login": ("GET", "/login", PUBLIC),
    "auth.logout": ("POST", "/logout", {"anon": NO, "villager": NO, "*": OK}),
    "auth.set_language": ("POST", "/language/en", PUBLIC),
    "auth.change_password": ("GET", "/account/password", {"anon": NO, "villager": NO, "*": OK}),
    "catalog.show": ("GET", "/o/{slug}/catalog", PUBLIC),
    "catalog.edit_vision": ("GET", "/o/{slug}/catalog/vision", SETTINGS),
    "catalog.edit_strategy": ("GET", "/o/{slug}/catalog/strategies/{strategy}", SETTINGS),
    "catalog.edit_tactic": ("GET", "/o/{slug}/catalog/tactics/{tactic}", SETTINGS),
    "catalog.new_tactic": (
        "GET", "/o/{slug}/catalog/strategies/{strategy}/tactics/new", SETTINGS
    ),
    "catalog.import_text": ("GET", "/o/{slug}/catalog/import", SETTINGS),
    "catalog.edit_text_item": ("GET", "/o/{slug}/catalog/goal/{goal}/text", SETTINGS),
    "catalog.new_text_item": (
        "GET", "/o/{slug}/catalog/strategies/{strategy}/goal/new", SETTINGS
    ),
    "catalog.retire_item": ("POST", "/o/{slug}/catalog/tactic/{tactic}/retire", SETTINGS),
    "catalog.move_item": ("POST", "/o/{slug}/catalog/tactic/{tactic}/move", SETTINGS),
    "proposals.index": ("GET", "/o/{slug}/proposals", PUBLIC),
    "proposals.new": ("GET", "/o/{slug}/proposals/new", PUBLIC),
    "proposals.submitted": ("GET", "/proposals/{proposal}/submitted", PUBLIC),
    "proposals.track": ("GET", "/track?code={code}", PUBLIC),
    "proposals.show": ("GET", "/proposals/{proposal}", PUBLIC),
    "spam.mark": ("POST", "/proposals/{proposal}/spam", OFFICE_ONLY),
    "spam.unmark": ("POST", "/proposals/{proposal}/not-spam", OFFICE_ONLY),
    "codes.reissue": ("POST", "/proposals/{proposal}/tracking-code", OFFICE_ONLY),
    # a photo is seen by whoever sees its proposal; the scene's proposal has none, so this is
    # a 404 for everyone (tests/test_proposals.py: who sees which photo)
    "proposals.photo": ("GET", "/proposals/{proposal}/photos/" + "0" * 32 + ".jpg", {"*": NO}),
    # a draft of village 1: only its own committee and the office see or change it
    "proposals.edit": ("GET", "/proposals/{draft}/edit", {"village1": OK, "officer": OK,
                                                         "*": NO}),
    "proposals.submit": ("POST", "/proposals/{draft}/submit",
                         {"village1": OK, "officer": OK, "*": NO}),
    # withdrawing a submitted proposal: its proposer (tracking code) or its village committee
    # Anyone holding the tracking code may withdraw, so the form is open to all and asks for
    # the code; without it the service refuses (422) and nothing changes.
    "workflow.act": ("POST", "/proposals/{proposal}/act/withdraw",
                     {"villager": OK, "village1": OK, "*": BAD}),
    "api.organizations": ("GET", "/api/organizations", PUBLIC),
    "api.catalog": ("GET", "/api/organizations/{slug}/catalog", PUBLIC),
    "api.proposals": ("GET", "/api/organizations/{slug}/proposals", PUBLIC),
    "assist.suggest": ("GET", "/o/{slug}/assist?title=ก่อสร้างถนน คสล.&village=1", PUBLIC),
    "audit.index": ("GET", "/o/{slug}/audit", ORG_ADMIN),
    "audit.export": ("GET", "/o/{slug}/audit/logins.csv", ORG_ADMIN),
    "meetings.index": ("GET", "/o/{slug}/meetings", PUBLIC),
    "meetings.new": ("GET", "/o/{slug}/meetings/new", {"village1": OK, "village2": OK,
                                                         "officer": OK, "*": NO}),
    "meetings.show": ("GET", "/meetings/{meeting}", PUBLIC),
    "meetings.edit": ("GET", "/meetings/{meeting}/edit", OFFICE_ONLY),
    "meetings.quorum": ("GET", "/o/{slug}/settings/quorum", ORG_ADMIN),
    "voting.new": ("GET", "/meetings/{meeting}/rounds/new", OFFICE_ONLY),
    "voting.show": ("GET", "/rounds/{round}", PUBLIC),
    # a development-committee round: only its members cast ballots
    "voting.ballot": ("POST", "/rounds/{round}/ballot", {"committee": OK, "*": NO}),
    # members cast ballots in a committee round; its secretary (the office) may enter counts,
    # but hands or a roll call in this round are the wrong input (422), not a denial
    "voting.hands": ("POST", "/rounds/{round}/hands", {"officer": BAD, "*": NO}),
    "voting.roll_call": ("POST", "/rounds/{round}/roll-call",
                         {"officer": BAD, "*": NO}),
    "voting.close": ("POST", "/rounds/{round}/close", OFFICE_ONLY),
    "voting.results": ("GET", "/rounds/{round}/results", PUBLIC),
    "voting.api_results": ("GET", "/api/rounds/{round}/results", {"*": BAD}),  # 409 while open
    "voting.priorities": ("GET", "/o/{slug}/priorities", PUBLIC),
    "voting.adopt": ("POST", "/rounds/{round}/adopt", {"officer": BAD, "*": NO}),
    "voting.pabulib": ("GET", "/rounds/{round}/round.pb", PUBLIC),  # open: to the round page
    "plans.show": ("GET", "/o/{slug}/plan", PUBLIC),
    "plans.download": ("GET", "/o/{slug}/plan/p02.pdf", PUBLIC),
    "plans.freeze": ("POST", "/o/{slug}/plan/versions", OFFICE_ONLY),
    # the demo plan is announced (version 1) and amended once (version 2, amendment 1, approved)
    "plans.version_document": ("GET", "/o/{slug}/plan/versions/1/p02.pdf", PUBLIC),
    # the executive alone (not the administrator)
    "plans.announce": ("POST", "/o/{slug}/plan/announce", {"executive": OK, "*": NO}),
    "plans.new_amendment": ("GET", "/o/{slug}/plan/amendments/new", OFFICE_ONLY),
    "plans.amendment": ("GET", "/o/{slug}/plan/amendments/1", PUBLIC),
    "plans.new_item": ("GET", "/o/{slug}/plan/amendments/1/items/new/change", OFFICE_ONLY),
    "plans.edit_item": ("GET", "/o/{slug}/plan/amendments/1/items/1", OFFICE_ONLY),
    # amendment 1 is a change, not an addition: the office is sent back to it (a redirect)
    "plans.carry_in_items": ("GET", "/o/{slug}/plan/amendments/1/items/carry-in", OFFICE_ONLY),
    # an approved amendment's items cannot be taken out: the office is told so (a redirect)
    "plans.remove_item": ("POST", "/o/{slug}/plan/amendments/1/items/1/delete", OFFICE_ONLY),
    # the office and the executive (who approves) reach the steps; amendment 1 is approved,
    # so they are sent back to it (a redirect)
    "plans.amendment_step": (
        "GET", "/o/{slug}/plan/amendments/1/act/amendment_reject",
        {"officer": OK, "executive": OK, "*": NO},
    ),
    "exports.export": ("GET", "/o/{slug}/exports/proposals.csv", PUBLIC),
    # the round is open: everyone is sent back to the round page (results come at closing)
    "exports.ranking": ("GET", "/rounds/{round}/results.csv", PUBLIC),
    "printables.proposal_form_pdf": ("GET", "/o/{slug}/printables/proposal-form.pdf", PUBLIC),
    # the sheet names the members: those who record the (committee) meeting print it
    "printables.attendance_pdf": ("GET", "/meetings/{meeting}/attendance.pdf", OFFICE_ONLY),
    # the office, and village committees for their own villages
    "imports.new": ("GET", "/o/{slug}/imports/new", IMPORTERS),
    "imports.template": ("GET", "/o/{slug}/imports/template.csv", IMPORTERS),
    # a job (and import) belonging to the plan officer
    "imports.preview": ("GET", "/imports/{job}", {"officer": OK, "*": NO}),
    "imports.save": ("POST", "/imports/{job}/save", {"officer": OK, "*": NO}),
    "jobs.show": ("GET", "/jobs/{job}", {"officer": OK, "*": NO}),
    "jobs.status": ("GET", "/jobs/{job}/status.json", {"officer": OK, "*": NO}),
    "jobs.download": ("GET", "/jobs/{job}/download", {"officer": OK, "*": NO}),
    "portal.statistics": ("GET", "/o/{slug}/statistics", PUBLIC),
    "tracking.index": ("GET", "/o/{slug}/tracking", OFFICE_ONLY),
    "tracking.year": ("GET", "/o/{slug}/tracking/2567", OFFICE_ONLY),
    # the scene's proposal is not a plan project of 2567 (and the form lacks a stage): refused
    "tracking.update": ("POST", "/o/{slug}/tracking/2567/{proposal}",
                        {"officer": BAD, "*": NO}),
    "tracking.results_index": ("GET", "/o/{slug}/results", PUBLIC),
    "tracking.results": ("GET", "/o/{slug}/results/2567", PUBLIC),
    "tracking.results_file": ("GET", "/o/{slug}/results/2567.xlsx", PUBLIC),
    "tracking.carry_list": ("GET", "/o/{slug}/carry-over", OFFICE_ONLY),
    # a submitted proposal cannot be carried over (and no period was chosen): refused
    "tracking.carry_over": ("POST", "/o/{slug}/carry-over/{proposal}",
                            {"officer": BAD, "*": NO}),
    "privacy.index": ("GET", "/privacy", PUBLIC),
    "privacy.notice": ("GET", "/o/{slug}/privacy", PUBLIC),
    # the scene's organization has saved no notice yet: no version 1 to show anyone
    "privacy.notice_version_page": ("GET", "/o/{slug}/privacy/versions/1", {"*": NO}),
    "privacy.edit_notice": ("GET", "/o/{slug}/privacy/edit", ORG_ADMIN),
    "privacy.requests": ("GET", "/o/{slug}/privacy/requests", SETTINGS),
    # notifications (forum/notify): stop links that are not genuine are a 404 for everyone;
    # retry/cancel of a message that does not exist too; the settings are the admin's only
    "notify.my_channels": ("GET", "/notifications/me", {"anon": NO, "villager": NO, "*": OK}),
    "notify.follow": ("GET", "/o/{slug}/follow", PUBLIC),
    "notify.proposer": ("GET", "/notifications/proposal?code={code}", PUBLIC),
    "notify.landing": ("GET", "/n/forged.token", {"*": NO}),
    "notify.stop": ("POST", "/n/forged.token/stop", {"*": NO}),
    "notify.queue": ("GET", "/o/{slug}/notifications", SETTINGS),
    "notify.retry": ("POST", "/o/{slug}/notifications/0/retry", {"*": NO}),
    "notify.cancel": ("POST", "/o/{slug}/notifications/0/cancel", {"*": NO}),
    "notify.settings": ("GET", "/o/{slug}/notifications/settings", ORG_ADMIN),
    "notify.remind": ("POST", "/rounds/{round}/remind", {"officer": OK, "*": NO}),
    "health.healthz": ("GET", "/healthz", PUBLIC),
    "home.index": ("GET", "/home", {"anon": NO, "villager": NO, "*": OK}),
    "favicon": ("GET", "/favicon.ico", PUBLIC),
    "meetings.decide": ("GET", "/meetings/{meeting}/decide", OFFICE_ONLY),
    "workflow.step_list": ("GET", "/o/{slug}/proposals/steps/screen", OFFICE_ONLY),
    # administration: the system administrator's organizations …
    "admin.organizations": ("GET", "/admin", SYSTEM_ADMIN),
    "admin.new_organization": ("GET", "/admin/organizations/new", SYSTEM_ADMIN),
    "admin.edit_organization": ("GET", "/admin/organizations/{org_id}/edit", SYSTEM_ADMIN),
    "admin.organization_active": ("POST", "/admin/organizations/{org_id}/active", SYSTEM_ADMIN),
    "admin.first_admin": ("GET", "/admin/organizations/{org_id}/first-admin", SYSTEM_ADMIN),
    "admin.import_organizations": ("GET", "/admin/organizations/import", SYSTEM_ADMIN),
    # … the printed sheet of a link, for whoever issued it (no token sent here: refused input)
    "admin.link_sheet": ("POST", "/admin/link-sheet.pdf", {"anon": NO, "villager": NO,
                                                           "*": BAD}),
    # … e-mailing it: only when the server has SMTP (MAIL_*), which the scene has not
    "admin.link_email": ("POST", "/admin/link-email", {"*": NO}),
    # … and the organization administrator's villages and people (Ban On's own)
    "admin.overview": ("GET", "/o/{slug}/admin", ORG_ADMIN),
    "admin.villages": ("GET", "/o/{slug}/admin/villages", ORG_ADMIN),
    "admin.edit_village": ("GET", "/o/{slug}/admin/villages/{village}", ORG_ADMIN),
    "admin.village_retire": ("POST", "/o/{slug}/admin/villages/{village}/retire", ORG_ADMIN),
    "admin.people": ("GET", "/o/{slug}/admin/people", ORG_ADMIN),
    "admin.new_person": ("GET", "/o/{slug}/admin/people/new", ORG_ADMIN),
    "admin.person": ("GET", "/o/{slug}/admin/people/{person}", ORG_ADMIN),
    "admin.end_membership": (
        "POST", "/o/{slug}/admin/people/{person}/roles/{membership}/end", ORG_ADMIN
    ),
    "admin.person_active": ("POST", "/o/{slug}/admin/people/{person}/active", ORG_ADMIN),
    "admin.person_link": ("POST", "/o/{slug}/admin/people/{person}/link", ORG_ADMIN),
    # the page a one-time link leads to: whoever holds the link
    "auth.set_password": ("GET", "/set-password/{link_token}", PUBLIC),
    "static": ("GET", "/static/app.css", PUBLIC),
}


def expected(endpoint: str, role: str) -> str:
    table = MATRIX[endpoint][2]
    return table.get(role, table.get("*"))


def classify(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code in (401, 403, 404) or "/login" in location:
        return NO
    if response.status_code in (400, 409, 422):
        return BAD
    assert response.status_code < 500, response.status_code
    return OK


def test_every_route_is_in_the_matrix():
    app = create_app(base_config("sqlite://"))
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - MATRIX.keys()) == [], "routes without an entry in MATRIX"
    assert sorted(MATRIX.keys() - endpoints) == [], "MATRIX entries for routes that are gone"
    for endpoint in MATRIX:
        assert all(expected(endpoint, role) in (OK, BAD, NO) for role in ROLES), endpoint


@pytest.fixture
def scene(app):
    """What the matrix paths point at, all in Ban On (its villages 1 and 2)."""
    from forum.imports.views import CHECK as IMPORT_CHECK
    from forum.jobs.models import Job
    from forum.meetings.models import Attendee, Meeting, MeetingKind
    from forum.meetings.services import next_number
    from forum.voting.models import Method
    from forum.voting.services import open_round

    ban_on, khelang = org("ban-on"), org("khelang-nakhon")
    village1 = next(v for v in ban_on.villages if v.number == 1)
    in_village1 = db.session.scalars(
        select(Proposal).where(Proposal.village_id == village1.id).order_by(Proposal.id)
    ).all()
    proposal, draft = in_village1[0], in_village1[1]
    proposal.status, draft.status = Status.SUBMITTED, Status.DRAFT
    plan_items = db.session.scalars(
        select(Proposal).where(Proposal.organization_id == ban_on.id, Proposal.id.notin_(
            [proposal.id, draft.id])).limit(2)
    ).all()
    for p in plan_items:
        p.status = Status.IN_DRAFT_PLAN
    other_admin = User(username="admin-khelang", display_name="admin", password_hash="")
    other_admin.set_password("prachakhom-demo")
    other_admin.memberships.append(Membership(organization=khelang, role=Role.ADMIN))
    db.session.add(other_admin)
    users = {u.username: u for u in db.session.scalars(select(User))}
    series, year = Meeting.series_for(MeetingKind.DEV_COMMITTEE, None), date.today().year + 543
    meeting = Meeting(
        organization=ban_on, kind=MeetingKind.DEV_COMMITTEE, series=series,
        number=next_number(ban_on.id, series, year),  # after the demo's own meetings
        year=year, held_on=date.today(), place="ห้องประชุม",
        attendees=[Attendee(name=u.display_name, user=u) for name, u in users.items()
                   if name.startswith("committee")],
    )
    db.session.add(meeting)
    db.session.flush()
    ballot_round = open_round(meeting, Method.APPROVAL, "round", [p.id for p in plan_items],
                              users["officer-banon"])
    job = Job(kind=IMPORT_CHECK, status="done", organization_id=ban_on.id,
              user_id=users["officer-banon"].id, result=b"x", result_name="x.csv",
              result_type="text/csv")
    db.session.add(job)
    code = proposal.issue_tracking_code()
    db.session.commit()
    strategy = ban_on.strategies[0]
    if not strategy.goals:
        from forum.catalog.models import Goal

        strategy.goals.append(Goal(number=1, text="เป้าประสงค์"))
        db.session.commit()
    from forum.auth.links import LinkPurpose, issue_link

    committee_member = users["village1-banon"]
    invited = User(username="invited-banon", display_name="ผู้ได้รับเชิญ", password_hash="!")
    db.session.add(invited)
    db.session.flush()
    link_token = issue_link(invited, LinkPurpose.INVITATION, users["admin-banon"])
    db.session.commit()
    return {
        "org_id": ban_on.id, "village": village1.id, "person": committee_member.id,
        "membership": committee_member.memberships[0].id, "link_token": link_token,
        "slug": "ban-on", "proposal": proposal.id, "draft": draft.id, "meeting": meeting.id,
        "round": ballot_round.id, "strategy": strategy.id, "tactic": strategy.tactics[0].id,
        "goal": strategy.goals[0].id,
        "code": code, "job": job.token,
        "marks": {f"p{p.id}": "for" for p in plan_items},
    }


def request_as(client, auth, scene, endpoint: str, role: str):
    method, template, _table = MATRIX[endpoint]
    if role in USERS:
        auth.login(USERS[role])
    path = template.format(**scene)
    if method == "GET":
        return client.get(path)
    data = {"reason": "เหตุผล", **scene["marks"]}
    if role == "villager":
        data["tracking_code"] = scene["code"]
    return client.post(path, data=data)


CELLS = [(endpoint, role) for endpoint in sorted(MATRIX) for role in ROLES]


@pytest.mark.parametrize(("endpoint", "role"), CELLS)
def test_authorization_matrix(client, auth, scene, endpoint, role):
    response = request_as(client, auth, scene, endpoint, role)
    answer = classify(response)
    response.close()
    where = response.headers.get("Location", "")
    assert answer == expected(endpoint, role), (
        f"{role} at {endpoint}: {answer} ({response.status_code} {where})"
    )


def test_only_the_organization_admin_reads_the_security_log(client, auth, scene):
    auth.login("admin-banon")
    assert client.get("/o/ban-on/audit").status_code == 200
