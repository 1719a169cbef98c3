"""Downloads of the paper forms. The proposal form is public (anyone may propose); the
attendance sheet names the members, so only those who record the meeting print it."""

from flask import Blueprint, Response, abort, request
from flask_login import current_user, login_required

from forum.jobs.views import content_disposition
from forum.meetings.views import get_meeting
from forum.organizations.access import get_organization
from forum.printables import attendance, proposal_form

bp = Blueprint("printables", __name__)


def send_pdf(data: bytes, filename: str) -> Response:
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": content_disposition(filename)},
    )


@bp.route("/o/<slug>/printables/proposal-form.pdf")
def proposal_form_pdf(slug: str):
    organization = get_organization(slug)
    if not organization.accepts_proposals:
        abort(404)
    village = None
    if village_id := request.args.get("village", type=int):
        village = next((v for v in organization.villages if v.id == village_id), None)
        if village is None:
            abort(404)
    data = proposal_form.ProposalFormSheet(proposal_form.gather(organization, village)).render()
    suffix = f"-village-{village.number}" if village else ""
    return send_pdf(data, f"{organization.slug}-proposal-form{suffix}.pdf")


@bp.route("/meetings/<int:meeting_id>/attendance.pdf")
@login_required
def attendance_pdf(meeting_id: int):
    meeting = get_meeting(meeting_id)
    if not meeting.can_manage(current_user):
        abort(403)
    rows = request.args.get("rows", type=int)
    data = attendance.AttendanceSheet(attendance.gather(meeting, rows)).render()
    return send_pdf(data, f"{meeting.organization.slug}-meeting-{meeting.id}-attendance.pdf")
