"""Log-in limits that hold behind a proxy and across workers (Redis), that an attacker cannot
turn against the owner; logout that ends the session; no username probing by timing."""


import pytest
import redis
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from forum import create_app
from forum.audit.models import LoginEvent
from forum.auth import models as auth_models
from forum.auth.models import User
from forum.extensions import db
from tests.conftest import LIMITS_REDIS_URL as REDIS_URL
from tests.conftest import base_config


def from_address(address: str) -> dict:
    return {"X-Forwarded-For": address}


def attempt(client, password="wrong", username="officer-banon", address="192.0.2.1"):
    return client.post(
        "/login", data={"username": username, "password": password},
        headers=from_address(address),
    )


def events(username: str) -> list[LoginEvent]:
    return db.session.scalars(
        select(LoginEvent).where(LoginEvent.username == username).order_by(LoginEvent.id)
    ).all()


@pytest.mark.parametrize("app_config", [{"TRUSTED_PROXY_COUNT": 1}])
def test_the_audit_records_the_address_the_proxy_saw(client, app_config):
    attempt(client, address="198.51.100.23")
    assert events("officer-banon")[-1].address == "198.51.100.23"


@pytest.mark.parametrize("app_config", [{"TRUSTED_PROXY_COUNT": 0}])
def test_without_a_trusted_proxy_the_header_is_ignored(client, app_config):
    attempt(client, address="198.51.100.23")
    assert events("officer-banon")[-1].address == "127.0.0.1"


def test_the_counts_live_in_redis_and_outlast_the_process(limited, database_url, redis_prefix):
    """A second app (as another worker or server would) sees the first one's failures."""
    first = create_app(base_config(database_url, **limited))
    for _ in range(3):
        assert attempt(first.test_client()).status_code == 200
    keys = redis.Redis.from_url(REDIS_URL).keys(f"*{redis_prefix}*")
    assert keys, "no counter was written to Redis"

    second = create_app(base_config(database_url, **limited))
    statuses = [attempt(second.test_client()).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # 5 per address and account, counted across both
    for app in (first, second):
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app_config(limited):
    return {**limited, "LOGIN_LIMIT_PER_ACCOUNT": "8 per 15 minutes"}


def test_one_address_is_limited_per_account_then_overall(client):
    assert [attempt(client).status_code for _ in range(6)] == [200] * 5 + [429]
    assert attempt(client, username="village1-banon").status_code == 200
    page = attempt(client).get_data(as_text=True)
    assert "รอ 15 นาที" in page


def test_an_attack_from_many_addresses_does_not_lock_the_owner_out(app, client):
    owner = app.test_client()
    assert attempt(owner, "prachakhom-demo", address="203.0.113.5").status_code == 302
    owner.post("/logout", headers=from_address("203.0.113.5"))

    answers = [attempt(client, address=f"192.0.2.{n}").status_code for n in range(1, 13)]
    assert answers.count(200) == 8 and answers[-1] == 429  # the account's own limit holds
    assert attempt(client, "prachakhom-demo", address="192.0.2.99").status_code == 429

    # The owner's browser has logged in before: the correct password still gets through.
    assert attempt(owner, "prachakhom-demo", address="203.0.113.5").status_code == 302
    assert owner.get("/account/password").status_code == 200


def test_a_forged_known_device_cookie_exempts_nothing(app, client):
    for n in range(1, 10):
        attempt(client, address=f"192.0.2.{n}")
    client.set_cookie("prachakhom_device", "WyJvZmZpY2VyLWJhbm9uIl0.forged.sig")
    assert attempt(client, "prachakhom-demo", address="192.0.2.50").status_code == 429


def test_logout_ends_the_session_on_the_server(app, client, auth):
    auth.login("officer-banon")
    copied = app.test_client()
    copied.set_cookie("session", client.get_cookie("session").value)
    assert copied.get("/account/password").status_code == 200  # a copied cookie works…
    auth.logout()
    assert copied.get("/account/password").status_code == 302  # …until its owner logs out
    auth.login("officer-banon")  # a fresh log-in works again
    assert client.get("/account/password").status_code == 200


def test_logging_out_on_one_device_keeps_the_others(app, client, auth):
    other_device = app.test_client()
    other_device.post("/login", data={"username": "officer-banon", "password": "prachakhom-demo"})
    auth.login("officer-banon")
    auth.logout()
    assert other_device.get("/account/password").status_code == 200


@pytest.fixture
def hash_checks(monkeypatch):
    """Counts password-hash verifications (the expensive step whose absence leaks timing)."""
    calls = []
    real = auth_models.check_password_hash

    def counting(stored, password):
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(auth_models, "check_password_hash", counting)
    return calls


@pytest.mark.parametrize("username", ["officer-banon", "nobody-by-this-name", "retired"])
def test_a_wrong_password_costs_one_hash_check_whoever_is_named(client, hash_checks, username):
    retired = User(username="retired", display_name="retired", password_hash="", active=False)
    retired.set_password("prachakhom-demo")
    db.session.add(retired)
    db.session.commit()
    client.post("/login", data={"username": username, "password": "wrong"})
    assert len(hash_checks) == 1
    assert hash_checks[0].split("$")[0] == "scrypt:32768:8:1"


def test_the_dummy_hash_costs_what_a_real_one_costs():
    fresh = generate_password_hash("x", method="scrypt")
    assert auth_models.DUMMY_PASSWORD_HASH.split("$")[0] == fresh.split("$")[0]
    assert len(auth_models.DUMMY_PASSWORD_HASH) == len(fresh)
