from urllib.parse import urlsplit

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from forum.auth.forms import EmptyForm, LoginForm, PasswordChangeForm, SetPasswordForm
from forum.auth.limits import login_limits, remember_device
from forum.auth.links import LinkError, find_link, use_link
from forum.auth.models import User, verify_login
from forum.auth.session import end_login_session, start_login_session
from forum.extensions import db

bp = Blueprint("auth", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site relative paths; anything else goes to the fallback."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.route("/login", methods=["GET", "POST"])
@login_limits
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data))
        if not verify_login(user, form.password.data):
            form.password.errors.append(_("Wrong username or password."))
        else:
            login_user(user)
            start_login_session(user)
            db.session.commit()
            if user.locale:
                session["locale"] = user.locale
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            target = safe_next(request.args.get("next"), url_for("home.index"))
            return remember_device(redirect(target), user.username)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        end_login_session()
        db.session.commit()
        logout_user()
        flash(_("You have logged out."), "info")
    return redirect(url_for("organizations.index"))


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    """Switch the interface language; remembered in the session and on the user."""
    from flask import current_app

    if code in current_app.config["LANGUAGES"] and EmptyForm().validate_on_submit():
        session["locale"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("organizations.index")))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """A new password ends every other session of the account (its session version changes)."""
    form = PasswordChangeForm()
    form.username_for_check = current_user.username
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            current_user.set_password(form.new_password.data)
            login_user(current_user._get_current_object())
            start_login_session(current_user)
            db.session.commit()
            flash(_("Your password has been changed; other sessions have been logged out."),
                  "success")
            return redirect(url_for("organizations.index"))
    return render_template("auth/password.html", form=form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Where an invitation or reset link leads: the person chooses their password (once)."""
    try:
        link = find_link(token)
    except LinkError as error:
        response = make_response(
            render_template("auth/set_password.html", problem=error.message, form=None), 410
        )
        return _private(response)
    form = SetPasswordForm()
    form.username_for_check = link.user.username
    status = 200
    if form.validate_on_submit():
        try:
            user = use_link(token, form.new_password.data)
        except LinkError as error:  # spent by another tab a moment ago
            db.session.rollback()
            return _private(make_response(
                render_template("auth/set_password.html", problem=error.message, form=None), 410
            ))  # fmt: skip
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
        flash(_("Your password has been set. Log in with username %(username)s.",
                username=user.username), "success")  # fmt: skip
        return redirect(url_for("auth.login"))
    if request.method == "POST":
        status = 422
    response = make_response(
        render_template("auth/set_password.html", form=form, account=link.user, link=link),
        status,
    )
    return _private(response)


def _private(response):
    """The address holds the link's secret: no referrer to other sites, no caching."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.cache_control.no_store = True
    return response
