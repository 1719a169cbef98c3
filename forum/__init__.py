"""Prachakhom: from a Thai community forum to a local development plan."""

import os
from pathlib import Path

from flask import Flask

from forum.config import (
    DEV_SECRET_KEY,
    MAIL_SECURITY_CHOICES,
    MAIL_SETTINGS,
    Defaults,
    database_url_from_env,
)

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
# A built wheel carries templates/ and migrations/ inside the package (see setup.py); a checkout
# keeps them at its top level, next to instance/.
INSTALLED = (PACKAGE_DIR / "templates").is_dir()


def app_folder(name: str) -> Path:
    return PACKAGE_DIR / name if INSTALLED else PROJECT_ROOT / name


def instance_folder() -> str | None:
    """PRACHAKHOM_INSTANCE_PATH, else instance/ of the checkout; an installed app without the
    variable uses Flask's default (<prefix>/var/forum-instance)."""
    if path := os.environ.get("PRACHAKHOM_INSTANCE_PATH"):
        return path
    return None if INSTALLED else str(PROJECT_ROOT / "instance")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=instance_folder(),
        instance_relative_config=True,
        template_folder=str(app_folder("templates")),
    )
    load_config(app, test_config)
    trust_proxies(app)
    app.json.ensure_ascii = False  # Thai stays readable in the open-data API
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_public_cache(app)
    return app


def load_config(app: Flask, test_config: dict | None) -> None:
    """Defaults, then instance/config.py, then the environment (or the test's own dict)."""
    app.config.from_object(Defaults)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("PRACHAKHOM")  # e.g. PRACHAKHOM_UPLOAD_DIR=/srv/uploads
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    for name in MAIL_SETTINGS:  # the usual MAIL_* names work without the PRACHAKHOM_ prefix
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    if url := database_url_from_env():
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    if test_config:
        app.config.update(test_config)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        sqlite_path = Path(app.instance_path) / "prachakhom.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{sqlite_path}"
    check_mail_security(app)
    if app.config["SECRET_KEY"] == DEV_SECRET_KEY and not (app.debug or app.testing):
        raise RuntimeError(
            "SECRET_KEY is the development default. Set SECRET_KEY in the environment or in "
            "instance/config.py (`bash .ci/dev serve` writes a random one there)."
        )


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXY_COUNT reverse proxies, the client address (rate limits, audit) is
    taken from X-Forwarded-For as the nearest of them saw it; a header the client made up
    further left is ignored. Without proxies (0, the default) the header is never trusted."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    count = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def register_extensions(app: Flask) -> None:
    from forum import i18n, security
    from forum.auth.session import init_login
    from forum.extensions import babel, csrf, db, limiter, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app_folder("migrations")), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    init_login(app)
    limiter.init_app(app)
    security.init_security(app)
    from forum import models  # noqa: F401  (registers every model with the metadata)


def register_blueprints(app: Flask) -> None:
    from forum import audit, health, static_assets
    from forum.api.views import bp as api_bp
    from forum.auth.views import bp as auth_bp
    from forum.catalog.views import bp as catalog_bp
    from forum.converters import init_converters
    from forum.meetings.views import bp as meetings_bp
    from forum.organizations.views import bp as organizations_bp
    from forum.proposals.views import bp as proposals_bp
    from forum.voting.views import bp as voting_bp
    from forum.workflow.views import bp as workflow_bp

    init_converters(app)  # before any rule is added
    app.register_blueprint(organizations_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(catalog_bp)
    app.register_blueprint(proposals_bp)
    from forum.proposals.codes import bp as codes_bp
    from forum.proposals.spam import bp as spam_bp

    app.register_blueprint(spam_bp)
    app.register_blueprint(codes_bp)
    app.register_blueprint(api_bp)
    from forum.plans.views import bp as plans_bp

    app.register_blueprint(plans_bp)
    app.register_blueprint(workflow_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(voting_bp)
    from forum.exports.views import bp as exports_bp
    from forum.imports.views import bp as imports_bp
    from forum.jobs.views import bp as jobs_bp
    from forum.portal.views import bp as portal_bp
    from forum.printables.views import bp as printables_bp

    app.register_blueprint(portal_bp)
    app.register_blueprint(imports_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(jobs_bp)
    from forum.tracking.views import bp as tracking_bp

    app.register_blueprint(tracking_bp)
    app.register_blueprint(printables_bp)
    from forum.privacy.views import bp as privacy_bp

    app.register_blueprint(privacy_bp)
    from forum.notify.views import bp as notify_bp

    app.register_blueprint(notify_bp)
    from forum.admin.views import bp as admin_bp

    app.register_blueprint(admin_bp)
    app.register_blueprint(health.bp)
    from forum.assist.views import bp as assist_bp

    app.register_blueprint(assist_bp)
    from forum.catalog.revision import watch_catalogs

    watch_catalogs()
    if app.config.get("ASSIST_WARM_UP", True):
        from forum.assist.text import warm_up

        warm_up()
    from forum.home.views import bp as home_bp

    app.register_blueprint(home_bp)
    static_assets.init_app(app)
    audit.init_app(app)


def check_mail_security(app: Flask) -> None:
    """MAIL_SECURITY is one of three words; anything else would silently mean plain SMTP, with
    the password and the one-time links in clear, so the app refuses to start."""
    security = str(app.config.get("MAIL_SECURITY") or "starttls").strip().lower()
    if security not in MAIL_SECURITY_CHOICES:
        raise RuntimeError(
            f"MAIL_SECURITY is {app.config.get('MAIL_SECURITY')!r}: use one of "
            f"{', '.join(MAIL_SECURITY_CHOICES)}."
        )
    app.config["MAIL_SECURITY"] = security


def register_errorhandlers(app: Flask) -> None:
    from forum.errors import init_errors

    init_errors(app)


def register_template_helpers(app: Flask) -> None:
    from forum import i18n

    i18n.init_template_helpers(app)
    app.request_class = i18n.ThaiFormsRequest  # WTForms' own messages in Thai too


def register_public_cache(app: Flask) -> None:
    # Last: its before_request hook runs after the others, its after_request hook first.
    from forum import public_cache

    public_cache.init_app(app)


def register_commands(app: Flask) -> None:
    from forum import cli

    cli.init_commands(app)
