"""Reading an uploaded CSV or XLSX file into rows of text, without trusting it.

CSV from Thai Excel is often Windows-874 (TIS-620) rather than UTF-8: it is detected and
decoded. Formulas are never evaluated; a cell holding one is reported. Size, row count
and (for XLSX) the uncompressed size are limited before anything is parsed.
"""

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_CELL_CHARS = 10_000
MAX_XLSX_UNCOMPRESSED = 40 * 1024 * 1024
THAI_LETTER = re.compile(r"[\u0e01-\u0e4f]")
# UTF-8 Thai read as Windows-874 and saved again: every letter becomes "เธ…" or "เน…".
MOJIBAKE = re.compile(r"เ[ธน]")
FORMULA_START = ("=", "@")


class UnreadableFile(ValueError):
    """The file as a whole cannot be read; the message says why, for the user."""


@dataclass
class CellProblem:
    row: int  # spreadsheet row number, the header being row 1
    column: int  # 0-based column index
    message: str


@dataclass
class Table:
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells); header first
    encoding: str | None = None
    cell_problems: list[CellProblem] = field(default_factory=list)


def file_size(size: int) -> str:
    """2097152 -> "2 MB", 1536 -> "1.5 KB"."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".rstrip("0").rstrip(".") + " " + unit
    return f"{size} B"


def check_size(size: int, limit: int = MAX_BYTES) -> None:
    if size > limit:
        raise UnreadableFile(
            _(
                "The file is %(size)s; the limit is %(limit)s. Split the list into smaller"
                " files.",
                size=file_size(size),
                limit=file_size(limit),
            )
        )


def read_upload(
    filename: str, data: bytes, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> Table:
    check_size(len(data), max_bytes)
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        table = read_xlsx(data, max_rows)
    elif name.endswith((".xls", ".ods", ".numbers")):
        raise UnreadableFile(_("Save the sheet as .xlsx or as CSV, then upload it again."))
    else:
        table = read_csv(data)
    # The header plus at most max_rows proposals.
    if len(table.rows) > max_rows + 1:
        raise UnreadableFile(
            _(
                "The file has more than %(limit)d rows; at most %(limit)d proposals can be"
                " imported at once. Split the list into smaller files.",
                limit=max_rows,
            )
        )
    if not table.rows:
        raise UnreadableFile(_("The file is empty."))
    return table


def decode_csv(data: bytes) -> tuple[str, str]:
    """(text, name of the encoding it was in)."""
    for bom, codec, label in (
        (codecs.BOM_UTF8, "utf-8", "UTF-8"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec).lstrip("\ufeff"), label
            except UnicodeDecodeError:
                break
    else:
        try:
            return data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            pass
        try:
            text = data.decode("cp874")
        except UnicodeDecodeError:
            text = ""
        if THAI_LETTER.search(text):
            return text, "Windows-874 (TIS-620)"
    raise UnreadableFile(
        _(
            "The file is not in a text encoding we can read (UTF-8 or Thai Windows-874)."
            " In Excel choose Save As, then \"CSV UTF-8\" or \"Excel Workbook (.xlsx)\"."
        )
    )


def looks_garbled(text: str) -> bool:
    thai = len(THAI_LETTER.findall(text))
    return thai > 20 and len(MOJIBAKE.findall(text)) * 2 > thai * 0.6


def read_csv(data: bytes) -> Table:
    text, encoding = decode_csv(data)
    if "\x00" in text:
        raise UnreadableFile(_("The file is not a CSV text file."))
    if looks_garbled(text):
        raise UnreadableFile(
            _(
                "The Thai text in this file is garbled: it was saved with the wrong encoding"
                " at some point. Open the original list and save it again as \"CSV UTF-8\"."
            )
        )
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, 1):
            if any(c.strip() for c in cells):
                rows.append((number, [c.strip() for c in cells]))
    except csv.Error as error:
        # Python's own message is English: say what it means instead
        if "field larger than field limit" in str(error):
            message = _(
                "A cell near line %(line)d is longer than %(limit)s characters: is a quotation"
                " mark missing?",
                line=reader.line_num,
                limit=f"{csv.field_size_limit():,}",
            )
        else:
            message = _("The CSV file cannot be read near line %(line)d.", line=reader.line_num)
        raise UnreadableFile(message) from None
    table = Table(rows=rows, encoding=encoding)
    flag_formulas(table)
    return table


def flag_formulas(table: Table) -> None:
    for number, cells in table.rows:
        for index, value in enumerate(cells):
            if value.startswith(FORMULA_START):
                table.cell_problems.append(CellProblem(number, index, formula_message()))
                cells[index] = ""
            elif len(value) > MAX_CELL_CHARS:
                cells[index] = value[:MAX_CELL_CHARS]


def formula_message() -> str:
    return _("Formulas are not accepted; type the value itself.")


def read_xlsx(data: bytes, max_rows: int = MAX_ROWS) -> Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise UnreadableFile(_("The file is not a valid .xlsx workbook.")) from None
    if unpacked > MAX_XLSX_UNCOMPRESSED:
        raise UnreadableFile(_("The workbook is too large once unpacked; split the list."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on broken files
        raise UnreadableFile(_("The file is not a valid .xlsx workbook.")) from None
    sheet = workbook.worksheets[0]
    table = Table(rows=[], encoding=None)
    try:
        for number, row in enumerate(sheet.iter_rows(), start=1):
            cells, formulas = [], False
            for index, cell in enumerate(row):
                if getattr(cell, "data_type", None) == "f":
                    table.cell_problems.append(CellProblem(number, index, formula_message()))
                    cells.append("")
                    formulas = True
                else:
                    cells.append(cell_text(cell.value))
            if any(cells) or formulas:
                table.rows.append((number, cells))
            if len(table.rows) > max_rows + 1:
                break  # enough to say the file is too long
    finally:
        workbook.close()
    flag_formulas(table)
    return table


def cell_text(value) -> str:
    """Numbers as typed (250000.0 -> "250000"), dates as ISO, text stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value).strip()
