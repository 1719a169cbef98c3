from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.auth.models import Role
from forum.extensions import db
from forum.meetings.forms import MeetingForm, QuorumForm
from forum.meetings.models import Meeting, MeetingKind
from forum.meetings.services import (
    NumberTaken,
    apply_meeting_form,
    create_meeting,
    number_taken,
    set_quorum,
)
from forum.organizations.access import get_organization

bp = Blueprint("meetings", __name__)


def get_meeting(meeting_id: int) -> Meeting:
    return db.get_or_404(Meeting, meeting_id)


def allowed_kinds_and_villages(organization):
    """The office records any meeting; a village committee only its own village's forum."""
    if current_user.is_office(organization.id):
        return list(MeetingKind), organization.villages
    own = current_user.committee_villages(organization.id)
    if own:
        return [MeetingKind.VILLAGE_FORUM], [v for v in organization.villages if v.id in own]
    abort(403)


@bp.route("/o/<slug>/meetings")
def index(slug: str):
    organization = get_organization(slug)
    meetings = db.session.scalars(
        select(Meeting)
        .where(Meeting.organization_id == organization.id)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
    ).all()
    may_record = current_user.is_authenticated and (
        current_user.is_office(organization.id)
        or bool(current_user.committee_villages(organization.id))
    )
    return render_template(
        "meetings/index.html",
        organization=organization,
        meetings=meetings,
        may_record=may_record,
        is_admin=current_user.is_authenticated
        and current_user.has_role(organization.id, Role.ADMIN),
    )


def _number_clash(form, meeting) -> bool:
    if number_taken(meeting):
        form.number.errors.append(
            _("Meeting no. %(number)s already exists in this series.", number=meeting.number_label)
        )
        return True
    return False


@bp.route("/o/<slug>/meetings/new", methods=["GET", "POST"])
@login_required
def new(slug: str):
    organization = get_organization(slug)
    kinds, villages = allowed_kinds_and_villages(organization)
    form = MeetingForm(organization=organization, kinds=kinds, villages=villages)
    if request.method == "GET" and len(villages) == 1 and kinds == [MeetingKind.VILLAGE_FORUM]:
        form.village_id.data = villages[0].id
    if form.validate_on_submit():
        try:
            meeting = create_meeting(organization, form, current_user)
        except NumberTaken as taken:
            db.session.rollback()
            form.number.errors.append(
                _("Meeting no. %(number)s already exists in this series.", number=str(taken))
            )
        else:
            db.session.commit()
            flash(_("The meeting has been recorded."), "success")
            return redirect(url_for(".show", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, organization=organization)


@bp.route("/meetings/<int:meeting_id>")
def show(meeting_id: int):
    from forum.voting.models import METHODS_BY_MEETING
    from forum.workflow.models import Decision

    meeting = get_meeting(meeting_id)
    decisions = db.session.scalars(
        select(Decision).where(Decision.meeting_id == meeting.id).order_by(Decision.id)
    ).all()
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        organization=meeting.organization,
        decisions=decisions,
        may_manage=meeting.can_manage(current_user),
        methods=METHODS_BY_MEETING[meeting.kind_enum],
    )


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    meeting = get_meeting(meeting_id)
    if not meeting.can_manage(current_user):
        abort(403)
    organization = meeting.organization
    kinds, villages = allowed_kinds_and_villages(organization)
    form = MeetingForm(
        organization=organization,
        kinds=kinds,
        villages=villages,
        obj=meeting,
        data={"attendees": "\n".join(a.name for a in meeting.attendees)}
        if request.method == "GET"
        else None,
    )
    if request.method == "GET":
        form.village_id.data = meeting.village_id or 0
    if form.validate_on_submit():
        with db.session.no_autoflush:
            apply_meeting_form(meeting, form)
            clash = _number_clash(form, meeting)
        if clash:
            db.session.rollback()
        else:
            db.session.commit()
            flash(_("The meeting has been saved."), "success")
            return redirect(url_for(".show", meeting_id=meeting.id))
    return render_template(
        "meetings/form.html", form=form, organization=organization, meeting=meeting
    )


@bp.route("/o/<slug>/settings/quorum", methods=["GET", "POST"])
@login_required
def quorum(slug: str):
    """The regulation sets no quorum: the administrator chooses a number, a share, or both."""
    organization = get_organization(slug)
    if not current_user.has_role(organization.id, Role.ADMIN):
        abort(403)
    form = QuorumForm(obj=organization)
    if form.validate_on_submit():
        set_quorum(organization, form.quorum_count.data, form.quorum_share.data)
        db.session.commit()
        flash(_("The quorum setting has been saved."), "success")
        return redirect(url_for(".index", slug=slug))
    return render_template("meetings/quorum.html", form=form, organization=organization)


from forum.meetings import decide_views  # noqa: E402, F401  (registers /meetings/<id>/decide)
