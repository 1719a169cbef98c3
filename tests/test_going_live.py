"""The README's production section, walked on an empty PostgreSQL database: the commands as a
province office types them (`flask db upgrade`, `import-catalogs`, `create-admin`), then a first
log-in and the way to a first proposal, through HTTP.

Needs a PostgreSQL server: TEST_DATABASE_URL (or PG_SERVER_URL) names it; the test creates its
own empty database there and drops it afterwards. Skipped without one.
"""

import os
import re
import subprocess  # nosec B404: runs this project's own CLI
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from forum import create_app
from forum.extensions import db
from tests.conftest import FreshContextClient, base_config
from tests.helpers import org, valid_proposal_form

SERVER_URL = os.environ.get("TEST_DATABASE_URL") or os.environ.get("PG_SERVER_URL")
ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "forum"]
PASSWORD = "ดอยขุนตาล-ลำปาง-2569"
CATALOG = """ประเด็นยุทธศาสตร์ที่ 1  ด้านการพัฒนาโครงสร้างพื้นฐาน

กลยุทธ์
1. การก่อสร้างและปรับปรุงถนน สะพาน และทางระบายน้ำ
2. การพัฒนาแหล่งน้ำเพื่ออุปโภค บริโภค และการเกษตร
"""

pytestmark = pytest.mark.skipif(not SERVER_URL, reason="needs a PostgreSQL server")


@pytest.fixture
def empty_database():
    name = f"prachakhom_live_{uuid.uuid4().hex[:10]}"
    engine = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def run(args, url, timings, stdin=None) -> str:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "x" * 64}
    started = time.perf_counter()
    done = subprocess.run(  # nosec B603: fixed arguments
        [*FLASK, *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip
    timings.append((" ".join(["flask --app forum", *args]), time.perf_counter() - started))
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_from_an_empty_postgresql_database_to_a_first_proposal(empty_database):
    timings: list[tuple[str, float]] = []
    run(["db", "upgrade"], empty_database, timings)
    out = run(["import-catalogs"], empty_database, timings)
    assert "ban-on" in out
    out = run(["create-admin", "province-it"], empty_database, timings,
              stdin=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    assert "province-it created" in out
    again = subprocess.run(  # nosec B603
        [*FLASK, "create-admin", "province-it"], cwd=ROOT, input=f"{PASSWORD}\n{PASSWORD}\n",
        env={**os.environ, "DATABASE_URL": empty_database, "SECRET_KEY": "x" * 64},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert again.returncode != 0 and "already taken" in again.stderr + again.stdout

    app = create_app(base_config(empty_database, SERVER_NAME=None))
    app.test_client_class = FreshContextClient
    with app.app_context():
        try:
            steps = walk_to_a_first_proposal(app.test_client(), timings)
        finally:
            db.session.remove()
            db.engine.dispose()
    assert steps
    print("\nFrom an empty PostgreSQL database to a first proposal:")
    for what, seconds in timings:
        print(f"  {seconds:6.2f} s  {what}")


def timed(timings, what, call):
    started = time.perf_counter()
    response = call()
    timings.append((what, time.perf_counter() - started))
    return response


def walk_to_a_first_proposal(client, timings) -> bool:
    """The log-in, then the province and organization administrators' first steps (HTTP)."""
    login = timed(timings, "POST /login (province-it)", lambda: client.post(
        "/login", data={"username": "province-it", "password": PASSWORD}))  # fmt: skip
    assert login.status_code == 302
    province = re.search(r'<option value="(\d+)">', client.get(
        "/admin/organizations/new").get_data(as_text=True)).group(1)  # fmt: skip
    created = timed(timings, "POST /admin/organizations/new", lambda: client.post(
        "/admin/organizations/new", data={
            "kind": "sao", "name_th": "องค์การบริหารส่วนตำบลนาแก้ว", "name_en": "Na Kaeo SAO",
            "province": "ลำปาง", "district": "เกาะคา", "dla_code": "6520801", "slug": "na-kaeo",
            "province_catalog_id": province, "council_step": ""}))  # fmt: skip
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    org_id = created.headers["Location"].split("/")[-2]
    invited = timed(timings, "POST first-admin (invitation)", lambda: client.post(
        f"/admin/organizations/{org_id}/first-admin",
        data={"username": "admin-nakaeo", "display_name": "ปลัด อบต.นาแก้ว", "role": "admin"}))
    token = re.search(r"/set-password/([\w-]+)", invited.get_data(as_text=True)).group(1)
    client.post("/logout")
    client.post(f"/set-password/{token}",
                data={"new_password": PASSWORD, "confirm_password": PASSWORD})  # fmt: skip
    assert client.post("/login", data={"username": "admin-nakaeo",
                                       "password": PASSWORD}).status_code == 302  # fmt: skip
    imported = timed(timings, "POST catalog import (pasted text)", lambda: client.post(
        "/o/na-kaeo/catalog/import", data={"text": CATALOG, "apply": "1"}))  # fmt: skip
    assert imported.status_code == 302, imported.get_data(as_text=True)[:2000]
    for number, name in ((1, "นาแก้ว"), (2, "ทุ่งฝาย")):
        added = client.post("/o/na-kaeo/admin/villages", data={"number": number, "name": name})
        assert added.status_code == 302
    village = re.search(r'<option value="(\d+)">หมู่ที่ 1', client.get(
        "/o/na-kaeo/admin/people/new").get_data(as_text=True)).group(1)  # fmt: skip
    person = client.post("/o/na-kaeo/admin/people/new", data={
        "username": "somchai-m1", "display_name": "นายสมชาย กรรมการหมู่ 1",
        "role": "village_committee", "village_id": village})  # fmt: skip
    token = re.search(r"/set-password/([\w-]+)", person.get_data(as_text=True)).group(1)
    client.post("/logout")
    client.post(f"/set-password/{token}",
                data={"new_password": PASSWORD, "confirm_password": PASSWORD})  # fmt: skip
    assert client.post("/login", data={"username": "somchai-m1",
                                       "password": PASSWORD}).status_code == 302  # fmt: skip
    proposed = timed(timings, "POST /o/na-kaeo/proposals/new (the committee member)",
                     lambda: client.post("/o/na-kaeo/proposals/new",
                                         data=valid_proposal_form(org("na-kaeo"), 1)))  # fmt: skip
    assert proposed.status_code == 302, proposed.get_data(as_text=True)[:2000]
    client.post("/logout")
    client.post("/login", data={"username": "admin-nakaeo", "password": PASSWORD})
    listing = client.get("/o/na-kaeo/proposals").get_data(as_text=True)
    return "ก่อสร้างถนนคอนกรีตสายหน้าวัด" in listing
