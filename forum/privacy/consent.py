"""Consent and purpose at collection: what the proposal forms show about the proposer's
data, and the record of it on the proposal (notice version shown, when it was sent)."""

from forum.auth.models import utcnow


def prepare_consent_fields(form, organization) -> None:
    """The version of the notice the form shows, unless the form already carries one."""
    from forum.privacy.notice import current_notice

    if not form.privacy_notice_version.data:
        form.privacy_notice_version.data = str(current_notice(organization).version)


def _shown_version(form) -> int | None:
    raw = (form.privacy_notice_version.data or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 9 else None


def record_consent(proposal, form) -> None:
    """On a proposal sent from the web form: which notice version it showed, and when.

    The web form always posts the version it showed (a hidden field); a paper list typed in
    through the importer has none, and gets no consent record (the paper form was signed).
    Flushes when the notice's default text has to be stored first."""
    from forum.privacy.notice import stored_notice_shown

    if not form.privacy_notice_version.raw_data:
        return
    notice = stored_notice_shown(proposal.organization, _shown_version(form))
    proposal.privacy_notice_version = notice.version
    proposal.consented_at = utcnow()
