"""Security headers on every response."""

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def has_nul(values) -> bool:
    return any("\x00" in value for value in values)


def init_security(app) -> None:
    @app.before_request
    def refuse_nul_characters():
        """PostgreSQL cannot store or even compare text with NUL characters: such input is
        never meaningful here, so it is refused up front instead of failing in the database."""
        from flask import abort, request

        if (
            "\x00" in request.path
            or has_nul(request.args.values())
            or has_nul(request.args.keys())
            or (request.mimetype != "multipart/form-data" and has_nul(request.form.values()))
        ):
            abort(400)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        return response
