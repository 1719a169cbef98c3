"""A committee adopts one selection of a closed round as its decision, with overrides.

The adoption records the rule and its options, the budget, fiscal year and voters, the rule's
outcome as computed then, the list adopted, the meeting, its vote and who recorded it; each
override (a proposal added to or removed from the rule's outcome) carries its reason. Both
tables are append-only (ORM guard here, database triggers in the migration): a round is
adopted once, and the record is never changed.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, event, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import User, utcnow
from forum.extensions import db
from forum.meetings.models import Meeting, MeetingKind
from forum.selection.explain import RuleOptions
from forum.workflow.models import AppendOnlyError
from forum.workflow.services import actor_label


class SelectionAdoption(db.Model):
    __tablename__ = "selection_adoption"
    __table_args__ = (
        CheckConstraint("rule IN ('greedy', 'mes')", name="rule_known"),
        CheckConstraint("budget > 0", name="budget_positive"),
        CheckConstraint("voters IN ('villages', 'ballots')", name="voters_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One adoption per round: adopting twice is refused by the database too.
    round_id: Mapped[int] = mapped_column(ForeignKey("ballot_round.id"), unique=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    rule: Mapped[str] = mapped_column(String(8))
    options: Mapped[dict] = mapped_column(JSON)
    budget: Mapped[int]
    year: Mapped[int | None]
    voters: Mapped[str] = mapped_column(String(8))
    rule_outcome: Mapped[list] = mapped_column(JSON)  # proposal ids, in the rule's order
    adopted: Mapped[list] = mapped_column(JSON)  # proposal ids as adopted
    vote_result: Mapped[dict] = mapped_column(JSON)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_label: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ballot_round = relationship("BallotRound", backref=db.backref("adoption", uselist=False))
    meeting: Mapped[Meeting] = relationship()
    actor: Mapped[User | None] = relationship()
    overrides: Mapped[list["SelectionOverride"]] = relationship(
        back_populates="adoption", order_by="SelectionOverride.id"
    )

    @property
    def rule_options(self) -> RuleOptions:
        o = self.options
        return RuleOptions(
            rule=self.rule,
            completion=None if o.get("completion") in (None, "none") else o["completion"],
            fill_by=o.get("fill_by", "supporters"),
            min_support=o.get("min_support", 0),
            exclusions=tuple(tuple(p) for p in o.get("exclusions", ())),
        )


class SelectionOverride(db.Model):
    """A proposal the committee added to or removed from the rule's outcome, and why."""

    __tablename__ = "selection_override"
    __table_args__ = (
        CheckConstraint("action IN ('add', 'remove')", name="action_known"),
        CheckConstraint("length(reason) > 0", name="reason_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[int] = mapped_column(ForeignKey("selection_adoption.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"))
    action: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text)

    adoption: Mapped[SelectionAdoption] = relationship(back_populates="overrides")
    proposal = relationship("Proposal")


for _model in (SelectionAdoption, SelectionOverride):

    @event.listens_for(_model, "before_update")
    def _refuse_update(_mapper, _connection, _target):
        raise AppendOnlyError("adopted selections cannot be changed")

    @event.listens_for(_model, "before_delete")
    def _refuse_delete(_mapper, _connection, _target):
        raise AppendOnlyError("adopted selections cannot be deleted")


class AdoptionError(Exception):
    """A refused adoption; ``field`` names the form field the message belongs next to."""

    def __init__(self, message: str, field: str | None = None, status: int = 422):
        super().__init__(message)
        self.message, self.field, self.status = message, field, status


def adopting_meetings(organization_id: int) -> list[Meeting]:
    """Development committee meetings of the organization, latest first."""
    return db.session.scalars(
        select(Meeting)
        .where(
            Meeting.organization_id == organization_id,
            Meeting.kind == MeetingKind.DEV_COMMITTEE,
        )
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
    ).all()


def may_adopt(ballot_round, user) -> bool:
    return (
        user.is_authenticated
        and not ballot_round.is_open
        and ballot_round.adoption is None
        and user.is_office(ballot_round.organization_id)
    )


def adopt_selection(
    ballot_round,
    meeting: Meeting,
    user,
    *,
    rule: str,
    options: RuleOptions,
    budget: int,
    year: int | None,
    voters: str,
    overrides: list[tuple[str, int, str]],
    vote: dict[str, int],
    recorded_at: datetime | None = None,
) -> SelectionAdoption:
    """Record the adoption, or refuse with a message (nothing is stored then).

    ``overrides``: ``(action, proposal id, reason)`` with action "add" or "remove";
    ``recorded_at`` (default now) for records entered after the meeting, e.g. the demo's."""
    from forum.voting.results import max_support, round_view

    if not user.is_authenticated or not user.is_office(ballot_round.organization_id):
        raise AdoptionError(_("Only the plan office records a committee's decision."), None, 403)
    if ballot_round.is_open:
        raise AdoptionError(_("Close the round before adopting its selection."), None, 409)
    if ballot_round.adoption is not None:
        raise AdoptionError(
            _("A selection of this round has already been adopted; it cannot be adopted twice."),
            None,
            409,
        )
    if meeting.organization_id != ballot_round.organization_id or (
        meeting.kind != MeetingKind.DEV_COMMITTEE
    ):
        raise AdoptionError(_("Choose a meeting of this organization's committee."), "meeting")
    if problem := meeting.quorum_problem():
        raise AdoptionError(problem, "meeting", 409)
    if budget is None or budget <= 0:
        raise AdoptionError(_("Enter a budget above 0."), "budget")
    if options.min_support > max_support(ballot_round):
        raise AdoptionError(
            _(
                "At most %(n)s: no proposal can get more support in this round.",
                n=max_support(ballot_round),
            ),
            "min_support",
        )
    in_round = {item.proposal_id for item in ballot_round.items}
    for pair in options.exclusions:
        for pid in pair:
            if pid not in in_round:
                raise AdoptionError(
                    _("Proposal #%(n)s is not in this round.", n=pid), "exclusions"
                )
    _check_vote(vote, meeting)
    view = round_view(ballot_round, year=year, budget=budget, voters=voters, options=options)
    outcome = list(view["selection"]["greedy" if rule == "greedy" else "mes"])
    adopted = _apply_overrides(outcome, overrides, in_round)
    adoption = SelectionAdoption(
        round_id=ballot_round.id,
        meeting=meeting,
        rule=rule,
        options=options_record(options),
        budget=budget,
        year=year,
        voters=view["voters"],
        rule_outcome=outcome,
        adopted=adopted,
        vote_result=vote,
        actor=user,
        actor_label=actor_label(user),
        created_at=recorded_at or utcnow(),
        overrides=[
            SelectionOverride(proposal_id=pid, action=action, reason=reason.strip())
            for action, pid, reason in overrides
        ],
    )
    db.session.add(adoption)
    db.session.flush()
    return adoption


def options_record(options: RuleOptions) -> dict:
    return {
        "completion": options.completion or "none",
        "fill_by": options.fill_by,
        "min_support": options.min_support,
        "exclusions": [list(pair) for pair in options.exclusions],
    }


def _check_vote(vote: dict[str, int], meeting: Meeting) -> None:
    counts = [vote.get(k) for k in ("for", "against", "abstain")]
    if any(c is None or c < 0 for c in counts):
        raise AdoptionError(_("Enter the votes for, against and abstaining."), "vote_for")
    if counts[0] <= counts[1]:
        raise AdoptionError(
            _("The meeting did not carry it: more must vote for than against."), "vote_for"
        )
    if sum(counts) > meeting.attendance:
        raise AdoptionError(
            _(
                "More votes (%(votes)s) than people present (%(present)s).",
                votes=sum(counts),
                present=meeting.attendance,
            ),
            "vote_for",
        )


def _apply_overrides(outcome: list[int], overrides, in_round: set[int]) -> list[int]:
    adopted = list(outcome)
    seen = set()
    for action, pid, reason in overrides:
        if not (reason or "").strip():
            raise AdoptionError(
                _("Give the reason for adding or removing proposal #%(n)s.", n=pid), "overrides"
            )
        if pid not in in_round:
            raise AdoptionError(_("Proposal #%(n)s is not in this round.", n=pid), "overrides")
        if pid in seen:
            raise AdoptionError(_("Proposal #%(n)s is named twice.", n=pid), "overrides")
        seen.add(pid)
        if action == "add":
            if pid in adopted:
                raise AdoptionError(
                    _("Proposal #%(n)s is already in the rule's outcome.", n=pid), "overrides"
                )
            adopted.append(pid)
        else:
            if pid not in adopted:
                raise AdoptionError(
                    _("Proposal #%(n)s is not in the rule's outcome.", n=pid), "overrides"
                )
            adopted.remove(pid)
    return adopted


def adoption_view(ballot_round) -> dict | None:
    """What the public page and the API show of an adoption."""
    adoption = ballot_round.adoption
    if adoption is None:
        return None
    meeting = adoption.meeting
    return {
        "meeting": {
            "id": meeting.id,
            "title": meeting.title,
            "number": meeting.number_label,
            "held_on": meeting.held_on.isoformat(),
        },
        "vote": adoption.vote_result,
        "recorded_by": adoption.actor_label,
        "recorded_at": adoption.created_at.isoformat(),
        "rule": adoption.rule,
        "options": adoption.options,
        "budget": adoption.budget,
        "year": adoption.year,
        "voters": adoption.voters,
        "rule_outcome": adoption.rule_outcome,
        "adopted": adoption.adopted,
        "differences": [
            {"proposal": o.proposal_id, "action": o.action, "reason": o.reason}
            for o in adoption.overrides
        ],
    }
