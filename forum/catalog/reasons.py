"""The catalog parser's problems in the reader's language.

The parser (pure, used by the CLI too) writes English reasons and keeps each one's template and
values; the import page shows the template translated here, filled with the same values.
"""

from flask_babel import lazy_gettext as _l

from forum.catalog.parser import UNNUMBERED, Problem

TRANSLATED = {
    "a strategy number must be a whole number": _l("a strategy number must be a whole number"),
    "declares %(expected)s strategies but %(read)s were read": _l(
        "declares %(expected)s strategies but %(read)s were read"
    ),
    "declares %(expected)s tactics but %(read)s were read": _l(
        "declares %(expected)s tactics but %(read)s were read"
    ),
    "duplicate strategy %(number)s": _l("duplicate strategy %(number)s"),
    "duplicate tactic %(tactic)s in strategy %(number)s": _l(
        "duplicate tactic %(tactic)s in strategy %(number)s"
    ),
    "marker names strategy %(named)s but follows strategy %(number)s": _l(
        "marker names strategy %(named)s but follows strategy %(number)s"
    ),
    "no vision, mission or strategy found": _l("no vision, mission or strategy found"),
    "number without text": _l("number without text"),
    "numbering out of sequence: %(number)s where 1 was expected": _l(
        "numbering out of sequence: %(number)s where 1 was expected"
    ),
    "numbering out of sequence: %(number)s where the item after %(last)s was expected": _l(
        "numbering out of sequence: %(number)s where the item after %(last)s was expected"
    ),
    "section marker outside any strategy": _l("section marker outside any strategy"),
    "strategy without a title": _l("strategy without a title"),
    "unrecognised line": _l("unrecognised line"),
    "list item in the vision section": _l("list item in the vision section"),
    "list item outside any strategy or mission list": _l(
        "list item outside any strategy or mission list"
    ),
    UNNUMBERED["goals"]: _l(
        "unnumbered line inside the goals list (a wrapped line? join it to the item above)"
    ),
    UNNUMBERED["kpis"]: _l(
        "unnumbered line inside the kpis list (a wrapped line? join it to the item above)"
    ),
    UNNUMBERED["tactics"]: _l(
        "unnumbered line inside the tactics list (a wrapped line? join it to the item above)"
    ),
    UNNUMBERED["missions"]: _l(
        "unnumbered line inside the missions list (a wrapped line? join it to the item above)"
    ),
}


def reason_text(problem: Problem) -> str:
    """The problem's reason in the request's language (the English one if not translated)."""
    template = TRANSLATED.get(problem.template or problem.reason)
    if template is None:
        return problem.reason
    text = str(template)
    return text % problem.params if problem.params else text
