"""The office's list pages for meeting-less steps (registered on the workflow blueprint)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from forum.auth.forms import EmptyForm
from forum.extensions import db
from forum.organizations.access import get_organization
from forum.workflow.all_or_none import ListRefused
from forum.workflow.batch import list_transition, step_rows, take_step_on_list
from forum.workflow.views import bp

TITLES = {
    "screen": _l("Screen several proposals as they are"),
    "draft_plan": _l("Put endorsed proposals into the draft plan"),
}


def ticked_ids() -> list[int]:
    """The ticked proposal ids, in order, once each (anything that is not a number: 0)."""
    raw = request.form.getlist("pick")
    ids = [int(v) if v.isascii() and v.isdigit() and len(v) < 10 else 0 for v in raw]
    return list(dict.fromkeys(ids))


@bp.route("/o/<slug>/proposals/steps/<action>", methods=["GET", "POST"])
@login_required
def step_list(slug: str, action: str):
    organization = get_organization(slug)
    if list_transition(organization, action) is None:
        abort(404)
    if not current_user.is_office(organization.id):
        abort(403)
    problems: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        try:
            decisions = take_step_on_list(organization, action, current_user, ticked_ids())
        except ListRefused as refused:
            problems = refused.problems
            db.session.rollback()
            flash(_("Nothing was saved: see the proposals marked below."), "error")
            status = 422
        else:
            db.session.commit()
            flash(_("%(n)d decisions recorded.", n=len(decisions)), "success")
            return redirect(url_for(".step_list", slug=slug, action=action))
    rows = step_rows(organization, action, current_user)
    listed = {row.proposal.id for row in rows}
    return render_template(
        "workflow/step_list.html",
        organization=organization,
        action=action,
        title=TITLES[action],
        rows=rows,
        problems=problems,
        unlisted={pid: m for pid, m in problems.items() if pid not in listed},
        picked=None if request.method == "GET" else set(request.form.getlist("pick")),
    ), status
