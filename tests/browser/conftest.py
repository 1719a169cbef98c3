"""A live server on a free port with its own copy of the demo database, and headless
Debian Chromium driven by Playwright. Screenshots go to test-artifacts/browser/.

axe-core comes from the npm registry: `npm install --no-save --no-package-lock axe-core`
(done by .ci/dev) puts it in node_modules/, which git ignores.
"""

import json
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from forum import create_app
from tests.conftest import base_config

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def live_app(template_database, tmp_path_factory):
    kind, location = template_database
    if kind != "sqlite":
        pytest.skip("browser journeys run on the SQLite demo database")
    path = tmp_path_factory.mktemp("live") / "live.sqlite"
    shutil.copyfile(location, path)
    app = create_app(
        base_config(f"sqlite:///{path}", WTF_CSRF_ENABLED=True, TESTING=False, DEBUG=False)
    )
    return app


@pytest.fixture(scope="module")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    with live_app.app_context():
        from forum.extensions import db

        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server):
    """A 360 px wide phone, Thai, with any CSP violation or JS error recorded."""
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=1, locale="th-TH", base_url=live_server,
        accept_downloads=True,
    )  # fmt: skip
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not m.text.startswith("Failed to load resource")  # reported with its URL below
            and page.problems.append(m.text)
        ),
    )
    page.on(
        "response",
        lambda r: (
            r.status >= 400
            and not r.url.endswith("/favicon.ico")
            and r.request.resource_type != "document"  # a page's own status is the test's
            and page.problems.append(f"{r.status} {r.url}")
        ),
    )
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    context.close()


class Shots:
    """Numbered screenshots per test: test-artifacts/browser/<test>/<nn>-<step>.png."""

    def __init__(self, name: str):
        self.folder = ARTIFACTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0

    def __call__(self, page, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shot(request):
    return Shots(re.sub(r"[^\w.-]+", "-", request.node.name).strip("-"))


def run_axe(page) -> list[dict]:
    """Serious and critical axe-core violations on the current page."""
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: run `npm install --no-save --no-package-lock axe-core`")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]  # fmt: skip
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (ARTIFACTS / "axe.jsonl").open("a", encoding="utf-8") as log:
        log.write(json.dumps({"url": page.url, "violations": result["violations"]}) + "\n")
    return serious


@pytest.fixture
def axe():
    return run_axe


def fits_the_screen(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
