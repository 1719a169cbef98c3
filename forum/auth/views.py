from urllib.parse import urlsplit

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from forum.auth.forms import EmptyForm, LoginForm, PasswordChangeForm
from forum.auth.limits import login_limits, remember_device
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
        return redirect(url_for("organizations.index"))
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
            target = safe_next(request.args.get("next"), url_for("organizations.index"))
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
