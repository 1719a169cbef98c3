"""Web benchmark at province scale on PostgreSQL: the pages people load most, under
concurrent load on loopback, side by side with a bare Flask endpoint on the same server.

The script creates its own database, migrates it, generates the synthetic province
(100 organizations, 50,000 proposals), starts gunicorn (2 workers, deploy/gunicorn.conf.py)
on a free loopback port, drives it with wrk, prints the figures and drops the database.

Figures per page: throughput (requests/s), p50/p95/p99 latency, and the ratio of the
throughput to the bare endpoint's, measured in the same run (bare is measured first and last;
the baseline is their mean). Targets: p95 <= 100 ms; throughput >= 0.5 x bare.

"Zipf" rows request the same URLs with popular ones more often (the k-th 1/k as often).

Two servers run side by side, one with the public micro-cache as in production
(PUBLIC_CACHE_SECONDS=60, forum/public_cache.py) and one without it (0); each page is measured
on one, then at once on the other, so both see the same machine (--public-cache on|off: one).
wrk sends no cookies: every request is a new anonymous visitor, as most public readers are.

Usage:  .venv/bin/python bench/bench_web.py [--scale province] [--duration 10]
                                            [--connections 8] [--keep] [--database NAME]
                                            [--public-cache both|on|off] [--no-pre-ping]

--database NAME reuses a database already migrated and generated (e.g. a country sample
made once with `flask --app forum generate --scale country`) and leaves it in place.
The load average of the machine is printed before and after: the box may be shared.
Needs wrk (apt-get install wrk) and a PostgreSQL server (--server, default
postgresql+psycopg://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEARCH_WORDS = ["ประปา", "ถนน", "ฝาย", "ผู้สูงอายุ", "ไฟฟ้า", "เยาวชน", "หน้าวัด", "แม่ตีบ"]
STATUSES = ["submitted", "screened", "endorsed", "announced"]
P95_TARGET_MS = 100
THROUGHPUT_TARGET = 0.5
PRODUCTION_CACHE_SECONDS = "60"  # forum/config.py's default


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--scale", default="province", choices=["small", "province", "country"])
    parser.add_argument(
        "--duration", type=int, default=30,
        help="seconds per page (long enough to get past the cache's first fill)",
    )
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--database", help="use this existing, generated database")
    parser.add_argument("--public-cache", default="both", choices=["both", "on", "off"])
    parser.add_argument(
        "--cache-seconds", default=PRODUCTION_CACHE_SECONDS,
        help="PUBLIC_CACHE_SECONDS of the server with the cache on",
    )
    parser.add_argument(
        "--no-pre-ping", action="store_true", help="pool_recycle instead of pool_pre_ping"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk")

    print(f"Load before: {load_average()}")
    name = args.database or f"prachakhom_bench_{uuid.uuid4().hex[:8]}"
    server = create_engine(args.server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    if not args.database:
        with server.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(args.server).set(database=name).render_as_string(hide_password=False)
    try:
        timings, paths = prepare(url, args.scale, generate_data=not args.database)
        print_timings(timings)
        print_search_plans(url)
        settings = {"cache on": args.cache_seconds, "cache off": "0"}
        if args.public_cache != "both":
            settings = {f"cache {args.public_cache}": settings[f"cache {args.public_cache}"]}
        with contextlib.ExitStack() as servers:
            bases = {
                name: servers.enter_context(gunicorn(url, args, cache_seconds))
                for name, cache_seconds in settings.items()
            }
            results = run_pages(bases, paths, args)
        failures = {name: print_results(name, r, args) for name, r in results.items()}
        for name, failed in failures.items():
            verdict = f"{failed} page(s) missed a target" if failed else "all targets met"
            print(f"{name}: {verdict}")
        print(f"Load after: {load_average()}")
    finally:
        if args.database:
            pass
        elif args.keep:
            print(f"\nkept database {name}")
        else:
            with server.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


# --- the database ----------------------------------------------------------------------------

def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


def prepare(
    url: str, scale: str, generate_data: bool = True
) -> tuple[dict[str, float], dict[str, list[str]]]:
    from flask_migrate import upgrade
    from sqlalchemy import select

    from forum import create_app
    from forum.extensions import db
    from forum.organizations.models import Organization, Village
    from forum.proposals.models import Proposal
    from forum.synthetic import generate

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    timings = {}
    with app.app_context():
        started = time.perf_counter()
        upgrade()
        timings["migrate"] = time.perf_counter() - started
        if generate_data:
            started = time.perf_counter()
            counts = generate(scale, seed=1, prefix="bench")
            db.session.commit()
            timings[f"generate {scale} ({counts['proposals']:,} proposals)"] = (
                time.perf_counter() - started
            )
            started = time.perf_counter()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
            timings["vacuum analyze"] = time.perf_counter() - started
        slugs = list(db.session.scalars(select(Organization.slug).order_by(Organization.id)))
        villages = db.session.execute(
            select(Organization.slug, Village.id).join(Village.organization)
        ).all()
        proposal_ids = list(db.session.scalars(select(Proposal.id)))
        print(f"Database: {len(slugs)} organizations, {len(proposal_ids):,} proposals")
        db.engine.dispose()
    rng = random.Random(7)
    paths = {
        "bare endpoint": ["/_bench/bare"],
        "proposal list": [
            f"/o/{rng.choice(slugs)}/proposals?page={rng.randint(1, 20)}" for _ in range(500)
        ],
        "list, filtered": [
            f"/o/{slug}/proposals?village={village}&status={rng.choice(STATUSES)}"
            for slug, village in rng.sample(villages, min(500, len(villages)))
        ],
        "list, Thai search": [
            f"/o/{rng.choice(slugs)}/proposals?q={quote(rng.choice(SEARCH_WORDS))}"
            for _ in range(500)
        ],
        "proposal page": [f"/proposals/{pid}" for pid in rng.sample(proposal_ids, 500)],
        "organization page": [f"/o/{slug}" for slug in slugs],
        "catalog API": [f"/api/organizations/{slug}/catalog" for slug in slugs],
    }
    # The same URLs with popular ones requested more often (Zipf, s = 1: the k-th most popular
    # URL 1/k as often as the first), as readers follow shared links and the first pages.
    paths["list, Zipf"] = zipf(paths["proposal list"])
    paths["proposal page, Zipf"] = zipf(paths["proposal page"])
    return timings, paths


def zipf(paths: list[str], lines: int = 5000) -> list[str]:
    distinct = list(dict.fromkeys(paths))
    norm = sum(1 / rank for rank in range(1, len(distinct) + 1))
    return [
        path
        for rank, path in enumerate(distinct, start=1)
        for _ in range(max(1, round(lines / (rank * norm))))
    ]


def print_timings(timings: dict[str, float]) -> None:
    print("Preparation")
    for step, seconds in timings.items():
        print(f"  {step:<40} {seconds:7.1f} s")


def print_search_plans(url: str) -> None:
    """EXPLAIN ANALYZE of Thai substring searches, and what the server's ctype does to Thai."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        ctype = conn.scalar(
            text("SELECT datctype FROM pg_database WHERE datname = current_database()")
        )
        trigrams = conn.scalar(text("SELECT array_length(show_trgm('ประปา'), 1)"))
        org_id = conn.scalar(text("SELECT min(organization_id) FROM proposal"))
        print(f"\nThai search (database ctype {ctype}; "
              f"show_trgm('ประปา') gives {trigrams} trigrams)")
        queries = {
            "one organization, 'ประปา'": (
                "SELECT count(*) FROM proposal WHERE organization_id = :org"
                " AND status != 'draft' AND title ILIKE '%ประปา%'"
            ),
            "whole province, 'ประปา'": (
                "SELECT id, title FROM proposal WHERE title ILIKE '%ประปา%'"
                " ORDER BY id DESC LIMIT 25"
            ),
            "whole province, 'ลำห้วยแม่ตีบ'": (
                "SELECT count(*) FROM proposal WHERE title ILIKE '%ลำห้วยแม่ตีบ%'"
            ),
            "whole province, 'ระบบประปาหมู่บ้านลำห้วย'": (
                "SELECT count(*) FROM proposal WHERE title ILIKE '%ระบบประปาหมู่บ้านลำห้วย%'"
            ),
        }
        for label, sql in queries.items():
            explain = text("EXPLAIN (ANALYZE, COSTS OFF) " + sql)
            plan = [row[0] for row in conn.execute(explain, {"org": org_id})]
            nodes = [line.strip().lstrip("->").strip() for line in plan if "Scan" in line]
            total = next(line for line in plan if line.startswith("Execution Time"))
            print(f"  {label:<42} {total.split(':')[1].strip():>10}  {' / '.join(nodes)}")
    engine.dispose()


# --- the server and the load ----------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(url: str, args, cache_seconds: str):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(args.workers),
        "MIGRATE_ON_START": "0",
        "ACCESS_LOG": "",
        "PUBLIC_CACHE_SECONDS": cache_seconds,
        "BENCH_NO_PRE_PING": "1" if args.no_pre_ping else "",
    }
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (open while the server runs)
        prefix="bench-gunicorn-", suffix=".log", delete=False
    )
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c", "deploy/gunicorn.conf.py",
        "--max-requests", "0",  # steady state: no worker recycling during a measurement
        "bench.web_app:create_app()",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz", process, log.name)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        os.unlink(log.name)


def wait_until_up(url: str, process, log_name: str) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit("gunicorn did not start:\n" + Path(log_name).read_text())
            time.sleep(0.2)


def wrk(base: str, paths: list[str], duration: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(paths) + "\n")
    try:
        output = subprocess.run(
            [
                "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "5s",
                "-s", str(ROOT / "bench" / "wrk_report.lua"), base,
            ],
            env={**os.environ, "BENCH_PATHS": f.name},
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(f.name)
    result = json.loads(next(line for line in output.splitlines() if line.startswith("{")))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def run_pages(bases: dict[str, str], paths: dict[str, list[str]], args) -> dict[str, dict]:
    """Each page on every server in turn, so that they share the machine's ups and downs."""
    for base in bases.values():  # warm up: templates compiled, connections open
        for page_paths in paths.values():
            wrk(base, page_paths, 2, args.connections)
    results = {name: {} for name in bases}

    def measure(label: str, page_paths: list[str]) -> None:
        for name, base in bases.items():
            before = cache_counts(base, args.workers)
            results[name][label] = wrk(base, page_paths, args.duration, args.connections)
            results[name][label]["hit_rate"] = hit_rate(before, cache_counts(base, args.workers))

    measure("bare (first)", paths["bare endpoint"])
    for label, page_paths in paths.items():
        if label != "bare endpoint":
            measure(label, page_paths)
    measure("bare (last)", paths["bare endpoint"])
    return results


def cache_counts(base: str, workers: int) -> dict[int, dict] | None:
    """Each worker's public cache counters (asked until every worker has answered once)."""
    import urllib.request

    counts = {}
    for _ in range(50 * workers):
        with urllib.request.urlopen(base + "/_bench/cache-stats", timeout=5) as answer:
            stats = json.load(answer)
        counts[stats["pid"]] = stats
        if len(counts) == workers:
            return counts
    return None


def hit_rate(before: dict | None, after: dict | None) -> float | None:
    if before is None or after is None or before.keys() != after.keys():
        return None
    hits = sum(after[pid]["hits"] - before[pid]["hits"] for pid in after)
    misses = sum(after[pid]["misses"] - before[pid]["misses"] for pid in after)
    return hits / (hits + misses) if hits + misses else None


def print_results(setting: str, results: dict[str, dict], args) -> int:
    """The table of one server; returns how many pages missed a target."""
    bare_rps = (results["bare (first)"]["rps"] + results["bare (last)"]["rps"]) / 2
    print(
        f"\n{setting.upper()}: wrk, {args.connections} connections, {args.duration} s per page,"
        f" gunicorn {args.workers} sync workers, loopback, {os.cpu_count()} cores shared"
        f"{', pool_recycle instead of pool_pre_ping' if args.no_pre_ping else ''}"
    )
    header = f"  {'page':<20} {'req/s':>8} {'x bare':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    print(header + "  errors  p95<=100 ms  >=0.5 x bare  cache hits")
    failures = 0
    for name, r in results.items():
        ratio = r["rps"] / bare_rps
        errors = r["non2xx"] + r["socket_errors"]
        verdict = ""
        if not name.startswith("bare"):
            fast = r["p95"] / 1000 <= P95_TARGET_MS and not errors
            busy = ratio >= THROUGHPUT_TARGET and not errors
            failures += not (fast and busy)
            verdict = f"{'met' if fast else 'MISSED':>11}  {'met' if busy else 'MISSED':>12}"
            if r.get("hit_rate") is not None:
                verdict += f"  {r['hit_rate']:9.0%}"
        print(
            f"  {name:<20} {r['rps']:8.0f} {ratio:7.2f} {r['p50'] / 1000:7.1f}"
            f" {r['p95'] / 1000:7.1f} {r['p99'] / 1000:7.1f}  {errors:6d}  {verdict}"
        )
    print(f"  baseline: bare endpoint, mean of first and last run = {bare_rps:.0f} req/s")
    return failures


if __name__ == "__main__":
    main()
