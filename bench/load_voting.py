"""Integrity under load: concurrent proposal submissions and concurrent ballots, checked against
what the database kept. Zero lost, zero double-counted, or the script exits non-zero.

    .venv/bin/python bench/load_voting.py [--voters 200] [--changes 2] [--submitters 200]
                                          [--workers 4] [--server postgresql+psycopg://...]

It creates a fresh PostgreSQL database (dropped at the end), loads the demo data, adds a
development committee of VOTERS members, a committee meeting and an open approval round, and
starts gunicorn with several workers on it. Then, all at once:
  * SUBMITTERS anonymous villagers each submit one proposal through the public form;
  * VOTERS members log in, cast a ballot and change it CHANGES times.
Every acknowledged submission must be stored exactly once under the tracking code it was given;
every member's stored ballot must be the last one the server acknowledged, and the tally over the
stored ballots must equal the tally of the ballots sent.
"""

import argparse
import http.cookiejar
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "load-test-password"
TITLE_PREFIX = "load-test proposal "


# --------------------------------------------------------------------------- database


def create_database(server_url: str) -> str:
    name = f"prachakhom_load_{uuid.uuid4().hex[:10]}"
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, url: str) -> None:
    name = make_url(url).database
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def prepare(url: str, voters: int) -> dict:
    """Demo data, a committee of ``voters`` members, a meeting with all of them, an open
    approval round on the proposals in the draft plan. Returns what the clients need."""
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from forum import create_app
    from forum.auth.models import Membership, Role, User
    from forum.catalog.seeding import import_shipped_catalogs
    from forum.demo import load_demo
    from forum.extensions import db
    from forum.meetings.models import Attendee, Meeting, MeetingKind
    from forum.organizations.models import Organization
    from forum.proposals.models import Proposal
    from forum.proposals.states import Status
    from forum.voting.models import Method
    from forum.voting.services import open_round

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load", "TESTING": True})
    with app.app_context(), app.test_request_context():
        upgrade()
        import_shipped_catalogs()
        load_demo()
        db.session.commit()
        org = db.session.scalar(db.select(Organization).where(Organization.slug == "ban-on"))
        password_hash = generate_password_hash(PASSWORD, method="scrypt")
        members = []
        for i in range(voters):
            user = User(username=f"load-voter-{i}", display_name=f"Load voter {i}",
                        password_hash=password_hash)
            user.memberships.append(Membership(organization=org, role=Role.DEV_COMMITTEE))
            members.append(user)
        db.session.add_all(members)
        # The bench needs proposals at the committee stage; it sets them there directly.
        proposals = db.session.scalars(
            db.select(Proposal).where(Proposal.organization_id == org.id,
                                      Proposal.status != Status.DRAFT).limit(6)
        ).all()
        for proposal in proposals:
            proposal.status = Status.IN_DRAFT_PLAN
        officer = db.session.scalar(db.select(User).where(User.username == "officer-banon"))
        meeting = Meeting(
            organization=org, kind=MeetingKind.DEV_COMMITTEE,
            series=Meeting.series_for(MeetingKind.DEV_COMMITTEE, None), number=99,
            year=date.today().year + 543, held_on=date.today(), place="load test",
            attendees=[Attendee(name=u.display_name, user=u) for u in members],
        )
        db.session.add(meeting)
        db.session.flush()
        ballot_round = open_round(meeting, Method.APPROVAL, "load test round",
                                  [p.id for p in proposals], officer)
        db.session.commit()
        period = org.current_period
        strategy = org.strategies[0]
        form = {
            "village_id": org.villages[0].id, "location": "load test",
            "rationale": "r", "objective": "o", "target": "t", "kpi": "k",
            "expected_result": "e", "responsible_unit": "u", "strategy_id": strategy.id,
            "tactic_id": strategy.tactics[0].id, "program_id": 0, "annex": "p02",
            "proposer_name": "load", "proposer_phone": "081-234-5678",
            **{f"budget_{y}": "0" for y in period.years},
            f"budget_{period.first_year}": "100,000",
        }
        info = {"round_id": ballot_round.id, "proposal_ids": [p.id for p in proposals],
                "voter_ids": {u.username: u.id for u in members}, "proposal_form": form}
        db.engine.dispose()
    return info


# --------------------------------------------------------------------------- HTTP client


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor: a cookie jar, a CSRF token, and timings of every request."""

    def __init__(self, base: str, timings: dict[str, list[float]]):
        self.base = base
        self.timings = timings
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )
        self.token = None

    def request(self, kind: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        data = None
        if form is not None:
            data = urllib.parse.urlencode({**form, "csrf_token": self.token}).encode()
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=data, timeout=120) as response:
                status, body, location = response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode(errors="replace")
            location = error.headers.get("Location", "")
        self.timings.setdefault(kind, []).append(time.perf_counter() - started)
        if (match := CSRF.search(body)) and self.token is None:
            self.token = match.group(1)
        return status, body, location


# --------------------------------------------------------------------------- scenarios


def submit_proposals(base: str, count: int, form: dict, timings) -> dict:
    """Each submitter sends one proposal; returns {title: tracking code acknowledged}."""
    acknowledged: dict[str, str] = {}
    errors = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(count)

    def one(i: int) -> None:
        browser = Browser(base, timings)
        browser.request("form page", "/o/ban-on/proposals/new")
        title = f"{TITLE_PREFIX}{i}"
        barrier.wait()
        status, _body, location = browser.request(
            "submit proposal", "/o/ban-on/proposals/new", {**form, "title": title}
        )
        with lock:
            if status == 302 and "/submitted/" in location:
                acknowledged[title] = location.rsplit("/", 1)[1]
            else:
                errors[status] += 1

    with ThreadPoolExecutor(max_workers=count) as pool:
        list(pool.map(one, range(count)))
    return {"acknowledged": acknowledged, "errors": errors}


def cast_ballots(base: str, info: dict, changes: int, timings) -> dict:
    """Every member logs in, then casts and changes a ballot; returns the last acknowledged
    ballot of each member."""
    choices = ("for", "against", "abstain")
    usernames = sorted(info["voter_ids"])
    last: dict[str, dict[int, str]] = {}
    sent = Counter()
    errors = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(len(usernames))
    round_path = f"/rounds/{info['round_id']}"

    def one(username: str) -> None:
        rng = random.Random(username)  # noqa: S311 (test data, not security)
        browser = Browser(base, timings)
        browser.request("login page", "/login")
        status, _b, _l = browser.request(
            "log in", "/login", {"username": username, "password": PASSWORD}
        )
        if status != 302:
            with lock:
                errors[f"login {status}"] += 1
            barrier.wait()
            return
        barrier.wait()
        for _ in range(1 + changes):
            marks = {pid: rng.choice(choices) for pid in info["proposal_ids"]}
            status, _b, location = browser.request(
                "cast ballot", f"{round_path}/ballot",
                {f"p{pid}": choice for pid, choice in marks.items()},
            )
            with lock:
                sent["ballots"] += 1
                if status == 302 and location.endswith(round_path):
                    last[username] = marks
                else:
                    errors[f"ballot {status}"] += 1

    with ThreadPoolExecutor(max_workers=len(usernames)) as pool:
        list(pool.map(one, usernames))
    return {"last": last, "sent": sent["ballots"], "errors": errors}


# --------------------------------------------------------------------------- checks


def check_submissions(url: str, result: dict) -> dict:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT title, tracking_code FROM proposal WHERE title LIKE :p"),
            {"p": TITLE_PREFIX + "%"},
        ).all()
    stored = Counter(title for title, _code in rows)
    codes = {title: code for title, code in rows}
    acknowledged = result["acknowledged"]
    return {
        "sent": len(acknowledged) + sum(result["errors"].values()),
        "acknowledged": len(acknowledged),
        "stored": len(rows),
        "lost": sum(1 for t in acknowledged if t not in stored),
        "double": sum(n - 1 for n in stored.values() if n > 1),
        "wrong code": sum(1 for t, c in acknowledged.items() if codes.get(t) != c),
        "errors": dict(result["errors"]),
    }


def check_ballots(url: str, info: dict, result: dict) -> dict:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT u.username, m.proposal_id, m.choice FROM ballot b"
                " JOIN user_account u ON u.id = b.voter_id"
                " JOIN ballot_mark m ON m.ballot_id = b.id WHERE b.round_id = :r"
            ),
            {"r": info["round_id"]},
        ).all()
        ballots_per_voter = Counter(
            r[0] for r in conn.execute(
                text("SELECT voter_id FROM ballot WHERE round_id = :r"), {"r": info["round_id"]}
            )
        )
    stored: dict[str, dict[int, str]] = {}
    for username, pid, choice in rows:
        stored.setdefault(username, {})[pid] = choice
    last = result["last"]
    sent_tally = Counter((pid, c) for marks in last.values() for pid, c in marks.items())
    stored_tally = Counter((pid, c) for marks in stored.values() for pid, c in marks.items())
    return {
        "voters": len(info["voter_ids"]),
        "ballots sent": result["sent"],
        "voters acknowledged": len(last),
        "ballots stored": sum(ballots_per_voter.values()),
        "lost": sum(1 for u in last if u not in stored),
        "double-counted": sum(n - 1 for n in ballots_per_voter.values() if n > 1)
        + sum(1 for u in stored if u not in last),
        "stale (not the last acknowledged)": sum(
            1 for u, marks in last.items() if u in stored and stored[u] != marks
        ),
        "tally matches": sent_tally == stored_tally,
        "errors": dict(result["errors"]),
    }


# --------------------------------------------------------------------------- gunicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(url: str, workers: int) -> tuple[subprocess.Popen, str, str]:
    port = free_port()
    fd, log_name = tempfile.mkstemp(prefix="load-gunicorn-", suffix=".log")
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16),
           "COOKIE_SECURE": "0"}
    with os.fdopen(fd, "w") as log:  # the server keeps its own copy of the descriptor
        process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers),
             "--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--timeout", "120",
             "forum:create_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=log,
        )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).close()  # noqa: S310
            return process, base, log_name
        except OSError:
            if process.poll() is not None:
                sys.exit("gunicorn did not start:\n" + Path(log_name).read_text())
            time.sleep(0.2)
    process.terminate()
    sys.exit("gunicorn did not answer /healthz")


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--changes", type=int, default=2, help="ballot changes per voter")
    parser.add_argument("--submitters", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--server", default=os.environ.get(
        "PG_SERVER_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()

    url = create_database(args.server)
    process = None
    try:
        info = prepare(url, args.voters)
        process, base, log = start_gunicorn(url, args.workers)
        timings: dict[str, list[float]] = {}

        started = time.perf_counter()
        submissions = check_submissions(
            url, submit_proposals(base, args.submitters, info["proposal_form"], timings)
        )
        submit_seconds = time.perf_counter() - started
        started = time.perf_counter()
        ballots = check_ballots(url, info, cast_ballots(base, info, args.changes, timings))
        ballot_seconds = time.perf_counter() - started
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        drop_database(args.server, url)

    print(f"gunicorn: {args.workers} sync workers on PostgreSQL; {os.cpu_count()} CPUs shared")
    print(f"\nconcurrent proposal submissions ({submit_seconds:.1f} s):")
    for key, value in submissions.items():
        print(f"  {key:<36} {value}")
    print(f"\nconcurrent ballots, {args.changes} changes each ({ballot_seconds:.1f} s):")
    for key, value in ballots.items():
        print(f"  {key:<36} {value}")
    print("\nlatency (seconds):")
    for kind, values in sorted(timings.items()):
        print(f"  {kind:<16} n={len(values):<5} median {statistics.median(values):.3f}"
              f"  p95 {p95(values):.3f}  max {max(values):.3f}")
    ok = (
        submissions["lost"] == submissions["double"] == submissions["wrong code"] == 0
        and submissions["acknowledged"] == args.submitters
        and ballots["lost"] == ballots["double-counted"] == 0
        and ballots["stale (not the last acknowledged)"] == 0
        and ballots["tally matches"]
        and ballots["voters acknowledged"] == args.voters
    )
    if not ok:
        print(f"\nFAILED (server log: {log})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
