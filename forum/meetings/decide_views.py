"""The meeting page's "decide a list" form (registered on the meetings blueprint)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.auth.forms import EmptyForm
from forum.extensions import db
from forum.meetings.decide import Outcome, decidable_rows, decide_list
from forum.meetings.views import bp, get_meeting
from forum.workflow.all_or_none import ListRefused


def _count(name: str, pid: int, problems: dict) -> int | None:
    raw = (request.form.get(f"{name}-{pid}") or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6:
        problems[pid] = _("Enter whole numbers only.")
        return None
    return int(raw)


def outcomes_from_form(rows) -> tuple[list[Outcome], dict[int, str]]:
    outcomes, problems = [], {}
    for row in rows:
        pid = row.proposal.id
        action = request.form.get(f"action-{pid}") or ""
        if not action:
            continue  # no decision on this one at this meeting
        if action not in {t.action for t in row.moves}:
            problems[pid] = _("This outcome is not possible for this proposal.")
            continue
        counts = [_count(n, pid, problems) for n in ("for", "against", "abstain")]
        round_id = request.form.get(f"round-{pid}", type=int) or None
        outcomes.append(Outcome(
            pid, action, request.form.get(f"reason-{pid}", ""), round_id,
            tuple(c or 0 for c in counts) if any(c is not None for c in counts) else None,
        ))  # fmt: skip
    return outcomes, problems


@bp.route("/meetings/<int:meeting_id>/decide", methods=["GET", "POST"])
@login_required
def decide(meeting_id: int):
    meeting = get_meeting(meeting_id)
    if not meeting.can_manage(current_user):
        abort(403)
    rows = decidable_rows(meeting, current_user)
    problems: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        outcomes, problems = outcomes_from_form(rows)
        if not problems:
            try:
                decisions = decide_list(meeting, current_user, outcomes)
            except ListRefused as refused:
                problems = refused.problems
            else:
                db.session.commit()
                flash(_("%(n)d decisions recorded.", n=len(decisions)), "success")
                return redirect(url_for(".show", meeting_id=meeting.id))
        db.session.rollback()
        rows = decidable_rows(meeting, current_user)
        flash(_("Nothing was saved: see the proposals marked below."), "error")
        status = 422
    return render_template(
        "meetings/decide.html",
        meeting=meeting,
        organization=meeting.organization,
        rows=rows,
        problems=problems,
        values=request.form,
    ), status
