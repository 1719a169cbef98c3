"""Finding English left in the Thai interface: visible text of a page and the words in it that
are neither Thai nor on the short list of names and codes that stay in Latin letters."""

import re
from html.parser import HTMLParser

#: Latin words that belong in a Thai page: proper names, codes, file formats, units
ALLOWED = {
    # names
    "Prachakhom", "English", "Sarabun", "Excel", "LINE", "Pabulib", "Borda",
    # codes and formats
    "PDF", "CSV", "XLSX", "xlsx", "csv", "pdf", "JSON", "API", "KPI", "SDGs", "SDG", "IP",
    "ID", "URL", "HTTP", "UTF", "MES", "PNG", "JPEG", "JPG", "WebP", "MB", "KB", "OK",
    "e-plan", "FY", "B.E", "SHA", "SMS", "SMTP", "SSL", "TLS", "STARTTLS", "QR",
    "Add", "equalshares.net", "pabutools", "pb",  # Add1, the references of the rule, .pb
    # the example username of the new-account form
    "somchai-m",
}  # fmt: skip
#: names of methods the Thai text cites in Latin letters, in parentheses after the Thai name
ALLOWED_PHRASES = ("Method of Equal Shares", "(greedy)", "Peters", "Skowron",
                   "channel access token", "channel secret", "API key", "name@example.com",
                   "0-9, a-f")
#: what is code in running text: placeholders ({to}), key=value lines, addresses (https://…)
CODE_IN_TEXT = re.compile(r"\{\w+\}|\b\w+=|https?://\S+|\b[0-9A-Z]{5}-[0-9A-Z]{5}\b")
#: attributes whose text a person reads or hears
READ_ATTRS = {"placeholder", "title", "aria-label", "alt"}
WORD = re.compile(r"[A-Za-z][A-Za-z.'-]*[A-Za-z]|[A-Za-z]")


class _Text(HTMLParser):
    # a textarea holds stored data (an English notice being edited), not interface text
    SKIP = {"script", "style", "code", "kbd", "samp", "pre", "textarea"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        attrs = dict(attrs)
        for name in READ_ATTRS:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(p for p in parser.parts if p.strip())


def english_words(html: str, also_allowed: set[str] = frozenset()) -> list[str]:
    """Latin words of the visible text that are not allowed names or codes (nor ``also_allowed``,
    e.g. the usernames and slugs a page shows as data)."""
    found = []
    for line in visible_text(html).splitlines():
        for phrase in ALLOWED_PHRASES:
            line = line.replace(phrase, " ")
        line = CODE_IN_TEXT.sub(" ", line)
        for token in line.split():
            if token in also_allowed or token.strip("()[],.:;·") in also_allowed:
                continue
            for word in WORD.findall(token):
                word = word.strip(".'-")
                if len(word) < 2 or word in ALLOWED or word in also_allowed:
                    continue
                found.append(word)
    return found


# ------------------------------------------------------------------ every page with demo ids

#: anonymous, then one demo account of each role
IDENTITIES = (
    None,
    "admin-banon",
    "officer-banon",
    "village1-banon",
    "committee1-banon",
    "council1-banon",
    "officer-khelang",
)
#: endpoints that answer no page: files, JSON, static assets, redirects after a POST
NOT_PAGES = {"static", "healthz", "proposals.photo", "jobs.download", "jobs.status"}


def demo_values() -> dict[str, list]:
    """Values for every URL argument of the app's routes, from the demo data (and whatever the
    test created before: rounds, imports, amendments)."""
    from sqlalchemy import select

    from forum.demo import DEMO_RESULTS_YEAR
    from forum.extensions import db
    from forum.jobs.models import Job
    from forum.meetings.models import Meeting
    from forum.organizations.models import Organization
    from forum.plans.amendment_models import Amendment
    from forum.proposals.models import Proposal
    from forum.voting.models import BallotRound

    banon = db.session.scalar(select(Organization).where(Organization.slug == "ban-on"))
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.organization_id == banon.id).order_by(Proposal.id)
    ).all()
    one_per_status = list({p.status: p for p in proposals}.values())
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.organization_id == banon.id).order_by(Meeting.id)
    ).all()
    amendments = db.session.scalars(select(Amendment).order_by(Amendment.id)).all()
    strategy = banon.strategies[0]
    return {
        "slug": list(db.session.scalars(select(Organization.slug).order_by(Organization.id))),
        "proposal_id": [p.id for p in one_per_status],
        "meeting_id": list({m.kind: m.id for m in meetings}.values()),
        "round_id": [r.id for r in db.session.scalars(select(BallotRound))],
        "strategy_id": [strategy.id],
        "tactic_id": [strategy.tactics[0].id],
        "amendment_id": [a.id for a in amendments],
        "item_id": [i.id for a in amendments for i in a.items],
        "year": sorted({DEMO_RESULTS_YEAR, *banon.current_period.years}),
        "token": [j.token for j in db.session.scalars(select(Job))],
        "code": [],
    }


def page_urls(values: dict[str, list] | None = None) -> list[tuple[str, str]]:
    """(endpoint, URL) of every GET page of the app, once for each combination of demo values
    (workflow and amendment steps: every action; the views refuse the ones that do not apply)."""
    from itertools import product

    from flask import current_app, url_for

    from forum.plans.amendment_views import ITEM_ACTIONS
    from forum.workflow.machine import ACTIONS

    values = dict(values or demo_values())
    out = []
    for rule in current_app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        if rule.endpoint.startswith("api.") or "fmt" in rule.arguments or rule.rule.endswith(
            ".pdf"
        ) or rule.rule.endswith(".csv"):
            continue
        args = sorted(rule.arguments)
        choices = []
        for arg in args:
            if arg == "action":
                if rule.endpoint == "plans.new_item":
                    choices.append(list(ITEM_ACTIONS))
                else:
                    choices.append(list(ACTIONS))
            elif arg == "slug" and len(args) > 1:
                choices.append(["ban-on"])
            else:
                choices.append(values.get(arg, []))
        for combo in product(*choices):
            url = url_for(rule.endpoint, **dict(zip(args, combo, strict=True)))
            out.append((rule.endpoint, url))
    return sorted(set(out))


#: what the app itself writes (jobs' messages, the audit log of requests) is not data
NOT_DATA_TABLES = {"job", "login_event", "access_denial", "alembic_version"}
NOT_DATA_COLUMNS = ("hash", "token", "secret", "sha256", "endpoint")


def data_words() -> set[str]:
    """Latin text the data puts on pages (catalog text an organization published, account names,
    tracking codes, slugs): data, not interface.  Every text column of every table is read; a
    value that looks like an identifier (``village_ranked``) is not data a page shows, so the
    test still catches an enum value printed untranslated."""
    from sqlalchemy import String, Text, select

    from forum.extensions import db

    identifier = re.compile(r"[a-z0-9_]+")
    words: set[str] = set()
    for table in db.metadata.sorted_tables:
        if table.name in NOT_DATA_TABLES:
            continue
        columns = [
            c
            for c in table.columns
            if isinstance(c.type, String | Text) and not any(k in c.name for k in NOT_DATA_COLUMNS)
        ]
        for column in columns:
            for value in db.session.scalars(select(column).distinct()):
                if not value or identifier.fullmatch(value):
                    continue
                for token in str(value).split():
                    words.add(token)
                    words.update(WORD.findall(token))
    return words


# ------------------------------------------------------------------ the forms of a page


class _Forms(HTMLParser):
    """POST forms of a page: action and fields (name, kind, first option value)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self.forms.append({"action": attrs.get("action") or "", "fields": []})
            else:
                self.forms.append({"action": None, "fields": []})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attrs.get("name")
        if tag == "input" and name:
            fields.append([name, attrs.get("type") or "text", attrs.get("value") or ""])
        elif tag == "textarea" and name:
            fields.append([name, "textarea", ""])
        elif tag == "select" and name:
            self._select = {"name": name, "options": []}
            fields.append([name, "select", self._select])
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def post_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["action"] is not None]


#: what a careless or hostile person types: too long, not a number, not a date, not a choice
BAD_TEXT = "ก" * 6000
BAD_VALUES = {
    "text": BAD_TEXT,
    "textarea": BAD_TEXT,
    "search": BAD_TEXT,
    "number": "สองร้อย",
    "date": "2026-02-30",
    "tel": "โทร",
    "password": "ก",
    "select": "สิ่งที่ไม่มีในรายการ",
    "checkbox": "สิ่งที่ไม่มีในรายการ",
    "radio": "สิ่งที่ไม่มีในรายการ",
}


def form_data(form: dict, mode: str) -> dict:
    """Data for ``form``: ``empty`` leaves every field blank, ``bad`` fills each with a wrong
    value of its kind (hidden fields, such as the edit version, keep their values)."""
    data = {}
    for name, kind, value in form["fields"]:
        if kind in ("hidden", "submit", "button", "file"):
            if kind == "hidden":
                data[name] = value
            continue
        data[name] = "" if mode == "empty" else BAD_VALUES.get(kind, BAD_TEXT)
    return data
