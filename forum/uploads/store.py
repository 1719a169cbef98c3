"""The upload store.

Files live in ``UPLOAD_DIR`` (default ``instance/uploads``), outside the static folder, so the web
server never serves them directly. Each gets a random name; what the user called it is not kept
in the path. A file is written to a temporary name and then hard-linked to its final name, which
fails if the name exists: an upload can never replace another, and nobody sees half a file.
"""

import io
import os
import re
import secrets
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from forum.uploads import sniff

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# The most pixels one photo may decode to (checked on its header, before decoding). A JPEG is
# decoded at a reduced scale (1/2 … 1/8) when it is much bigger than what is kept, so a 48 or
# 200-megapixel phone photo passes; other formats decode at full size and must fit.
# 24 MP × 4 bytes bounds one decode at ~100 MB; a request's photos are decoded one at a time.
DEFAULT_MAX_PIXELS = 24_000_000
DEFAULT_IMAGE_SIDE = 2000  # photos are scaled down to this many pixels on the longer side
NAME_PATTERN = re.compile(r"^[0-9a-f]{32}\.(jpg|png|csv|xlsx)$")
KINDS = ("photos", "imports")


class UploadRejected(ValueError):
    """The upload is not accepted; ``message`` is shown to the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class StoredUpload:
    kind: str  # "photos" or "imports"
    name: str  # generated, e.g. "3f2a…9c.jpg"
    media_type: str
    size: int


class UploadStore:
    def __init__(
        self,
        root: Path,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_pixels: int = DEFAULT_MAX_PIXELS,
        image_side: int = DEFAULT_IMAGE_SIDE,
    ):
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self.image_side = image_side

    # ------------------------------------------------------------------ saving

    def save_image(self, upload: BinaryIO | bytes) -> StoredUpload:
        """A photo (JPEG, PNG, GIF or WebP by content), re-encoded: JPEG, or PNG when it has
        transparency; turned upright, scaled down, every piece of metadata (GPS!) dropped."""
        data = self._read(upload)
        if sniff.image_format(data[:16]) is None:
            raise UploadRejected(_l("This file is not a photo. Use a JPEG, PNG or WebP image."))
        encoded, extension, media_type = self._reencode(data)
        return self._store("photos", encoded, extension, media_type)

    def save_import(self, upload: BinaryIO | bytes) -> StoredUpload:
        """A spreadsheet to import: an Excel workbook (.xlsx) or CSV text, by content."""
        data = self._read(upload)
        if sniff.is_xlsx(data):
            media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            return self._store("imports", data, "xlsx", media_type)
        if data and sniff.is_csv_text(data):
            return self._store("imports", data, "csv", "text/csv")
        raise UploadRejected(
            _l("This file is not a spreadsheet. Use an Excel (.xlsx) or CSV file.")
        )

    # ------------------------------------------------------------------ reading

    def path(self, kind: str, name: str) -> Path:
        """Where a stored file is. Only generated names are accepted (no ``../``)."""
        if kind not in KINDS or not NAME_PATTERN.match(name):
            raise FileNotFoundError(name)
        return self.root / kind / name

    def open(self, kind: str, name: str) -> BinaryIO:
        return self.path(kind, name).open("rb")

    def discard(self, kind: str, name: str) -> None:
        """Remove a file stored by a request that then failed (nothing refers to it)."""
        self.path(kind, name).unlink(missing_ok=True)

    # ------------------------------------------------------------------ internals

    def _read(self, upload: BinaryIO | bytes) -> bytes:
        if isinstance(upload, bytes | bytearray):
            data = bytes(upload)
        else:
            data = upload.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise UploadRejected(
                _l("The file is too large: at most %(mb)s MB.", mb=self.max_bytes // 2**20)
            )
        if not data:
            raise UploadRejected(_l("The file is empty."))
        return data

    def _reencode(self, data: bytes) -> tuple[bytes, str, str]:
        unreadable = UploadRejected(_l("This photo could not be read. Try another file."))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as image:  # reads the header only
                    self._reduce_decoding(image)
                    width, height = image.size  # what decoding will produce
                    if width * height > self.max_pixels:
                        raise UploadRejected(_l("The photo has too many pixels."))
                    image.load()
                    image.thumbnail((self.image_side, self.image_side))  # before any copy
                    image = ImageOps.exif_transpose(image)
                    transparent = image.mode in ("RGBA", "LA", "PA") or (
                        image.mode == "P" and "transparency" in image.info
                    )
                    image = image.convert("RGBA" if transparent else "RGB")
                    # A fresh image carries pixels only: no EXIF, GPS, comments or profiles.
                    clean = Image.frombytes(image.mode, image.size, image.tobytes())
        except UploadRejected:
            raise
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError,
                Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise unreadable from error
        out = io.BytesIO()
        if transparent:
            clean.save(out, "PNG", optimize=True)
            return out.getvalue(), "png", "image/png"
        clean.save(out, "JPEG", quality=85, optimize=True)
        return out.getvalue(), "jpg", "image/jpeg"

    def _reduce_decoding(self, image) -> None:
        """Ask a JPEG decoder for the smallest scale (1/2, 1/4, 1/8) still at least as big as
        the photo that is kept: a 40-megapixel photo then decodes to 10 or fewer."""
        if image.format != "JPEG":
            return
        width, height = image.size
        longer = max(width, height)
        if longer <= self.image_side:
            return
        ratio = self.image_side / longer
        image.draft("RGB", (max(1, int(width * ratio)), max(1, int(height * ratio))))

    def _store(self, kind: str, data: bytes, extension: str, media_type: str) -> StoredUpload:
        folder = self.root / kind
        folder.mkdir(parents=True, exist_ok=True, mode=0o750)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            for _attempt in range(5):
                name = f"{secrets.token_hex(16)}.{extension}"
                try:
                    os.link(temporary, folder / name)  # fails if the name is taken
                except FileExistsError:
                    continue
                return StoredUpload(kind=kind, name=name, media_type=media_type, size=len(data))
            raise RuntimeError("could not find a free upload name")
        finally:
            os.unlink(temporary)


def current_store() -> UploadStore:
    """The store configured for the running app (``UPLOAD_DIR``, ``UPLOAD_MAX_BYTES``)."""
    config = current_app.config
    root = config.get("UPLOAD_DIR") or os.path.join(current_app.instance_path, "uploads")
    return UploadStore(
        Path(root),
        max_bytes=config.get("UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES),
        max_pixels=config.get("MAX_IMAGE_PIXELS")
        or config.get("UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS),
    )
