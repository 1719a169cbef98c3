"""Long-running work (big imports and exports) with progress the browser can poll."""

import enum
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from forum.auth.models import User, utcnow
from forum.extensions import db
from forum.organizations.models import Organization


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def title(self) -> str:
        return str(JOB_STATUS_TITLES[self])


JOB_STATUS_TITLES = {
    JobStatus.QUEUED: _l("Waiting to start"),
    JobStatus.RUNNING: _l("Working"),
    JobStatus.DONE: _l("Finished"),
    JobStatus.FAILED: _l("Stopped with an error"),
}


def new_job_token() -> str:
    return secrets.token_urlsafe(18)


class Job(db.Model):
    """One piece of background work. The token in its URL is the only way to reach it;
    a job started by a logged-in user is shown to that user only."""

    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name="status_known"
        ),
        CheckConstraint("done >= 0 AND total >= 0", name="progress_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True, default=new_job_token)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="th")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # What the job reads (an uploaded file) and what it produces (a report, a file).
    payload: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    report: Mapped[dict | None] = deferred(mapped_column(JSON))
    result: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    result_name: Mapped[str | None] = mapped_column(String(255))
    result_type: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    organization: Mapped[Organization | None] = relationship()
    user: Mapped[User | None] = relationship()

    @property
    def status_enum(self) -> JobStatus:
        return JobStatus(self.status)

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

    def can_view(self, user) -> bool:
        if self.user_id is None:
            return True
        return user.is_authenticated and user.id == self.user_id
