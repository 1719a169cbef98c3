"""Data-subject requests: everything an organization holds about a phone number or a name,
exported, corrected or erased. Services flush; the request commits once.

What erasure keeps: proposals and decisions are public records, and the votes and meeting
attendance of committee and council members are public acts; they stay. The proposer's name
and phone number are removed, a forum attendee's name replaced, and the proposal's photos
removed when asked. The erasure itself is written to the append-only privacy record with the
rows and fields it touched (never the data itself), who did it, when, and the request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from forum.audit.models import LoginEvent
from forum.auth.models import Membership, User
from forum.extensions import db
from forum.meetings.models import Attendee, Meeting
from forum.privacy.models import PrivacyAction, PrivacyActionKind
from forum.proposals.models import Proposal, ProposalPhoto
from forum.search import contains_text
from forum.voting.models import Ballot, BallotRound, RoundItem, RoundState
from forum.workflow.models import Decision

QUERY_MIN = 2
PHONE_DIGITS_MIN = 6
ERASED_ATTENDEE = "(ลบตามคำขอ {id})"  # unique within the meeting's register


class BadQuery(ValueError):
    """The search text is too short to name anyone."""


def phone_digits(text: str) -> str | None:
    """The digits of ``text`` when it reads as a phone number (digits, spaces, -, +)."""
    if not re.fullmatch(r"[0-9+\- ().]+", text):
        return None
    digits = re.sub(r"\D", "", text)
    return digits if len(digits) >= PHONE_DIGITS_MIN else None


def phone_variants(digits: str) -> set[str]:
    """0812345678 and +66 81 234 5678 are the same number."""
    variants = {digits}
    if digits.startswith("66") and len(digits) > 9:
        variants.add("0" + digits[2:])
    if digits.startswith("0"):
        variants.add("66" + digits[1:])
    return variants


def _normalized_phone(column):
    for char in ("-", " ", "+", "(", ")", "."):
        column = func.replace(column, char, "")
    return column


@dataclass
class Holdings:
    """What the organization holds about one person (one search)."""

    query: str
    is_phone: bool
    proposals: list[Proposal] = field(default_factory=list)
    attendees: list[Attendee] = field(default_factory=list)
    accounts: list[User] = field(default_factory=list)
    login_events: list[LoginEvent] = field(default_factory=list)
    ballots: list[Ballot] = field(default_factory=list)
    mentions: list[Decision] = field(default_factory=list)  # decisions naming them in text
    minutes: list[Meeting] = field(default_factory=list)  # meeting minutes naming them

    @property
    def empty(self) -> bool:
        return not (self.proposals or self.attendees or self.accounts or self.mentions
                    or self.minutes)  # fmt: skip

    @property
    def photos(self) -> list[ProposalPhoto]:
        return [photo for p in self.proposals for photo in p.photos]


def find(organization, query: str) -> Holdings:
    """Everything ``organization`` holds about the person named or phoned by ``query``.
    Raises BadQuery for a query too short to mean anyone."""
    query = " ".join((query or "").split())
    digits = phone_digits(query)
    if digits is None and len(query) < QUERY_MIN:
        raise BadQuery(query)
    found = Holdings(query=query, is_phone=digits is not None)
    if digits is not None:
        found.proposals = _proposals(
            organization, _normalized_phone(Proposal.proposer_phone).in_(phone_variants(digits))
        )
        text_match = [query] if len(query) >= PHONE_DIGITS_MIN else []
    else:
        found.proposals = _proposals(organization, contains_text(Proposal.proposer_name, query))
        found.attendees = _attendees(organization, query)
        found.accounts = _accounts(organization, query)
        text_match = [query]
    account_ids = [u.id for u in found.accounts]
    if account_ids:
        found.login_events = db.session.scalars(
            select(LoginEvent).where(LoginEvent.user_id.in_(account_ids)).order_by(LoginEvent.id)
        ).all()
        found.ballots = db.session.scalars(
            select(Ballot)
            .join(BallotRound, BallotRound.id == Ballot.round_id)
            .join(Meeting, Meeting.id == BallotRound.meeting_id)
            .where(Ballot.voter_id.in_(account_ids), Meeting.organization_id == organization.id)
            .order_by(Ballot.id)
        ).all()
    for text in text_match:
        found.mentions = _mentions(organization, text)
        found.minutes = db.session.scalars(
            select(Meeting)
            .where(Meeting.organization_id == organization.id, contains_text(Meeting.minutes, text))
            .order_by(Meeting.id)
        ).all()
    return found


def _proposals(organization, condition) -> list[Proposal]:
    return db.session.scalars(
        select(Proposal)
        .where(Proposal.organization_id == organization.id, condition)
        .order_by(Proposal.id)
    ).all()


def _attendees(organization, name: str) -> list[Attendee]:
    return db.session.scalars(
        select(Attendee)
        .join(Meeting, Meeting.id == Attendee.meeting_id)
        .where(Meeting.organization_id == organization.id, contains_text(Attendee.name, name))
        .order_by(Attendee.id)
    ).all()


def _accounts(organization, name: str) -> list[User]:
    members = select(Membership.user_id).where(Membership.organization_id == organization.id)
    return db.session.scalars(
        select(User)
        .where(
            User.id.in_(members),
            or_(contains_text(User.display_name, name), func.lower(User.username) == name.lower()),
        )
        .order_by(User.id)
    ).all()


def _mentions(organization, text: str) -> list[Decision]:
    return db.session.scalars(
        select(Decision)
        .join(Proposal, Proposal.id == Decision.proposal_id)
        .where(
            Proposal.organization_id == organization.id,
            or_(contains_text(Decision.reason, text), contains_text(Decision.actor_label, text)),
        )
        .order_by(Decision.id)
    ).all()


# --- the record of what was done ----------------------------------------------------------


def record_action(organization, kind: PrivacyActionKind, user, reference: str | None,
                  details: list[dict]) -> PrivacyAction:  # fmt: skip
    action = PrivacyAction(
        organization_id=organization.id if organization is not None else None,
        kind=kind,
        reference=reference,
        actor_id=user.id if user is not None and user.is_authenticated else None,
        actor_label=(user.display_name if user is not None and user.is_authenticated
                     else "retention"),  # fmt: skip
        details=details,
    )
    db.session.add(action)
    db.session.flush()
    return action


def rows_of(found: Holdings) -> list[dict]:
    """The rows an export handed over, named by table and id (no personal data)."""
    rows = [{"table": "proposal", "id": p.id} for p in found.proposals]
    rows += [{"table": "proposal_photo", "id": ph.id} for ph in found.photos]
    rows += [{"table": "meeting_attendee", "id": a.id} for a in found.attendees]
    rows += [{"table": "user_account", "id": u.id} for u in found.accounts]
    rows += [{"table": "login_event", "count": len(found.login_events)}] if found.accounts else []
    return rows


# --- correction ---------------------------------------------------------------------------


class NotFound(LookupError):
    """The row to correct or erase is not the organization's."""


def correct_proposal(organization, proposal_id: int, name: str | None, phone: str | None,
                     user, reference: str) -> PrivacyAction:  # fmt: skip
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.organization_id != organization.id:
        raise NotFound(proposal_id)
    changed = []
    for column, value in (("proposer_name", name), ("proposer_phone", phone)):
        value = (value or "").strip() or None
        if getattr(proposal, column) != value:
            setattr(proposal, column, value)
            changed.append(column)
    if proposal.proposer_phone is None and proposal.notify_opt_in:
        proposal.notify_opt_in = False  # no number, no news
        changed.append("notify_opt_in")
    return record_action(organization, PrivacyActionKind.CORRECT, user, reference,
                         [{"table": "proposal", "id": proposal.id, "fields": changed}])  # fmt: skip


def correct_attendee(organization, attendee_id: int, name: str, user,
                     reference: str) -> PrivacyAction:  # fmt: skip
    attendee = _own_attendee(organization, attendee_id)
    attendee.name = name.strip()
    row = {"table": "meeting_attendee", "id": attendee.id, "fields": ["name"]}
    return record_action(organization, PrivacyActionKind.CORRECT, user, reference, [row])


def correct_account(organization, user_id: int, name: str, user, reference: str) -> PrivacyAction:
    members = select(Membership.user_id).where(Membership.organization_id == organization.id)
    account = db.session.scalar(select(User).where(User.id == user_id, User.id.in_(members)))
    if account is None:
        raise NotFound(user_id)
    account.display_name = name.strip()
    row = {"table": "user_account", "id": account.id, "fields": ["display_name"]}
    return record_action(organization, PrivacyActionKind.CORRECT, user, reference, [row])


def _own_attendee(organization, attendee_id: int) -> Attendee:
    attendee = db.session.get(Attendee, attendee_id)
    if attendee is None or attendee.meeting.organization_id != organization.id:
        raise NotFound(attendee_id)
    return attendee


# --- erasure ------------------------------------------------------------------------------


def chosen(found: Holdings, ticked: list[str]) -> Holdings:
    """The part of ``found`` the officer ticked ("proposal:<id>", "attendee:<id>"): a name
    searched for may match other people's too."""
    ticked = set(ticked)
    return Holdings(
        query=found.query,
        is_phone=found.is_phone,
        proposals=[p for p in found.proposals if f"proposal:{p.id}" in ticked],
        attendees=[a for a in found.attendees if f"attendee:{a.id}" in ticked],
    )


def in_open_ballot(proposal_ids: list[int]) -> set[int]:
    """Those of ``proposal_ids`` on the ballot of a round still open."""
    if not proposal_ids:
        return set()
    return set(
        db.session.scalars(
            select(RoundItem.proposal_id)
            .join(BallotRound, BallotRound.id == RoundItem.round_id)
            .where(RoundItem.proposal_id.in_(proposal_ids), BallotRound.state == RoundState.OPEN)
        )
    )


@dataclass
class Erasure:
    action: PrivacyAction
    files_to_remove: list[str]  # photo files, removed once the transaction has committed
    photos_kept: list[int]  # proposals under an open ballot: personal fields only


def erase(organization, found: Holdings, user, reference: str, remove_photos: bool) -> Erasure:
    """Erase what ``found`` holds that may be erased (see the module's docstring)."""
    details: list[dict] = []
    files: list[str] = []
    open_ids = in_open_ballot([p.id for p in found.proposals])
    for proposal in found.proposals:
        fields = [c for c in ("proposer_name", "proposer_phone") if getattr(proposal, c)]
        proposal.proposer_name = None
        proposal.proposer_phone = None
        if proposal.notify_opt_in:
            proposal.notify_opt_in = False
            fields.append("notify_opt_in")
        entry = {"table": "proposal", "id": proposal.id, "fields": fields}
        if remove_photos and proposal.photos and proposal.id not in open_ids:
            entry["photos_removed"] = [ph.id for ph in proposal.photos]
            files += [ph.stored_name for ph in proposal.photos]
            proposal.photos.clear()
        details.append(entry)
    for attendee in found.attendees:
        if attendee.user_id is not None:
            continue  # a committee or council member's attendance is a public act
        attendee.name = ERASED_ATTENDEE.format(id=attendee.id)
        details.append({"table": "meeting_attendee", "id": attendee.id, "fields": ["name"]})
    action = record_action(organization, PrivacyActionKind.ERASE, user, reference, details)
    kept = sorted(p.id for p in found.proposals if remove_photos and p.photos and p.id in open_ids)
    return Erasure(action, files, kept)
