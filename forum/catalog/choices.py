"""Strategy and tactic choices for the forms that tag work to the catalog.

Retired items are left out, except the one a record already cites (a proposal tagged to a
tactic that was retired later keeps showing it, and saving it unchanged stays valid)."""

from wtforms.fields.choices import SelectChoice


def _wanted(item, keep_id: int | None) -> bool:
    return not item.retired or item.id == keep_id


def strategy_choices(organization, keep_id: int | None = None) -> list[SelectChoice]:
    return [SelectChoice(s.id, s.label) for s in organization.strategies if _wanted(s, keep_id)]


def tactic_choices(organization, keep_id: int | None = None) -> list[SelectChoice]:
    return [
        SelectChoice(t.id, t.label, optgroup=s.label)
        for s in organization.strategies
        for t in s.tactics
        if _wanted(t, keep_id) and (_wanted(s, keep_id) or t.id == keep_id)
    ]
