"""Test fixtures: every test gets its own real database, cloned from a migrated demo template.

SQLite (the default) copies a template file; with TEST_DATABASE_URL pointing at a PostgreSQL
server, each test gets `CREATE DATABASE … TEMPLATE …` and the database is dropped afterwards.
"""

import os
import shutil
import uuid

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from forum import create_app
from forum.extensions import db

POSTGRES_SERVER_URL = os.environ.get("TEST_DATABASE_URL")


def _server_engine():
    # NullPool: each connection closes when released (no pooled leftovers at teardown).
    return create_engine(POSTGRES_SERVER_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _pg_database_url(name: str) -> str:
    return make_url(POSTGRES_SERVER_URL).set(database=name).render_as_string(hide_password=False)


def base_config(database_url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "PUBLIC_CACHE_SECONDS": 0,  # tests/test_public_cache.py turns it on
        "PUBLIC_FORM_MIN_SECONDS": 0,  # tests/test_public_abuse.py turns it on
        **extra,
    }


def build_demo_database(database_url: str) -> None:
    from flask_migrate import upgrade

    from forum.catalog.seeding import import_shipped_catalogs
    from forum.demo import load_demo

    app = create_app(base_config(database_url))
    with app.app_context():
        upgrade()
        import_shipped_catalogs()
        load_demo()
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="session")
def template_database(tmp_path_factory):
    """(kind, location) of a migrated database holding the demo data."""
    if POSTGRES_SERVER_URL:
        name = f"prachakhom_tpl_{uuid.uuid4().hex[:10]}"
        with _server_engine().connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        build_demo_database(_pg_database_url(name))
        yield ("postgresql", name)
        with _server_engine().connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        path = tmp_path_factory.mktemp("template") / "demo.sqlite"
        build_demo_database(f"sqlite:///{path}")
        yield ("sqlite", path)


@pytest.fixture
def database_url(template_database, tmp_path):
    kind, location = template_database
    if kind == "sqlite":
        path = tmp_path / "test.sqlite"
        shutil.copyfile(location, path)
        yield f"sqlite:///{path}"
        return
    name = f"prachakhom_t_{uuid.uuid4().hex[:12]}"
    with _server_engine().connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{location}"'))
    yield _pg_database_url(name)
    with _server_engine().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# The rate limits in tests: a Redis database number of their own, keys prefixed per test.
LIMITS_REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in the limits' Redis database, emptied afterwards."""
    import redis

    prefix = f"test-{uuid.uuid4().hex}"
    yield prefix
    server = redis.Redis.from_url(LIMITS_REDIS_URL)
    for key in server.scan_iter(f"*{prefix}*"):
        server.delete(key)


@pytest.fixture
def limited(redis_prefix):
    """Settings with the rate limits on, counted in the real Redis, behind one trusted proxy."""
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": LIMITS_REDIS_URL,
        # Flask-Limiter is one extension object per process: the storage's own key prefix
        # (re-read by every app) keeps each test's counts apart.
        "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": redis_prefix},
        "TRUSTED_PROXY_COUNT": 1,
    }


@pytest.fixture
def app_config():
    """Override in a test module (or parametrize) to change settings."""
    return {}


class FreshContextClient(FlaskClient):
    """Each request gets its own application context (fresh `g`, its own database session),
    as in production; the test body's session then forgets what it had loaded."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture
def app(database_url, app_config):
    app = create_app(base_config(database_url, **app_config))
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = "prachakhom-demo"):
        response = self.client.post(
            "/login", data={"username": username, "password": password}
        )
        assert response.status_code == 302, f"login as {username} failed"
        return response

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)
