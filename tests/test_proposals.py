"""Proposal entry as villagers and village committees use it, over HTTP."""

import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import stream_encode_multipart

from forum.extensions import db
from forum.proposals.models import Proposal
from tests.helpers import org, shown_tracking_code, submitted_id, valid_proposal_form


def listed(page: str) -> str:
    """The proposal list itself, without the filter form and navigation."""
    return page.split('<ul class="proposal-list">', 1)[1].split("</ul>", 1)[0]


def submitted_proposal(response) -> Proposal:
    return db.session.get(Proposal, submitted_id(response))


def test_public_submission_returns_tracking_code_that_looks_it_up(client):
    ban_on = org("ban-on")
    response = client.post("/o/ban-on/proposals/new", data=valid_proposal_form(ban_on))
    code = shown_tracking_code(client, response)
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}", code)
    proposal = submitted_proposal(response)
    assert proposal.status == "submitted"
    assert proposal.budget_by_year[2566] == 250_000
    assert proposal.decisions[0].to_status == "submitted"

    looked_up = client.get(f"/track?code={code.lower()}", follow_redirects=True)
    assert "ก่อสร้างถนนคอนกรีตสายหน้าวัด" in looked_up.get_data(as_text=True)


def test_unknown_tracking_code_says_so(client):
    page = client.get("/track?code=ZZZZZZZZ").get_data(as_text=True)
    assert "ZZZZZZZZ" in page
    assert "ไม่พบ" in page


def test_committee_enters_draft_for_its_village_then_submits(client, auth):
    ban_on = org("ban-on")
    auth.login("village1-banon")
    response = client.post(
        "/o/ban-on/proposals/new", data=valid_proposal_form(ban_on, save_draft="1")
    )
    assert response.status_code == 302
    proposal_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    proposal = db.session.get(Proposal, proposal_id)
    assert proposal.status == "draft"
    assert proposal.created_by.username == "village1-banon"

    edited = valid_proposal_form(ban_on, title="ถนนสายใหม่ (แก้ไข)")
    assert client.post(f"/proposals/{proposal_id}/edit", data=edited).status_code == 302
    assert client.post(f"/proposals/{proposal_id}/submit").status_code == 302
    db.session.expire_all()
    proposal = db.session.get(Proposal, proposal_id)
    assert proposal.title == "ถนนสายใหม่ (แก้ไข)"
    assert proposal.status == "submitted"
    assert [d.action for d in proposal.decisions] == ["submit"]
    assert proposal.decisions[0].actor.username == "village1-banon"


def test_committee_cannot_enter_for_another_village(client, auth):
    ban_on = org("ban-on")
    auth.login("village1-banon")
    response = client.post("/o/ban-on/proposals/new", data=valid_proposal_form(ban_on, 2))
    assert response.status_code == 200
    assert "หมู่บ้านของท่าน" in response.get_data(as_text=True)


@pytest.fixture
def village2_draft(client, auth):
    ban_on = org("ban-on")
    auth.login("village2-banon")
    response = client.post(
        "/o/ban-on/proposals/new", data=valid_proposal_form(ban_on, 2, save_draft="1")
    )
    auth.logout()
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def test_committee_cannot_edit_another_villages_proposal(client, auth, village2_draft):
    auth.login("village1-banon")
    assert client.get(f"/proposals/{village2_draft}/edit").status_code == 404
    data = valid_proposal_form(org("ban-on"), 2, title="ยึด")
    assert client.post(f"/proposals/{village2_draft}/edit", data=data).status_code == 404
    assert client.post(f"/proposals/{village2_draft}/submit").status_code == 404
    assert db.session.get(Proposal, village2_draft).title != "ยึด"


def test_anonymous_sees_no_drafts_and_no_phone_numbers(client, village2_draft):
    assert client.get(f"/proposals/{village2_draft}").status_code == 404
    listing = client.get("/o/ban-on/proposals?q=ก่อสร้างถนนคอนกรีตสายหน้าวัด")
    assert "ก่อสร้างถนนคอนกรีตสายหน้าวัด" not in listed(listing.get_data(as_text=True))
    public = db.session.scalar(
        select(Proposal).where(Proposal.status != "draft", Proposal.proposer_phone.isnot(None))
    )
    page = client.get(f"/proposals/{public.id}").get_data(as_text=True)
    assert public.proposer_phone not in page
    api = client.get("/api/organizations/ban-on/proposals").get_data(as_text=True)
    assert public.proposer_phone not in api
    assert "ก่อสร้างถนนคอนกรีตสายหน้าวัด" not in api


def test_private_proposer_name_hidden_from_public_shown_to_office(client, auth):
    hidden = db.session.scalar(select(Proposal).where(Proposal.proposer_name_private.is_(True)))
    assert hidden.proposer_name not in client.get(f"/proposals/{hidden.id}").get_data(as_text=True)
    auth.login("officer-banon")
    page = client.get(f"/proposals/{hidden.id}").get_data(as_text=True)
    assert hidden.proposer_name in page
    assert hidden.proposer_phone in page


def test_list_filters_by_village_strategy_status_and_text(client):
    ban_on = org("ban-on")
    village = ban_on.villages[0]
    strategy = ban_on.strategies[0]
    page = listed(client.get(f"/o/ban-on/proposals?village={village.id}").get_data(as_text=True))
    assert village.label in page
    assert ban_on.villages[1].label not in page
    page = client.get(f"/o/ban-on/proposals?strategy={strategy.id}&status=submitted")
    assert page.status_code == 200
    page = listed(client.get("/o/ban-on/proposals?q=ประปา").get_data(as_text=True))
    assert "ประปา" in page and "ฝายชะลอน้ำ" not in page


BAD_INPUTS = [
    ({"title": ""}, "title", "กรอกชื่อโครงการ"),
    ({"title": "   "}, "title", "กรอกชื่อโครงการ"),
    ({"title": "ก" * 256}, "title", "ไม่เกิน 255 ตัวอักษร"),
    ({"budget_2566": "-5000"}, "budget_2566", "ติดลบ"),
    ({"budget_2567": "สองแสน"}, "budget_2567", "ตัวเลข"),
    ({"budget_2568": "12.50"}, "budget_2568", "ตัวเลข"),
    ({"budget_2569": "9" * 20}, "budget_2569", "สูงเกิน"),
    ({"proposer_phone": "โทรหาได้"}, "proposer_phone", "หมายเลขโทรศัพท์"),
    ({"objective": "ข" * 4001}, "objective", "ไม่เกิน 4000 ตัวอักษร"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUTS)
def test_bad_input_refused_next_to_field_and_nothing_lost(client, overrides, field, message):
    ban_on = org("ban-on")
    before = db.session.scalar(select(db.func.count(Proposal.id)))
    data = valid_proposal_form(ban_on, **overrides)
    response = client.post("/o/ban-on/proposals/new", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page
    # what the user typed in the other fields comes back
    assert "ถนนยาว 200 เมตร" in page
    assert "นางสมศรี ใจดี" in page
    if overrides.get(field, "").strip():
        assert overrides[field][:50] in page
    assert db.session.scalar(select(db.func.count(Proposal.id))) == before


def test_tactic_from_another_strategy_refused(client):
    ban_on = org("ban-on")
    other_tactic = ban_on.strategies[1].tactics[0]
    data = valid_proposal_form(ban_on, tactic_id=other_tactic.id)
    page = client.post("/o/ban-on/proposals/new", data=data).get_data(as_text=True)
    assert "กลยุทธ์นี้ไม่อยู่ในยุทธศาสตร์ที่เลือก" in page


def test_village_of_another_organization_refused(client):
    ban_on = org("ban-on")
    foreign_village = org("khelang-nakhon").villages[0]
    data = valid_proposal_form(ban_on, village_id=foreign_village.id)
    page = client.post("/o/ban-on/proposals/new", data=data).get_data(as_text=True)
    assert "เลือกหมู่บ้านขององค์กรนี้" in page


def test_budget_with_separators_accepted_and_shown_with_separators(client):
    ban_on = org("ban-on")
    data = valid_proposal_form(ban_on, budget_2567="1,250,000")
    proposal = submitted_proposal(client.post("/o/ban-on/proposals/new", data=data))
    assert proposal.budget_by_year[2567] == 1_250_000
    assert "1,250,000" in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)


def test_tactics_grouped_by_strategy_without_javascript(client):
    page = client.get("/o/ban-on/proposals/new").get_data(as_text=True)
    ban_on = org("ban-on")
    for strategy in ban_on.strategies:
        assert f'<optgroup label="{strategy.label}">' in page


# ---------------------------------------------------------------------------- photos

@pytest.fixture
def app_config(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads"), "UPLOAD_MAX_BYTES": 2**20}


def photo_bytes(fmt="JPEG", size=(640, 480), color="green") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def noise_png(size) -> bytes:
    """A photo that does not compress: its file is about width × height × 3 bytes."""
    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, "PNG")
    return out.getvalue()


def with_photos(data: dict, *files: tuple[bytes, str]) -> dict:
    return data | {"photos": [(io.BytesIO(content), name) for content, name in files]}


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def submit(client, data: dict):
    """POST the form as a browser does. The body is encoded here, in memory: the test client
    would spool a large one to a temporary file that it never closes."""
    parts = MultiDict()
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, tuple):
                stream, name = item
                parts.add(key, FileStorage(stream, filename=name))
            else:
                parts.add(key, str(item))
    body, length, boundary = stream_encode_multipart(parts, use_tempfile=False)
    return client.post(
        "/o/ban-on/proposals/new",
        input_stream=body,
        content_length=length,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_the_form_takes_photos_from_the_phone_camera(client):
    page = client.get("/o/ban-on/proposals/new").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    [field] = re.findall(r'<input[^>]*name="photos"[^>]*>', page)
    assert 'accept="image/*"' in field and "multiple" in field


def test_photos_are_stored_re_encoded_and_shown_on_the_public_page(app, client):
    jpeg, png = (photo_bytes("JPEG"), "IMG_0001.jpg"), (photo_bytes("PNG"), "หน้าวัด.png")
    data = with_photos(valid_proposal_form(org("ban-on")), jpeg, png)
    response = submit(client, data)
    proposal = submitted_proposal(response)
    assert [p.position for p in proposal.photos] == [1, 2]
    assert len(stored_files(app)) == 2
    assert all("IMG_0001" not in p.name for p in stored_files(app))  # generated names

    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    for photo in proposal.photos:
        url = f"/proposals/{proposal.id}/photos/{photo.stored_name}"
        assert f'src="{url}"' in page
        served = client.get(url)
        assert served.status_code == 200
        assert served.mimetype == "image/jpeg"  # both re-encoded: opaque photos become JPEG
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        assert "public" in served.headers["Cache-Control"]
        assert "max-age=" in served.headers["Cache-Control"]
        with Image.open(io.BytesIO(served.data)) as image:
            assert image.size == (640, 480)
        served.close()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ((b"<?php system($_GET['c']); ?>", "photo.jpg"), "ไม่ใช่รูปภาพ"),  # named .jpg, is not
        ((b"%PDF-1.7\n" + b"0" * 100, "scan.pdf"), "ไม่ใช่รูปภาพ"),
        ((noise_png((700, 600)), "big.png"), "ใหญ่เกินไป"),  # over 1 MB
    ],
)
def test_a_refused_photo_keeps_what_was_typed_and_saves_nothing(app, client, bad, message):
    before = db.session.scalar(select(func.count(Proposal.id)))
    data = with_photos(
        valid_proposal_form(org("ban-on"), title="ซ่อมฝายกั้นน้ำห้วยแม่อ้อน"),
        (photo_bytes(), "good.jpg"),  # stored first, then removed with the refusal
        bad,
    )
    response = submit(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page and bad[1] in page  # which file, and why
    assert "เลือกรูปภาพอีกครั้ง" in page  # files must be chosen again
    assert 'value="ซ่อมฝายกั้นน้ำห้วยแม่อ้อน"' in page  # typed fields kept
    assert "081-234-5678" in page
    assert db.session.scalar(select(func.count(Proposal.id))) == before
    assert stored_files(app) == []


def test_other_mistakes_ask_for_the_photos_again(app, client):
    data = with_photos(valid_proposal_form(org("ban-on"), title=""), (photo_bytes(), "a.jpg"))
    page = submit(client, data).get_data(as_text=True)
    assert "เลือกรูปภาพอีกครั้ง" in page
    assert stored_files(app) == []


def test_at_most_three_photos(app, client):
    four = [(photo_bytes(color=c), f"{c}.jpg") for c in ("red", "green", "blue", "black")]
    data = with_photos(valid_proposal_form(org("ban-on")), *four)
    response = submit(client, data)
    assert response.status_code == 200
    assert "เลือกรูปภาพได้ไม่เกิน 3 รูป" in response.get_data(as_text=True)
    assert stored_files(app) == []


def test_three_large_photos_fit_in_one_request(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 2**20  # the app's limit: less than three photos
    photos = [(noise_png((500, 500)), f"{n}.png") for n in range(3)]  # about 750 kB each
    assert sum(len(p) for p, _name in photos) > app.config["MAX_CONTENT_LENGTH"]
    response = submit(client, with_photos(valid_proposal_form(org("ban-on")), *photos))
    assert response.status_code == 302
    assert len(stored_files(app)) == 3


def test_photos_of_a_draft_are_not_public(app, client, auth):
    auth.login("village1-banon")
    data = with_photos(valid_proposal_form(org("ban-on"), save_draft="1"), (photo_bytes(), "a.jpg"))
    response = submit(client, data)
    assert response.status_code == 302
    proposal_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    [photo] = db.session.get(Proposal, proposal_id).photos
    url = f"/proposals/{proposal_id}/photos/{photo.stored_name}"
    own = client.get(url)
    assert own.status_code == 200
    assert "no-store" in own.headers["Cache-Control"] and "private" in own.headers["Cache-Control"]
    own.close()
    auth.logout()
    assert client.get(url).status_code == 404
    auth.login("village2-banon")
    assert client.get(url).status_code == 404


def test_a_photo_is_only_served_under_its_own_proposal(app, client):
    data = with_photos(valid_proposal_form(org("ban-on")), (photo_bytes(), "a.jpg"))
    first = submit(client, data)
    proposal = submitted_proposal(first)
    name = proposal.photos[0].stored_name
    other = db.session.scalar(
        select(Proposal.id).where(Proposal.id != proposal.id, Proposal.status == "submitted")
    )
    assert client.get(f"/proposals/{other}/photos/{name}").status_code == 404
    assert client.get(f"/proposals/{proposal.id}/photos/..%2F..%2Fconfig.py").status_code == 404
    assert client.get(f"/proposals/{proposal.id}/photos/{'0' * 32}.jpg").status_code == 404


def test_form_choices_follow_the_language_and_fields_point_only_at_real_errors(client):
    page = client.get("/o/ban-on/proposals/new").get_data(as_text=True)
    assert "โครงการที่ดำเนินการเอง (แบบ ผ.02)" in page and "ผลลัพธ์ของโครงการ" in page
    assert 'aria-describedby="None"' not in page
    client.post("/language/en")
    page = client.get("/o/ban-on/proposals/new").get_data(as_text=True)
    assert "Own project (form P.02)" in page and "โครงการที่ดำเนินการเอง" not in page
    page = client.post("/o/ban-on/proposals/new", data={"title": ""}).get_data(as_text=True)
    assert 'aria-describedby="title-error"' in page and 'id="title-error"' in page
