"""Every village that asked for a proposal: its own, the villages that supported it, and (through
the merge decisions) those of the proposals merged into it, at any depth."""

from collections import defaultdict

from sqlalchemy import select

from forum.assist.models import ProposalSupport
from forum.extensions import db
from forum.organizations.models import Village
from forum.proposals.models import Proposal
from forum.workflow.models import Decision

MERGE_DEPTH = 8  # merges of merges; a real plan has one or two levels


def asking_villages(proposal_ids) -> dict[int, list[Village]]:
    """Villages asking for each proposal, ordered by number; a handful of queries for any
    number of proposals (the ผ.02 export calls it once for the whole plan)."""
    roots = {pid: {pid} for pid in proposal_ids}
    frontier = {pid: pid for pid in proposal_ids}  # proposal -> root it counts for
    for _ in range(MERGE_DEPTH):
        if not frontier:
            break
        rows = db.session.execute(
            select(Decision.proposal_id, Decision.merged_into_id).where(
                Decision.action == "merge", Decision.merged_into_id.in_(list(frontier))
            )
        ).all()
        next_frontier = {}
        for source, target in rows:
            root = frontier[target]
            if source not in roots[root]:
                roots[root].add(source)
                next_frontier[source] = root
        frontier = next_frontier
    members = {pid: root for root, ids in roots.items() for pid in ids}
    if not members:
        return {}
    found: dict[int, dict[int, Village]] = defaultdict(dict)
    own = db.session.execute(
        select(Proposal.id, Village)
        .join(Village, Village.id == Proposal.village_id)
        .where(Proposal.id.in_(list(members)))
    ).all()
    supported = db.session.execute(
        select(ProposalSupport.proposal_id, Village)
        .join(Village, Village.id == ProposalSupport.village_id)
        .where(ProposalSupport.proposal_id.in_(list(members)))
    ).all()
    for pid, village in [*own, *supported]:
        found[members[pid]][village.id] = village
    return {
        root: sorted(found[root].values(), key=lambda v: v.number) for root in roots
    }


def village_numbers_text(villages: list[Village]) -> str:
    """"หมู่ที่ 4, 5" (the way a ผ.02 row names several villages)."""
    return "หมู่ที่ " + ", ".join(str(v.number) for v in villages)
