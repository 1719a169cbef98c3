"""Limits on failed log-ins that an attacker cannot turn against the account's owner.

Three limits count failed attempts only (a failure re-renders the form):

* per address and account (LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS): what one client may try on one
  account;
* per account from everywhere (LOGIN_LIMIT_PER_ACCOUNT): a guesser spread over many addresses.
  A browser that logged in to that account before carries a signed "known device" cookie and
  is exempt: an attack on a predictable username never locks the owner out of their own
  phone or office computer (only a first log-in from a new device waits);
* per address (LOGIN_LIMIT_PER_ADDRESS): one client trying many accounts.

Counts live in RATELIMIT_STORAGE_URI (Redis in production: shared by every worker and server).
The address is the client's as the trusted proxy saw it (TRUSTED_PROXY_COUNT).
"""

from flask import current_app, make_response, render_template, request
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from forum.extensions import limiter

DEVICE_COOKIE = "prachakhom_device"
DEVICES_REMEMBERED = 5  # accounts one browser is known for (a shared office computer)


def _setting(name: str):
    return lambda: current_app.config[name]


def _login_failed(response) -> bool:
    return response.status_code == 200


def submitted_username() -> str:
    return (request.form.get("username") or "").strip().lower()[:80]


def _account_key() -> str:
    return "login-account:" + submitted_username()


def _account_address_key() -> str:
    return f"login-account-address:{submitted_username()}@{request.remote_addr}"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="known-device")


def known_accounts() -> list[str]:
    """Usernames this browser has logged in to within KNOWN_DEVICE_DAYS (signed cookie)."""
    value = request.cookies.get(DEVICE_COOKIE)
    if not value:
        return []
    max_age = current_app.config["KNOWN_DEVICE_DAYS"] * 86400
    try:
        accounts = _serializer().loads(value, max_age=max_age)
    except BadSignature:
        return []
    return [a for a in accounts if isinstance(a, str)] if isinstance(accounts, list) else []


def _from_known_device() -> bool:
    return submitted_username() in known_accounts()


def remember_device(response, username: str):
    """After a successful log-in: this browser is now known for the account."""
    accounts = [username.lower()] + [a for a in known_accounts() if a != username.lower()]
    config = current_app.config
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps(accounts[:DEVICES_REMEMBERED]),
        max_age=config["KNOWN_DEVICE_DAYS"] * 86400,
        secure=config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response


def _too_many_attempts(_limit):
    from forum.auth.forms import LoginForm

    form = LoginForm()
    form.username.errors = [_("Too many failed log-in attempts. Wait 15 minutes and try again.")]
    return make_response(render_template("auth/login.html", form=form), 429)


def login_limits(view):
    """The three limits on POST /login."""
    common = {"methods": ["POST"], "deduct_when": _login_failed, "on_breach": _too_many_attempts}
    view = limiter.limit(_setting("LOGIN_LIMIT_PER_ADDRESS"), **common)(view)
    view = limiter.limit(
        _setting("LOGIN_LIMIT_PER_ACCOUNT"),
        key_func=_account_key,
        exempt_when=_from_known_device,
        **common,
    )(view)
    return limiter.limit(
        _setting("LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS"), key_func=_account_address_key, **common
    )(view)
