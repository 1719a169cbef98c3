"""Failures in the middle of a multi-step change leave the database and files as they were.

Faults are injected at the database driver: the Nth statement that matches raises, as a lost
connection or a crashed worker would, after the earlier statements of the same request ran.
Writing files is interrupted at the operating system (a full disk).
"""

import errno
import io
import os
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from forum.auth.models import User
from forum.extensions import db
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from forum.voting.models import Ballot, BallotMark
from forum.workflow.models import Decision
from tests.helpers import org


class InjectedFault(RuntimeError):
    pass


@pytest.fixture
def fail_on(app):
    """fail_on("INSERT INTO decision") makes the next such statement raise;
    fail_on(prefix, after=2) lets two of them through first."""
    armed: list[list] = []  # [prefix, statements still to let through]

    def before_execute(_conn, _cursor, statement, _params, _context, _many):
        if armed and statement.lstrip().upper().startswith(armed[0][0]):
            if armed[0][1] > 0:
                armed[0][1] -= 1
                return
            armed.clear()
            raise InjectedFault(statement[:60])

    def arm(prefix: str, after: int = 0) -> None:
        armed[:] = [[prefix.upper(), after]]

    event.listen(db.engine, "before_cursor_execute", before_execute)
    yield arm
    assert not armed, "the fault was armed but never hit"
    event.remove(db.engine, "before_cursor_execute", before_execute)


@pytest.fixture
def app_config(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


def rows_of(*tables: str) -> dict[str, list[tuple]]:
    """Every row of the named tables, in primary-key order: counts and contents at once."""
    db.session.remove()
    out = {}
    for name in tables:
        table = db.metadata.tables[name]
        out[name] = [tuple(r) for r in db.session.execute(
            select(table).order_by(*table.primary_key.columns)
        )]  # fmt: skip
    return out


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def snapshot(model, *where):
    db.session.remove()
    return db.session.scalars(select(model).where(*where)).all()


def village1_proposal() -> Proposal:
    ban_on = org("ban-on")
    village = next(v for v in ban_on.villages if v.number == 1)
    proposal = db.session.scalar(
        select(Proposal).where(Proposal.village_id == village.id).order_by(Proposal.id)
    )
    proposal.status = Status.SUBMITTED
    db.session.commit()
    return proposal


def test_a_transition_that_fails_halfway_changes_nothing(client, auth, fail_on):
    proposal_id = village1_proposal().id
    decisions_before = db.session.scalar(select(func.count(Decision.id)))
    auth.login("village1-banon")
    fail_on("INSERT INTO decision")  # the status update has been sent by then
    with pytest.raises(InjectedFault):
        client.post(f"/proposals/{proposal_id}/act/withdraw", data={"reason": "ซ้ำ"})
    db.session.remove()
    assert db.session.get(Proposal, proposal_id).status == Status.SUBMITTED
    assert db.session.scalar(select(func.count(Decision.id))) == decisions_before
    # and the same request succeeds once the fault is gone
    response = client.post(f"/proposals/{proposal_id}/act/withdraw", data={"reason": "ซ้ำ"})
    assert response.status_code == 302
    db.session.remove()
    assert db.session.get(Proposal, proposal_id).status == Status.WITHDRAWN


@pytest.fixture
def committee_round(app):
    from forum.meetings.models import Attendee, Meeting, MeetingKind
    from forum.voting.models import Method
    from forum.voting.services import open_round

    ban_on = org("ban-on")
    items = db.session.scalars(
        select(Proposal).where(Proposal.organization_id == ban_on.id).limit(3)
    ).all()
    for p in items:
        p.status = Status.IN_DRAFT_PLAN
    from forum.meetings.services import next_number

    members = db.session.scalars(select(User).where(User.username.like("committee%"))).all()
    series, year = Meeting.series_for(MeetingKind.DEV_COMMITTEE, None), date.today().year + 543
    meeting = Meeting(
        organization=ban_on, kind=MeetingKind.DEV_COMMITTEE, series=series,
        number=next_number(ban_on.id, series, year),  # the demo has meetings of its own
        year=year, held_on=date.today(), place="ห้องประชุม",
        attendees=[Attendee(name=u.display_name, user=u) for u in members],
    )
    db.session.add(meeting)
    db.session.flush()
    officer = db.session.scalar(select(User).where(User.username == "officer-banon"))
    ballot_round = open_round(meeting, Method.APPROVAL, "รอบที่ 1", [p.id for p in items], officer)
    db.session.commit()
    return ballot_round.id, [p.id for p in items]


def marks_of(round_id: int) -> dict[int, dict[int, str]]:
    db.session.remove()
    rows = db.session.execute(
        select(Ballot.voter_id, BallotMark.proposal_id, BallotMark.choice)
        .join(BallotMark, BallotMark.ballot_id == Ballot.id)
        .where(Ballot.round_id == round_id)
    ).all()
    out: dict[int, dict[int, str]] = {}
    for voter, pid, choice in rows:
        out.setdefault(voter, {})[pid] = choice
    return out


def test_a_crash_during_a_ballot_round_loses_no_cast_ballot(app, fail_on, committee_round):
    round_id, items = committee_round
    clients = {}
    for name in ("committee1-banon", "committee2-banon", "committee3-banon"):
        clients[name] = app.test_client()
        clients[name].post("/login", data={"username": name, "password": "prachakhom-demo"})
    for name in ("committee1-banon", "committee2-banon"):
        response = clients[name].post(
            f"/rounds/{round_id}/ballot", data={f"p{pid}": "for" for pid in items}
        )
        assert response.status_code == 302
    cast = marks_of(round_id)
    assert len(cast) == 2

    # committee1 changes their ballot; the server dies after the old marks were deleted
    fail_on("INSERT INTO ballot_mark")
    with pytest.raises(InjectedFault):
        clients["committee1-banon"].post(
            f"/rounds/{round_id}/ballot", data={f"p{pid}": "against" for pid in items}
        )
    # committee3 casts for the first time; the server dies before the ballot is stored
    fail_on("INSERT INTO ballot_mark")
    with pytest.raises(InjectedFault):
        clients["committee3-banon"].post(
            f"/rounds/{round_id}/ballot", data={f"p{pid}": "for" for pid in items}
        )
    db.session.remove()
    db.engine.dispose()  # every connection of the "crashed" worker is gone

    assert marks_of(round_id) == cast  # the two cast ballots, exactly as they were
    # after the restart, the interrupted voters simply vote again
    for name, choice in (("committee1-banon", "against"), ("committee3-banon", "for")):
        response = clients[name].post(
            f"/rounds/{round_id}/ballot", data={f"p{pid}": choice for pid in items}
        )
        assert response.status_code == 302
    after = marks_of(round_id)
    assert len(after) == 3
    assert sorted(",".join(sorted(set(m.values()))) for m in after.values()) == [
        "against", "for", "for"
    ]


# ---------------------------------------------------------------------------- imports

PROPOSAL_TABLES = ("proposal", "proposal_budget", "decision")


def import_file(fmt: str) -> bytes:
    from tests.test_imports import as_csv, as_xlsx, first_tactic, row, table

    tactic = first_tactic()
    lines = table([row("ซ่อมแซมศาลาประชาคม", tactic=tactic), row("ขุดลอกคลองหน้าวัด", tactic=tactic),
                   row("ติดตั้งไฟส่องสว่างทางเข้าหมู่บ้าน", tactic=tactic)])  # fmt: skip
    return as_csv(lines) if fmt == "csv" else as_xlsx(lines)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_import_that_fails_halfway_saves_nothing_and_can_be_retried(
    app, client, auth, fail_on, fmt
):
    from forum.jobs.models import Job

    auth.login("village1-banon")
    client.post(
        "/o/ban-on/imports/new",
        data={"file": (io.BytesIO(import_file(fmt)), f"list.{fmt}")},
        content_type="multipart/form-data",
    )
    token = db.session.scalar(select(Job.token).order_by(Job.id.desc()))
    before = rows_of(*PROPOSAL_TABLES)

    # the first proposal is written with its decision; the second one's decision fails
    fail_on("INSERT INTO decision", after=1)
    page = client.post(f"/imports/{token}/save", follow_redirects=True).get_data(as_text=True)

    assert rows_of(*PROPOSAL_TABLES) == before
    job = db.session.scalar(select(Job).where(Job.token == token))
    assert job.status == "failed"
    assert "ไม่ได้บันทึกสิ่งใด" in page  # "nothing was saved", not a list of saved codes
    assert "ซ่อมแซมศาลาประชาคม" in page  # the rows are still there to save again
    assert files_under(Path(app.config["UPLOAD_DIR"])) == []

    # once the fault is gone, the same import is saved again from its preview, whole
    client.post(f"/imports/{token}/save")
    after = rows_of(*PROPOSAL_TABLES)
    assert len(after["proposal"]) == len(before["proposal"]) + 3
    assert len(after["decision"]) == len(before["decision"]) + 3


CATALOG_TABLES = ("mission", "strategy", "goal", "kpi", "tactic")


def changed_catalog_text() -> str:
    from tests.test_catalog import SEEDS

    text = (SEEDS / "ban_on_sao_003.txt").read_text(encoding="utf-8")
    # a changed strategy title (an UPDATE) and a new tactic (an INSERT) in the same import
    strategy = org("ban-on").strategies[0]
    retitled = text.replace(strategy.title, strategy.title + " (ปรับปรุง)", 1)
    assert retitled != text
    lines = retitled.splitlines()
    last = next(i for i, line in enumerate(lines) if strategy.tactics[-1].title[:20] in line)
    lines.insert(last + 1, f"      {len(strategy.tactics) + 1}. แนวทางใหม่ทดสอบ")
    return "\n".join(lines) + "\n"


def test_a_catalog_import_that_fails_halfway_changes_nothing(client, auth, fail_on):
    text = changed_catalog_text()
    before = rows_of(*CATALOG_TABLES, "organization")
    auth.login("officer-banon")
    preview = client.post("/o/ban-on/catalog/import", data={"text": text})
    assert "แนวทางใหม่ทดสอบ" in preview.get_data(as_text=True)  # parsed cleanly

    fail_on("INSERT INTO tactic")  # after the strategy's new title was sent
    with pytest.raises(InjectedFault):
        client.post("/o/ban-on/catalog/import", data={"text": text, "apply": "1"})
    assert rows_of(*CATALOG_TABLES, "organization") == before

    response = client.post("/o/ban-on/catalog/import", data={"text": text, "apply": "1"})
    assert response.status_code == 302
    assert rows_of(*CATALOG_TABLES, "organization") != before


def test_the_catalog_import_command_fails_whole(app, fail_on, tmp_path):
    source = tmp_path / "catalog.txt"
    source.write_text(changed_catalog_text(), encoding="utf-8")
    before = rows_of(*CATALOG_TABLES, "organization")
    fail_on("INSERT INTO tactic")
    result = app.test_cli_runner().invoke(args=["import-catalog", "--org", "ban-on", str(source)])
    assert result.exit_code != 0
    assert isinstance(result.exception, InjectedFault)
    assert rows_of(*CATALOG_TABLES, "organization") == before


# ---------------------------------------------------------------------------- plan export

JOB_TABLES = ("job",)


def test_a_plan_export_job_that_fails_halfway_shows_failed_and_offers_no_file(
    app, client, auth, fail_on
):
    from forum.jobs.models import Job

    app.config["PLAN_INLINE_PROJECTS"] = 0  # every export becomes a job
    auth.login("officer-banon")
    before = rows_of(*PROPOSAL_TABLES)
    fail_on("SELECT proposal_budget")  # while the annex's projects are being loaded
    response = client.get("/o/ban-on/plan/p02.pdf")
    assert response.status_code == 302

    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert (job.kind, job.status) == ("plan-export", "failed")
    assert job.result is None and job.result_name is None
    page = client.get(f"/jobs/{job.token}").get_data(as_text=True)
    assert "หยุดเพราะเกิดข้อผิดพลาด" in page  # "stopped with an error"
    assert "ไม่มีสิ่งใดถูกเปลี่ยนแปลง" in page  # "nothing was changed; try again"
    assert f"/jobs/{job.token}/download" not in page
    assert client.get(f"/jobs/{job.token}/download").status_code == 404
    assert rows_of(*PROPOSAL_TABLES) == before

    again = client.get("/o/ban-on/plan/p02.pdf", follow_redirects=True)
    assert "/download" in again.get_data(as_text=True)


def test_an_export_job_keeps_the_message_of_its_failure(app, client, auth):
    from forum.jobs.models import Job
    from forum.plans.annexes import FORMS

    app.config["PLAN_INLINE_PROJECTS"] = 0
    announced = {p.annex for p in org("ban-on").current_period and db.session.scalars(
        select(Proposal).where(Proposal.status == "announced")
    )}  # fmt: skip
    empty = next(form for form in FORMS[1:] if form not in announced)
    auth.login("officer-banon")
    client.get(f"/o/ban-on/plan/{empty}.pdf")
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert job.status == "failed"
    assert "แบบบัญชีนี้ยังไม่มีโครงการในแผน" in client.get(f"/jobs/{job.token}").get_data(as_text=True)


@pytest.fixture
def export_dir(tmp_path):
    """An output folder holding last month's export, which a failed export must not touch."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "plan-p02.pdf").write_bytes(b"%PDF-1.7 last month's plan")
    return folder


def export_plan(app, target: Path):
    args = ["export-plan", "--org", "ban-on", "--form", "p02", "--output", str(target)]
    return app.test_cli_runner().invoke(args=args)


def test_export_plan_command_interrupted_by_the_database_leaves_the_old_file(
    app, fail_on, export_dir
):
    target = export_dir / "plan-p02.pdf"
    fail_on("SELECT proposal_budget")
    result = export_plan(app, target)
    assert result.exit_code != 0
    assert target.read_bytes() == b"%PDF-1.7 last month's plan"
    assert files_under(export_dir) == [target]


@pytest.mark.parametrize("suffix", ["pdf", "xlsx"])
def test_export_plan_command_on_a_full_disk_leaves_no_partial_file(
    app, export_dir, monkeypatch, suffix
):
    target = export_dir / f"plan-p02.{suffix}"
    if suffix == "pdf":
        target.write_bytes(b"%PDF-1.7 last month's plan")
    before = {p: p.read_bytes() for p in files_under(export_dir)}

    def disk_full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)  # the bytes were handed over, never made safe
    result = export_plan(app, target)
    assert result.exit_code != 0
    assert {p: p.read_bytes() for p in files_under(export_dir)} == before  # no temporary left

    monkeypatch.undo()
    assert export_plan(app, target).exit_code == 0
    assert target.read_bytes()[:4] in (b"%PDF", b"PK\x03\x04")
    assert target.read_bytes() != b"%PDF-1.7 last month's plan"


VERSION_TABLES = ("plan_version", "plan_version_project", "plan_document")


def test_freezing_a_plan_version_that_fails_halfway_stores_no_version(
    client, auth, fail_on
):
    before = rows_of(*VERSION_TABLES)
    auth.login("officer-banon")
    # the version and its project snapshots are sent by then (PostgreSQL sends all the
    # PDFs in one statement, SQLite one by one: fail at the first)
    fail_on("INSERT INTO plan_document")
    with pytest.raises(InjectedFault):
        client.post("/o/ban-on/plan/versions", data={"note": "ประกาศใช้แผน"})
    assert rows_of(*VERSION_TABLES) == before

    response = client.post("/o/ban-on/plan/versions", data={"note": "ประกาศใช้แผน"})
    assert response.status_code == 302
    after = rows_of(*VERSION_TABLES)
    assert len(after["plan_version"]) == len(before["plan_version"]) + 1
    assert after["plan_version"][:-1] == before["plan_version"]
    assert len(after["plan_version_project"]) > len(before["plan_version_project"])


def test_a_proposal_whose_photos_fail_to_save_leaves_no_file_behind(app, client, fail_on):
    from tests.helpers import valid_proposal_form
    from tests.test_proposals import photo_bytes, submit, with_photos

    before = rows_of(*PROPOSAL_TABLES, "proposal_photo")
    data = with_photos(valid_proposal_form(org("ban-on")),
                       (photo_bytes(), "a.jpg"), (photo_bytes("PNG"), "b.png"))  # fmt: skip
    fail_on("INSERT INTO proposal_photo")  # both files are in the store by then
    with pytest.raises(InjectedFault):
        submit(client, data)
    assert rows_of(*PROPOSAL_TABLES, "proposal_photo") == before
    assert files_under(Path(app.config["UPLOAD_DIR"])) == []
