"""The tracking code proves authorship (it withdraws a proposal): shown once to the submitter,
never on a public page, the open-data API or an export; only its digest is stored."""

import io
import re
import sqlite3

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text

from forum.extensions import db
from forum.proposals.models import Proposal
from forum.workflow.models import Decision
from tests.helpers import org, shown_tracking_code, submitted_id, valid_proposal_form


@pytest.fixture
def submitted(client):
    """(proposal id, the code the submitter was shown) of a fresh public submission."""
    response = client.post("/o/ban-on/proposals/new", data=valid_proposal_form(org("ban-on")))
    return submitted_id(response), shown_tracking_code(client, response)


def forms_of(code: str) -> list[str]:
    return [code, code.replace("-", ""), code.replace("-", "").lower()]


def xlsx_text(data: bytes) -> str:
    sheet = load_workbook(io.BytesIO(data)).active
    return " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)


def test_the_code_is_on_no_public_page_api_or_export(client, submitted):
    proposal_id, code = submitted
    public = {
        "page": client.get(f"/proposals/{proposal_id}").get_data(as_text=True),
        "list": client.get("/o/ban-on/proposals").get_data(as_text=True),
        "api": client.get("/api/organizations/ban-on/proposals?limit=5000").get_data(as_text=True),
        "csv": client.get("/o/ban-on/exports/proposals.csv").get_data(as_text=True),
        "xlsx": xlsx_text(client.get("/o/ban-on/exports/proposals.xlsx").data),
    }
    for where, body in public.items():
        assert not any(form in body for form in forms_of(code)), where
    assert f">{proposal_id}<" in public["page"]  # the public reference number instead


def test_the_code_is_shown_once_to_the_submitter_only(app, client, submitted):
    proposal_id, code = submitted
    again = client.get(f"/proposals/{proposal_id}/submitted").get_data(as_text=True)
    assert code not in again and "แสดงเพียงครั้งเดียว" in again
    stranger = app.test_client().get(f"/proposals/{proposal_id}/submitted")
    assert code not in stranger.get_data(as_text=True)


def test_the_database_keeps_only_a_digest(client, submitted):
    proposal_id, code = submitted
    row = db.session.execute(
        text("SELECT * FROM proposal WHERE id = :id"), {"id": proposal_id}
    ).mappings().one()
    assert not any(isinstance(v, str) and f in v for v in row.values() for f in forms_of(code))
    assert len(row["tracking_code_hash"]) == 64


def test_the_code_looks_the_proposal_up_typed_any_way(client, submitted):
    proposal_id, code = submitted
    for typed in (code, code.lower().replace("-", " ")):
        answer = client.get(f"/track?code={typed}")
        assert answer.headers["Location"].endswith(f"/proposals/{proposal_id}")


@pytest.mark.parametrize("app_config", [{"TRUSTED_PROXY_COUNT": 1}])
def test_a_withdrawal_with_the_code_records_the_address(client, submitted, app_config):
    proposal_id, code = submitted
    via_proxy = {"X-Forwarded-For": "203.0.113.9"}
    client.post(f"/proposals/{proposal_id}/act/withdraw",
                data={"tracking_code": code, "reason": "ซ้ำ"}, headers=via_proxy)
    decision = db.session.scalar(
        select(Decision).where(Decision.proposal_id == proposal_id).order_by(Decision.id.desc())
    )
    assert decision.action == "withdraw" and decision.address == "203.0.113.9"
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "203.0.113.9" not in page


def test_what_the_public_page_shows_does_not_withdraw(client, submitted):
    proposal_id, _code = submitted
    for guess in (str(proposal_id), ""):
        client.post(f"/proposals/{proposal_id}/act/withdraw",
                    data={"tracking_code": guess, "reason": "x"})
    assert db.session.get(Proposal, proposal_id).status == "submitted"


def test_migration_revokes_the_codes_that_had_been_published(tmp_path):
    """Codes issued before the migration were public: afterwards they withdraw nothing."""
    from flask_migrate import downgrade, upgrade

    from forum import create_app
    from tests.conftest import base_config

    path = tmp_path / "old.sqlite"
    app = create_app(base_config(f"sqlite:///{path}"))
    with app.app_context():
        upgrade(revision="ae3b5c7d9e42")
        db.engine.dispose()
    with sqlite3.connect(path) as old:
        old.execute("INSERT INTO organization (id, slug, kind, name_th, name_en, province) "
                    "VALUES (1, 'old', 'sao', 'อบต.เก่า', 'Old SAO', 'ลำปาง')")
        old.execute("INSERT INTO strategy (id, organization_id, number, title) "
                    "VALUES (1, 1, 1, 's')")
        old.execute("INSERT INTO tactic (id, strategy_id, number, title, position) "
                    "VALUES (1, 1, '1.1', 't', 1)")
        old.execute("INSERT INTO proposal (id, organization_id, tracking_code, status, title, "
                    "strategy_id, tactic_id, annex, proposer_name_private, created_at, "
                    "updated_at, version) VALUES (1, 1, 'PUBLIC23', 'submitted', 'x', 1, 1, "
                    "'p02', 0, '2026-01-01', '2026-01-01', 1)")
    with app.app_context():
        upgrade()
        proposal = db.session.get(Proposal, 1)
        assert proposal.tracking_code_hash is None
        assert not proposal.tracking_code_matches("PUBLIC23")
        assert app.test_client().get("/track?code=PUBLIC23").status_code == 200  # not found
        db.session.remove()
        downgrade(revision="ae3b5c7d9e42")
        upgrade()
        db.engine.dispose()


def test_the_office_issues_a_new_code_shown_once_and_the_old_one_stops(client, auth, submitted):
    proposal_id, old = submitted
    auth.login("officer-banon")
    page = client.post(f"/proposals/{proposal_id}/tracking-code", follow_redirects=True)
    new = re.search(r"[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}", page.get_data(as_text=True))
    assert new and new.group(0) != old
    assert new.group(0) not in client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    proposal = db.session.get(Proposal, proposal_id)
    assert proposal.tracking_code_matches(new.group(0))
    assert not proposal.tracking_code_matches(old)
    assert proposal.decisions[-1].action == "reissue_code"
    assert proposal.decisions[-1].actor.username == "officer-banon"
    auth.logout()
    auth.login("village1-banon")
    assert client.post(f"/proposals/{proposal_id}/tracking-code").status_code == 403
