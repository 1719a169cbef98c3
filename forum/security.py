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
    return any(value and "\x00" in value for value in values)  # a multipart name may be None


def every_value(multidict):
    """All values, repeated keys included (``MultiDict.values()`` gives one per key)."""
    return (value for _key, value in multidict.items(multi=True))


def init_security(app) -> None:
    @app.before_request
    def refuse_nul_characters():
        """PostgreSQL cannot store or even compare text with NUL characters: such input is
        never meaningful here, so it is refused up front instead of failing in the database."""
        from flask import abort, request

        if (
            "\x00" in request.path
            or has_nul(every_value(request.args))
            or has_nul(request.args.keys())
            or has_nul(every_value(request.form))  # multipart fields too
            or has_nul(request.form.keys())
            or has_nul(upload.filename or "" for upload in request.files.values())
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
