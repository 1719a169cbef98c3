"""Plan versions: freeze the announced plan (office only); download its stored annexes."""

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.extensions import db
from forum.jobs.views import content_disposition
from forum.organizations.access import get_organization
from forum.plans.amendments import AMENDMENT_FORMS
from forum.plans.annexes import FORM_LABELS, FORMS
from forum.plans.versions import VersionError, freeze_version, get_document, get_version
from forum.plans.views import _period_or_404, bp

NOTE_MAX = 2000


@bp.route("/o/<slug>/plan/versions", methods=["POST"])
@login_required
def freeze(slug: str):
    """Freeze and publish the announced plan as the next version."""
    organization = get_organization(slug)
    if not current_user.is_office(organization.id):
        abort(403)
    period = _period_or_404(organization)
    note = (request.form.get("note") or "").strip()[:NOTE_MAX]
    try:
        version = freeze_version(period, current_user, "announcement", note)
    except VersionError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".show", slug=slug))
    db.session.commit()
    flash(
        _("The announced plan was frozen as version %(number)d.", number=version.number), "success"
    )
    return redirect(url_for(".show", slug=slug))


@bp.route("/o/<slug>/plan/versions/<int:number>/<form>.pdf")
def version_document(slug: str, number: int, form: str):
    organization = get_organization(slug)
    period = _period_or_404(organization)
    if form not in FORMS and form not in AMENDMENT_FORMS:
        abort(404)
    version = get_version(period, number)
    document = get_document(version, form) if version is not None else None
    if document is None:
        abort(404)
    response = current_app.response_class(document.pdf, mimetype="application/pdf")
    label = FORM_LABELS[form.removeprefix("a-")].replace("/", "-")
    if form in AMENDMENT_FORMS:
        label = f"amendment-{label}"
    name = f"{organization.slug}-{period.first_year}-{period.last_year}-v{number}-{label}.pdf"
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["X-Content-SHA256"] = document.sha256
    return response
