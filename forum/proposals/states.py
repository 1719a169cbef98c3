"""Proposal states and annex kinds, with their translated titles.

The transitions between states live in forum.workflow; this module only names them.
"""

import enum

from flask_babel import lazy_gettext as _l


class Status(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VILLAGE_RANKED = "village_ranked"
    VILLAGE_REJECTED = "village_rejected"
    SCREENED = "screened"
    MERGED = "merged"
    ENDORSED = "endorsed"
    DEFERRED = "deferred"
    REJECTED = "rejected"
    IN_DRAFT_PLAN = "in_draft_plan"
    COMMITTEE_APPROVED = "committee_approved"
    COUNCIL_APPROVED = "council_approved"
    ANNOUNCED = "announced"
    WITHDRAWN = "withdrawn"

    @property
    def title(self) -> str:
        return str(STATUS_TITLES[self])


STATUS_TITLES = {
    Status.DRAFT: _l("Draft"),
    Status.SUBMITTED: _l("Submitted"),
    Status.VILLAGE_RANKED: _l("Ranked by the village forum"),
    Status.VILLAGE_REJECTED: _l("Rejected by the village forum"),
    Status.SCREENED: _l("Screened by plan staff"),
    Status.MERGED: _l("Merged into another proposal"),
    Status.ENDORSED: _l("Endorsed by the subdistrict forum"),
    Status.DEFERRED: _l("Deferred"),
    Status.REJECTED: _l("Rejected"),
    Status.IN_DRAFT_PLAN: _l("In the draft plan"),
    Status.COMMITTEE_APPROVED: _l("Approved by the development committee"),
    Status.COUNCIL_APPROVED: _l("Approved by the council"),
    Status.ANNOUNCED: _l("Approved and announced"),
    Status.WITHDRAWN: _l("Withdrawn"),
}


class Annex(enum.StrEnum):
    """Which plan annex a project belongs to."""

    OWN = "p02"  # แบบ ผ.02: the organization's own project
    COORDINATE_PAO = "p02-1"  # แบบ ผ.02/1: to coordinate with the PAO
    BEYOND_CAPACITY = "p02-2"  # แบบ ผ.02/2: beyond the organization's capacity
    EQUIPMENT = "p03"  # แบบ ผ.03: equipment

    @property
    def title(self) -> str:
        return str(ANNEX_TITLES[self])

    @property
    def form_label(self) -> str:
        return {"p02": "ผ.02", "p02-1": "ผ.02/1", "p02-2": "ผ.02/2", "p03": "ผ.03"}[self.value]


ANNEX_TITLES = {
    Annex.OWN: _l("Own project (form P.02)"),
    Annex.COORDINATE_PAO: _l("Coordinate with the PAO (form P.02/1)"),
    Annex.BEYOND_CAPACITY: _l("Beyond the organization's capacity (form P.02/2)"),
    Annex.EQUIPMENT: _l("Equipment (form P.03)"),
}
