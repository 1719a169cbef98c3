"""The privacy notice (public; edited by the organization's administrator) and the
data-subject request desk (plan officers and administrators)."""

import json

from flask import Blueprint, Response, abort, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum.auth.models import Role
from forum.converters import DATABASE_INT_MAX
from forum.extensions import db
from forum.i18n import current_language
from forum.jobs.views import content_disposition
from forum.organizations.access import get_organization, require_settings_keeper
from forum.organizations.models import Organization
from forum.privacy import subjects
from forum.privacy.export import SubjectReport, as_json
from forum.privacy.forms import SECTION_LABELS, CorrectionForm, NoticeForm, RequestForm
from forum.privacy.models import SECTIONS, PrivacyAction, PrivacyActionKind, PrivacyNotice
from forum.privacy.notice import FIELDS, current_notice, notice_version, save_notice

bp = Blueprint("privacy", __name__)

ACTIONS_SHOWN = 50


@bp.route("/privacy")
def index():
    """The notices of every organization (the footer's link on pages of none)."""
    organizations = db.session.scalars(
        select(Organization).order_by(Organization.id)
    ).all()
    return render_template("privacy/index.html",
                           organizations=[o for o in organizations if o.accepts_proposals])


@bp.route("/o/<slug>/privacy")
def notice(slug: str):
    organization = get_organization(slug)
    return _render_notice(organization, current_notice(organization))


@bp.route("/o/<slug>/privacy/versions/<int:version>")
def notice_version_page(slug: str, version: int):
    """An earlier version, as shown to whoever gave consent under it."""
    organization = get_organization(slug)
    stored = notice_version(organization, version)
    if stored is None:
        abort(404)
    return _render_notice(organization, stored)


def _render_notice(organization, shown):
    versions = db.session.scalars(
        select(PrivacyNotice.version)
        .where(PrivacyNotice.organization_id == organization.id)
        .order_by(PrivacyNotice.version)
    ).all()
    language = current_language()
    return render_template(
        "privacy/notice.html",
        organization=organization,
        notice=shown,
        sections=[(SECTION_LABELS[s], shown.text(s, language)) for s in SECTIONS],
        controller=shown.text("controller", language),
        versions=versions,
        can_edit=_is_admin(organization),
    )


def _is_admin(organization) -> bool:
    return current_user.is_authenticated and current_user.has_role(organization.id, Role.ADMIN)


@bp.route("/o/<slug>/privacy/edit", methods=["GET", "POST"])
@login_required
def edit_notice(slug: str):
    organization = get_organization(slug)
    if not _is_admin(organization):
        abort(403)
    shown = current_notice(organization)
    form = NoticeForm(data={name: getattr(shown, name, None) for name in FIELDS})
    if form.validate_on_submit():
        try:
            saved = save_notice(organization, {name: form[name].data for name in FIELDS},
                                current_user)  # fmt: skip
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            flash(_("Someone saved the notice at the same moment. Your text is below: "
                    "save it again."), "error")  # fmt: skip
        else:
            flash(_("Version %(n)s of the privacy notice is now shown on every form.",
                    n=saved.version), "success")  # fmt: skip
            return _render_notice(organization, saved)
    elif request.method == "POST":
        flash(_("Please correct the fields marked below; nothing you typed was lost."), "error")
    return render_template("privacy/edit.html", organization=organization, form=form,
                           sections=SECTIONS, version=shown.version)  # fmt: skip


# --- data-subject requests ----------------------------------------------------------------


@bp.route("/o/<slug>/privacy/requests", methods=["GET", "POST"])
@login_required
def requests(slug: str):
    """Search, export, correct and erase. Everything is POSTed: names and phone numbers stay
    out of URLs, logs and caches."""
    organization = get_organization(slug)
    require_settings_keeper(current_user, organization)
    form = RequestForm()
    found = None
    if form.validate_on_submit():
        try:
            found = subjects.find(organization, form.query.data)
        except subjects.BadQuery:
            form.query.errors.append(_("Enter at least 2 letters of a name or 6 digits of a "
                                       "phone number."))  # fmt: skip
        else:
            answer = _act(organization, form, found, request.form.get("action", "find"))
            if isinstance(answer, Response):
                return answer
            found = answer
    elif request.method == "POST":
        flash(_("Please correct the fields marked below; nothing you typed was lost."), "error")
    return render_template(
        "privacy/requests.html",
        organization=organization,
        form=form,
        found=found,
        correction=CorrectionForm(meta={"csrf": False}, formdata=None),
        actions=_recent_actions(organization),
    )


def _act(organization, form, found, action: str):
    """Do what the officer asked with what was found: the new holdings, or a file to send."""
    if action == "find":
        return found
    if not form.reference_given():
        return found
    reference = form.reference.data.strip()
    if action in ("json", "pdf"):
        return _export(organization, found, reference, action)
    if action == "erase":
        return _erase(organization, found, reference, form.remove_photos.data)
    if action.startswith("correct:"):
        return _correct(organization, found, reference, action.removeprefix("correct:"))
    abort(400)


def _export(organization, found, reference: str, fmt: str) -> Response:
    subjects.record_action(organization, PrivacyActionKind.EXPORT, current_user, reference,
                           subjects.rows_of(found))  # fmt: skip
    db.session.commit()
    if fmt == "json":
        body = json.dumps(as_json(organization, found, reference), ensure_ascii=False, indent=2)
        data, mimetype = body.encode(), "application/json"
    else:
        data, mimetype = SubjectReport(organization, found, reference).render(), "application/pdf"
    response = Response(data, mimetype=mimetype, headers={
        "Content-Disposition": content_disposition(f"personal-data-{organization.slug}.{fmt}"),
    })  # fmt: skip
    response.cache_control.no_store = True
    response.cache_control.private = True
    return response


def _erase(organization, found, reference: str, remove_photos: bool):
    if found.empty:
        flash(_("Nothing is held about this person: nothing was erased."), "info")
        return found
    chosen = subjects.chosen(found, request.form.getlist("erase"))
    if chosen.empty:
        flash(_("Tick the proposals and attendance entries to erase: nothing was erased."),
              "error")  # fmt: skip
        return found
    found = chosen
    erasure = subjects.erase(organization, found, current_user, reference, remove_photos)
    db.session.commit()
    _remove_files(erasure.files_to_remove)
    from forum.public_cache import public_cache

    public_cache().clear()  # this process's copy; others' expire within PUBLIC_CACHE_SECONDS
    flash(_("Erased and recorded under the request %(ref)s: names and phone numbers of "
            "%(p)s proposals, %(a)s attendance entries, %(ph)s photos. Proposals, decisions "
            "and votes are kept.", ref=reference, p=len(found.proposals),
            a=sum(1 for a in found.attendees if a.user_id is None),
            ph=len(erasure.files_to_remove)), "success")  # fmt: skip
    if erasure.photos_kept:
        kept = ", ".join(map(str, erasure.photos_kept))
        flash(_("The photos of proposals %(ids)s were kept: they are on the ballot of a round "
                "still open, so only the personal fields were erased. Erase the photos once the "
                "round is closed.", ids=kept), "info")  # fmt: skip
    return subjects.find(organization, found.query)


def _remove_files(names: list[str]) -> None:
    from forum.uploads import current_store

    store = current_store()
    for name in names:
        store.discard("photos", name)


def _correct(organization, found, reference: str, target: str):
    correction = CorrectionForm(meta={"csrf": False}, prefix="fix")
    kind, _sep, raw_id = target.partition(":")
    if not (raw_id.isascii() and raw_id.isdigit() and int(raw_id) <= DATABASE_INT_MAX) or (
        kind not in ("proposal", "attendee", "account")
    ):
        abort(400)
    if not correction.validate() or (kind != "proposal" and not correction.name.data.strip()):
        flash(_("The correction was not saved: a name is required, and a phone number looks "
                "like 081-234-5678."), "error")  # fmt: skip
        return found
    correct = {
        "proposal": lambda: subjects.correct_proposal(
            organization, int(raw_id), correction.name.data, correction.phone.data,
            current_user, reference),
        "attendee": lambda: subjects.correct_attendee(
            organization, int(raw_id), correction.name.data, current_user, reference),
        "account": lambda: subjects.correct_account(
            organization, int(raw_id), correction.name.data, current_user, reference),
    }[kind]  # fmt: skip
    try:
        correct()
    except subjects.NotFound:
        abort(404)
    db.session.commit()
    flash(_("The correction was saved and recorded."), "success")
    return subjects.find(organization, found.query)


def _recent_actions(organization) -> list[PrivacyAction]:
    return db.session.scalars(
        select(PrivacyAction)
        .where(PrivacyAction.organization_id == organization.id)
        .order_by(PrivacyAction.id.desc())
        .limit(ACTIONS_SHOWN)
    ).all()
