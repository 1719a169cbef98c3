"""A new อบต. goes live, on a 360 px phone, from an empty database: create-admin → the province
administrator creates the organization and its administrator → the administrator pastes the
catalog, adds villages, creates a plan officer, an executive and a village committee member →
the member opens the invitation, sets a password, logs in and proposes → the officer sees it."""

import re
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from forum import create_app
from forum.extensions import db
from tests.browser.conftest import fits_the_screen
from tests.conftest import base_config

PASSWORD = "ดอยขุนตาล-ลำปาง-2569"
CATALOG = """ประเด็นยุทธศาสตร์ที่ 1  ด้านการพัฒนาโครงสร้างพื้นฐาน

กลยุทธ์
1. การก่อสร้างและปรับปรุงถนน สะพาน และทางระบายน้ำ
2. การพัฒนาแหล่งน้ำเพื่ออุปโภค บริโภค และการเกษตร
"""


@pytest.fixture(scope="module")
def empty_app(template_database, tmp_path_factory):
    """A live server on a database with the schema and nothing else."""
    kind, _location = template_database
    if kind != "sqlite":
        pytest.skip("browser journeys run on SQLite")
    from flask_migrate import upgrade

    path = tmp_path_factory.mktemp("empty") / "empty.sqlite"
    app = create_app(
        base_config(f"sqlite:///{path}", WTF_CSRF_ENABLED=True, TESTING=False, DEBUG=False)
    )
    with app.app_context():
        upgrade()
        db.engine.dispose()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()
    shutil.rmtree(path.parent, ignore_errors=True)


@pytest.fixture
def new_phone(browser, empty_app):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=1, locale="th-TH",
        base_url=empty_app.config["LIVE_URL"],
    )
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("response", lambda r: (r.status >= 500 and page.problems.append(f"{r.status} {r.url}")))
    yield page
    context.close()


def check(page, axe, shot, step: str) -> None:
    shot(page, step)
    assert fits_the_screen(page), f"{step}: wider than 360 px"
    assert axe(page) == [], f"{step}: serious accessibility violations"
    assert page.problems == [], f"{step}: browser errors {page.problems}"


def log_in(page, username: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button.primary")
    page.wait_for_load_state()


def log_out(page) -> None:
    page.click("header button:has-text('ออกจากระบบ')")
    page.wait_for_load_state()


def shown_link(page) -> str:
    link = page.input_value("[data-invitation-link]")
    assert "/set-password/" in link
    return link


def set_password(page, link: str) -> None:
    page.goto(link)
    page.fill("#new_password", PASSWORD)
    page.fill("#confirm_password", PASSWORD)
    page.click("main button.primary")
    page.wait_for_url(re.compile(r"/login"))


def create_person(page, username: str, name: str, role: str, village: str | None = None) -> str:
    page.goto("/o/na-kaeo/admin/people/new")
    page.fill("#username", username)
    page.fill("#display_name", name)
    page.select_option("#role", role)
    if village:
        page.select_option("#village_id", label=village)
    page.click("main button.primary")
    return shown_link(page)


def test_a_new_sao_goes_live(empty_app, new_phone, axe, shot):
    with empty_app.app_context():
        result = empty_app.test_cli_runner().invoke(
            args=["create-admin", "province-it"], input=f"{PASSWORD}\n{PASSWORD}\n"
        )
        db.session.remove()
    assert result.exit_code == 0, result.output
    page = new_phone

    # The province administrator: the organization and its administrator.
    log_in(page, "province-it")
    page.goto("/admin")
    check(page, axe, shot, "system-admin-empty")
    page.click("text=องค์กรใหม่")
    page.select_option("#kind", "sao")
    page.fill("#name_th", "องค์การบริหารส่วนตำบลนาแก้ว")
    page.fill("#name_en", "Na Kaeo SAO")
    page.fill("#province", "ลำปาง")
    page.fill("#district", "เกาะคา")
    page.fill("#dla_code", "6520801")
    page.fill("#slug", "na-kaeo")
    check(page, axe, shot, "new-organization")
    page.click("main button.primary")
    page.wait_for_url(re.compile(r"/first-admin$"))
    page.fill("#username", "admin-nakaeo")
    page.fill("#display_name", "ปลัด อบต.นาแก้ว")
    page.click("main button.primary")
    admin_link = shown_link(page)
    assert page.locator("figure.qr svg").is_visible()
    check(page, axe, shot, "invitation-link-and-qr")
    log_out(page)

    # The organization's administrator: password, catalog, villages, people.
    set_password(page, admin_link)
    log_in(page, "admin-nakaeo")
    page.goto("/o/na-kaeo/admin")
    check(page, axe, shot, "organization-admin")
    page.click("text=นำเข้ายุทธศาสตร์")
    page.fill("#text", CATALOG)
    page.click("button[name=preview]")
    page.click("button[name=apply]")
    page.wait_for_url(re.compile(r"/o/na-kaeo/catalog$"))
    for number, name in (("1", "นาแก้ว"), ("2", "ทุ่งฝาย")):
        page.goto("/o/na-kaeo/admin/villages")
        page.fill("#number", number)
        page.fill("#name", name)
        page.click("main button.primary")
    page.goto("/o/na-kaeo/admin/villages")
    check(page, axe, shot, "villages")
    officer_link = create_person(page, "officer-nakaeo", "นักวิเคราะห์นโยบายและแผน",
                                 "plan_officer")  # fmt: skip
    create_person(page, "mayor-nakaeo", "นายก อบต.นาแก้ว", "executive")
    member_link = create_person(page, "somchai-m1", "นายสมชาย กรรมการหมู่ 1",
                                "village_committee", "หมู่ที่ 1 บ้านนาแก้ว")  # fmt: skip
    page.goto("/o/na-kaeo/admin/people")
    check(page, axe, shot, "people")
    log_out(page)

    # The village committee member: the invitation, a password, a proposal.
    page.goto(member_link)
    check(page, axe, shot, "set-password")
    set_password(page, member_link)
    log_in(page, "somchai-m1")
    page.goto("/o/na-kaeo/proposals/new")
    page.select_option("#village_id", label="หมู่ที่ 1 บ้านนาแก้ว")
    page.fill("#title", "ก่อสร้างถนนคอนกรีตสายบ้านนาแก้วถึงทุ่งฝาย")
    page.fill("#location", "บ้านนาแก้ว")
    page.fill("#rationale", "ถนนดินเป็นหลุมบ่อในฤดูฝน")
    page.select_option("#strategy_id", index=1)
    page.select_option("#tactic_id", index=1)
    first_year = page.locator("input[id^=budget_]").first
    first_year.fill("480,000")
    page.click("main button.primary")
    page.wait_for_load_state()
    assert "/proposals/new" not in page.url, page.locator(".error").all_inner_texts()
    log_out(page)

    # The plan officer sees it.
    set_password(page, officer_link)
    log_in(page, "officer-nakaeo")
    page.goto("/o/na-kaeo/proposals")
    assert "ก่อสร้างถนนคอนกรีตสายบ้านนาแก้วถึงทุ่งฝาย" in page.content()
    check(page, axe, shot, "officer-sees-the-proposal")
