"""Thai-first localisation: locale choice, Buddhist-era dates and baht amounts."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Request, current_app, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
BUDDHIST_ERA_OFFSET = 543
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def select_locale() -> str:
    """The user's saved choice, then this browser's choice, then Thai."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI tasks (demo data, imports) speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or "th")


def to_local(value: datetime) -> datetime:
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(tz)


def format_date(value: date | datetime | None, language: str | None = None) -> str:
    """Thai: 21 พฤศจิกายน 2569 (Buddhist era). English: 21 November 2026."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    language = language or current_language()
    if language == "th":
        return f"{value.day} {THAI_MONTHS[value.month - 1]} {value.year + BUDDHIST_ERA_OFFSET}"
    return f"{value.day} {ENGLISH_MONTHS[value.month - 1]} {value.year}"


def format_datetime(value: datetime | None, language: str | None = None) -> str:
    if value is None:
        return ""
    local = to_local(value)
    suffix = " น." if (language or current_language()) == "th" else ""
    return f"{format_date(local, language)} {local:%H:%M}{suffix}"


def format_baht(amount: int | None, dash_for_zero: bool = False) -> str:
    """1250000 -> "1,250,000". Amounts are whole baht (integers), never floats."""
    if amount is None:
        return ""
    if dash_for_zero and amount == 0:
        return "-"
    return f"{amount:,}"


def fiscal_year_label(year_be: int, language: str | None = None) -> str:
    """Plan years are stored in the Buddhist era; English shows the Gregorian year too."""
    if (language or current_language()) == "th":
        return f"พ.ศ. {year_be}"
    return f"FY {year_be - BUDDHIST_ERA_OFFSET} (B.E. {year_be})"


class FormMessages:
    """WTForms' own messages ("This field is required.", "Not a valid date value.") looked up in
    the app's catalog, which has them in Thai: WTForms ships no Thai, so Flask-WTF would show
    them in English.  Flask-WTF takes the translations from ``request.wtforms_translations``
    when the request has that attribute."""

    def ugettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


class ThaiFormsRequest(Request):
    """The app's request class: in every request context (also the ones jobs run in, which
    run no before_request hook) form messages come from the app's catalog."""

    wtforms_translations = FormMessages()


def init_template_helpers(app) -> None:
    app.jinja_env.filters["thdate"] = format_date
    app.jinja_env.filters["thdatetime"] = format_datetime
    app.jinja_env.filters["baht"] = format_baht
    app.jinja_env.filters["fiscal_year"] = fiscal_year_label

    from forum.proposals.states import Status

    app.jinja_env.globals["status_title"] = lambda value: Status(value).title

    @app.context_processor
    def inject_language():
        return {
            "current_language": current_language(),
            "languages": app.config["LANGUAGES"],
            "next_url": request.full_path if request else "/",
        }
