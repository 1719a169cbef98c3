"""How many form submissions take a village list of 20 proposals to an announced plan: one by
one (every proposal through every step on its own form) and the way a sitting works (a meeting
decides its list, the office screens and drafts a list at once). The figures are printed for
the issue's closing note; the assertions keep the list way from creeping back up."""

import io

import pytest
from sqlalchemy import select

from forum.catalog.models import Program
from forum.extensions import db
from forum.imports.columns import columns_for
from forum.jobs.models import Job
from forum.proposals.models import Proposal
from tests.helpers import org
from tests.test_imports import as_csv
from tests.test_workflow import act, as_user, record_meeting, status_of

SLUG = "khelang-nakhon"
LIST_SIZE = 20


class CountingClient:
    """The test client, counting the forms it submits (log-ins apart)."""

    def __init__(self, client):
        self.client = client
        self.submissions = 0

    def get(self, *args, **kwargs):
        return self.client.get(*args, **kwargs)

    def post(self, url, *args, **kwargs):
        if url != "/login":
            self.submissions += 1
        return self.client.post(url, *args, **kwargs)


def village_list() -> bytes:
    """The community forum's list as the office types it into the import template."""
    organization = org(SLUG)
    period = organization.current_period
    columns = columns_for(period.years)
    strategy = organization.strategies[0]
    program = db.session.scalars(select(Program).order_by(Program.code)).first()
    lines = [[c.header for c in columns]]
    for n in range(1, LIST_SIZE + 1):
        values = {
            "title": f"ก่อสร้างรางระบายน้ำซอย {n} ชุมชนป่าขาม",
            "village": str(organization.villages[0].number),
            "strategy": str(strategy.number),
            "tactic": strategy.tactics[0].number,
            "program": program.code,
            "annex": "ผ.02",
            f"budget_{period.first_year}": f"{100_000 + n * 1_000:,}",
            "responsible_unit": "กองช่าง",
        }
        lines.append([values.get(c.key, "") for c in columns])
    return as_csv(lines)


def import_list(client) -> list[int]:
    upload = client.post(
        f"/o/{SLUG}/imports/new",
        data={"file": (io.BytesIO(village_list()), "list.csv")},
        content_type="multipart/form-data",
    )
    assert upload.status_code in (200, 302), upload.get_data(as_text=True)[:2000]
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert client.post(f"/imports/{job.token}/save").status_code == 302
    ids = db.session.scalars(
        select(Proposal.id).where(Proposal.title.like("ก่อสร้างรางระบายน้ำซอย %"))
        .order_by(Proposal.id)
    ).all()  # fmt: skip
    assert len(ids) == LIST_SIZE
    return list(ids)


def meeting_of(client, kind, **extra) -> int:
    village = org(SLUG).villages[0].number if kind == "village_forum" else None
    return record_meeting(client, SLUG, kind, village=village, present=40, **extra)


def one_by_one(client, ids) -> None:
    program = db.session.scalars(select(Program).order_by(Program.code)).first()
    meeting = meeting_of(client, "village_forum")
    for pid in ids:
        assert act(client, pid, "village_rank", meeting_id=meeting).status_code == 302
    for pid in ids:
        proposal = db.session.get(Proposal, pid)
        assert act(client, pid, "screen", strategy_id=proposal.strategy_id,
                   tactic_id=proposal.tactic_id, program_id=program.id,
                   annex="p02").status_code == 302  # fmt: skip
    meeting = meeting_of(client, "subdistrict_forum")
    for pid in ids:
        assert act(client, pid, "endorse", meeting_id=meeting).status_code == 302
    for pid in ids:
        assert act(client, pid, "draft_plan").status_code == 302
    meeting = meeting_of(client, "dev_committee")
    for pid in ids:
        assert act(client, pid, "committee_approve", meeting_id=meeting).status_code == 302


def decide_at(client, kind, action, ids) -> None:
    meeting = meeting_of(client, kind)
    data = {f"action-{pid}": action for pid in ids} | {f"for-{pid}": "30" for pid in ids}
    response = client.post(f"/meetings/{meeting}/decide", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]


def step_list(client, action, ids) -> None:
    response = client.post(f"/o/{SLUG}/proposals/steps/{action}", data={"pick": ids})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]


def as_lists(client, ids) -> None:
    decide_at(client, "village_forum", "village_rank", ids)
    step_list(client, "screen", ids)
    decide_at(client, "subdistrict_forum", "endorse", ids)
    step_list(client, "draft_plan", ids)
    decide_at(client, "dev_committee", "committee_approve", ids)


@pytest.mark.parametrize(("way", "most"), [(one_by_one, 110), (as_lists, 12)])
def test_a_village_list_reaches_the_announced_plan(client, auth, way, most):
    assert not org(SLUG).has_council_step  # a municipality: the committee, then the executive
    counting = CountingClient(client)
    as_user(auth, "officer-khelang")
    ids = import_list(counting)
    way(counting, ids)
    as_user(auth, "executive-khelang")
    assert counting.post(f"/o/{SLUG}/plan/announce").status_code == 302
    assert {status_of(pid) for pid in ids} == {"announced"}
    print(f"\n{way.__name__}: {counting.submissions} submissions for {LIST_SIZE} proposals")
    assert counting.submissions <= most
