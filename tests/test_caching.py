"""Cached public pages change as soon as their data does.

The catalog API and the organization page are cached per process under a change stamp the
database computes (forum/organizations/cache.py). These tests change data through the app,
and behind its back in SQL (as another application server would), and read the page again.
"""

import pytest
from sqlalchemy import update

from forum.catalog.models import Strategy
from forum.extensions import db
from forum.organizations import cache
from forum.proposals.states import Status
from tests.helpers import org, valid_proposal_form
from tests.test_queries import recorded_statements

CATALOG = "/api/organizations/ban-on/catalog"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.pages.clear()


def get_counting(client, url: str, **kwargs):
    with recorded_statements() as statements:
        response = client.get(url, **kwargs)
    return response, len(statements)


def test_catalog_api_is_served_from_the_cache_while_nothing_changes(client):
    first, first_statements = get_counting(client, CATALOG)
    second, second_statements = get_counting(client, CATALOG)
    assert first.status_code == second.status_code == 200
    assert second.get_json() == first.get_json()
    assert (cache.pages.hits, cache.pages.misses) == (1, 1)
    assert second_statements < first_statements


def test_catalog_api_shows_an_edit_through_the_app_at_once(client, auth):
    before = client.get(CATALOG).get_json()
    tactic = org("ban-on").strategies[0].tactics[0]
    auth.login("officer-banon")
    client.post(
        f"/o/ban-on/catalog/tactics/{tactic.id}",
        data={"number": tactic.number, "title": "ขุดลอกคลองสาธารณะ"},
    )
    client.post("/o/ban-on/catalog/vision", data={"vision": "บ้านอ้อนน่าอยู่ทุกหมู่บ้าน"})
    after = client.get(CATALOG).get_json()
    assert after["strategies"][0]["tactics"][0]["title"] == "ขุดลอกคลองสาธารณะ"
    assert after["vision"] == "บ้านอ้อนน่าอยู่ทุกหมู่บ้าน"
    assert after != before


def test_catalog_api_shows_a_change_made_by_another_server(client):
    """Another server (here: plain SQL) renames the province-wide strategy Ban On links to."""
    client.get(CATALOG)
    linked = next(s.province_strategy for s in org("ban-on").strategies if s.province_strategy)
    db.session.execute(
        update(Strategy).where(Strategy.id == linked.id).values(title="ยุทธศาสตร์จังหวัดใหม่")
    )
    db.session.commit()
    titles = [
        s["province_strategy"]["title"]
        for s in client.get(CATALOG).get_json()["strategies"]
        if s["province_strategy"] and s["province_strategy"]["number"] == linked.number
    ]
    assert titles and set(titles) == {"ยุทธศาสตร์จังหวัดใหม่"}


def test_catalog_api_answers_304_to_the_current_etag_only(client, auth):
    etag = client.get(CATALOG).headers["ETag"]
    unchanged = client.get(CATALOG, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.data == b""
    auth.login("officer-banon")
    client.post("/o/ban-on/catalog/vision", data={"vision": "วิสัยทัศน์ใหม่"})
    changed = client.get(CATALOG, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert changed.get_json()["vision"] == "วิสัยทัศน์ใหม่"
    assert "no-cache" in changed.headers["Cache-Control"]


def submitted_count(client, slug: str) -> int:
    """The 'Submitted' row of the organization page's status table."""
    page = client.get(f"/o/{slug}").get_data(as_text=True)
    title = Status.SUBMITTED.title
    if title not in page:
        return 0
    row = page.split(f'<th scope="row">{title}</th><td class="num">', 1)[1]
    return int(row.split("<", 1)[0])


def test_organization_page_counts_a_new_proposal_at_once(client):
    before = submitted_count(client, "ban-on")
    assert submitted_count(client, "ban-on") == before  # served from the cache
    assert cache.pages.hits >= 1
    response = client.post("/o/ban-on/proposals/new", data=valid_proposal_form(org("ban-on")))
    assert response.status_code == 302
    assert submitted_count(client, "ban-on") == before + 1


def test_organization_page_shows_a_new_plan_period_and_a_renamed_village(client, auth):
    client.get("/o/ban-on")
    auth.login("officer-banon")
    client.post("/o/ban-on/periods", data={"first_year": "2571", "layout": "strategy"})
    auth.logout()
    village = org("ban-on").villages[0]
    db.session.execute(
        update(type(village)).where(type(village).id == village.id).values(name="อ้อนใหม่")
    )
    db.session.commit()
    page = client.get("/o/ban-on").get_data(as_text=True)
    assert "2571 - 2575" in page
    assert "บ้านอ้อนใหม่" in page


def test_organization_page_keeps_office_links_away_from_the_public(client, auth):
    assert "/o/ban-on/periods" not in client.get("/o/ban-on").get_data(as_text=True)
    auth.login("officer-banon")
    assert "/o/ban-on/periods" in client.get("/o/ban-on").get_data(as_text=True)
    auth.logout()
    assert "/o/ban-on/periods" not in client.get("/o/ban-on").get_data(as_text=True)


def test_organization_page_follows_the_language(client):
    thai = client.get("/o/ban-on").get_data(as_text=True)
    client.post("/language/en", data={"next": "/o/ban-on"})
    english = client.get("/o/ban-on").get_data(as_text=True)
    assert "Proposals by status" in english
    assert "Proposals by status" not in thai


def test_organization_page_revalidates_per_session(client, app):
    first = client.get("/o/ban-on")
    etag = first.headers["ETag"]
    assert "private" in first.headers["Cache-Control"]
    assert client.get("/o/ban-on", headers={"If-None-Match": etag}).status_code == 304
    other = app.test_client()  # another browser: its own session and CSRF token
    assert other.get("/o/ban-on", headers={"If-None-Match": etag}).status_code == 200
    client.post("/o/ban-on/proposals/new", data=valid_proposal_form(org("ban-on")))
    assert client.get("/o/ban-on", headers={"If-None-Match": etag}).status_code == 200
