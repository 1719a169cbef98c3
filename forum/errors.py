"""Error pages: a clear message, never a stack trace; a failed request rolls back."""

from flask import jsonify, render_template, request

from forum.extensions import db


def wants_json() -> bool:
    return request.path.startswith("/api/")


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

    @app.errorhandler(500)
    def internal_error(_error):
        db.session.rollback()
        return render(500)
