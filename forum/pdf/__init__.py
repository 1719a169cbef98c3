"""Plan annex PDFs (แบบ ผ.01, ผ.02, ผ.02/1, ผ.02/2, ผ.03) and their spreadsheet twins.

Independent of Flask and the database::

    from forum.pdf import AnnexDocument, AnnexGroup, AnnexProject, render_annex, write_annex

    pdf_bytes = render_annex(doc)        # form chosen by doc.form
    write_annex(doc, "/path/plan.pdf")   # atomic: temp file + os.replace
    xlsx_bytes = render_xlsx(doc)        # same columns, for typing into e-plan
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .annex import (
    AnnexDataError,
    AnnexDocument,
    AnnexError,
    AnnexGroup,
    AnnexProject,
    EmptyAnnexError,
)

__all__ = [
    "AnnexDataError",
    "AnnexDocument",
    "AnnexError",
    "AnnexGroup",
    "AnnexProject",
    "EmptyAnnexError",
    "render_annex",
    "render_xlsx",
    "renderer_for",
    "warm_up",
    "write_annex",
    "write_xlsx",
]


def warm_up() -> None:
    """Load the fonts and the Thai word list now (~0.6 s) rather than in the first request."""
    from . import fonts, thai_text

    fonts.register_fonts()
    thai_text.units("ผู้ใหญ่บ้าน")
    thai_text.pieces("ผู้ใหญ่บ้าน")
    thai_text.syllables()


def renderer_for(doc: AnnexDocument):
    """The renderer object for ``doc.form`` (exposes ``render()`` and, after it, ``page_count``)."""
    if doc.form in ("p02", "p02-1", "p02-2"):
        from .p02 import P02Renderer

        return P02Renderer(doc)
    if doc.form == "p01":
        from .p01 import P01Renderer

        return P01Renderer(doc)
    if doc.form == "p03":
        from .p03 import P03Renderer

        return P03Renderer(doc)
    raise AnnexDataError(f"unknown form {doc.form!r}")


def render_annex(doc: AnnexDocument) -> bytes:
    """PDF bytes of the annex ``doc.form``; raises EmptyAnnexError when there is no project."""
    return renderer_for(doc).render()


def render_xlsx(doc: AnnexDocument) -> bytes:
    """The same annex as an .xlsx workbook (same columns), for the national e-plan system."""
    from .xlsx import render_xlsx as _render

    return _render(doc)


def _write_atomic(data: bytes, path: str | os.PathLike) -> Path:
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target


def write_annex(doc: AnnexDocument, path: str | os.PathLike) -> Path:
    """Render and write the PDF to ``path`` atomically; nothing is written if rendering fails."""
    return _write_atomic(render_annex(doc), path)


def write_xlsx(doc: AnnexDocument, path: str | os.PathLike) -> Path:
    return _write_atomic(render_xlsx(doc), path)
