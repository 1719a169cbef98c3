"""Audit trail: log-in events and permission denials are recorded, append-only, and shown to
the organization's admin."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from forum.audit.models import AccessDenial, AuditRecordChanged, LoginEvent
from forum.extensions import db
from forum.workflow.models import AppendOnlyError, Decision
from tests.helpers import org


def events(username: str) -> list[LoginEvent]:
    return db.session.scalars(
        select(LoginEvent).where(LoginEvent.username == username).order_by(LoginEvent.id)
    ).all()


def test_failed_and_successful_logins_are_recorded(client, auth):
    client.post("/login", data={"username": "officer-banon", "password": "wrong"})
    auth.login("officer-banon")
    recorded = events("officer-banon")
    assert [e.outcome for e in recorded] == ["failure", "success"]
    assert all(e.user is not None and e.user.username == "officer-banon" for e in recorded)
    assert recorded[0].address == "127.0.0.1"
    assert recorded[0].created_at is not None


def test_a_login_with_an_unknown_username_is_recorded_without_a_user(client):
    client.post("/login", data={"username": "nobody-here", "password": "x"})
    (event,) = events("nobody-here")
    assert event.outcome == "failure" and event.user_id is None


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_throttled_logins_are_recorded(client, app_config):
    for _ in range(6):
        client.post("/login", data={"username": "village1-banon", "password": "wrong"})
    assert [e.outcome for e in events("village1-banon")][-1] == "throttled"


def test_a_password_change_is_not_a_login(client, auth):
    auth.login("officer-banon")
    client.post(
        "/account/password",
        data={"current_password": "prachakhom-demo", "new_password": "another-long-secret"},
    )
    assert [e.outcome for e in events("officer-banon")] == ["success"]


def test_permission_denials_are_recorded_with_their_organization(client, auth):
    auth.login("village1-banon")
    assert client.get("/o/ban-on/audit").status_code == 403
    denial = db.session.scalar(select(AccessDenial).order_by(AccessDenial.id.desc()))
    assert denial.user.username == "village1-banon"
    assert denial.organization_id == org("ban-on").id
    assert (denial.method, denial.path) == ("GET", "/o/ban-on/audit")
    assert denial.endpoint == "audit.index"


def test_admin_sees_failed_logins_and_denials_of_their_own_organization(app, client, auth):
    other = app.test_client()
    other.post("/login", data={"username": "officer-banon", "password": "guess-1"})
    other.post("/login", data={"username": "officer-khelang", "password": "guess-2"})
    other.post("/login", data={"username": "typed-my-password-here", "password": "x"})
    other.post("/login", data={"username": "officer-khelang", "password": "prachakhom-demo"})
    other.get("/o/ban-on/audit")  # a user of another organization knocks on ban-on's door

    auth.login("admin-banon")
    page = client.get("/o/ban-on/audit")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "officer-banon" in html
    assert "officer-khelang" in html  # the denial on ban-on's page
    assert "typed-my-password-here" not in html  # nobody's account: no organization's business
    assert html.count("officer-khelang") == 1  # its failed login belongs to another organization


@pytest.mark.parametrize("username", ["officer-banon", "village1-banon", "officer-khelang"])
def test_only_the_organization_admin_sees_the_security_log(client, auth, username):
    auth.login(username)
    assert client.get("/o/ban-on/audit").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/o/ban-on/audit")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.fixture
def audit_rows(client):
    """At least one row in every append-only table."""
    client.post("/login", data={"username": "officer-banon", "password": "wrong"})
    client.get("/o/ban-on/audit")
    client.post("/login", data={"username": "village1-banon", "password": "prachakhom-demo"})
    client.get("/o/ban-on/audit")
    db.session.remove()


@pytest.mark.parametrize("model", [LoginEvent, AccessDenial, Decision])
def test_the_orm_refuses_to_change_or_delete_audit_records(app, audit_rows, model):
    record = db.session.scalars(select(model)).first()
    record.created_at = record.created_at.replace(year=2001)
    with pytest.raises((AuditRecordChanged, AppendOnlyError)):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalars(select(model)).first())
    with pytest.raises((AuditRecordChanged, AppendOnlyError)):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("table", ["login_event", "access_denial", "decision"])
@pytest.mark.parametrize("statement", ["UPDATE {t} SET created_at = created_at", "DELETE FROM {t}"])
def test_the_database_refuses_to_change_or_delete_audit_records(
    app, audit_rows, table, statement
):
    """Even SQL that bypasses the app is refused, by triggers the migration created."""
    with db.engine.connect() as conn:
        count = conn.scalar(text(f"SELECT count(*) FROM {table}"))
        assert count > 0
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text(statement.format(t=table)))
        conn.rollback()
        assert conn.scalar(text(f"SELECT count(*) FROM {table}")) == count


def test_the_database_refuses_to_truncate_audit_records_on_postgresql(app, audit_rows):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL only")
    with db.engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text("TRUNCATE login_event"))
