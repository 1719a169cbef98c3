"""Paper lists in: a village committee uploads its forum's list, sees every problem row by
row, and saves all of it or nothing."""

import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from forum.extensions import db
from forum.imports.columns import columns_for
from forum.imports.reader import UnreadableFile, decode_csv, read_upload
from forum.jobs.models import Job
from forum.proposals.models import Proposal
from tests.helpers import org

YEARS = [2566, 2567, 2568, 2569, 2570]
HEADERS = [c.header for c in columns_for(YEARS)]


def row(title="ซ่อมแซมศาลาประชาคมหมู่บ้าน", village="1", strategy="1", tactic=None, **extra):
    """One proposal as typed on the template, by column key."""
    values = {"title": title, "village": village, "strategy": strategy,
              "tactic": tactic, "budget_2567": "120,000", "proposer_name": "นายมา ดี",
              "proposer_phone": "089-111-2222"} | extra  # fmt: skip
    return values


def table(rows, headers=None):
    columns = columns_for(YEARS)
    headers = headers or [c.header for c in columns]
    lines = [headers]
    for values in rows:
        lines.append([str(values.get(c.key) or "") for c in columns])
    return lines


def first_tactic():
    return org("ban-on").strategies[0].tactics[0].number


def as_csv(lines, encoding="utf-8-sig") -> bytes:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows(lines)
    return buffer.getvalue().encode(encoding)


def as_xlsx(lines) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for line in lines:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name="list.csv"):
    return client.post(
        "/o/ban-on/imports/new",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def proposal_count() -> int:
    return db.session.scalar(select(func.count(Proposal.id)))


def last_job() -> Job:
    return db.session.scalar(select(Job).order_by(Job.id.desc()))


@pytest.fixture
def committee(client, auth):
    auth.login("village1-banon")
    return client


# --- journeys over HTTP


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_committee_imports_a_clean_list_in_one_go(committee, fmt):
    tactic = first_tactic()
    lines = table([row(tactic=tactic), row("ขุดลอกคลองส่งน้ำหน้าวัด", tactic=tactic)])
    data = as_csv(lines) if fmt == "csv" else as_xlsx(lines)
    before = proposal_count()

    preview = upload(committee, data, f"list.{fmt}").get_data(as_text=True)
    assert "ซ่อมแซมศาลาประชาคมหมู่บ้าน" in preview
    assert proposal_count() == before  # nothing saved by the preview

    job = last_job()
    saved = committee.post(f"/imports/{job.token}/save", follow_redirects=True)
    page = saved.get_data(as_text=True)
    assert proposal_count() == before + 2
    proposals = db.session.scalars(select(Proposal).order_by(Proposal.id.desc()).limit(2)).all()
    codes = re.findall(r"<strong>([0-9A-Z]{5}-[0-9A-Z]{5})</strong>", page)
    for proposal in proposals:
        assert any(proposal.tracking_code_matches(code) for code in codes)
        assert proposal.status == "submitted"
        assert proposal.created_by.username == "village1-banon"
        assert proposal.budget_by_year[2567] == 120_000
        assert proposal.decisions[0].to_status == "submitted"
    # Saving the same job again does nothing more.
    committee.post(f"/imports/{job.token}/save")
    assert proposal_count() == before + 2


def test_every_problem_reported_by_row_and_nothing_saved(committee):
    tactic = first_tactic()
    lines = table([
        row(tactic=tactic),                                 # row 2: fine
        row(tactic=tactic),                                 # row 3: duplicate of row 2
        row("ถนนใหม่", village="99", tactic=tactic),        # row 4: unknown village
        row("ถนนใหม่ 2", tactic="9.9"),                     # row 5: unknown tactic
        row("ถนนใหม่ 3", tactic=tactic, budget_2567="-5"),  # row 6: negative budget
        row("ถนนใหม่ 4", tactic=tactic, budget_2568="ห้าพัน"),  # row 7: not a number
        row("ก" * 300, tactic=tactic),                      # row 8: title too long
        row("ถนนใหม่ 5", village="2", tactic=tactic),       # row 9: another village
        row("=HYPERLINK(\"http://x\")", tactic=tactic),     # row 10: formula
    ])  # fmt: skip
    before = proposal_count()
    page = upload(committee, as_csv(lines)).get_data(as_text=True)
    report = last_job().report
    problems = {r["row"]: " ".join(m for _c, m in r["problems"]) for r in report["rows"]}
    assert problems[2] == ""
    assert "แถวที่ 2" in problems[3] or "row 2" in problems[3]
    for number in (3, 4, 5, 6, 7, 8, 9, 10):
        assert problems[number], f"row {number} should have a problem"
    assert "ไม่ติดลบ" in problems[6] or "ติดลบ" in problems[6]
    assert "255" in problems[8]
    assert "บันทึก" in page and "ปัญหา" in page
    assert 'action="/imports/' not in page  # no save button
    job = last_job()
    committee.post(f"/imports/{job.token}/save")
    assert proposal_count() == before


def test_wrong_headers_are_reported_before_any_row(committee):
    lines = table([row(tactic=first_tactic())])
    lines[0][0] = "Project name"
    lines[0] = [h for h in lines[0] if h != "หมู่ที่"]
    upload(committee, as_csv(lines))
    report = last_job().report
    text = " ".join(report["file_problems"])
    assert "Project name" in text
    assert "หมู่ที่" in text
    assert report["rows"] == []


def test_thai_excel_csv_in_windows_874_is_decoded(committee):
    lines = table([row(tactic=first_tactic())])
    upload(committee, as_csv(lines, encoding="cp874"))
    report = last_job().report
    assert report["encoding"].startswith("Windows-874")
    assert report["rows"][0]["title"] == "ซ่อมแซมศาลาประชาคมหมู่บ้าน"
    assert report["rows"][0]["problems"] == []


def test_formula_in_xlsx_is_refused(committee):
    lines = table([row(tactic=first_tactic(), budget_2567="=1000*2")])
    upload(committee, as_xlsx(lines), "list.xlsx")
    problems = last_job().report["rows"][0]["problems"]
    assert any("งบประมาณ 2567" in column for column, _message in problems)


def test_file_over_the_size_limit_is_refused_with_the_limit(committee, app):
    app.config["IMPORT_MAX_BYTES"] = 1024
    page = upload(committee, b"x" * 5000).get_data(as_text=True)
    assert "5000 B" not in page
    assert "4.9 KB" in page and "1 KB" in page  # the file's size and the limit
    assert db.session.scalar(select(func.count(Job.id))) == 0


@pytest.mark.parametrize(
    ("username", "status"),
    [(None, 302), ("committee1-banon", 403), ("village1-banon", 200), ("officer-banon", 200),
     ("officer-khelang", 403)],
)  # fmt: skip
def test_who_may_import(client, auth, username, status):
    if username:
        auth.login(username)
    assert client.get("/o/ban-on/imports/new").status_code == status
    assert client.get("/o/ban-on/imports/template.xlsx").status_code == status


def test_officer_imports_for_any_village(client, auth):
    auth.login("officer-banon")
    lines = table([row("ถนนหมู่ 7", village="หมู่ที่ 7", tactic=first_tactic())])
    upload(client, as_csv(lines))
    assert last_job().report["rows"][0]["problems"] == []


def test_another_user_cannot_see_or_save_an_import(client, auth):
    auth.login("village1-banon")
    upload(client, as_csv(table([row(tactic=first_tactic())])))
    token = last_job().token
    auth.logout()
    auth.login("officer-banon")
    assert client.get(f"/imports/{token}").status_code == 404
    assert client.post(f"/imports/{token}/save").status_code == 404


def test_template_has_thai_headers_and_reads_back_clean(committee):
    response = committee.get("/o/ban-on/imports/template.csv")
    assert response.data.startswith(b"\xef\xbb\xbf")
    text = response.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("ชื่อโครงการ *,หมู่ที่ *")
    # The example row of the template itself passes the check.
    upload(committee, response.data)
    assert last_job().report["rows"][0]["problems"] == []
    xlsx = committee.get("/o/ban-on/imports/template.xlsx")
    assert xlsx.data[:2] == b"PK"


# --- the reader on its own


def test_garbage_bytes_are_an_unreadable_file():
    with pytest.raises(UnreadableFile):
        decode_csv(bytes(range(0x80, 0x100)) * 3)


def test_double_encoded_thai_is_reported_as_garbled():
    garbled = ("ก่อสร้างถนนคอนกรีตเสริมเหล็ก" * 3).encode("utf-8").decode("cp874", "replace")
    with pytest.raises(UnreadableFile):
        read_upload("list.csv", ("ชื่อโครงการ\n" + garbled).encode("utf-8"))


def test_old_excel_format_is_refused():
    with pytest.raises(UnreadableFile):
        read_upload("list.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100)


def test_too_many_rows_are_refused():
    data = ("ชื่อโครงการ\n" + "ถนน\n" * 30).encode()
    with pytest.raises(UnreadableFile):
        read_upload("list.csv", data, max_rows=20)


def test_english_column_names_people_use_are_accepted(committee):
    """village_no / strategy_no / tactic_no (as the import page lists them) read like the
    Thai headers, and the preview says how many rows it read."""
    english = {"village": "village_no", "strategy": "strategy_no", "tactic": "tactic_no",
               "proposer_phone": "phone"}  # fmt: skip
    headers = [english.get(c.key, c.key) for c in columns_for(YEARS)]
    lines = table([row(tactic=first_tactic()), row("ขุดลอกลำเหมือง", tactic=first_tactic())],
                  headers=headers)  # fmt: skip
    page = upload(committee, as_csv(lines)).get_data(as_text=True)
    assert "ขุดลอกลำเหมือง" in page
    assert "2 แถว" in page
    assert "ทั้ง 2 แถวพร้อมแล้ว" in page  # no header or row problem


def test_the_import_page_lists_every_column_and_its_english_names(committee):
    page = committee.get("/o/ban-on/imports/new").get_data(as_text=True)
    assert "<code>village</code>, <code>village_no</code>" in page
    assert "<code>tactic</code>, <code>tactic_no</code>" in page
