"""One answer for the form, the screening page and the JSON endpoint."""

from dataclasses import dataclass, field

from forum.assist import duplicates
from forum.assist.index import Candidate, candidates, tactic_model
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
    model = tactic_model(organization)
    suggestions = model.suggest(title, objective, target)
    similar: list = []
    if (title or "").strip():
        query = duplicates.features(title, location, village_number)
        if query.words or query.grams:
            pool, corpus = candidates(
                organization, period or organization.current_period, user, exclude_id
            )
            similar = duplicates.rank(query, pool, limit=SIMILAR_MAX, corpus=corpus)
    return Help(suggestions, similar)
