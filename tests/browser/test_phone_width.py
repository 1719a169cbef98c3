"""The office's wide pages fit a 360 px phone: a proposal's budget table, the plan page (its
SHA-256 lists fold away), the amendments and the list pages. Nothing may be wider than the
screen, not even a table that would scroll sideways in a box of its own."""

import pytest

from tests.browser.conftest import PHONE, fits_the_screen
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser

PAGES = (
    "/proposals/1",  # budget: one row per plan year
    "/o/ban-on/plan",  # versions with their SHA-256 fingerprints, the amendments list
    "/o/ban-on/plan/amendments/1",  # a change: old and new side by side, its annexes
    "/o/ban-on/proposals/steps/screen",
    "/o/ban-on/proposals/steps/draft_plan",
)
WIDE_BOXES = """() => [...document.querySelectorAll('main table, main pre, main code')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
            || e.scrollWidth > e.clientWidth + 1)
  .map(e => e.tagName + ' ' + Math.round(e.getBoundingClientRect().right))"""


def test_office_pages_fit_a_phone(phone, axe, shot):
    log_in(phone, "officer-banon")
    for path in PAGES:
        response = phone.goto(path)
        assert response.status == 200, path
        shot(phone, path.strip("/").replace("/", "-"))
        assert fits_the_screen(phone), f"{path}: wider than {PHONE['width']} px"
        assert phone.evaluate(WIDE_BOXES) == [], f"{path}: a box wider than the screen"
        assert axe(phone) == [], f"{path}: serious accessibility violations"
    phone.goto("/o/ban-on/plan")
    assert phone.locator("details.fingerprints code.sha256").first.is_hidden()
    assert phone.problems == []


@pytest.mark.parametrize(
    ("username", "waiting"),
    [
        ("village1-banon", "ที่รอเวทีประชาคมหมู่บ้านจัดลำดับ"),
        ("officer-banon", "รอกลั่นกรอง"),
        ("executive-banon", "ขณะนี้ไม่มีงานที่รอท่านในองค์กรนี้"),
    ],
    ids=["village-committee", "plan-officer", "executive"],
)
def test_each_roles_home_fits_a_phone_and_leads_to_its_work(phone, axe, shot, username, waiting):
    log_in(phone, username)
    assert phone.url.endswith("/home")
    assert waiting in phone.inner_text("main")
    shot(phone, "home")
    assert fits_the_screen(phone), f"{username}: home wider than {PHONE['width']} px"
    assert axe(phone) == [], f"{username}: serious accessibility violations on the home page"
    counts = phone.locator("ul.waiting a")
    if counts.count():
        href = counts.first.get_attribute("href")
        assert phone.goto(href).status == 200
        assert fits_the_screen(phone), f"{href}: wider than {PHONE['width']} px"
    assert phone.problems == []


def test_suggestions_follow_the_typing_even_with_a_long_objective(phone):
    """The form asks the assistant by GET as people type; a long Thai objective must not make
    the request line longer than servers accept (4 KB in gunicorn: 9 bytes a Thai letter)."""
    asked = []
    phone.on("request", lambda r: asked.append(r.url) if "/assist?" in r.url else None)
    phone.goto("/o/ban-on/proposals/new")
    objective = "เพื่อให้ประชาชนมีน้ำสะอาดใช้อุปโภคบริโภคอย่างเพียงพอตลอดทั้งปี " * 12
    phone.fill("#objective", objective)
    phone.fill("#title", "ปรับปรุงระบบประปาหมู่บ้านและถังเก็บน้ำ")
    phone.locator("#assist-results .assist-pick").first.wait_for(timeout=10_000)
    assert asked and max(len(url.encode()) for url in asked) < 4000
    assert "ประปา" in phone.inner_text("#assist-results") or "น้ำ" in phone.inner_text(
        "#assist-results"
    )
