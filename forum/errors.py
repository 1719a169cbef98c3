"""Error pages: a clear message, never a stack trace; a failed request rolls back."""

from flask import flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from forum.extensions import db

JSON_ENDPOINTS = {"assist.suggest"}  # JSON answers outside /api/


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.endpoint in JSON_ENDPOINTS


def init_errors(app) -> None:
    def render(code: int):
        if wants_json():
            return jsonify(error=code), code
        return render_template(f"errors/{code}.html"), code

    @app.errorhandler(400)
    def bad_request(_error):
        return render(400)

    @app.errorhandler(403)
    def forbidden(_error):
        return render(403)

    @app.errorhandler(404)
    def not_found(_error):
        return render(404)

    @app.errorhandler(413)
    def too_large(_error):
        return render(413)

    @app.errorhandler(429)
    def too_many_requests(error):
        if getattr(error, "response", None) is not None:
            return error.response  # a limit's own answer (the log-in form says why)
        return render(429)  # Flask-Limiter adds Retry-After

    @app.errorhandler(StaleDataError)
    def changed_meanwhile(_error):
        """Someone saved the same record between this request's read and its write (optimistic
        locking): nothing of this request is kept, and the page shows where things stand."""
        db.session.rollback()
        if wants_json():
            return jsonify(error=409), 409
        flash(_("Someone else recorded a change here at the same moment, so nothing you sent "
                "was saved. This is how it stands now: check it and try again."), "error")
        return redirect(page_to_reload(), 303)

    @app.errorhandler(500)
    def internal_error(_error):
        db.session.rollback()
        return render(500)


def page_to_reload() -> str:
    """The page that shows the current state: this URL if it answers GET, else the page the
    form was sent from (same site only), else the start page."""
    if request.url_rule is not None and "GET" in request.url_rule.methods:
        return request.full_path.rstrip("?")
    referrer = request.referrer or ""
    if referrer.startswith(request.host_url):
        return referrer
    return "/"
