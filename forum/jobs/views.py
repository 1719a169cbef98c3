"""The status page of a job, its JSON for the progress poller, and its result file."""

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from forum.extensions import db
from forum.jobs.models import Job, JobStatus

bp = Blueprint("jobs", __name__)


def get_job(token: str) -> Job:
    job = db.session.scalar(select(Job).where(Job.token == token))
    if job is None or not job.can_view(current_user):
        abort(404)
    return job


def next_url(job: Job) -> str | None:
    """Where a finished job sends the user: an import goes on to its preview."""
    if job.kind.startswith("import") and job.finished:
        return url_for("imports.preview", token=job.token)
    return None


@bp.route("/jobs/<token>")
def show(token: str):
    job = get_job(token)
    if job.finished and (target := next_url(job)):
        return redirect(target)
    return render_template("portal/job.html", job=job)


@bp.route("/jobs/<token>/status.json")
def status(token: str):
    job = get_job(token)
    return jsonify(
        status=job.status, done=job.done, total=job.total, percent=job.percent,
        finished=job.finished,
    )


@bp.route("/jobs/<token>/download")
def download(token: str):
    job = get_job(token)
    if job.status != JobStatus.DONE or job.result is None:
        abort(404)
    return Response(
        job.result,
        # Only the media type: the response adds the charset of text types (jobs stored
        # before 2026-12 carry "text/csv; charset=utf-8", which would name it twice).
        mimetype=job.result_type.split(";")[0],
        headers={"Content-Disposition": content_disposition(job.result_name)},
    )


def content_disposition(filename: str) -> str:
    """An ASCII fallback name plus the real (possibly Thai) name, per RFC 6266."""
    from urllib.parse import quote

    ascii_name = ascii_file_name(filename).replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def ascii_file_name(filename: str) -> str:
    """The name for clients that ignore ``filename*``: annex labels become their form codes
    (แบบ ผ.02/1 or ผ.02-1 -> p02-1), other non-ASCII letters are left out, and the separators
    they stood between are merged."""
    import re

    filename = re.sub(
        r"(?:แบบ\s*)?ผ\.\s*(\d{2})(?:[/-](\d)\b)?",
        lambda m: f"p{m[1]}-{m[2]}" if m[2] else f"p{m[1]}",
        filename,
    )
    stem, dot, ext = filename.rpartition(".") if "." in filename else (filename, "", "")
    stem = stem.encode("ascii", "ignore").decode()
    stem = re.sub(r"\s+", "-", stem.strip())
    stem = re.sub(r"[-_.]*([-_.])", r"\1", stem).strip("-_.")  # "--" left by dropped letters
    ext = ext.encode("ascii", "ignore").decode()
    return f"{stem or 'download'}{dot if ext else ''}{ext}"
