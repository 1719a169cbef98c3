"""The printed invitation (or password-reset) sheet: A4 portrait, in Thai, with the QR code of
the one-time link, the username and what to do. Built with the paper-form blocks of
:mod:`forum.printables.sheet` (Sarabun, Thai line breaking); ``render()`` returns PDF bytes."""

from dataclasses import dataclass

import segno
from flask_babel import force_locale
from flask_babel import gettext as _

from forum.i18n import format_date
from forum.pdf.fonts import BOLD
from forum.printables.sheet import Block, Sheet, Spacer, Text

QR_SIDE = 170.0  # points (6 cm)


@dataclass
class QrCode(Block):
    """The link as a QR code, centred, drawn as filled modules (no image)."""

    address: str
    side: float = QR_SIDE
    after: float = 10.0

    def measure(self, width: float) -> float:
        return self.side + self.after

    def draw(self, painter, x, top, width):
        matrix = [list(row) for row in segno.make(self.address, error="m").matrix]
        quiet = 4
        modules = len(matrix) + 2 * quiet
        unit = self.side / modules
        left = x + (width - self.side) / 2
        for r, row in enumerate(matrix):
            for c, dark in enumerate(row):
                if dark:
                    y = top - (r + quiet + 1) * unit
                    painter.fill_rect(left + (c + quiet) * unit, y, unit, unit, (0, 0, 0))


def qr_svg(address: str) -> str:
    """The same QR code for the web page (inline SVG)."""
    return segno.make(address, error="m").svg_inline(scale=5, title=address)


@dataclass
class LinkSheetData:
    organization_name: str
    display_name: str
    username: str
    address: str
    expires_on: object  # date
    reset: bool


class LinkSheet:
    def __init__(self, data: LinkSheetData) -> None:
        self.data = data

    def blocks(self) -> list[Block]:
        d = self.data
        title = _("Set a new password for Prachakhom") if d.reset else _("Welcome to Prachakhom")
        return [
            Text(title, size=18, font=BOLD, align="center", after=2),
            Text(d.organization_name, size=13, align="center", after=12),
            Text(_("For: %(name)s", name=d.display_name), size=13, after=2),
            Text(_("Username: %(username)s", username=d.username), size=15, font=BOLD, after=10),
            QrCode(d.address),
            Text(d.address, size=9, align="center", after=12),
            Text(_("What to do"), size=14, font=BOLD, after=4),
            Text(_("1. Scan the QR code with your phone's camera, or type the address below it "
                   "into a web browser."), size=12, after=2),
            Text(_("2. Choose your password: at least 10 characters, not a common one, and type "
                   "it twice."), size=12, after=2),
            Text(_("3. Log in with the username above and your new password."), size=12,
                 after=2),
            Text(_("The link works once, until %(date)s. Keep this sheet to yourself: whoever "
                   "has the link can set the password. If the link has expired, ask the "
                   "administrator for a new one.", date=format_date(d.expires_on, "th")),
                 size=12, after=2),
            Spacer(12),
        ]  # fmt: skip

    def render(self) -> bytes:
        with force_locale("th"):
            label = _("Password reset") if self.data.reset else _("Invitation")
            sheet = Sheet(
                title=f"{label} {self.data.username}",
                label=label,
                footer=f"{label} · {self.data.organization_name}",
                blocks=self.blocks(),
            )
            return sheet.render()
