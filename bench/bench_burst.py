"""Bursts against two gunicorn workers that share their limits in Redis, behind a proxy header.

Creates a PostgreSQL database with the demo data, starts gunicorn (2 sync workers, a new
connection per request so the kernel spreads them over both), with TRUSTED_PROXY_COUNT=1 and
RATELIMIT_STORAGE_URI on the local Redis (keys under a prefix of their own, removed after).
This script plays the proxy: every request carries X-Forwarded-For with the client address.
It then sends bursts of wrong log-ins and of anonymous proposals and prints, per burst, how many
were sent, accepted (processed) and refused (429, or the public form's own checks), and the
time a wrong password takes for an existing and an unknown username.

    .venv/bin/python bench/bench_burst.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
OPENED = re.compile(r'name="form_opened" type="hidden" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One browser: its own cookies; each request on a new connection (no keep-alive)."""

    def __init__(self, base: str, address: str):
        self.base, self.address = base, address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path, data=body, headers={"X-Forwarded-For": self.address}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def token(self, path: str) -> str:
        return CSRF.search(self.request(path)[1]).group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def database(server_url: str):
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    name = f"prachakhom_burst_{uuid.uuid4().hex[:10]}"
    server = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        load_demo_database(url)
        yield url
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def load_demo_database(url: str) -> None:
    from flask_migrate import upgrade

    from forum import create_app
    from forum.catalog.seeding import import_shipped_catalogs
    from forum.demo import load_demo
    from forum.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        upgrade()
        import_shipped_catalogs()
        load_demo()
        db.session.commit()
        db.engine.dispose()


@contextmanager
def gunicorn(url: str, redis_url: str, prefix: str, access_log: str):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "COOKIE_SECURE": "0",
        "PUBLIC_CACHE_SECONDS": "0",
        "RATELIMIT_STORAGE_URI": redis_url,
        "PRACHAKHOM_RATELIMIT_STORAGE_OPTIONS": f'{{"key_prefix": "{prefix}"}}',
        "PRACHAKHOM_TRUSTED_PROXY_COUNT": "1",
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"), "--workers", "2",
        "--bind", f"127.0.0.1:{port}", "--access-logfile", access_log,
        "--access-logformat", "%(p)s %(s)s %(U)s", "forum:create_app()",
    ]  # fmt: skip
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, process, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_until_up(base: str, process, log) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                sys.exit("gunicorn did not start:\n" + log.read().decode())
            time.sleep(0.3)


def report(label: str, statuses: list[int], accepted: set[int], refused: set[int]) -> None:
    counts = Counter(statuses)
    ok = sum(counts[s] for s in accepted)
    no = sum(counts[s] for s in refused)
    print(f"{label:<62} sent {len(statuses):>3}  accepted {ok:>3}  refused {no:>3}  "
          f"({', '.join(f'{s}: {n}' for s, n in sorted(counts.items()))})")


def wrong_login(base: str, username: str, address: str) -> int:
    client = Client(base, address)
    token = client.token("/login")
    return client.request("/login", {"csrf_token": token, "username": username,
                                     "password": "wrong-guess"})[0]


def login(client: Client, username: str) -> int:
    token = client.token("/login")
    return client.request("/login", {"csrf_token": token, "username": username,
                                     "password": "prachakhom-demo"})[0]


def proposal_data(url: str) -> dict:
    """A valid public proposal for Ban On, as its form asks for it."""
    from sqlalchemy import select

    from forum import create_app
    from forum.extensions import db
    from forum.organizations.models import Organization

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        org = db.session.scalar(select(Organization).where(Organization.slug == "ban-on"))
        strategy = org.strategies[0]
        years = org.current_period.years
        data = {"title": "ซ่อมถนนหน้าวัด", "village_id": org.villages[0].id,
                "strategy_id": strategy.id, "tactic_id": strategy.tactics[0].id,
                "program_id": 0, "annex": "p02", "homepage": ""}
        db.engine.dispose()
    data.update({f"budget_{year}": "0" for year in years})
    data[f"budget_{years[0]}"] = "150,000"
    return data


def propose(base: str, address: str, data: dict) -> tuple[Client, dict]:
    """A villager opens the form (its CSRF token and signed opening time)."""
    client = Client(base, address)
    page = client.request("/o/ban-on/proposals/new")[1]
    form = {**data, "csrf_token": CSRF.search(page).group(1),
            "form_opened": OPENED.search(page).group(1)}
    return client, form


def send_all(pairs, threads: int = 8) -> list[int]:
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(
            lambda pair: pair[0].request("/o/ban-on/proposals/new", pair[1])[0], pairs
        ))


def wrong_password_times(base: str, usernames: list[str], samples: int) -> dict[str, float]:
    """Median time of a wrong password per username, the names taking turns (so that a change
    of load affects all alike), each attempt from an address of its own (below every limit)."""
    times: dict[str, list[float]] = {name: [] for name in usernames}
    for n in range(samples):
        for i, name in enumerate(usernames):
            client = Client(base, f"192.0.{2 + i}.{n + 1}")
            token = client.token("/login")
            started = time.perf_counter()
            client.request("/login", {"csrf_token": token, "username": name, "password": "x"})
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", default=os.environ.get(
        "PG_SERVER_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    import redis

    prefix = f"bench-burst-{uuid.uuid4().hex[:8]}"
    access_log = tempfile.NamedTemporaryFile(suffix=".log", delete=False).name  # noqa: SIM115
    try:
        with database(args.pg) as url, gunicorn(url, args.redis, prefix, access_log) as base:
            run(base, url)
        pids = Counter(line.split()[0] for line in Path(access_log).read_text().splitlines())
        print(f"\nrequests per gunicorn worker: {dict(pids)}")
    finally:
        server = redis.Redis.from_url(args.redis)
        for key in server.scan_iter(f"{prefix}*"):
            server.delete(key)
        os.unlink(access_log)


def run(base: str, url: str) -> None:
    print(f"gunicorn 2 workers, limits in Redis, X-Forwarded-For trusted from 1 proxy; "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}\n")
    medians = wrong_password_times(base, ["village2-banon", "nobody-by-this-name"], 15)
    print(f"wrong password, median of 15: existing username "
          f"{medians['village2-banon']:.0f} ms, unknown username "
          f"{medians['nobody-by-this-name']:.0f} ms\n")

    owner = Client(base, "203.0.113.5")
    login(owner, "officer-banon")  # the owner's phone: now a known device
    owner.request("/logout", {"csrf_token": owner.token("/account/password")})

    with ThreadPoolExecutor(8) as pool:
        one = list(pool.map(lambda _: wrong_login(base, "officer-banon", "198.51.100.10"),
                            range(30)))
        spread = list(pool.map(lambda n: wrong_login(base, "officer-banon", f"10.9.{n}.1"),
                               range(60)))
    report("wrong log-ins, one account, one address", one, {200}, {429})
    report("wrong log-ins, same account, 60 addresses", spread, {200}, {429})
    report("owner's correct password from a new device during the attack",
           [login(Client(base, "10.9.200.1"), "officer-banon")], {302}, {429})
    report("owner's correct password from their known device",
           [login(owner, "officer-banon")], {302}, {429})

    data = proposal_data(url)
    fast = [propose(base, "198.51.100.20", data) for _ in range(10)]
    report("anonymous proposals sent at once after opening the form",
           send_all(fast), {302}, {200, 429})
    opened = [propose(base, "198.51.100.30", data) for _ in range(30)]
    time.sleep(5.5)  # past PUBLIC_FORM_MIN_SECONDS
    report("anonymous proposals, one address, 30 at once (forms open 5 s)",
           send_all(opened), {302}, {200, 429})
    villagers = [propose(base, f"10.20.{n}.1", data) for n in range(40)]
    time.sleep(5.5)
    report("anonymous proposals, 40 addresses, one each",
           send_all(villagers), {302}, {200, 429})

    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        addresses = conn.execute(text(
            "SELECT count(DISTINCT address) FROM login_event WHERE username = 'officer-banon'"
        )).scalar()
    engine.dispose()
    print(f"\naudit: log-in events of officer-banon came from {addresses} distinct addresses")


if __name__ == "__main__":
    main()
