"""The public micro-cache (forum/public_cache.py): anonymous readers of the public pages are
served from memory for a few seconds, without touching the database, and nobody else is.

Time is moved with the cache's own clock, not by sleeping.
"""

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select, update

from forum.extensions import db
from forum.proposals.models import Proposal
from forum.proposals.states import Status
from forum.public_cache import Entry, PublicCache
from tests.helpers import org
from tests.test_queries import recorded_statements

WINDOW = 5
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app_config():
    return {"PUBLIC_CACHE_SECONDS": WINDOW}


@pytest.fixture
def clock(app):
    """now[0] is the cache's current time; add to it to travel."""
    now = [1000.0]
    app.extensions["public_cache"].clock = lambda: now[0]
    return now


@pytest.fixture
def public_proposal(app):
    return db.session.scalar(
        select(Proposal)
        .where(Proposal.organization_id == org("ban-on").id, Proposal.status != Status.DRAFT)
        .order_by(Proposal.id)
    )


@contextmanager
def database_use():
    """Statements run and connections taken from the pool (pool_pre_ping's ping runs on a
    checkout without passing through the statement events)."""
    checkouts = []

    def checkout(*_args):
        checkouts.append(1)

    event.listen(db.engine, "checkout", checkout)
    try:
        with recorded_statements() as statements:
            yield statements, checkouts
    finally:
        event.remove(db.engine, "checkout", checkout)


def get_without_database(client, url: str, **kwargs):
    with database_use() as (statements, checkouts):
        response = client.get(url, **kwargs)
    assert statements == [] and checkouts == [], f"{url} used the database on a hit"
    return response


def log_in(client, auth, username: str = "officer-banon") -> None:
    """Log-in and log-out leave a message for the next page (never cached): it is shown on a
    page off the list, so that the requests under test are the ones that could meet the cache."""
    auth.login(username)
    client.get("/track")


def log_out(client, auth) -> None:
    auth.logout()
    client.get("/track")


def without_token(html: str) -> str:
    return CSRF_INPUT.sub("", html)


def public_urls(public_proposal, village_id: int) -> list[str]:
    return [
        "/",
        "/o/ban-on",
        "/o/ban-on/proposals",
        "/o/ban-on/proposals?page=2",
        f"/o/ban-on/proposals?village={village_id}&status=submitted",
        "/o/ban-on/proposals?q=%E0%B8%96%E0%B8%99%E0%B8%99",  # ถนน
        f"/proposals/{public_proposal.id}",
        "/o/ban-on/catalog",
        "/o/ban-on/plan",
        "/api/organizations",
        "/api/organizations/ban-on/catalog",
    ]


def test_a_hit_runs_no_sql_and_gives_the_same_page(app, client, public_proposal):
    village_id = org("ban-on").villages[0].id
    for url in public_urls(public_proposal, village_id):
        with database_use() as (statements, _):
            first = client.get(url)
        assert first.status_code == 200, url
        assert statements, f"{url}: the first request must render"
        second = get_without_database(client, url)
        assert second.status_code == 200
        assert without_token(second.get_data(as_text=True)) == without_token(
            first.get_data(as_text=True)
        )
    report = client.get("/o/ban-on/results").location  # the year's results report
    assert client.get(report).status_code == 200
    assert get_without_database(client, report).status_code == 200


def test_headers_on_a_hit_are_those_of_a_miss(app):
    ignored = {"Date", "Set-Cookie", "ETag", "Content-Length", "Age"}
    for url in ["/o/ban-on/proposals", "/api/organizations/ban-on/catalog"]:
        miss = app.test_client().get(url)
        hit = get_without_database(app.test_client(), url)
        assert {k: v for k, v in miss.headers if k not in ignored} == {
            k: v for k, v in hit.headers if k not in ignored
        }
        assert hit.headers["Content-Security-Policy"]
        assert hit.headers["X-Content-Type-Options"] == "nosniff"
        assert miss.headers["Age"] == hit.headers["Age"] == "0"
    page = app.test_client().get("/o/ban-on")
    # A page holds the session's CSRF token: no shared cache may keep it.
    assert page.cache_control.private and page.cache_control.no_cache
    assert "Cookie" in page.vary
    api = app.test_client().get("/api/organizations/ban-on/catalog")
    assert api.cache_control.public and api.cache_control.max_age == WINDOW


def test_a_change_shows_once_the_window_has_passed(app, client, clock, public_proposal):
    url = f"/proposals/{public_proposal.id}"
    old_title = public_proposal.title
    assert old_title in client.get(url).get_data(as_text=True)
    db.session.execute(
        update(Proposal).where(Proposal.id == public_proposal.id).values(title="ฝายชะลอน้ำห้วยแม่ตีบ")
    )
    db.session.commit()

    clock[0] += WINDOW - 1
    stale = get_without_database(client, url)
    assert old_title in stale.get_data(as_text=True)
    assert stale.headers["Age"] == str(WINDOW - 1)

    clock[0] += 1
    fresh = client.get(url)
    assert "ฝายชะลอน้ำห้วยแม่ตีบ" in fresh.get_data(as_text=True)
    assert fresh.headers["Age"] == "0"


def test_a_logged_in_user_always_sees_fresh_data(app, client, auth, clock):
    url = "/api/organizations/ban-on/catalog"
    anonymous = app.test_client()
    before = anonymous.get(url).get_json()
    strategy = org("ban-on").strategies[0]
    db.session.execute(
        update(type(strategy)).where(type(strategy).id == strategy.id).values(title="ยุทธศาสตร์ใหม่")
    )
    db.session.commit()

    log_in(client, auth)
    with database_use() as (statements, _):
        mine = client.get(url).get_json()
    assert statements, "a logged-in request must not come from the cache"
    assert mine["strategies"][0]["title"] == "ยุทธศาสตร์ใหม่"
    assert anonymous.get(url).get_json() == before  # still inside the window
    clock[0] += WINDOW
    assert anonymous.get(url).get_json()["strategies"][0]["title"] == "ยุทธศาสตร์ใหม่"


def test_private_data_of_a_logged_in_render_never_reaches_anonymous(
    app, client, auth, public_proposal
):
    phone = {"proposer_phone": "089-111-2233"}
    db.session.execute(update(Proposal).where(Proposal.id == public_proposal.id).values(phone))
    db.session.commit()
    proposal_url = f"/proposals/{public_proposal.id}"
    log_in(client, auth)
    assert "089-111-2233" in client.get(proposal_url).get_data(as_text=True)
    assert "/o/ban-on/periods" in client.get("/o/ban-on").get_data(as_text=True)

    for anonymous in [app.test_client(), client]:
        if anonymous is client:
            log_out(client, auth)
        assert "089-111-2233" not in anonymous.get(proposal_url).get_data(as_text=True)
        assert "/o/ban-on/periods" not in anonymous.get("/o/ban-on").get_data(as_text=True)
    # ...and the anonymous render does not reach the officer either.
    log_in(client, auth)
    assert "089-111-2233" in client.get(proposal_url).get_data(as_text=True)


def test_flash_messages_are_never_cached_or_shown_to_another_client(app):
    def with_waiting_message():
        browser = app.test_client()
        assert browser.get("/o/ban-on/periods").status_code == 302  # "please log in" waits
        return browser

    first = with_waiting_message()
    assert 'class="flash' in first.get("/o/ban-on").get_data(as_text=True)
    other = app.test_client()
    assert 'class="flash' not in other.get("/o/ban-on").get_data(as_text=True)
    get_without_database(other, "/o/ban-on")  # the page is cached now...
    second = with_waiting_message()
    assert 'class="flash' in second.get("/o/ban-on").get_data(as_text=True)  # ...but not for it
    assert 'class="flash' not in get_without_database(second, "/o/ban-on").get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"PUBLIC_CACHE_SECONDS": WINDOW,
                                         "WTF_CSRF_ENABLED": True}])
def test_the_language_switch_works_from_a_cached_page(app):
    url = "/o/ban-on/proposals"
    first = app.test_client()
    first_token = CSRF_INPUT.search(first.get(url).get_data(as_text=True)).group(1)

    second = app.test_client()
    page = get_without_database(second, url).get_data(as_text=True)
    assert '<html lang="th">' in page
    token = CSRF_INPUT.search(page).group(1)
    assert token != first_token

    # Another browser's token is refused: the page must carry this client's own.
    second.post("/language/en", data={"csrf_token": first_token, "next": url})
    assert '<html lang="th">' in second.get(url).get_data(as_text=True)

    switched = second.post("/language/en", data={"csrf_token": token, "next": url})
    assert switched.status_code == 302 and switched.location.endswith(url)
    assert '<html lang="en">' in second.get(url).get_data(as_text=True)
    assert '<html lang="th">' in get_without_database(first, url).get_data(as_text=True)


def test_revalidation_answers_not_modified_from_the_cache(app, client):
    for url in ["/o/ban-on", "/api/organizations/ban-on/catalog"]:
        etag = client.get(url).headers["ETag"]
        response = get_without_database(client, url, headers={"If-None-Match": etag})
        assert response.status_code == 304
        assert response.headers["ETag"] == etag


def test_errors_and_pages_off_the_list_are_not_cached(app, client):
    for url in ["/o/no-such-place", "/o/ban-on/meetings"]:
        client.get(url)
        with database_use() as (statements, _):
            client.get(url)
        assert statements, url
    assert len(app.extensions["public_cache"]) == 0


@pytest.mark.parametrize("app_config", [{}])  # the test configuration: PUBLIC_CACHE_SECONDS 0
def test_off_when_the_window_is_zero(app, client):
    client.get("/o/ban-on")
    with database_use() as (statements, _):
        client.get("/o/ban-on")
    assert statements


def test_the_cache_is_bounded_by_size_least_recently_used_first():
    cache = PublicCache(seconds=5, max_bytes=8 * 100, clock=lambda: 0.0)

    def entry(size: int):
        return Entry(b"x" * size, [], 200, 0.0, "d", False)

    for key in range(8):
        cache.put(key, entry(100))
    assert cache.get(0) is not None  # 0 is now the most recently used
    cache.put(8, entry(100))
    assert cache.get(1) is None and cache.get(0) is not None and len(cache) == 8
    cache.put(9, entry(101))  # over an eighth of the whole: not kept at all
    assert cache.get(9) is None


def test_a_visitor_who_changed_something_reads_fresh_pages(app, client):
    """Read your own writes: after an accepted POST the visitor skips the cache for a window,
    while other visitors may still be served the older copy."""
    from tests.helpers import valid_proposal_form

    url = "/o/ban-on/proposals"
    client.get(url)
    get_without_database(client, url)  # cached
    other = app.test_client()
    get_without_database(other, url)

    form = valid_proposal_form(org("ban-on"))
    form["title"] = "ซ่อมสะพานข้ามลำห้วยแม่ตีบ"
    assert client.post("/o/ban-on/proposals/new", data=form).status_code == 302
    client.get("/track")  # the confirmation's message, shown off the list

    with database_use() as (statements, _):
        fresh = client.get(url).get_data(as_text=True)
    assert statements and form["title"] in fresh
    assert form["title"] not in get_without_database(other, url).get_data(as_text=True)
