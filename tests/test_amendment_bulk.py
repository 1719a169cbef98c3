"""An addition carries several deferred or approved proposals into the plan at once, each with
its own reason: all rows saved through the one-item rule, or none and the refused row named."""

from sqlalchemy import select

from forum.extensions import db
from forum.plans.amendment_models import Amendment
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from tests.helpers import org
from tests.test_amendments import new_amendment
from tests.test_workflow import as_user, flash_errors

REASONS = ("น้ำท่วมซ้ำทุกปี", "ประชาคมขอเพิ่มเติม", "ราคาวัสดุสูงขึ้น")


def waiting_proposals(n=3) -> list[int]:
    """Ban On proposals outside the plan, made deferred or approved (the carry-in candidates)."""
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.organization_id == org("ban-on").id,
                               Proposal.status != Status.ANNOUNCED)
        .order_by(Proposal.id).limit(n)
    ).all()  # fmt: skip
    for p, status in zip(proposals, (Status.DEFERRED, Status.COUNCIL_APPROVED, Status.DEFERRED),
                         strict=False):  # fmt: skip
        p.status = status
    db.session.commit()
    return [p.id for p in proposals]


def bulk_url(amendment_id, slug="ban-on") -> str:
    return f"/o/{slug}/plan/amendments/{amendment_id}/items/carry-in"


def items_of(amendment_id):
    db.session.expire_all()
    return db.session.get(Amendment, amendment_id).items


def rows(ids, reasons, year) -> dict:
    data = {"pick": [str(i) for i in ids]}
    for pid, reason in zip(ids, reasons, strict=True):
        data[f"reason-{pid}"] = reason
        data[f"budget-{pid}-{year}"] = "120,000"
    return data


def test_several_proposals_join_an_addition_each_with_its_reason(client, auth):
    ids = waiting_proposals()
    as_user(auth, "officer-banon")
    addition = new_amendment(client, "ban-on", "addition")
    page = client.get(bulk_url(addition)).get_data(as_text=True)
    assert all(f'name="pick" value="{pid}"' in page for pid in ids)
    assert f"/plan/amendments/{addition}/items/carry-in" in client.get(
        f"/o/ban-on/plan/amendments/{addition}").get_data(as_text=True)
    year = org("ban-on").current_period.last_year

    response = client.post(bulk_url(addition), data=rows(ids, REASONS, year))
    assert response.status_code == 302, flash_errors(response)
    added = {i.proposal_id: i for i in items_of(addition)}
    assert set(added) == set(ids)
    assert [added[pid].reason for pid in ids] == list(REASONS)
    assert all(added[pid].new_values["budgets"][str(year)] == 120_000 for pid in ids)
    # once in the amendment, a proposal is no longer offered
    assert f'value="{ids[0]}"' not in client.get(bulk_url(addition)).get_data(as_text=True)


def test_one_missing_reason_saves_none_and_names_the_row(client, auth):
    ids = waiting_proposals()
    as_user(auth, "officer-banon")
    addition = new_amendment(client, "ban-on", "addition")
    year = org("ban-on").current_period.last_year
    response = client.post(bulk_url(addition), data=rows(ids, (REASONS[0], "", REASONS[2]), year))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="problem-{ids[1]}"' in page
    assert f'id="problem-{ids[0]}"' not in page and f'id="problem-{ids[2]}"' not in page
    assert "เหตุผลความจำเป็น" in page
    assert REASONS[0] in page and REASONS[2] in page  # what was typed is kept
    assert items_of(addition) == []


def test_a_proposal_not_on_the_list_is_refused(client, auth):
    ids = waiting_proposals(2)
    in_plan = db.session.scalars(
        select(Proposal.id).where(Proposal.organization_id == org("ban-on").id,
                                  Proposal.status == Status.ANNOUNCED).limit(1)
    ).one()  # fmt: skip
    as_user(auth, "officer-banon")
    addition = new_amendment(client, "ban-on", "addition")
    year = org("ban-on").current_period.last_year
    data = rows([ids[0], in_plan], REASONS[:2], year)
    response = client.post(bulk_url(addition), data=data)
    assert response.status_code == 422
    assert f"#{in_plan}" in " ".join(flash_errors(response)) or str(in_plan) in " ".join(
        flash_errors(response))
    assert items_of(addition) == []


def test_another_organizations_amendment_is_not_found(client, auth):
    as_user(auth, "officer-banon")
    addition = new_amendment(client, "ban-on", "addition")
    as_user(auth, "officer-khelang")
    assert client.get(bulk_url(addition)).status_code == 404
    assert client.get(bulk_url(addition, "khelang-nakhon")).status_code == 404
    assert client.post(bulk_url(addition, "khelang-nakhon"), data={"pick": ["1"]}).status_code \
        == 404
    as_user(auth, "village1-banon")
    assert client.get(bulk_url(addition)).status_code in (403, 404)


def test_a_stale_page_is_refused_once_and_then_saves_after_checking(client, auth):
    ids = waiting_proposals(2)
    as_user(auth, "officer-banon")
    addition = new_amendment(client, "ban-on", "addition")
    year = org("ban-on").current_period.last_year
    opened = db.session.get(Amendment, addition).version
    client.post(bulk_url(addition), data=rows(ids[:1], REASONS[:1], year))  # another tab
    stale = rows(ids[1:], REASONS[1:2], year) | {"record_version": str(opened)}
    refused = client.post(bulk_url(addition), data=stale)
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert REASONS[1] in page  # what was typed is kept
    shown = db.session.get(Amendment, addition).version
    assert f'name="record_version" value="{shown}"' in page and shown != opened
    again = client.post(bulk_url(addition), data=stale | {"record_version": str(shown)})
    assert again.status_code == 302
    assert {i.proposal_id for i in items_of(addition)} == set(ids)


def test_a_version_that_is_not_a_number_is_not_a_server_error(client, auth):
    ids = waiting_proposals(1)
    as_user(auth, "officer-banon")
    addition = new_amendment(client, "ban-on", "addition")
    year = org("ban-on").current_period.last_year
    for bad in ("²", "٣", "9" * 40, "-1"):
        data = rows(ids, REASONS[:1], year) | {"record_version": bad}
        assert client.post(bulk_url(addition), data=data).status_code in (302, 409, 422)
