"""The selection options a committee sets on the results page, and the plain-language
explanation of every proposal's outcome (Thai and English), built from
forum.selection.explain's numbers. Nothing here decides anything: it only words it."""

from fractions import Fraction

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forum.i18n import format_baht

COMPLETION_TITLES = {
    "add1": _l("Add1 (equalshares.net, as real cities use it)"),
    "add1_greedy": _l("Add1, then fill by greedy"),
    "greedy": _l("Plain Equal Shares, then fill by greedy"),
    "add1_exhaustive": _l("Add1, stop when nothing else fits (pabutools)"),
    "none": _l("Plain Equal Shares, no completion"),
}
COMPLETION_HINTS = {
    "add1": _l(
        "Add1: when Equal Shares leaves money unspent, it is run again with every voter's"
        " share raised by 1 baht at a time, and the last result that still fits the budget is"
        " kept (as equalshares.net and the cities using it do)."
    ),
    "add1_greedy": _l(
        "Add1 as above, then what is left is filled with the remaining proposals in the fill"
        " order while they fit."
    ),
    "greedy": _l(
        "Equal Shares once, then what is left is filled with the remaining proposals in the"
        " fill order while they fit."
    ),
    "add1_exhaustive": _l(
        "Add1, but stopping at the first result where no other supported proposal fits in"
        " what is left (pabutools' variant); it can spend less than Add1."
    ),
    "none": _l("Equal Shares alone, which often leaves part of the budget unspent."),
}
FILL_TITLES = {
    "supporters": _l("by number of supporters (as the reference implementation)"),
    "points": _l("by points (the ranking)"),
}


def money(value) -> str:
    """Whole baht with separators, or two decimals for a share of a baht."""
    value = Fraction(value)
    if value.denominator == 1:
        return format_baht(int(value))
    return f"{float(value):,.2f}"


def both_languages(build, *args) -> dict[str, str]:
    """{"th": …, "en": …}: the same explanation in both languages (for the JSON API)."""
    texts = {}
    for language in ("th", "en"):
        with force_locale(language):
            texts[language] = build(*args)
    return texts


def greedy_text(step: dict) -> str:
    """One greedy step: rank, cost, budget left, selected or skipped."""
    if step["selected"]:
        return _(
            "Rank %(rank)s, costs %(cost)s baht; %(left)s baht were left when its turn came:"
            " selected.",
            rank=step["position"],
            cost=money(step["cost"]),
            left=money(step["left_before"]),
        )
    return _(
        "Rank %(rank)s: skipped: needed %(cost)s baht, %(left)s baht left.",
        rank=step["position"],
        cost=money(step["cost"]),
        left=money(step["left_before"]),
    )


def ineligible_text(reason: tuple, minimum: int) -> str:
    kind, value = reason
    if kind == "min_support":
        return _(
            "Not eligible: its support (%(support)s) is below the minimum of %(minimum)s.",
            support=value,
            minimum=minimum,
        )
    return _(
        "Not eligible: it cannot be funded together with #%(other)s, which the rule selected"
        " first.",
        other=value,
    )


def mes_text(entry: dict, outcome, voter_name, proposal_id) -> str:
    """Equal Shares: round, ρ and payments; or what the supporters had left and who took it."""
    add1 = ""
    if outcome.mes is not None and outcome.mes.completion in (
        "add1",
        "add1_greedy",
        "add1_exhaustive",
    ):
        add1 = " " + _(
            "(Add1 step %(step)s: each voter's share was %(share)s baht.)",
            step=outcome.mes.steps,
            share=money(outcome.voter_budget),
        )
    if entry["by"] == "mes":
        rho = f"{float(entry['rho']):.6f}"
        payers = ", ".join(
            f"{voter_name(v)} {money(a)}"
            for v, a in sorted(entry["payments"].items(), key=lambda kv: (-kv[1], str(kv[0])))
        )
        return (
            _(
                "Selected in round %(round)s of Equal Shares: each supporter paid at most"
                " %(price)s baht (ρ = %(rho)s). Paid by: %(payers)s baht.",
                round=entry["round"],
                price=money(entry["price"]),
                rho=rho,
                payers=payers or "—",
            )
            + add1
        )
    took = ", ".join(f"#{proposal_id(p)} ({money(a)})" for p, a in entry["took"][:5])
    if not entry["supporters"]:
        stopped = _("Nobody supported it, so Equal Shares could not fund it.")
    else:
        stopped = _(
            "When Equal Shares stopped, its supporters had %(had)s baht left together; it"
            " costs %(cost)s baht.",
            had=money(entry["supporters_had"]),
            cost=money(entry["cost"]),
        )
        if took:
            stopped += " " + _("Their money went to %(took)s.", took=took)
    if entry["by"] == "fill":
        step = entry["fill"]
        return (
            stopped
            + " "
            + _(
                "Selected by the greedy fill afterwards (step %(step)s): it needed %(cost)s"
                " baht and %(left)s baht were left.",
                step=step["position"],
                cost=money(step["cost"]),
                left=money(step["left_before"]),
            )
            + add1
        )
    if "fill" in entry:
        step = entry["fill"]
        stopped += " " + _(
            "The greedy fill skipped it too: it needed %(cost)s baht, %(left)s baht left.",
            cost=money(step["cost"]),
            left=money(step["left_before"]),
        )
    return stopped + add1
