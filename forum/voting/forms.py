"""Forms for ballot rounds. Per-proposal ballot fields are named p<proposal id> (and
p<proposal id>_<choice> for counts); the services validate their content."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forum.selection.explain import RuleOptions
from forum.voting.explained import COMPLETION_TITLES, FILL_TITLES


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RoundForm(FlaskForm):
    method = SelectField(_l("Voting method"))
    title = StringField(
        _l("Title of the vote"),
        validators=[
            DataRequired(message=_l("Give the vote a title.")),
            Length(max=255, message=_l("At most %(max)d characters.", max=255)),
        ],
    )
    resolution_number = StringField(
        _l("Resolution number (council roll call)"), validators=[Optional(), Length(max=64)]
    )
    proposals = MultiCheckboxField(
        _l("Proposals on the ballot"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose at least one proposal to vote on."))],
    )

    def __init__(self, *args, methods, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.method.choices = [SelectChoice(m.value, m.title) for m in methods]
        self.proposals.choices = [SelectChoice(p.id, f"#{p.id} {p.title}") for p in proposals]


class SelectionForm(FlaskForm):
    """Budget-constrained selection (GET parameters; no CSRF needed for reading)."""

    class Meta:
        csrf = False

    year = SelectField(_l("Plan year"), coerce=int, validate_choice=False)
    budget = IntegerField(
        _l("Budget (baht)"),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=10**12,
                message=_l("Enter a budget above 0 and at most 1,000,000,000,000 baht."),
            ),
        ],
    )
    voters = SelectField(
        _l("Voters for the Method of Equal Shares"),
        choices=[
            SelectChoice("villages", _l("Village forum attendees (each village's share)")),
            SelectChoice("ballots", _l("The round's ballots")),
        ],
        default="villages",
    )

    completion = SelectField(
        _l("Equal Shares completion"),
        choices=[SelectChoice(k, v) for k, v in COMPLETION_TITLES.items()],
        default="add1",
    )
    fill_by = SelectField(
        _l("Order of the greedy fill"),
        choices=[SelectChoice(k, v) for k, v in FILL_TITLES.items()],
        default="supporters",
    )
    min_support = IntegerField(
        _l("Minimum support (approvals or points)"),
        validators=[Optional(), NumberRange(min=0, message=_l("Enter 0 or more."))],
    )
    exclusions = StringField(
        _l("Proposals that cannot both be funded"),
        description=_l("Pairs of proposal numbers, e.g. 12+15, 3+4"),
        validators=[Optional(), Length(max=500)],
    )

    def __init__(self, *args, years, proposal_ids=(), max_support=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal_ids = set(proposal_ids)
        self.max_support = max_support
        self.year.choices = [SelectChoice(0, _l("The whole plan period"))] + [
            SelectChoice(y, str(y)) for y in years
        ]

    def validate_min_support(self, field):
        if field.data and self.max_support is not None and field.data > self.max_support:
            raise ValidationError(
                _l(
                    "At most %(n)s: no proposal can get more support in this round.",
                    n=self.max_support,
                )
            )

    def validate_exclusions(self, field):
        self.exclusion_pairs = parse_pairs(field.data or "")
        if self.exclusion_pairs is None:
            raise ValidationError(_l("Write pairs of proposal numbers like 12+15, 3+4."))
        unknown = {p for pair in self.exclusion_pairs for p in pair} - self.proposal_ids
        if self.proposal_ids and unknown:
            raise ValidationError(
                _l(
                    "Proposal #%(n)s is not in this round.",
                    n=", #".join(str(p) for p in sorted(unknown)),
                )
            )

    def rule_options(self) -> RuleOptions:
        """The options as entered, or the defaults for any field in error."""
        errors = self.errors
        completion = self.completion.data if "completion" not in errors else "add1"
        return RuleOptions(
            rule="mes",
            completion=None if completion == "none" else completion,
            fill_by=self.fill_by.data if self.fill_by.data in FILL_TITLES else "supporters",
            min_support=(self.min_support.data or 0) if "min_support" not in errors else 0,
            exclusions=tuple(getattr(self, "exclusion_pairs", None) or ())
            if "exclusions" not in errors
            else (),
        )


def parse_pairs(text: str) -> list[tuple[int, int]] | None:
    """"12+15, 3+4" -> [(12, 15), (3, 4)]; None when it is not written that way."""
    pairs = []
    for chunk in text.replace(";", ",").split(","):
        chunk = chunk.strip()
        if not chunk:
            continue
        parts = [x.strip().lstrip("#") for x in chunk.replace("-", "+").split("+")]
        if len(parts) != 2 or not all(x.isascii() and x.isdigit() for x in parts):
            return None
        a, b = int(parts[0]), int(parts[1])
        if a == b:
            return None
        pairs.append((a, b))
    return pairs


class AdoptionForm(SelectionForm):
    """A committee meeting adopts one selection of a closed round (POST, with CSRF)."""

    class Meta:
        @property
        def csrf(self):  # as every other POST form (the search form above switches it off)
            return current_app.config.get("WTF_CSRF_ENABLED", True)

    meeting = SelectField(_l("Committee meeting that decided"), coerce=int, validate_choice=False)
    rule = SelectField(
        _l("Rule adopted"),
        choices=[
            SelectChoice("mes", _l("Method of Equal Shares")),
            SelectChoice("greedy", _l("Greedy (by ranking)")),
        ],
        default="mes",
    )
    budget = IntegerField(
        _l("Budget (baht)"),
        validators=[
            DataRequired(message=_l("Enter a budget above 0.")),
            NumberRange(
                min=1,
                max=10**12,
                message=_l("Enter a budget above 0 and at most 1,000,000,000,000 baht."),
            ),
        ],
    )
    vote_for = IntegerField(_l("Votes for"), validators=[Optional()])
    vote_against = IntegerField(_l("Votes against"), validators=[Optional()])
    vote_abstain = IntegerField(_l("Abstentions"), validators=[Optional()])
    overrides = TextAreaField(
        _l("Changes to the rule's outcome"),
        description=_l(
            "One per line: +12 reason (add proposal 12) or -15 reason (remove proposal 15)."
        ),
        validators=[Optional(), Length(max=5000)],
    )

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting.choices = [SelectChoice(m.id, m.title) for m in meetings]

    def validate_overrides(self, field):
        self.override_list = parse_overrides(field.data or "")
        if isinstance(self.override_list, str):
            raise ValidationError(self.override_list)


def parse_overrides(text: str) -> list[tuple[str, int, str]] | str:
    """"+12 reason" / "-15 reason" lines -> [(action, id, reason)], or an error message."""
    found = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        sign, rest = line[0], line[1:].strip().lstrip("#")
        number = rest.split(None, 1)[0].rstrip(":") if rest else ""
        if sign not in "+-" or not (number.isascii() and number.isdigit()):
            return str(_l("Line %(n)s: start with + or - and a proposal number.", n=n))
        reason = rest[len(rest.split(None, 1)[0]) :].strip().lstrip(":").strip()
        if not reason:
            return str(
                _l("Line %(n)s: give the reason for adding or removing proposal #%(p)s.",
                   n=n, p=number)
            )  # fmt: skip
        found.append(("add" if sign == "+" else "remove", int(number), reason))
    return found
