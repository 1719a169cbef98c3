"""Record log-in attempts and 403 answers, whatever view produced them.

Both are written after the view has answered, in their own small transaction: the request's
unsaved work is rolled back first (a refused or failed request must change nothing else), so an
audit record never carries half of someone else's transition with it.
"""

from flask import current_app, g, request
from flask_login import current_user, user_logged_in
from sqlalchemy import select

from forum.audit.models import AccessDenial, LoginEvent, LoginOutcome
from forum.extensions import db

LOGIN_ENDPOINT = "auth.login"


def init_recorder(app) -> None:
    user_logged_in.connect(_remember_login, app)
    app.after_request(record_audit_events)


def _remember_login(_app, user, **_extra) -> None:
    g.audit_logged_in = user


def record_audit_events(response):
    try:
        if request.endpoint == LOGIN_ENDPOINT and request.method == "POST":
            _record_login(response.status_code)
        elif response.status_code == 403:
            _record_denial()
    except Exception:  # auditing must never turn an answer into a 500
        db.session.rollback()
        current_app.logger.exception("could not write the audit record")
    return response


def _clip(value: str | None, size: int) -> str | None:
    return value[:size] if value else value


def _record_login(status: int) -> None:
    user = g.pop("audit_logged_in", None)
    username = (request.form.get("username") or "").strip()
    if user is not None:
        outcome = LoginOutcome.SUCCESS
    elif status == 429:
        outcome = LoginOutcome.THROTTLED
    elif status == 200 and username:
        outcome = LoginOutcome.FAILURE
    else:
        return  # not an attempt (CSRF failure, empty form, already logged in)
    db.session.rollback()
    if user is None:
        from forum.auth.models import User

        user = db.session.scalar(select(User).where(User.username == username[:80]))
    db.session.add(
        LoginEvent(
            username=username[:80],
            user_id=user.id if user is not None else None,
            address=_clip(request.remote_addr, 45),
            outcome=outcome,
        )
    )
    db.session.commit()


def _record_denial() -> None:
    db.session.rollback()
    user_id = current_user.id if current_user.is_authenticated else None
    db.session.add(
        AccessDenial(
            user_id=user_id,
            organization_id=organization_of_request(),
            method=request.method[:8],
            endpoint=_clip(request.endpoint, 128),
            path=request.path[:512],
            address=_clip(request.remote_addr, 45),
        )
    )
    db.session.commit()


def organization_of_request() -> int | None:
    """The organization a request is about: its ``slug``, else the object named by an
    ``<thing>_id`` argument whose table ``thing`` has an ``organization_id``."""
    from forum.organizations.models import Organization

    args = request.view_args or {}
    if isinstance(args.get("slug"), str):
        return db.session.scalar(select(Organization.id).where(Organization.slug == args["slug"]))
    for name, value in args.items():
        if not (name.endswith("_id") and isinstance(value, int)):
            continue
        model = _model_for_table(name[: -len("_id")])
        if model is not None and hasattr(model, "organization_id"):
            obj = db.session.get(model, value)
            if obj is not None:
                return obj.organization_id
    return None


def _model_for_table(table: str):
    for mapper in db.Model.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table:
            return mapper.class_
    return None
