"""Flask-Login wiring: a session names the user, their password generation and a login session
kept in the database, which logging out ends (a copied cookie then no longer works)."""

import hashlib
import secrets

from flask import session
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from forum.extensions import db, login_manager

LOGIN_TOKEN_KEY = "_login"  # session key: this browser's login-session token


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def init_login(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(session_id: str):
        from forum.auth.models import LoginSession, User

        user_id, _, version = session_id.partition(":")
        token = session.get(LOGIN_TOKEN_KEY)
        if not user_id.isdigit() or not isinstance(token, str):
            return None
        user = db.session.scalar(
            select(User)
            .join(LoginSession, LoginSession.user_id == User.id)
            .where(
                User.id == int(user_id),
                LoginSession.token_hash == _digest(token),
                LoginSession.ended_at.is_(None),
            )
        )
        if user is None or str(user.session_version) != version:
            return None
        return user


def start_login_session(user) -> None:
    """Call right after ``login_user``: ends this browser's previous login session, starts a
    new one. Flushes; the request commits."""
    from forum.auth.models import LoginSession

    end_login_session()
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, token_hash=_digest(token)))
    db.session.flush()
    session[LOGIN_TOKEN_KEY] = token


def end_login_session() -> None:
    """End this browser's login session in the database (logout). Flushes."""
    from forum.auth.models import LoginSession, utcnow

    token = session.pop(LOGIN_TOKEN_KEY, None)
    if isinstance(token, str):
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.token_hash == _digest(token), LoginSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
