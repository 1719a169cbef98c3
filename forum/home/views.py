from flask import Blueprint, render_template
from flask_login import current_user, login_required

from forum.home.waiting import home_of

bp = Blueprint("home", __name__)


@bp.route("/home")
@login_required
def index():
    homes = [home_of(current_user, o) for o in current_user.organizations()]
    return render_template("home/index.html", homes=homes)
