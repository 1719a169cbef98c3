"""The yearly results report as an XLSX workbook (one sheet, the same rows as the page)."""

from flask_babel import gettext as _

from forum.exports.writers import Sheet, to_xlsx
from forum.tracking.report import COLUMNS, ResultsReport


def column_titles() -> dict[str, str]:
    return {
        "planned": _("Planned"),
        "budgeted": _("Budgeted"),
        "contracted": _("Contracted"),
        "completed": _("Completed"),
        "not_implemented": _("Not implemented"),
    }


def results_sheet(report: ResultsReport) -> Sheet:
    titles = column_titles()
    headers = [_("Strategy")]
    for key in COLUMNS:
        headers += [
            _("%(column)s: projects", column=titles[key]),
            _("%(column)s: baht", column=titles[key]),
        ]
    sheet = Sheet(
        title=_("Results %(year)s", year=report.year),
        headers=headers,
        widths=[48] + [14, 18] * len(COLUMNS),
    )
    for row in [*report.rows, report.total]:
        cells: list = [row.label]
        for key in COLUMNS:
            cells += [row.figures[key].count, row.figures[key].amount]
        sheet.rows.append(cells)
    return sheet


def render_results_xlsx(report: ResultsReport) -> bytes:
    return to_xlsx([results_sheet(report)])
