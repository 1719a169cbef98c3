"""Writing a table as CSV (UTF-8 with BOM, so Thai Excel opens it) or as XLSX.

Text that a spreadsheet would run as a formula (starting with = + - @) is neutralised:
in CSV with a leading apostrophe, in XLSX by storing the cell as plain text.
"""

import csv
import io
from dataclasses import dataclass, field

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    widths: list[int] | None = None


def csv_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return "" if value is None else value


def to_csv(sheet: Sheet) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow([csv_safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(sheets: list[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet.title[:31])
        widths = sheet.widths or [max(12, min(40, len(h) + 4)) for h in sheet.headers]
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A2"
        header = []
        for text in sheet.headers:
            cell = WriteOnlyCell(ws, value=text)
            cell.font = bold
            cell.alignment = wrap
            header.append(cell)
        ws.append(header)
        for row in sheet.rows:
            ws.append([_xlsx_cell(ws, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(ws, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, int):
        cell.number_format = "#,##0"
    return cell


MIMETYPES = {
    "csv": "text/csv",  # Response adds "; charset=utf-8" to text types
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(sheet: Sheet, fmt: str) -> bytes:
    return to_csv(sheet) if fmt == "csv" else to_xlsx([sheet])
