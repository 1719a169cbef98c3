"""The photo-storage quota of the public form: bytes stored per organization per 24 hours.
Counted in the database (shared by every worker), from the photos actually stored."""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from forum.auth.models import utcnow
from forum.extensions import db
from forum.uploads import UploadRejected


def photo_bytes_today(organization) -> int:
    from forum.proposals.models import Proposal, ProposalPhoto

    since = utcnow() - timedelta(days=1)
    return db.session.scalar(
        select(func.coalesce(func.sum(ProposalPhoto.size), 0))
        .join(Proposal, Proposal.id == ProposalPhoto.proposal_id)
        .where(Proposal.organization_id == organization.id, ProposalPhoto.created_at >= since)
    )


def check_photo_quota(organization, stored) -> None:
    """UploadRejected if the photos just stored would pass the organization's daily quota
    (the caller's stored_photos block then removes them)."""
    if not stored:
        return
    quota = current_app.config["PUBLIC_PHOTO_BYTES_PER_ORGANIZATION_PER_DAY"]
    if photo_bytes_today(organization) + sum(upload.size for upload in stored) > quota:
        raise UploadRejected(
            _l("Today's room for photos of this organization is used up. Send the proposal "
               "without photos, or try again tomorrow.")
        )
