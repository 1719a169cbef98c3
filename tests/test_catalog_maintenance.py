"""A plan officer keeps the catalog up to date: province links, goals, indicators and missions,
order, retiring items that proposals already cite, and re-importing with a preview."""

from pathlib import Path

from sqlalchemy import select

from forum.catalog.models import Goal, Mission, Strategy, Tactic
from forum.extensions import db
from forum.proposals.models import Proposal
from tests.helpers import org, valid_proposal_form

SEEDS = Path(__file__).resolve().parent.parent / "forum" / "catalog" / "seeds"
BAN_ON_TEXT = (SEEDS / "ban_on_sao_003.txt").read_text(encoding="utf-8")
TOWN_PLANNING_LINE = "4. การผังเมือง"  # Ban On's strategy 1, tactic 4


def without_town_planning(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if TOWN_PLANNING_LINE not in line)


def tactic(strategy: int, number: str, slug: str = "ban-on") -> Tactic:
    return next(
        t for s in org(slug).strategies for t in s.tactics
        if s.number == strategy and t.number == number
    )


def test_strategy_form_links_to_a_province_strategy_with_a_suggestion(client, auth):
    strategy = org("ban-on").strategies[0]
    strategy.province_strategy = None
    db.session.commit()
    auth.login("officer-banon")
    page = client.get(f"/o/ban-on/catalog/strategies/{strategy.id}").get_data(as_text=True)
    assert 'name="province_number"' in page
    assert "แนะนำจากชื่อ" in page  # the suggestion, for the officer to confirm
    response = client.post(
        f"/o/ban-on/catalog/strategies/{strategy.id}",
        data={"title": strategy.title, "province_number": 2},
    )
    assert response.status_code == 302
    linked = db.session.get(Strategy, strategy.id).province_strategy
    assert (linked.organization.slug, linked.number) == ("lampang-province", 2)
    client.post(
        f"/o/ban-on/catalog/strategies/{strategy.id}",
        data={"title": strategy.title, "province_number": 0},
    )
    assert db.session.get(Strategy, strategy.id).province_strategy is None
    refused = client.post(
        f"/o/ban-on/catalog/strategies/{strategy.id}",
        data={"title": strategy.title, "province_number": 99},
    )
    assert refused.status_code == 200 and 'class="error"' in refused.get_data(as_text=True)


def test_officer_adds_edits_and_reorders_goals_and_missions(client, auth):
    strategy = org("ban-on").strategies[0]
    auth.login("officer-banon")
    for text in ("ถนนทุกสายสัญจรได้ตลอดปี", "ทุกครัวเรือนมีน้ำประปาใช้"):
        response = client.post(
            f"/o/ban-on/catalog/strategies/{strategy.id}/goal/new", data={"text": text}
        )
        assert response.status_code == 302
    goals = db.session.get(Strategy, strategy.id).goals
    first, second = goals[-2], goals[-1]
    assert (first.text, second.text) == ("ถนนทุกสายสัญจรได้ตลอดปี", "ทุกครัวเรือนมีน้ำประปาใช้")
    client.post(f"/o/ban-on/catalog/goal/{second.id}/move", data={"direction": "up"})
    assert [g.text for g in db.session.get(Strategy, strategy.id).goals][-2:] == [
        "ทุกครัวเรือนมีน้ำประปาใช้",
        "ถนนทุกสายสัญจรได้ตลอดปี",
    ]
    client.post(f"/o/ban-on/catalog/goal/{first.id}/text", data={"text": "ถนนลาดยางทุกสาย"})
    assert db.session.get(Goal, first.id).text == "ถนนลาดยางทุกสาย"
    empty = client.post(f"/o/ban-on/catalog/goal/{first.id}/text", data={"text": ""})
    assert empty.status_code == 200 and db.session.get(Goal, first.id).text == "ถนนลาดยางทุกสาย"

    client.post("/o/ban-on/catalog/missions/new", data={"text": "พัฒนาแหล่งน้ำให้เพียงพอ"})
    mission = db.session.scalar(select(Mission).where(Mission.text == "พัฒนาแหล่งน้ำให้เพียงพอ"))
    assert mission is not None and mission.organization.slug == "ban-on"
    page = client.get("/o/ban-on/catalog").get_data(as_text=True)
    assert "ถนนลาดยางทุกสาย" in page and "พัฒนาแหล่งน้ำให้เพียงพอ" in page


def test_tactics_move_by_place_and_keep_their_number(client, auth):
    strategy = org("ban-on").strategies[0]
    before = [t.number for t in strategy.tactics]
    auth.login("officer-banon")
    first = strategy.tactics[0]
    client.post(f"/o/ban-on/catalog/tactic/{first.id}/move", data={"direction": "down"})
    after = [t.number for t in db.session.get(Strategy, strategy.id).tactics]
    assert after == [before[1], before[0], *before[2:]]
    top = db.session.get(Strategy, strategy.id).tactics[0]
    at_top = client.post(f"/o/ban-on/catalog/tactic/{top.id}/move", data={"direction": "up"})
    assert at_top.status_code == 302  # the first one: told it is already there, nothing moved
    assert [t.number for t in db.session.get(Strategy, strategy.id).tactics] == after


def test_a_retired_tactic_is_no_longer_offered_but_stays_on_its_proposals(client, auth):
    ban_on = org("ban-on")
    town_planning = tactic(1, "4")
    auth.login("village1-banon")
    data = valid_proposal_form(ban_on, tactic_id=town_planning.id)
    client.post("/o/ban-on/proposals/new", data=data)
    proposal = db.session.scalar(select(Proposal).order_by(Proposal.id.desc()))
    assert proposal.tactic_id == town_planning.id
    auth.logout()

    auth.login("officer-banon")
    client.post(f"/o/ban-on/catalog/tactic/{town_planning.id}/retire")
    assert db.session.get(Tactic, town_planning.id).retired
    form = client.get("/o/ban-on/proposals/new").get_data(as_text=True)
    assert f'value="{town_planning.id}"' not in form
    public = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert town_planning.title[:20] in public
    officer_catalog = client.get("/o/ban-on/catalog").get_data(as_text=True)
    assert '<span class="tag muted">เลิกใช้แล้ว</span>' in officer_catalog  # to restore it
    auth.logout()
    assert town_planning.title[:20] not in client.get("/o/ban-on/catalog").get_data(as_text=True)

    auth.login("officer-banon")
    client.post(f"/o/ban-on/catalog/tactic/{town_planning.id}/retire", data={"restore": "1"})
    assert not db.session.get(Tactic, town_planning.id).retired
    assert f'value="{town_planning.id}"' in client.get("/o/ban-on/proposals/new").get_data(
        as_text=True
    )


def test_reimport_previews_what_it_adds_changes_and_retires_before_doing_it(client, auth):
    town_planning = tactic(1, "4")
    auth.login("officer-banon")
    text = without_town_planning(BAN_ON_TEXT)
    preview = client.post("/o/ban-on/catalog/import", data={"text": text, "preview": "1"})
    page = preview.get_data(as_text=True)
    assert "สิ่งที่การนำเข้าจะทำ" in page
    assert town_planning.title[:20] in page
    assert not db.session.get(Tactic, town_planning.id).retired  # a preview changes nothing

    applied = client.post("/o/ban-on/catalog/import", data={"text": text, "apply": "1"})
    assert applied.status_code == 302
    retired = db.session.get(Tactic, town_planning.id)
    assert retired is not None and retired.retired  # retired, never deleted

    again = client.post("/o/ban-on/catalog/import", data={"text": BAN_ON_TEXT, "preview": "1"})
    assert "นำกลับมาใช้" in again.get_data(as_text=True)
    client.post("/o/ban-on/catalog/import", data={"text": BAN_ON_TEXT, "apply": "1"})
    assert not db.session.get(Tactic, town_planning.id).retired

    unchanged = client.post("/o/ban-on/catalog/import", data={"text": BAN_ON_TEXT, "preview": "1"})
    assert "ไม่มี: ผังยุทธศาสตร์ตรงกับข้อความนี้อยู่แล้ว" in unchanged.get_data(as_text=True)


def test_pasted_catalog_gets_suggested_links_the_officer_confirms(client, auth):
    for strategy in org("ban-on").strategies:
        strategy.province_strategy = None
    db.session.commit()
    auth.login("officer-banon")
    page = client.post(
        "/o/ban-on/catalog/import", data={"text": BAN_ON_TEXT, "preview": "1"}
    ).get_data(as_text=True)
    assert 'name="link-1"' in page
    # The officer keeps the suggestions, except strategy 5, which they link to nothing.
    data = {"text": BAN_ON_TEXT, "apply": "1", "link-5": "0"}
    for number in (1, 2, 3, 4):
        data[f"link-{number}"] = str(number)
    assert client.post("/o/ban-on/catalog/import", data=data).status_code == 302
    links = {s.number: s.province_strategy for s in org("ban-on").strategies}
    assert [links[n].number for n in (1, 2, 3, 4)] == [1, 2, 3, 4]
    assert links[5] is None


def test_only_the_organizations_officers_maintain_its_catalog(client, auth):
    goal_route = f"/o/ban-on/catalog/strategies/{org('ban-on').strategies[0].id}/goal/new"
    retire_route = f"/o/ban-on/catalog/tactic/{tactic(1, '1').id}/retire"
    assert client.post(retire_route).status_code in (302, 401)  # to the log-in page
    auth.login("village1-banon")
    assert client.post(retire_route).status_code == 403
    assert client.get(goal_route).status_code == 403
    auth.logout()
    auth.login("officer-khelang")
    assert client.post(retire_route).status_code == 403
    other = f"/o/khelang-nakhon/catalog/tactic/{tactic(1, '1').id}/retire"
    assert client.post(other).status_code == 404
    assert client.post("/o/khelang-nakhon/catalog/bogus/1/retire").status_code == 404
    assert not db.session.get(Tactic, tactic(1, "1").id).retired


def test_open_data_catalog_marks_retired_items_at_once(client, auth):
    town_planning = tactic(1, "4")
    before = client.get("/api/organizations/ban-on/catalog").get_json()
    assert before["strategies"][0]["tactics"][3]["retired"] is False
    auth.login("officer-banon")
    client.post(f"/o/ban-on/catalog/tactic/{town_planning.id}/retire")
    auth.logout()
    after = client.get("/api/organizations/ban-on/catalog").get_json()  # not the cached body
    assert after["strategies"][0]["tactics"][3] == {
        "number": "4", "title": town_planning.title,
        "description": town_planning.description, "retired": True,
    }
