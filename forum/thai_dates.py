"""Dates as Thai people type them: day/month/Buddhist-era year ("12/01/2569").

The browser's date picker counts Gregorian years; many forms are filled from paper minutes that
say พ.ศ. `ThaiDateField` accepts both, and shows what it holds as DD/MM/YYYY in the Buddhist era.
"""

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms.widgets import TextInput

BE_OFFSET = 543
# A year above this is Buddhist era (2400 BE is 1857 CE: no date here is that old).
BE_FROM = 2400
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def parse_thai_date(text: str) -> date | None:
    """12/01/2569, 12-1-69, 12.01.2026, 2569-01-12 and 2026-01-12 are all 12 January 2026.
    None when the text is not a real date in one of those shapes."""
    text = (text or "").strip().translate(_THAI_DIGITS)
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
        if year < 100:  # "69": the two last digits of a Buddhist-era year
            year += 2500
    else:
        return None
    if year > BE_FROM:
        year -= BE_OFFSET
    try:
        return date(year, month, day)
    except ValueError:
        return None


def format_thai_date(value: date | None) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year + BE_OFFSET}" if value else ""


class ThaiDateField(DateField):
    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "numeric", "placeholder": _l("dd/mm/yyyy (B.E.)"),
                     "autocomplete": "off", **kwargs.pop("render_kw", {})}  # fmt: skip
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return format_thai_date(self.data)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = parse_thai_date(valuelist[0])
        if self.data is None:
            raise ValueError(self.gettext(
                _l("Type the date as day/month/year in the Buddhist era, e.g. 12/01/2569.")
            ))  # fmt: skip
