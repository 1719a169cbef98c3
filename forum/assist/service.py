"""One answer for the form, the screening page and the JSON endpoint."""

from dataclasses import dataclass, field

from forum.assist import duplicates
from forum.assist.index import Candidate, candidates, state, tactic_model
from forum.assist.tactics import Suggestion

SIMILAR_MAX = 5


@dataclass
class Help:
    tactics: list[Suggestion] = field(default_factory=list)
    similar: list[tuple[Candidate, duplicates.Match]] = field(default_factory=list)


def assist(
    organization,
    user,
    title: str | None,
    objective: str | None = None,
    target: str | None = None,
    village_number: int | None = None,
    location: str | None = None,
    exclude_id: int | None = None,
    period=None,
) -> Help:
    """Suggested tactics (up to three) and the most similar proposals of the organization's
    plan period (up to five) that ``user`` may see."""
    found = state(organization.id, period.id if period is not None else None)
    model = tactic_model(organization, found)
    suggestions = model.suggest(title, objective, target)
    similar: list = []
    if (title or "").strip():
        query = duplicates.query_features(title, location, village_number)
        if query.words or query.grams:
            pool, corpus = candidates(organization, found, user)
            skip = (lambda c: c.id == exclude_id) if exclude_id is not None else None
            similar = duplicates.rank(query, pool, limit=SIMILAR_MAX, corpus=corpus, skip=skip)
    return Help(suggestions, similar)
