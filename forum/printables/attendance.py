"""The attendance sheet of a meeting: numbered rows to sign, with the column header repeated
on every page (the annex table engine of :mod:`forum.pdf.layout`).

When the meeting's body has known members (the development committee, the council) their
names and positions are printed and a few blank rows follow for guests; forums, open to
every villager, get blank rows only.  The total present at the bottom is what is typed into
the meeting page afterwards.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select, true

from forum.i18n import format_date
from forum.pdf.base import _no_ascii85
from forum.pdf.fonts import BOLD, REGULAR, register_fonts
from forum.pdf.layout import (
    HEADER_FILL,
    Cell,
    Column,
    Flow,
    Header,
    Item,
    Row,
    Style,
    Table,
    TableRow,
    para,
)
from forum.printables.sheet import Sheet, portrait

BLANK_ROWS = 30
GUEST_ROWS = 5
MAX_ROWS = 500
ROW_H = 27.0


@dataclass
class AttendanceData:
    org_name: str
    title: str  # e.g. คณะกรรมการพัฒนาท้องถิ่น ครั้งที่ 1/2565
    date_line: str
    place_line: str
    members: list[tuple[str, str]]  # (name, position)
    blank_rows: int
    texts: dict[str, str] = field(default_factory=dict)


def gather(meeting, blank_rows: int | None = None) -> AttendanceData:
    """The sheet's content for ``meeting``, in Thai (the paper goes round the meeting room)."""
    from forum.auth.models import Membership, User

    role = meeting.kind_enum.member_role
    with force_locale("th"):
        members: list[tuple[str, str]] = []
        if role is not None:
            users = meeting_members(
                meeting.organization_id, role, Membership, User, on=meeting.held_on
            )
            members = [(u.display_name, role.title) for u in users]
        if blank_rows is None:
            blank_rows = GUEST_ROWS if members else BLANK_ROWS
        return AttendanceData(
            org_name=meeting.organization.display_name("th"),
            title=meeting.title,
            date_line=_("Date: %(date)s", date=format_date(meeting.held_on, "th")),
            place_line=_("Place: %(place)s", place=meeting.place),
            members=members,
            blank_rows=max(0, min(blank_rows, MAX_ROWS)),
            texts={
                "sheet": _("Attendance sheet"),
                "number": _("No."),
                "name": _("Name and surname"),
                "position": _("Position"),
                "signature": _("Signature"),
                "note": _("Note"),
                "total": _("Present in total ............ persons"),
                "checked": _("Checked by ................................................"),
                "page": _("page"),
            },
        )


def meeting_members(organization_id: int, role, membership, user, on=None) -> list:
    """The body's members on ``on`` (the meeting's date), or ever when None."""
    from forum.extensions import db

    held = membership.held_on_clause(on) if on is not None else true()
    return db.session.scalars(
        select(user)
        .join(membership, membership.user_id == user.id)
        .where(membership.organization_id == organization_id, membership.role == role, held)
        .distinct()
        .order_by(user.display_name)
    ).all()


class AttendanceSheet:
    """Builds the sheet from :class:`AttendanceData`; ``render()`` returns PDF bytes."""

    def __init__(self, data: AttendanceData) -> None:
        self.data = data
        self.g = portrait()
        self.style = Style(size=11.0, pad_x=4.0, pad_top=3.0, pad_bottom=2.0)
        w = self.g.width
        fixed = 34.0 + 64.0
        rest = w - fixed
        self.table = Table(
            [
                Column("number", 34.0, "center"),
                Column("name", rest * 0.42),
                Column("position", rest * 0.28),
                Column("signature", rest * 0.30),
                Column("note", 64.0),
            ],
            self.style,
        )
        t = data.texts
        heads = [t["number"], t["name"], t["position"], t["signature"], t["note"]]
        cells = [
            self.table.text(k, text, font=BOLD, align="center", valign="middle")
            for k, text in enumerate(heads)
        ]
        for c in cells:
            c.fill = HEADER_FILL
        self.header = Header(self.table.row(cells))

    def row(self, number: int, name: str = "", position: str = "") -> TableRow:
        t = self.table
        cells: list[Cell] = [t.text(0, str(number), align="center", valign="middle")]
        if name:
            cells.append(t.text(1, name, valign="middle"))
        if position:
            cells.append(t.text(2, position, size=10.0, valign="middle"))
        row = t.row(cells)
        return TableRow(Row(row.cells, [max(ROW_H, row.height)]), self.header)

    def items(self) -> list[Item]:
        d = self.data
        w = self.g.width
        items: list[Item] = [
            para(d.texts["sheet"], w, font=BOLD, size=16, align="center", keep_with_next=True),
            para(d.title, w, font=BOLD, size=13, align="center", keep_with_next=True),
            para(d.org_name, w, size=12, align="center", keep_with_next=True),
            para(
                f"{d.date_line}   {d.place_line}",
                w,
                size=12,
                align="center",
                space_after=8,
                keep_with_next=True,
            ),  # fmt: skip
        ]
        number = 0
        for name, position in d.members:
            number += 1
            items.append(self.row(number, name, position))
        for _k in range(d.blank_rows):
            number += 1
            items.append(self.row(number))
        items += [
            para(d.texts["total"], w, size=12, space_before=14, keep_with_next=True),
            para(d.texts["checked"], w, size=12, align="right", space_before=18),
        ]
        return items

    def render(self) -> bytes:
        register_fonts()
        d = self.data
        flow = Flow(self.g, self.style)
        flow.layout(self.items(), lambda header: self.table)
        buf = io.BytesIO()
        canvas = Canvas(buf, pagesize=self.g.pagesize, initialFontName=REGULAR,
                        pageCompression=1, lang="th-TH")  # fmt: skip
        canvas.setTitle(f"{d.texts['sheet']} {d.title} {d.org_name}")
        canvas.setCreator("Prachakhom")
        frame = Sheet(d.title, d.texts["sheet"], f"{d.texts['sheet']} · {d.title} · {d.org_name}",
                      [], page_word=d.texts["page"], geometry=self.g)  # fmt: skip
        flow.draw(canvas, frame.page_template)
        with _no_ascii85():
            canvas.save()
        self.page_count = len(flow.pages)
        return buf.getvalue()
