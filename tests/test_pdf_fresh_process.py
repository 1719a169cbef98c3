"""Every PDF route works as the first request of a fresh server process.

The fonts are registered on first use, not by whichever renderer happens to run first: the
attendance sheet used to answer 500 when no annex had been made before it in the process.
Each case starts a new Python process that creates the app on this test's copy of the demo
database and requests one PDF, first thing.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from forum.demo import DEMO_RESULTS_YEAR
from forum.extensions import db
from forum.meetings.models import Meeting
from forum.plans.models import PlanDocument
from tests.conftest import base_config
from tests.helpers import org

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import json, sys
from forum import create_app
config, username, path = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
app = create_app(config)
client = app.test_client()
if username:
    r = client.post("/login", data={"username": username, "password": "prachakhom-demo"})
    assert r.status_code == 302, r.status_code
from reportlab.pdfbase import pdfmetrics
assert not any(n.startswith("Prachakhom") for n in pdfmetrics.getRegisteredFontNames())
r = client.get(path)
head = r.data[:5].decode("latin-1")
print(json.dumps({"status": r.status_code, "type": r.mimetype, "head": head}))
"""


def first_request(database_url: str, username: str | None, path: str) -> dict:
    config = base_config(database_url)
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(config), username or "", path],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def pdf_paths() -> dict[str, tuple[str | None, str]]:
    """endpoint (with a tag) -> (who asks, path) for every route that answers a PDF."""
    banon = org("ban-on")
    meeting = db.session.scalar(
        select(Meeting).where(Meeting.organization_id == banon.id).order_by(Meeting.id)
    )
    amendment_doc = db.session.scalar(
        select(PlanDocument).where(PlanDocument.form.like("a-%")).order_by(PlanDocument.id)
    )
    version = amendment_doc.version
    # the demo plan has no ผ.02/1 or ผ.02/2 project; those forms share ผ.02's renderer
    paths = {
        f"plans.download:{form}": (None, f"/o/ban-on/plan/{form}.pdf")
        for form in ("p01", "p02", "p03")
    }
    paths["plans.download:draft"] = ("officer-banon", "/o/ban-on/plan/p02.pdf?draft=1")
    paths["plans.version_document"] = (None, "/o/ban-on/plan/versions/1/p01.pdf")
    paths["plans.version_document:amendment"] = (
        None,
        f"/o/ban-on/plan/versions/{version.number}/{amendment_doc.form}.pdf",
    )
    paths["printables.proposal_form_pdf"] = (None, "/o/ban-on/printables/proposal-form.pdf")
    paths["printables.attendance_pdf"] = ("officer-banon", f"/meetings/{meeting.id}/attendance.pdf")
    paths["tracking.results_file"] = (None, f"/o/ban-on/results/{DEMO_RESULTS_YEAR}.pdf")
    return paths


#: endpoints that answer a PDF (their rule ends in .pdf or takes a format that may be pdf)
PDF_ENDPOINTS = {
    "plans.download",
    "plans.version_document",
    "printables.proposal_form_pdf",
    "printables.attendance_pdf",
    "tracking.results_file",
}

CASES = [
    "plans.download:p01",
    "plans.download:p02",
    "plans.download:p03",
    "plans.download:draft",
    "plans.version_document",
    "plans.version_document:amendment",
    "printables.proposal_form_pdf",
    "printables.attendance_pdf",
    "tracking.results_file",
]


def test_the_cases_cover_every_pdf_route(app):
    # GET routes: a POST-only PDF (the one-time link sheet, admin.link_sheet) needs a token
    # issued in the same process; tests/test_admin.py renders it, fonts register on first use.
    pdf_rules = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if (rule.rule.endswith(".pdf") or rule.endpoint in PDF_ENDPOINTS) and "GET" in rule.methods
    }
    assert pdf_rules == {case.split(":")[0] for case in CASES}
    assert set(pdf_paths()) == set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_pdf_route_works_as_the_first_request_of_a_process(app, database_url, case):
    username, path = pdf_paths()[case]
    answer = first_request(database_url, username, path)
    assert answer == {"status": 200, "type": "application/pdf", "head": "%PDF-"}, path
