"""A data subject's copy of what is held about them: JSON, and a printable Thai PDF built
with the project's PDF machinery (forum.pdf, forum.printables.sheet)."""

from __future__ import annotations

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from forum.auth.models import utcnow
from forum.i18n import format_date, format_datetime
from forum.pdf.fonts import BOLD
from forum.printables.sheet import Sheet, Spacer, Text
from forum.privacy.subjects import Holdings


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def as_json(organization, found: Holdings, reference: str) -> dict:
    """Every row found, with its personal fields. No tracking codes (they are secrets the
    proposer holds) and no stored file names."""
    return {
        "organization": {"slug": organization.slug, "name_th": organization.name_th},
        "request_reference": reference,
        "generated_at": _iso(utcnow()),
        "searched_for": found.query,
        "proposals": [_proposal(p) for p in found.proposals],
        "meeting_attendance": [
            {
                "meeting": a.meeting.title,
                "held_on": _iso(a.meeting.held_on),
                "name": a.name,
                "member_account": a.user_id is not None,
            }
            for a in found.attendees
        ],
        "accounts": [
            {
                "username": u.username,
                "display_name": u.display_name,
                "active": u.active,
                "created_at": _iso(u.created_at),
                "roles": sorted(
                    {m.role for m in u.memberships if m.organization_id == organization.id}
                ),
            }
            for u in found.accounts
        ],
        "log_ins": [
            {"at": _iso(e.created_at), "address": e.address, "outcome": e.outcome}
            for e in found.login_events
        ],
        "ballots": [
            {"round": b.round.title, "meeting": b.round.meeting.title, "cast_at": _iso(b.cast_at)}
            for b in found.ballots
        ],
        "mentioned_in_decisions": [
            {"proposal_id": d.proposal_id, "action": d.action, "at": _iso(d.created_at),
             "actor": d.actor_label, "reason": d.reason}
            for d in found.mentions
        ],  # fmt: skip
        "mentioned_in_minutes": [
            {"meeting": m.title, "held_on": _iso(m.held_on)} for m in found.minutes
        ],
    }


def _proposal(p) -> dict:
    return {
        "id": p.id,
        "url": url_for("proposals.show", proposal_id=p.id, _external=True),
        "title": p.title,
        "status": p.status,
        "village": p.village.label if p.village else None,
        "created_at": _iso(p.created_at),
        "proposer_name": p.proposer_name,
        "proposer_phone": p.proposer_phone,
        "name_kept_off_public_pages": p.proposer_name_private,
        "news_by_sms_or_line": p.notify_opt_in,
        "privacy_notice_version_shown": p.privacy_notice_version,
        "consent_recorded_at": _iso(p.consented_at),
        "photos": [
            {"position": ph.position, "type": ph.media_type, "bytes": ph.size,
             "added_at": _iso(ph.created_at)}
            for ph in p.photos
        ],  # fmt: skip
        "decisions": [
            {"action": d.action, "to_status": d.to_status, "at": _iso(d.created_at),
             "by": d.actor_label}
            for d in p.decisions
        ],  # fmt: skip
    }


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


class SubjectReport:
    """The same content as :func:`as_json`, on A4 pages in Thai; ``render()`` gives bytes."""

    def __init__(self, organization, found: Holdings, reference: str) -> None:
        self.organization, self.found, self.reference = organization, found, reference

    def blocks(self) -> list:
        f = self.found
        title = _("Personal data held about the requester")
        blocks = [
            Text(title, size=16, font=BOLD, align="center", after=4),
            Text(self.organization.display_name("th"), size=12, align="center"),
            Text(_("Request: %(ref)s · searched for: %(q)s", ref=self.reference, q=f.query),
                 size=11, align="center"),  # fmt: skip
            Text(_("Prepared on %(date)s", date=format_datetime(utcnow(), "th")), size=11,
                 align="center", after=10),  # fmt: skip
        ]
        if f.empty:
            blocks.append(Text(_("Nothing is held about this person.")))
            return blocks
        blocks += self._section(_("Proposals"), [self._proposal_lines(p) for p in f.proposals])
        blocks += self._section(_("Meeting attendance"), [
            [f"{a.meeting.title} ({format_date(a.meeting.held_on, 'th')}): {a.name}"]
            for a in f.attendees
        ])  # fmt: skip
        blocks += self._section(_("Accounts"), [
            [f"{u.username}: {u.display_name}",
             _("%(n)s log-ins recorded, %(b)s ballots cast",
               n=sum(1 for e in f.login_events if e.user_id == u.id),
               b=sum(1 for b in f.ballots if b.voter_id == u.id))]
            for u in f.accounts
        ])  # fmt: skip
        blocks += self._section(_("Named in decisions"), [
            [f"{_('Proposal')} {d.proposal_id}: {d.actor_label} {d.reason or ''}".strip()]
            for d in f.mentions
        ])  # fmt: skip
        blocks += self._section(_("Named in meeting minutes"), [[m.title] for m in f.minutes])
        return blocks

    def _proposal_lines(self, p) -> list[str]:
        return [
            f"{_('Proposal')} {p.id}: {p.title}",
            _("Name: %(name)s · phone: %(phone)s", name=p.proposer_name or "-",
              phone=p.proposer_phone or "-"),  # fmt: skip
            _("Name kept off public pages: %(a)s · news by SMS or LINE: %(b)s",
              a=_yes(p.proposer_name_private), b=_yes(p.notify_opt_in)),  # fmt: skip
            _("Privacy notice version shown: %(v)s, on %(at)s",
              v=p.privacy_notice_version or "-",
              at=format_datetime(p.consented_at, "th") if p.consented_at else "-"),  # fmt: skip
            _("Photos: %(n)s · decisions recorded: %(d)s", n=len(p.photos), d=len(p.decisions)),
        ]

    @staticmethod
    def _section(heading: str, entries: list[list[str]]) -> list:
        if not entries:
            return []
        blocks = [Text(heading, size=13, font=BOLD, before=6, keep_with_next=True)]
        for lines in entries:
            for k, line in enumerate(lines):
                blocks.append(Text(line, indent=0 if k == 0 else 14, after=1))
            blocks.append(Spacer(4))
        return blocks

    def render(self) -> bytes:
        with force_locale("th"):
            title = _("Personal data held about the requester")
            sheet = Sheet(
                title=title,
                label=_("Data-subject request"),
                footer=f"{title} · {self.organization.display_name('th')} · {self.reference}",
                blocks=self.blocks(),
                page_word=_("page"),
            )
            return sheet.render()
