"""Many organizations at once, from a CSV or XLSX list: code, kind, name, district, province
(optional: name_en, slug). Checked line by line first; saved only when every line is clean.
Idempotent on the DLA code: a line whose code exists already is left as it is."""

import csv
import io
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from forum.admin.services import (
    DLA_CODE_PATTERN,
    OrganizationInput,
    create_organization,
)
from forum.extensions import db
from forum.organizations.models import Organization, OrgKind

MAX_ROWS = 5000
HEADERS = {
    "code": ("code", "dla_code", "รหัส", "รหัส อปท.", "รหัสอปท"),
    "kind": ("kind", "ประเภท"),
    "name": ("name", "name_th", "ชื่อ", "ชื่อ อปท."),
    "district": ("district", "อำเภอ"),
    "province": ("province", "จังหวัด"),
    "name_en": ("name_en", "english name", "ชื่อภาษาอังกฤษ"),
    "slug": ("slug",),
}
KIND_WORDS = {
    "pao": "pao", "อบจ.": "pao", "อบจ": "pao", "องค์การบริหารส่วนจังหวัด": "pao",
    "city": "city", "เทศบาลนคร": "city", "ทน.": "city",
    "town": "town", "เทศบาลเมือง": "town", "ทม.": "town",
    "subdistrict_municipality": "subdistrict_municipality",
    "เทศบาลตำบล": "subdistrict_municipality", "ทต.": "subdistrict_municipality",
    "sao": "sao", "อบต.": "sao", "อบต": "sao", "องค์การบริหารส่วนตำบล": "sao",
}  # fmt: skip


class ListError(ValueError):
    """The file cannot be read as a list (translated message)."""


@dataclass
class Line:
    number: int  # line in the file, the header being line 1
    values: dict
    errors: list[str] = field(default_factory=list)
    exists: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def read_table(filename: str, data: bytes) -> list[list[str]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception as error:  # a damaged or mislabelled file
            raise ListError(_("This file is not a readable XLSX workbook.")) from error
        return [["" if v is None else str(v).strip() for v in row]
                for row in sheet.iter_rows(values_only=True)]  # fmt: skip
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ListError(_("Save the list as CSV in UTF-8.")) from error
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for index, title in enumerate(header):
        title = title.strip().lower()
        for key, names in HEADERS.items():
            if title in names and key not in found:
                found[key] = index
    missing = [k for k in ("code", "kind", "name", "province") if k not in found]
    if missing:
        raise ListError(
            _("The first line must name the columns; missing: %(names)s.",
              names=", ".join(missing))  # fmt: skip
        )
    return found


def slug_for(values: dict) -> str:
    if values.get("slug"):
        return values["slug"].lower()
    english = re.sub(r"[^a-z0-9]+", "-", (values.get("name_en") or "").lower()).strip("-")
    return english[:64] if english else f"org-{values['code']}"


def check_lines(table: list[list[str]]) -> list[Line]:
    """Every line with its problems; ``exists`` for codes already on the server."""
    rows = [r for r in table if any(c for c in r)]
    if not rows:
        raise ListError(_("The list is empty."))
    if len(rows) > MAX_ROWS + 1:
        raise ListError(_("At most %(count)d organizations per list.", count=MAX_ROWS))
    columns = _columns(rows[0])
    known = set(db.session.scalars(select(Organization.dla_code)))
    slugs = set(db.session.scalars(select(Organization.slug)))
    seen_codes, seen_slugs, lines = set(), set(), []
    for number, row in enumerate(table[1:], start=2):
        if not any(c for c in row):
            continue
        values = {k: (row[i] if i < len(row) else "").strip() for k, i in columns.items()}
        line = Line(number, values)
        lines.append(line)
        code = values["code"]
        if not DLA_CODE_PATTERN.match(code):
            line.errors.append(_("The DLA code has 7 digits."))
        elif code in seen_codes:
            line.errors.append(_("This code appears twice in the list."))
        elif code in known:
            line.exists = True
            continue
        seen_codes.add(code)
        kind = KIND_WORDS.get(values["kind"].lower())
        if kind is None:
            line.errors.append(
                _("Unknown kind %(kind)s: use อบจ., เทศบาลนคร, เทศบาลเมือง, เทศบาลตำบล or อบต.",
                  kind=values["kind"] or "—")  # fmt: skip
            )
        values["kind_key"] = kind
        if not values["name"]:
            line.errors.append(_("The name is missing."))
        if not values["province"]:
            line.errors.append(_("The province is missing."))
        slug = slug_for(values)
        if slug in slugs or slug in seen_slugs:
            line.errors.append(_("The address name %(slug)s is taken.", slug=slug))
        seen_slugs.add(slug)
        values["slug_final"] = slug
    return lines


def province_catalog_for(province: str) -> int | None:
    return db.session.scalar(
        select(Organization.id).where(
            Organization.kind == OrgKind.PROVINCE_WIDE, Organization.province == province
        )
    )


def create_from_lines(actor, lines: list[Line]) -> list[Organization]:
    """Create the new organizations of a clean list (call only when every line is ok)."""
    created = []
    for line in lines:
        if line.exists:
            continue
        v = line.values
        data = OrganizationInput(
            kind=v["kind_key"], name_th=v["name"], name_en=v.get("name_en") or "",
            province=v["province"], district=v.get("district") or None, dla_code=v["code"],
            slug=v["slug_final"], province_catalog_id=province_catalog_for(v["province"]),
        )  # fmt: skip
        created.append(create_organization(actor, data))
    return created

