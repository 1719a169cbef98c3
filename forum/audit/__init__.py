"""Audit trail: log-in events and permission denials, append-only, shown to org admins."""


def init_app(app) -> None:
    from forum.audit.recorder import init_recorder
    from forum.audit.views import bp

    init_recorder(app)
    app.register_blueprint(bp)
