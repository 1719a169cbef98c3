"""Everywhere data leaves: every public GET route and every export and API answer of the demo,
as an anonymous visitor with the public cache on, never carries a phone number, a name its
proposer kept private, or a tracking code.

The routes come from ``app.url_map`` (a new route is crawled without anyone adding it here),
their arguments from the demo's own ids. Each URL is asked twice, so the second answer comes
from the public cache. PDFs are read with pdftotext, XLSX workbooks cell by cell.
"""

import io
import itertools
import re
import subprocess

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from werkzeug.routing import AnyConverter

from forum.extensions import db
from forum.meetings.models import Meeting
from forum.organizations.models import Organization
from forum.plans.amendment_models import Amendment, AmendmentItem
from forum.plans.models import PlanVersion
from forum.proposals.models import Proposal
from forum.voting.models import BallotRound

# Needs what an anonymous visitor never has (a job or import token, a photo's stored name,
# the tracking code handed to the proposer), or is not data: left out.
NOT_CRAWLED = {"static", "jobs.show", "jobs.status", "jobs.download", "imports.preview",
               "proposals.photo", "proposals.submitted"}  # fmt: skip
COMBINATIONS_MAX = 400
QUERIES = {  # query strings that change what a public page or export shows
    "exports.export": ["", "?draft=1", "?status=submitted", "?q=ผู้เสนอ"],
    "proposals.index": ["", "?q=ผู้เสนอ", "?page=2"],
    "proposals.track": ["", "?code=XXXX"],
}


@pytest.fixture
def app_config():
    return {"PUBLIC_CACHE_SECONDS": 60}


def _ids(model) -> list[int]:
    return list(db.session.scalars(select(model.id).order_by(model.id)))


def argument_values() -> dict[str, list]:
    proposals = db.session.scalars(select(Proposal)).all()
    years = sorted({b.year for p in proposals for b in p.budgets} | {2567})
    return {
        "slug": list(db.session.scalars(select(Organization.slug))),
        "proposal_id": [p.id for p in proposals],
        "meeting_id": _ids(Meeting),
        "round_id": _ids(BallotRound),
        "amendment_id": _ids(Amendment),
        "item_id": _ids(AmendmentItem),
        "number": list(db.session.scalars(select(PlanVersion.number).distinct())),
        "strategy_id": [1],
        "tactic_id": [1],
        "version": [1],
        "year": years,
        "form": ["p01", "p02", "p02-1", "p02-2", "p03", "a-p02", "a-p02-1", "a-p03"],
        "fmt": ["pdf", "csv", "xlsx", "json"],
        "action": ["withdraw", "change", "amendment_reject"],
    }


def urls(app) -> list[str]:
    values = argument_values()
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in NOT_CRAWLED:
            continue
        choices = []
        for name, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                choices.append([(name, item) for item in sorted(converter.items)])
            else:
                # an argument the demo has no list for (a new route's): its first object
                choices.append([(name, v) for v in values.get(name, [1])])
        for combination in itertools.islice(itertools.product(*choices), COMBINATIONS_MAX):
            _domain, path = rule.build(dict(combination), append_unknown=False)
            for query in QUERIES.get(rule.endpoint, [""]):
                found.append(path + query)
    return found


def readable(response, tmp_path) -> str:
    """What a reader of the answer sees: its text, a PDF's text, every cell of a workbook."""
    data = response.get_data()
    if data.startswith(b"%PDF"):
        path = tmp_path / "answer.pdf"
        path.write_bytes(data)
        return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
    if data.startswith(b"PK"):
        book = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets
                         for row in sheet.iter_rows(values_only=True) for cell in row)  # fmt: skip
    return data.decode("utf-8", errors="replace")


def secrets_of_the_demo() -> dict[str, re.Pattern]:
    """Phone numbers, private names, and a tracking code (and its stored digest) issued now to
    every proposal: only the digest is kept, so the crawl looks for codes it knows."""
    from forum.proposals.models import grouped_tracking_code
    from forum.proposals.services import issue_tracking_code

    proposals = db.session.scalars(select(Proposal)).all()
    codes = {p.id: issue_tracking_code(p) for p in proposals}
    db.session.commit()
    secrets = {}
    for p in proposals:
        code = codes[p.id]
        for shown in (code, grouped_tracking_code(code), p.tracking_code_hash):
            secrets[f"tracking code of proposal {p.id} ({shown[:4]}…)"] = rf"\b{re.escape(shown)}\b"
        if p.proposer_phone:
            secrets[f"phone of proposal {p.id}"] = re.escape(p.proposer_phone)
        if p.proposer_name and p.proposer_name_private:
            # "ผู้เสนอ ลำดับที่ 1" must not match the public "ผู้เสนอ ลำดับที่ 12"
            secrets[f"private name of proposal {p.id}"] = re.escape(p.proposer_name) + r"(?!\d)"
    return {what: re.compile(pattern) for what, pattern in secrets.items()}


def test_no_public_answer_carries_a_phone_a_private_name_or_a_tracking_code(app, tmp_path):
    secrets = secrets_of_the_demo()
    assert sum(what.startswith("phone") for what in secrets) >= 24
    assert sum(what.startswith("private name") for what in secrets) >= 5
    client = app.test_client()
    crawled, served, leaks = urls(app), 0, []
    for url in crawled:
        for _visit in ("miss", "hit"):
            response = client.get(url)
            assert response.status_code < 500, url
            served += response.status_code == 200
            text = readable(response, tmp_path)
            leaks += [f"{url}: {what}" for what, pattern in secrets.items() if pattern.search(text)]
    assert leaks == [], f"{len(leaks)} leaks, e.g. {leaks[:10]}"
    assert app.extensions["public_cache"].hits > 0  # the cache did answer some of them
    assert served > 100 and len(crawled) > 150, (served, len(crawled))
    # every export and open-data answer was among them
    for needed in ("/o/ban-on/exports/proposals.csv", "/o/ban-on/exports/proposals.xlsx",
                   "/o/ban-on/exports/plan.csv", "/o/ban-on/exports/plan.xlsx",
                   "/api/organizations/ban-on/proposals", "/o/ban-on/plan/p02.pdf",
                   "/o/ban-on/results/2567.xlsx"):  # fmt: skip
        assert needed in crawled
