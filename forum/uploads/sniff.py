"""What a file is, judged by its bytes (never by its name or the browser's content type)."""

import io
import zipfile

IMAGE_SIGNATURES = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)

# An XLSX is a zip; these bound what unpacking it may cost.
XLSX_MAX_ENTRIES = 2000
XLSX_MAX_UNPACKED = 200 * 1024 * 1024


def image_format(head: bytes) -> str | None:
    """The image format named by the first bytes (jpeg, png, gif, webp), or None."""
    for signature, name in IMAGE_SIGNATURES:
        if head.startswith(signature):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def is_xlsx(data: bytes) -> bool:
    """A zip holding an Excel workbook, small enough unpacked (no zip bombs)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {e.filename for e in entries}
            unpacked = sum(e.file_size for e in entries)
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return (
        "[Content_Types].xml" in names
        and "xl/workbook.xml" in names
        and len(entries) <= XLSX_MAX_ENTRIES
        and unpacked <= XLSX_MAX_UNPACKED
    )


def is_csv_text(data: bytes) -> bool:
    """Text a spreadsheet could have written: UTF-8 (with or without BOM) or Thai TIS-620
    (cp874, what Thai Excel saves), with no control characters but tab and line ends."""
    for encoding in ("utf-8-sig", "cp874"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not any(ord(c) < 32 and c not in "\t\r\n" for c in text)
    return False
