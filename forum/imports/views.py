"""Paper lists in: upload, a row-by-row preview, then saving all of it or nothing.

Only the village committee (its own village's rows) and the plan office may import.
"""

import os

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from forum.auth.forms import EmptyForm
from forum.auth.models import Role
from forum.exports.builders import export_filename, import_template
from forum.exports.views import send
from forum.exports.writers import render
from forum.i18n import current_language
from forum.imports.columns import columns_for
from forum.imports.forms import ImportUploadForm
from forum.imports.reader import MAX_BYTES, MAX_ROWS, UnreadableFile, check_size, file_size
from forum.imports.services import CHECK, SAVE, new_import_job
from forum.jobs.models import JobStatus
from forum.jobs.runner import start
from forum.jobs.views import get_job
from forum.organizations.access import get_organization

bp = Blueprint("imports", __name__)


def may_import(user, organization) -> bool:
    return user.is_authenticated and (
        user.is_office(organization.id)
        or user.has_role(organization.id, Role.VILLAGE_COMMITTEE)
    )


def require_importer(organization) -> None:
    if not may_import(current_user, organization):
        abort(403)


def max_bytes() -> int:
    return current_app.config.get("IMPORT_MAX_BYTES", MAX_BYTES)


@bp.route("/o/<slug>/imports/new", methods=["GET", "POST"])
@login_required
def new(slug: str):
    organization = get_organization(slug)
    require_importer(organization)
    if not organization.accepts_proposals or organization.current_period is None:
        abort(404)
    form = ImportUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        upload.stream.seek(0, os.SEEK_END)
        size = upload.stream.tell()
        upload.stream.seek(0)
        try:
            check_size(size, max_bytes())
        except UnreadableFile as problem:
            form.file.errors.append(str(problem))
        else:
            data = upload.read()
            job = new_import_job(
                organization, current_user, upload.filename or "upload.csv", data,
                current_language(),
            )  # fmt: skip
            start(job)
            return redirect(url_for("jobs.show", token=job.token))
    return render_template(
        "imports/new.html",
        form=form,
        organization=organization,
        limit_size=file_size(max_bytes()),
        max_rows=current_app.config.get("IMPORT_MAX_ROWS", MAX_ROWS),
        columns=columns_for(organization.current_period.years if organization.current_period
                            else []),  # fmt: skip
    )


@bp.route("/o/<slug>/imports/template.<any(csv, xlsx):fmt>")
@login_required
def template(slug: str, fmt: str):
    organization = get_organization(slug)
    require_importer(organization)
    sheet = import_template(organization)
    return send(render(sheet, fmt), fmt, export_filename(organization, "import-template", fmt))


def may_save(job) -> bool:
    """A checked import not saved yet, or a save that stopped with an error (it saved
    nothing: the runner rolled all of it back) and may be tried again."""
    if job.kind == CHECK:
        return job.status == JobStatus.DONE
    return job.kind == SAVE and job.status == JobStatus.FAILED


def get_import(token: str):
    job = get_job(token)
    if job.kind not in (CHECK, SAVE) or job.user_id is None:
        abort(404)
    return job


@bp.route("/imports/<token>")
@login_required
def preview(token: str):
    job = get_import(token)
    if not job.finished:
        return redirect(url_for("jobs.show", token=token))
    report = job.report or {}
    rows = report.get("rows", [])
    problem_rows = [r for r in rows if r["problems"]]
    clean = (
        may_save(job)
        and rows
        and not report.get("file_problems")
        and not problem_rows
    )
    return render_template(
        "imports/preview.html",
        job=job,
        organization=job.organization,
        report=report,
        rows=rows,
        problem_rows=problem_rows,
        clean=clean,
        saved=report.get("saved"),
        form=EmptyForm(),
    )


@bp.route("/imports/<token>/save", methods=["POST"])
@login_required
def save(token: str):
    job = get_import(token)
    if not may_save(job):
        return redirect(url_for(".preview", token=token))  # already saved, or not clean
    if not EmptyForm().validate_on_submit():
        abort(400)
    job.kind = SAVE
    job.message = None
    start(job)
    return redirect(url_for("jobs.show", token=token))
