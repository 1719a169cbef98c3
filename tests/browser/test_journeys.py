"""The key journeys in headless Chromium on a 360 px phone, with screenshots and axe-core.

Each journey checks on every page it visits: the page fits 360 px without sideways
scrolling, axe-core finds no serious or critical violation, and the browser reports no
script error or Content-Security-Policy violation.
"""

import csv
import io
import re

import pytest

from tests.browser.conftest import fits_the_screen

pytestmark = pytest.mark.browser


def check(page, axe, shot, step: str, width: bool = True) -> None:
    shot(page, step)
    assert not width or fits_the_screen(page), f"{step}: wider than 360 px"
    assert axe(page) == [], f"{step}: serious accessibility violations"
    assert page.problems == [], f"{step}: browser errors {page.problems}"


def log_in(page, username: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", "prachakhom-demo")
    page.click("main button.primary")
    page.wait_for_load_state()


def test_villager_submits_on_a_phone_and_looks_the_proposal_up(phone, axe, shot):
    page = phone
    page.goto("/o/ban-on")
    check(page, axe, shot, "organization")
    page.get_by_role("link", name="เสนอโครงการ", exact=True).click()
    check(page, axe, shot, "empty-form")

    # Typed, then the page is reloaded (signal lost): the browser kept the draft.
    page.fill("#location", "ริมห้วยหน้าโรงเรียน")
    page.fill("#rationale", "น้ำท่วมถนนทุกปี")
    page.reload()
    assert page.input_value("#location") == "ริมห้วยหน้าโรงเรียน"

    # Sent without a title: the server answers with the form as it was typed.
    page.select_option("#village_id", label="หมู่ที่ 3 บ้านทุ่งโป่ง")
    page.fill("#budget_2567", "350,000")
    page.select_option("#strategy_id", index=1)
    page.select_option("#tactic_id", index=1)
    page.click("button.primary")
    assert page.locator("#title-error").is_visible()
    assert page.input_value("#budget_2567") == "350,000"
    assert page.input_value("#rationale") == "น้ำท่วมถนนทุกปี"
    check(page, axe, shot, "form-with-error-kept-input")

    page.fill("#title", "สร้างท่อระบายน้ำริมห้วยหน้าโรงเรียน")
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/proposals/\d+/submitted$"))
    code = page.locator(".tracking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{5}-[2-9A-Z]{5}", code)
    check(page, axe, shot, "tracking-code")

    page.click("text=ติดตามข้อเสนอ")
    page.fill("#code", code.lower())
    check(page, axe, shot, "track-form")
    page.click("main button.primary")
    page.wait_for_url(re.compile(r"/proposals/\d+$"))
    assert page.locator("h1").inner_text() == "สร้างท่อระบายน้ำริมห้วยหน้าโรงเรียน"
    assert "ยื่นข้อเสนอแล้ว" in page.locator(".timeline").inner_text()
    check(page, axe, shot, "proposal-page")

    # The draft is gone once the server has the proposal.
    page.goto("/o/ban-on/proposals/new")
    assert page.input_value("#location") == ""


def paper_list(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("cp874")  # as Thai Excel saves "CSV (Comma delimited)"


def test_village_committee_enters_a_paper_list_by_import(phone, axe, shot):
    page = phone
    log_in(page, "village1-banon")
    page.goto("/o/ban-on")
    page.click("text=นำเข้ารายการจากกระดาษ")
    check(page, axe, shot, "import-page")

    with page.expect_download() as download:
        page.click("text=แบบฟอร์ม CSV")
    template = download.value.path().read_bytes().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(template)))
    example = next(csv.reader(io.StringIO(template.splitlines()[1])))
    title = header.index("ชื่อโครงการ *")

    def row(text: str, **changes):
        values = list(example)
        values[title] = text
        for name, value in changes.items():
            values[header.index(name)] = value
        return values

    # First attempt: an unknown village, a negative budget and a duplicate row.
    bad = paper_list([header, row("ซ่อมถนนลูกรังสายไปทุ่งนา"),
                      row("ซ่อมถนนลูกรังสายไปทุ่งนา"),
                      row("ขุดบ่อน้ำตื้น", **{"หมู่ที่ *": "12"}),
                      row("ทำรั้วโรงเรียน", **{"งบประมาณ 2566 (บาท)": "-100"})])  # fmt: skip
    page.set_input_files("#file", files=[
        {"name": "list.csv", "mimeType": "text/csv", "buffer": bad}
    ])  # fmt: skip
    page.click("text=ตรวจสอบไฟล์")
    page.wait_for_url(re.compile(r"/imports/"))
    problems = page.locator("table.problems").inner_text()
    assert "แถวที่ 2" in problems or "2" in problems
    assert "หมู่ที่ 12" in problems
    assert page.locator("text=บันทึกข้อเสนอทั้ง").count() == 0
    check(page, axe, shot, "preview-with-problems")

    page.goto("/o/ban-on/imports/new")
    good = paper_list([header, row("ซ่อมถนนลูกรังสายไปทุ่งนา"), row("ขุดบ่อน้ำตื้นกลางหมู่บ้าน")])
    page.set_input_files("#file", files=[
        {"name": "list.csv", "mimeType": "text/csv", "buffer": good}
    ])  # fmt: skip
    page.click("text=ตรวจสอบไฟล์")
    page.wait_for_url(re.compile(r"/imports/"))
    assert "Windows-874" in page.locator("main").inner_text()
    check(page, axe, shot, "preview-clean")
    page.click("text=บันทึกข้อเสนอทั้ง 2 รายการ")
    page.wait_for_selector("text=บันทึกข้อเสนอแล้ว 2 รายการ")
    codes = page.locator("main table td strong").all_inner_texts()
    assert len(codes) == 2
    check(page, axe, shot, "saved-with-codes")


PAGES = [
    "/", "/o/ban-on", "/o/ban-on/proposals", "/o/ban-on/proposals/new", "/track",
    "/o/ban-on/statistics", "/o/ban-on/catalog", "/o/ban-on/plan", "/login",
    "/o/khelang-nakhon", "/o/lampang-pao",
]  # fmt: skip


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_fit_a_phone_and_pass_axe(phone, axe, shot, path):
    phone.goto(path)
    check(phone, axe, shot, path.strip("/").replace("/", "-") or "home")


def test_statistics_charts_render_on_a_phone(phone, axe, shot):
    phone.goto("/o/ban-on/statistics")
    assert phone.locator("svg.bars").count() == 3
    box = phone.locator("svg.bars").first.bounding_box()
    assert box["width"] <= 360 and box["height"] > 100
    phone.click("text=ดูตัวเลขเป็นตาราง >> nth=0")
    check(phone, axe, shot, "statistics-table-open")


def test_the_site_is_usable_with_the_keyboard(phone):
    phone.goto("/o/ban-on/proposals/new")
    phone.keyboard.press("Tab")
    assert phone.evaluate("() => document.activeElement.textContent.trim()") == "ข้ามไปยังเนื้อหา"
    phone.keyboard.press("Enter")
    for _ in range(30):
        phone.keyboard.press("Tab")
        if phone.evaluate("() => document.activeElement.id") == "title":
            break
    assert phone.evaluate("() => document.activeElement.id") == "title"


def test_officer_downloads_the_p02(phone, axe, shot, live_app):
    from sqlalchemy import select

    from forum.extensions import db
    from forum.proposals.models import Proposal
    from forum.proposals.states import Annex, Status

    with live_app.app_context():
        chosen = db.session.scalars(
            select(Proposal).where(Proposal.annex == Annex.OWN).limit(3)
        ).all()
        for proposal in chosen:
            proposal.status = Status.ANNOUNCED
        db.session.commit()
        period_title = chosen[0].organization.current_period.title
    page = phone
    log_in(page, "officer-banon")
    page.goto("/o/ban-on")
    page.get_by_role("link", name="แผนพัฒนาท้องถิ่น", exact=True).click()
    # the plan page's width is checked (as the public sees it) by the public pages test
    check(page, axe, shot, "plan-page", width=False)
    link = page.locator("tr", has_text="ผ.02").first.get_by_role("link", name="PDF")
    assert link.get_attribute("href").endswith("/plan/p02.pdf")
    with page.expect_download() as download:
        link.click()
    data = download.value.path().read_bytes()
    assert data.startswith(b"%PDF")
    (shot.folder / "p02.pdf").write_bytes(data)
    text = pdf_text(shot.folder / "p02.pdf")
    assert "รายละเอียดโครงการพัฒนา" in text and period_title in text


def pdf_text(path) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_committee_member_ranks(phone, axe, shot, live_app):
    from sqlalchemy import select

    from forum.auth.models import User
    from forum.extensions import db
    from forum.meetings.models import Meeting, MeetingKind
    from forum.proposals.models import Proposal
    from forum.proposals.states import Status
    from forum.voting.models import Ballot, Method
    from forum.voting.services import open_round

    with live_app.app_context():
        meeting = db.session.scalar(
            select(Meeting).where(Meeting.kind == MeetingKind.DEV_COMMITTEE)
        )
        proposals = db.session.scalars(
            select(Proposal).where(Proposal.organization_id == meeting.organization_id)
            .order_by(Proposal.id).limit(3)
        ).all()  # fmt: skip
        for p in proposals:
            p.status = Status.IN_DRAFT_PLAN
        officer = db.session.scalar(select(User).where(User.username == "officer-banon"))
        ballot_round = open_round(meeting, Method.RANKING, "จัดลำดับโครงการเข้าร่างแผน",
                                  [p.id for p in proposals], officer)  # fmt: skip
        db.session.commit()
        round_id, meeting_title, ids = ballot_round.id, meeting.title, [p.id for p in proposals]

    def stored() -> dict[int, int]:
        with live_app.app_context():
            ballot = db.session.scalar(
                select(Ballot).where(Ballot.round_id == round_id, Ballot.voter.has(
                    username="committee1-banon"))
            )  # fmt: skip
            return {m.proposal_id: m.rank for m in ballot.marks} if ballot else {}

    page = phone
    log_in(page, "committee1-banon")
    page.goto("/o/ban-on/meetings")
    check(page, axe, shot, "meetings")
    page.get_by_role("link", name=meeting_title).first.click()
    check(page, axe, shot, "committee-meeting")
    page.get_by_role("link", name="จัดลำดับโครงการเข้าร่างแผน").click()
    page.wait_for_url(re.compile(rf"/rounds/{round_id}$"))
    check(page, axe, shot, "open-round")

    a, b, c = ids
    page.fill(f"#p{c}", "1")
    page.fill(f"#p{a}", "2")
    page.fill(f"#p{b}", "3")
    check(page, axe, shot, "ranked")
    page.get_by_role("button", name="ลงคะแนน").click()
    page.wait_for_selector("text=บันทึกการลงคะแนนของท่านแล้ว")
    assert page.input_value(f"#p{c}") == "1" and page.input_value(f"#p{b}") == "3"
    assert stored() == {c: 1, a: 2, b: 3}
    check(page, axe, shot, "ballot-stored")

    # Changed before the round closes: a first, c left unranked.
    page.fill(f"#p{a}", "1")
    page.fill(f"#p{b}", "2")
    page.fill(f"#p{c}", "")
    page.get_by_role("button", name="ลงคะแนน").click()
    page.wait_for_selector("text=บันทึกการลงคะแนนของท่านแล้ว")
    assert stored() == {a: 1, b: 2}
    assert page.input_value(f"#p{c}") == ""
    check(page, axe, shot, "ballot-changed")


def test_village_committee_prints_a_blank_proposal_form(phone, axe, shot):
    page = phone
    log_in(page, "village1-banon")
    page.goto("/o/ban-on/proposals/new")
    check(page, axe, shot, "form-page")
    with page.expect_download() as download:
        page.get_by_role("link", name="พิมพ์แบบเสนอโครงการเปล่า (PDF)").click()
    path = shot.folder / "proposal-form.pdf"
    path.write_bytes(download.value.path().read_bytes())
    text = pdf_text(path)
    assert "แบบเสนอโครงการ" in text and "หมู่ที่ 1 บ้านอ้อน" in text
    assert "หมู่ที่ 2 บ้านดอนแก้ว" not in text  # the committee's own village only
