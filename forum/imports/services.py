"""Import jobs: check a paper list (nothing saved), then save all of it or none of it."""

from flask_babel import gettext as _

from forum.imports.checker import Checker, ImportCheck
from forum.imports.reader import UnreadableFile, read_upload
from forum.jobs.models import Job, JobStatus
from forum.jobs.runner import handler
from forum.proposals.models import grouped_tracking_code
from forum.proposals.services import create_proposal

CHECK = "import-check"
SAVE = "import-save"


def new_import_job(organization, user, filename: str, data: bytes, locale: str) -> Job:
    return Job(
        kind=CHECK,
        organization=organization,
        user=user,
        locale=locale,
        payload=data,
        params={"filename": filename},
        total=estimated_rows(data),
    )


def estimated_rows(data: bytes) -> int:
    """A first guess (it decides whether the work runs in a thread); the check counts."""
    if data[:4] == b"PK\x03\x04":
        return len(data) // 150  # an XLSX row of a proposal list packs to about this much
    return max(data.count(b"\n"), 1)


def _check(job: Job, result: ImportCheck):
    try:
        table = read_upload(job.params["filename"], job.payload)
    except UnreadableFile as problem:
        result.file_problems.append(str(problem))
        return
    checker = Checker(job.organization, job.user)
    yield from checker.check(table, result)


@handler(CHECK)
def check_import(job: Job):
    result = ImportCheck()
    yield from _check(job, result)
    job.report = result.to_report()


@handler(SAVE)
def save_import(job: Job):
    """Check again (what is already entered may have changed), then save every row in the
    one transaction the runner commits, or nothing at all."""
    result = ImportCheck()
    yield from _check(job, result)
    report = result.to_report()
    if not result.clean:
        report["not_saved"] = True
        job.report = report
        job.message = _("Nothing was saved: the file has problems.")
        job.status = JobStatus.FAILED
        return
    proposals = [create_proposal(job.organization, form, job.user) for form in result.forms]
    # The codes are shown on this private job page, for the committee to hand out on paper.
    report["saved"] = [{"id": p.id, "code": grouped_tracking_code(p.issued_tracking_code),
                        "title": p.title}
                       for p in proposals]  # fmt: skip
    job.report = report
    job.message = _("%(n)d proposals were saved.", n=len(proposals))
