"""Log-in, sessions and response headers."""

import pytest

from forum import create_app
from forum.auth.models import User
from forum.extensions import db


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_inline_scripts_or_styles_in_pages(client):
    page = client.get("/o/ban-on/proposals/new").get_data(as_text=True)
    assert "<script>" not in page and " style=" not in page and "<style" not in page


def test_wrong_password_is_refused_with_a_message(client):
    response = client.post("/login", data={"username": "officer-banon", "password": "nope"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.get_data(as_text=True)


def test_passwords_are_hashed_with_scrypt(app):
    user = db.session.scalar(db.select(User).where(User.username == "officer-banon"))
    assert user.password_hash.startswith("scrypt:")
    assert "prachakhom-demo" not in user.password_hash


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_login_attempts_limited_per_account(client, app_config):
    for _ in range(5):
        client.post("/login", data={"username": "officer-banon", "password": "wrong"})
    response = client.post("/login", data={"username": "officer-banon", "password": "wrong"})
    assert response.status_code == 429
    assert "รอ 15 นาที" in response.get_data(as_text=True)
    # another account from the same address is not locked by this one
    other = client.post("/login", data={"username": "village1-banon", "password": "wrong"})
    assert other.status_code == 200


def test_password_change_ends_other_sessions(app, auth, client):
    other_device = app.test_client()
    other_device.post("/login", data={"username": "officer-banon", "password": "prachakhom-demo"})
    assert other_device.get("/account/password").status_code == 200
    auth.login("officer-banon")
    response = client.post(
        "/account/password",
        data={"current_password": "prachakhom-demo", "new_password": "a-much-longer-secret"},
    )
    assert response.status_code == 302
    assert client.get("/account/password").status_code == 200
    assert other_device.get("/account/password").status_code == 302  # sent to log in


def test_app_refuses_to_start_with_the_default_secret_key(database_url, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "dev-only-not-secret"})


def test_session_cookie_is_secure_httponly_by_default(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x" * 32})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_state_changing_requests_need_a_csrf_token(client, app_config):
    response = client.post("/login", data={"username": "officer-banon", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "url", ["/o/ban-\x00on", "/o/ban-on/proposals?q=a\x00b", "/track?code=AB\x00CD"]
)
def test_nul_characters_are_refused_not_a_server_error(client, url):
    assert client.get(url).status_code == 400


def test_nul_in_a_form_field_is_refused(client):
    response = client.post("/login", data={"username": "x\x00y", "password": "p"})
    assert response.status_code == 400
