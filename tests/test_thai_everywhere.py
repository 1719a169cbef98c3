"""No English in the Thai interface: every page of the app (each GET route with demo ids, as
each demo role and anonymous) and every form error (each form of those pages sent empty and
with wrong values) is checked for Latin words outside data, proper names, codes and
``tests.thai_sweep.ALLOWED``."""

import io
from datetime import date

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.proposals.models import Proposal
from tests.helpers import org, valid_proposal_form
from tests.thai_sweep import (
    IDENTITIES,
    data_words,
    english_words,
    form_data,
    page_urls,
    post_forms,
)

#: forms that end the session or switch the language: sending them would end the sweep
NOT_SENT = ("/logout", "/language/")


@pytest.fixture
def more_pages(app, client, auth):
    """What the demo data lacks, made through the app: a public proposal (its receipt page), a
    ballot round, an import with problems, and a draft amendment."""
    response = client.post("/o/ban-on/proposals/new", data=valid_proposal_form(org("ban-on")))
    receipt = response.headers["Location"]
    auth.login("officer-banon")
    # a village forum of a village with submitted proposals, and a round on it (the demo's
    # meetings have no proposal left to vote on)
    village = db.session.scalars(
        select(Proposal.village_id).where(Proposal.status == "submitted").order_by(Proposal.id)
    ).first()
    created = client.post("/o/ban-on/meetings/new", data={
        "kind": "village_forum", "village_id": village, "held_on": date.today().isoformat(),
        "place": "ศาลาประชาคม", "attendee_count": "40"})  # fmt: skip
    url = created.headers["Location"].removeprefix("http://localhost") + "/rounds/new"
    forms = post_forms(client.get(url).get_data(as_text=True))
    form = next(f for f in forms if any(name == "method" for name, *_ in f["fields"]))
    data = {"title": "รอบทดสอบ"}
    for name, kind, value in form["fields"]:
        if kind == "select":
            data[name] = value["options"][0]
        elif kind == "checkbox":
            data.setdefault(name, []).append(value)
    opened = client.post(form["action"] or url, data=data)
    assert opened.status_code == 302, "no round was opened"
    template = client.get("/o/ban-on/imports/template.csv").data.decode("utf-8-sig")
    header = template.splitlines()[0]
    rows = [",".join(["กขค"] * len(header.split(","))), "ถนน,99,,,,,9,9,,ผ.09,,,-5"]
    upload = (header + ",คอลัมน์เกิน\r\n" + "\r\n".join(rows) + "\r\n").encode()
    client.post("/o/ban-on/imports/new", data={"file": (io.BytesIO(upload), "รายการ.csv")},
                content_type="multipart/form-data")  # fmt: skip
    page = client.get("/o/ban-on/plan/amendments/new").get_data(as_text=True)
    form = next(f for f in post_forms(page) if any(n == "kind" for n, *_ in f["fields"]))
    kind = next(value for name, _kind, value in form["fields"] if name == "kind")["options"][0]
    drafted = client.post("/o/ban-on/plan/amendments/new", data={"kind": kind, "note": "ทดสอบ"})
    assert drafted.status_code == 302, "no amendment was drafted"
    auth.logout()
    return [receipt]


def sweep_pages(app, client, extra_urls):
    with app.test_request_context():
        urls = page_urls() + [("receipt", url) for url in extra_urls]
        allowed = data_words()
    found, pages = {}, 0
    for _endpoint, url in urls:
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        pages += 1
        words = english_words(response.get_data(as_text=True), allowed)
        if words:
            found[url] = sorted(set(words))
    return found, pages


@pytest.mark.parametrize("identity", IDENTITIES)
def test_every_page_is_thai(app, client, auth, more_pages, identity):
    if identity:
        auth.login(identity)
    found, pages = sweep_pages(app, client, more_pages)
    assert pages >= 20, f"only {pages} pages answered: the sweep did not reach the app"
    assert not found, f"English on {len(found)} pages: {dict(list(found.items())[:10])}"


@pytest.mark.parametrize("identity", [None, "officer-banon", "admin-banon", "village1-banon"])
def test_every_form_error_is_thai(app, client, auth, more_pages, identity):
    if identity:
        auth.login(identity)
    with app.test_request_context():
        urls = page_urls() + [("receipt", url) for url in more_pages]
        allowed = data_words()
    sent, found = set(), {}
    for _endpoint, url in urls:
        page = client.get(url)
        if page.status_code != 200 or page.mimetype != "text/html":
            continue
        for form in post_forms(page.get_data(as_text=True)):
            action = form["action"] or url
            key = (action, tuple(sorted(name for name, *_ in form["fields"])))
            if key in sent or action.startswith(NOT_SENT):
                continue
            sent.add(key)
            for mode in ("empty", "bad"):
                response = client.post(action, data=form_data(form, mode), follow_redirects=True)
                if response.mimetype != "text/html":
                    continue
                words = english_words(response.get_data(as_text=True), allowed)
                if words:
                    found[f"{mode} {action}"] = sorted(set(words))
    assert len(sent) >= (3 if identity is None else 8), f"only {len(sent)} forms were sent"
    assert not found, f"English after {len(found)} submissions: {dict(list(found.items())[:10])}"


def test_plan_versions_name_the_amendment_annex(client):
    html = client.get("/o/ban-on/plan").get_data(as_text=True)
    assert "แบบ  (PDF)" not in html and "แบบ (PDF)" not in html
    assert "การปรับปรุงแผน แบบ ผ.02 (PDF)" in html


def test_the_sweep_finds_english():
    """The checker itself: an untranslated label is found, names, codes and data are not."""
    html = (
        '<main><label title="Stage">Stage</label> <p>แบบ ผ.02 (PDF) · Excel · officer-banon</p>'
        "<script>var English = 1</script><code>GET /o/ban-on</code></main>"
    )
    assert english_words(html, {"officer-banon"}) == ["Stage", "Stage"]


def test_wtforms_own_messages_are_thai(client, auth):
    """WTForms ships no Thai: its own messages come from the app's catalog."""
    auth.login("officer-banon")
    html = client.post(
        "/o/ban-on/meetings/new",
        data={"kind": "nonsense", "held_on": "2026-02-30", "attendee_count": "สิบ"},
    ).get_data(as_text=True)
    assert "Not a valid" not in html and "Invalid Choice" not in html
    assert "กรอกเป็นตัวเลขจำนวนเต็ม" in html  # "Not a valid integer value."
    assert "กรุณาเลือกจากรายการ" in html  # "Not a valid choice."


def test_unreadable_csv_is_explained_in_thai(client, auth):
    """Python's csv error ("field larger than field limit") is not shown as it is."""
    auth.login("officer-banon")
    header = client.get("/o/ban-on/imports/template.csv").data.decode("utf-8-sig").splitlines()[0]
    broken = f'{header}\r\n"ถนน{"ก" * 140_000}\r\n'.encode()
    html = client.post(
        "/o/ban-on/imports/new",
        data={"file": (io.BytesIO(broken), "รายการ.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "field limit" not in html
    assert "ใกล้บรรทัดที่ 2 ยาวเกิน 131,072 ตัวอักษร" in html
