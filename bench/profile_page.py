"""Where a page's time goes: serve a URL many times in-process (Flask test client, no
network) and print the mean time per request and cProfile's heaviest functions.

Usage:  DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/prachakhom_bench \\
        .venv/bin/python bench/profile_page.py /o/bench-0001/proposals [--count 200] [--top 25]

Point it at a database filled by `flask --app forum generate --scale province`.
The public micro-cache is off unless --public-cache SECONDS (then the figures are those of a
hit); --no-pre-ping replaces pool_pre_ping by pool_recycle.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    parser.add_argument("--public-cache", type=float, default=0, metavar="SECONDS")
    parser.add_argument("--no-pre-ping", action="store_true")
    args = parser.parse_args()

    from forum import create_app

    config = {"SECRET_KEY": "profile", "TESTING": False, "PUBLIC_CACHE_SECONDS": args.public_cache}
    if args.no_pre_ping:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": False, "pool_recycle": 1800}
    app = create_app(config)
    client = app.test_client()
    for url in args.urls:
        for _ in range(5):  # warm up: templates compiled, connections open
            assert client.get(url).status_code == 200, url
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(args.count):
            client.get(url)
        wall = (time.perf_counter() - started) / args.count * 1000
        cpu = (time.process_time() - cpu_started) / args.count * 1000
        # CPU time of this process (the app, not the database server) holds up better than
        # wall time on a machine shared with other work.
        print(f"{url}: {wall:.2f} ms wall, {cpu:.2f} ms CPU per request (mean of {args.count})")
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.count):
            client.get(url)
        profile.disable()
        pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
