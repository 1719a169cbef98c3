"""Reading, editing and importing the strategy catalog as plan officers and the public do."""

from pathlib import Path

from sqlalchemy import func, select

from forum.catalog.models import Goal, Kpi, Mission, Strategy, Tactic
from forum.catalog.seeding import import_shipped_catalogs
from forum.extensions import db
from tests.helpers import org

SEEDS = Path(__file__).resolve().parent.parent / "forum" / "catalog" / "seeds"


def catalog_rows() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Strategy, Tactic, Goal, Kpi, Mission)
    )


def test_second_import_changes_nothing(app):
    before = catalog_rows()
    reports = import_shipped_catalogs()
    db.session.commit()
    assert catalog_rows() == before
    assert not any(report.changed for report in reports.values())


def test_catalog_page_is_public_and_verbatim(client):
    page = client.get("/o/ban-on/catalog").get_data(as_text=True)
    for strategy in org("ban-on").strategies:
        assert strategy.title in page
    assert "/catalog/tactics/" not in page  # no edit links for the public


def test_officer_edits_a_tactic_and_its_programs(client, auth):
    tactic = org("ban-on").strategies[0].tactics[0]
    education = db.session.scalar(
        select(db.text("id")).select_from(db.text("program")).where(db.text("code = '00210'"))
    )
    auth.login("officer-banon")
    response = client.post(
        f"/o/ban-on/catalog/tactics/{tactic.id}",
        data={"number": tactic.number, "title": "ชื่อใหม่", "program_ids": [education]},
    )
    assert response.status_code == 302
    tactic = db.session.get(Tactic, tactic.id)
    assert tactic.title == "ชื่อใหม่"
    assert [p.code for p in tactic.programs] == ["00210"]


def test_village_committee_and_other_officers_cannot_edit(client, auth):
    tactic = org("ban-on").strategies[0].tactics[0]
    auth.login("village1-banon")
    assert client.get(f"/o/ban-on/catalog/tactics/{tactic.id}").status_code == 403
    auth.logout()
    auth.login("officer-khelang")
    assert client.get(f"/o/ban-on/catalog/tactics/{tactic.id}").status_code == 403
    assert client.get(f"/o/khelang-nakhon/catalog/tactics/{tactic.id}").status_code == 404


def test_pasted_catalog_with_problems_is_reported_line_by_line_and_not_applied(client, auth):
    before = catalog_rows()
    text = (
        "ยุทธศาสตร์ที่ 1 การพัฒนาทดสอบ\n"
        "1.1 แนวทางแรก\n"
        "บรรทัดนี้ไม่มีเลขและไม่รู้ว่าอยู่ตรงไหน\n"
        "1.3 แนวทางที่ข้ามเลข\n"
    )
    auth.login("officer-banon")
    page = client.post(
        "/o/ban-on/catalog/import", data={"text": text, "apply": "1"}
    ).get_data(as_text=True)
    assert "ยังไม่ได้นำเข้าข้อมูลใด ๆ" in page
    assert "<td class=\"num\">3</td>" in page
    assert catalog_rows() == before


def test_pasting_the_published_text_again_changes_nothing(client, auth):
    before = catalog_rows()
    text = (SEEDS / "ban_on_sao_003.txt").read_text(encoding="utf-8")
    auth.login("officer-banon")
    response = client.post("/o/ban-on/catalog/import", data={"text": text, "apply": "1"})
    assert response.status_code == 302
    assert catalog_rows() == before


def test_new_organization_imports_its_own_strategy_page(client, auth):
    """A Khelang Nakhon officer pastes its page again after the catalog was emptied of a
    tactic; the missing tactic comes back and nothing else changes."""
    strategy = org("khelang-nakhon").strategies[0]
    removed = strategy.tactics[-1]
    number, title = removed.number, removed.title
    db.session.delete(removed)
    db.session.commit()
    text = (SEEDS / "khelang_nakhon_004.txt").read_text(encoding="utf-8")
    auth.login("officer-khelang")
    client.post("/o/khelang-nakhon/catalog/import", data={"text": text, "apply": "1"})
    strategy = db.session.get(Strategy, strategy.id)
    assert any(t.number == number and t.title == title for t in strategy.tactics)


def test_officer_adds_the_next_plan_period_with_issue_layout(client, auth):
    auth.login("officer-banon")
    response = client.post("/o/ban-on/periods", data={"first_year": "2571", "layout": "issue"})
    assert response.status_code == 302
    period = org("ban-on").current_period
    assert (period.first_year, period.last_year, period.layout) == (2571, 2575, "issue")
    overlap = client.post("/o/ban-on/periods", data={"first_year": "2568", "layout": "strategy"})
    assert "ปีนี้อยู่ในแผนพัฒนาที่มีอยู่แล้ว" in overlap.get_data(as_text=True)
