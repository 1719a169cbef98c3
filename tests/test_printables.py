"""Paper forms: the blank proposal form matches the web form; attendance sheets per meeting."""

import html
import re
import subprocess

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.meetings.models import Meeting, MeetingKind
from tests.helpers import org


def pdf_text(data: bytes, tmp_path) -> str:
    assert data.startswith(b"%PDF")
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def pdf_pages(data: bytes, tmp_path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    assert "595.276 x 841.89 pts (A4)" in info.stdout  # portrait, to print on A4
    return int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))


def web_form_labels(client) -> list[str]:
    """The field labels of the Thai web proposal form, in page order."""
    page = client.get("/o/ban-on/proposals/new").get_data(as_text=True)
    start = page.index('class="proposal-form"')
    form = page[start : page.index("</form>", start)]
    form = re.sub(r'<div class="hp".*?</div>', "", form, flags=re.S)  # the honeypot: for scripts
    labels = re.findall(r"<label[^>]*>(?:<input[^>]*>)?\s*([^<]+?)\s*</label>", form)
    return [html.unescape(label) for label in labels]


def test_blank_form_has_the_web_forms_fields_in_the_same_order(client, tmp_path):
    response = client.get("/o/ban-on/printables/proposal-form.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "ban-on-proposal-form.pdf" in response.headers["Content-Disposition"]
    text = " ".join(pdf_text(response.data, tmp_path).split())  # labels may wrap in a box
    labels = web_form_labels(client)
    assert "ชื่อโครงการ" in labels and "งบประมาณ ปี 2566 (บาท)" in labels
    positions = []
    for label in labels:
        assert label in text, f"{label!r} is on the web form but not on the paper"
        positions.append(text.index(label, positions[-1] if positions else 0))
    assert positions == sorted(positions)
    assert "องค์การบริหารส่วนตำบลบ้านอ้อน" in text
    assert "แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)" in text
    assert pdf_pages(response.data, tmp_path) >= 2


def test_blank_form_lists_the_catalog_and_villages_to_tick(client, tmp_path):
    text = pdf_text(client.get("/o/ban-on/printables/proposal-form.pdf").data, tmp_path)
    text = " ".join(text.split())  # wrapped lines joined
    ban_on = org("ban-on")
    for strategy in ban_on.strategies:
        assert strategy.label in text
        at = text.index(strategy.label)
        for tactic in strategy.tactics:  # printed under their own strategy
            assert text.index(tactic.label, at) > at
    for village in ban_on.villages:
        assert village.label in text
    assert "โครงการที่ดำเนินการเอง (แบบ ผ.02)" in text  # the annex choices in Thai
    assert "แผนงานการศึกษา" in text


def test_stacked_tone_marks_come_back_as_typed(tmp_path):
    from forum.printables.sheet import Sheet, Text

    data = Sheet("t", "t", "t", [Text("การฟื้นฟูแหล่งน้ำ")]).render()
    assert "การฟื้นฟูแหล่งน้ำ" in pdf_text(data, tmp_path)


def test_blank_form_for_one_village_names_it(client, tmp_path):
    villages = org("ban-on").villages
    chosen, other = villages[2], villages[3]
    response = client.get(f"/o/ban-on/printables/proposal-form.pdf?village={chosen.id}")
    text = pdf_text(response.data, tmp_path)
    assert chosen.label in text and other.label not in text
    assert f"village-{chosen.number}.pdf" in response.headers["Content-Disposition"]
    other_org = org("khelang-nakhon").villages[0]
    assert (
        client.get(f"/o/ban-on/printables/proposal-form.pdf?village={other_org.id}").status_code
        == 404
    )
    assert client.get("/o/lampang-province/printables/proposal-form.pdf").status_code == 404


def test_blank_form_is_thai_whatever_the_users_language(client, tmp_path):
    client.post("/language/en")
    assert "Propose a project" in client.get("/o/ban-on").get_data(as_text=True)
    text = pdf_text(client.get("/o/ban-on/printables/proposal-form.pdf").data, tmp_path)
    assert "แบบเสนอโครงการ" in text and "Project title" not in text


def meeting_of(kind: MeetingKind) -> Meeting:
    return db.session.scalar(
        select(Meeting).where(Meeting.kind == kind, Meeting.organization_id == org("ban-on").id)
    )


def test_attendance_sheet_of_the_committee_lists_its_members(client, auth, tmp_path):
    meeting = meeting_of(MeetingKind.DEV_COMMITTEE)
    auth.login("officer-banon")
    response = client.get(f"/meetings/{meeting.id}/attendance.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert "บัญชีลงชื่อผู้เข้าร่วมประชุม" in text
    assert f"คณะกรรมการพัฒนาท้องถิ่น ครั้งที่ {meeting.number_label}" in text
    assert "วันที่ 12 พฤษภาคม 2565" in text
    assert f"ณ {meeting.place}" in text
    names = [f"กรรมการพัฒนาท้องถิ่น คนที่ {i}" for i in range(1, 6)]
    rows = [text.index(f"{n} {name}") for n, name in enumerate(names, 1)]
    assert rows == sorted(rows)
    assert "6\n" in text and "10\n" in text and "11\n" not in text  # five blank rows for guests
    assert "ลายมือชื่อ" in text and "รวมผู้เข้าร่วมประชุม" in text


def test_attendance_sheet_of_a_forum_has_numbered_blank_rows(client, auth, tmp_path):
    meeting = meeting_of(MeetingKind.VILLAGE_FORUM)
    auth.login("officer-banon")
    data = client.get(f"/meetings/{meeting.id}/attendance.pdf").data
    text = pdf_text(data, tmp_path)
    assert meeting.village.label in text and "ประชาคมหมู่บ้าน" in text
    assert "กรรมการ" not in text
    assert re.search(r"^30$", text, re.M) and not re.search(r"^31$", text, re.M)
    assert pdf_pages(data, tmp_path) == 2  # the header repeats on the second page
    assert text.count("ลายมือชื่อ") == 2
    short = pdf_text(client.get(f"/meetings/{meeting.id}/attendance.pdf?rows=3").data, tmp_path)
    assert re.search(r"^3$", short, re.M) and not re.search(r"^4$", short, re.M)


@pytest.mark.parametrize(("username", "status"), [(None, 302), ("village2-banon", 403),
                                                  ("committee1-banon", 403)])  # fmt: skip
def test_attendance_sheet_only_for_those_who_record_the_meeting(client, auth, username, status):
    meeting = meeting_of(MeetingKind.DEV_COMMITTEE)
    if username:
        auth.login(username)
    assert client.get(f"/meetings/{meeting.id}/attendance.pdf").status_code == status


def test_pages_link_to_the_paper_forms(client, auth):
    assert "/o/ban-on/printables/proposal-form.pdf" in client.get("/o/ban-on").get_data(
        as_text=True
    )
    assert "/printables/proposal-form.pdf" in client.get("/o/ban-on/proposals/new").get_data(
        as_text=True
    )
    meeting = meeting_of(MeetingKind.COUNCIL)
    assert "attendance.pdf" not in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    auth.login("village1-banon")  # one village: the form page offers that village's paper
    village1 = next(v for v in org("ban-on").villages if v.number == 1)
    page = client.get("/o/ban-on/proposals/new").get_data(as_text=True)
    assert f"proposal-form.pdf?village={village1.id}" in page
    auth.logout()
    auth.login("officer-banon")
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f"/meetings/{meeting.id}/attendance.pdf" in page
