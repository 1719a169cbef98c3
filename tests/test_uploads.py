"""The upload store: content decides the type, sizes are bounded, images are re-encoded without
metadata, names are generated, and nothing is ever overwritten."""

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from forum.uploads import UploadRejected, UploadStore, current_store
from forum.uploads import store as store_module


@pytest.fixture
def store(tmp_path):
    return UploadStore(tmp_path / "uploads", max_bytes=200_000, max_pixels=4_000_000)


def image_bytes(fmt: str, size=(64, 48), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "red").save(out, fmt, **save)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {2: (13.0, 45.0, 0.0), 4: (100.0, 30.0, 0.0)}  # GPSInfo: latitude, longitude
    exif[0x010F] = "PhoneMaker"
    return image_bytes("JPEG", exif=exif.tobytes())


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    book = Workbook()
    book.active.append(["title", "budget"])
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "extension"),
    [
        (image_bytes("JPEG"), "jpg"),
        (image_bytes("PNG"), "jpg"),  # opaque: JPEG is smaller
        (image_bytes("WEBP"), "jpg"),
        (image_bytes("GIF"), "jpg"),
        (image_bytes("PNG", mode="RGBA"), "png"),
    ],
)
def test_photos_are_re_encoded(store, data, extension):
    saved = store.save_image(io.BytesIO(data))
    assert saved.name.endswith("." + extension)
    path = store.path("photos", saved.name)
    assert path.stat().st_size == saved.size
    with Image.open(path) as image:
        assert image.size == (64, 48)
    assert path.read_bytes() != data


def test_photo_metadata_is_dropped(store):
    data = jpeg_with_gps()
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get(0x010F) == "PhoneMaker"
    saved = store.save_image(data)
    with Image.open(store.path("photos", saved.name)) as image:
        assert not image.getexif()
        assert "exif" not in image.info and "icc_profile" not in image.info
    assert b"PhoneMaker" not in store.path("photos", saved.name).read_bytes()


def test_big_photos_are_scaled_down(store):
    saved = store.save_image(image_bytes("PNG", size=(3000, 1000)))
    with Image.open(store.path("photos", saved.name)) as image:
        assert image.size == (2000, 667)


@pytest.mark.parametrize(
    "data",
    [
        b"<?php system($_GET['c']); ?>",
        b"<html><script>alert(1)</script></html>",
        b"MZ\x90\x00" + b"\x00" * 100,  # a Windows program
        b"%PDF-1.7\n",
        b"\xff\xd8\xff" + b"not really a jpeg" * 10,  # right signature, broken inside
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
    ],
)
def test_files_that_are_not_photos_are_refused(store, data):
    with pytest.raises(UploadRejected):
        store.save_image(io.BytesIO(data))
    assert not (store.root / "photos").exists() or not any((store.root / "photos").iterdir())


def test_a_decompression_bomb_is_refused(store):
    bomb = image_bytes("PNG", size=(5000, 5000), mode="1")  # tiny file, 25 megapixels
    assert len(bomb) < store.max_bytes
    with pytest.raises(UploadRejected, match="pixels"):
        store.save_image(bomb)


def test_size_is_limited_without_reading_everything(store):
    stream = io.BytesIO(b"\xff\xd8\xff" + b"\x00" * 1_000_000)
    with pytest.raises(UploadRejected, match="too large"):
        store.save_image(stream)
    assert stream.tell() == store.max_bytes + 1


def test_empty_files_are_refused(store):
    with pytest.raises(UploadRejected, match="empty"):
        store.save_import(b"")


def test_import_files_are_checked_by_content(store):
    assert store.save_import(xlsx_bytes()).name.endswith(".xlsx")
    assert store.save_import("ชื่อโครงการ,งบประมาณ\nถนน,100000\n".encode()).name.endswith(".csv")
    assert store.save_import("ชื่อโครงการ,งบ\n".encode("cp874")).name.endswith(".csv")
    for bogus in (image_bytes("PNG"), b"PK\x03\x04 not a zip", b"a,b\x00,c\n", _zip_of_junk()):
        with pytest.raises(UploadRejected):
            store.save_import(bogus)


def _zip_of_junk() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("evil.sh", "rm -rf /")
    return out.getvalue()


def test_names_are_generated_never_taken_from_the_user(store):
    upload = io.BytesIO(image_bytes("PNG"))
    upload.name = "../../etc/passwd.png"
    saved = store.save_image(upload)
    assert "passwd" not in saved.name and "/" not in saved.name
    assert store_module.NAME_PATTERN.match(saved.name)


@pytest.mark.parametrize("name", ["../config.py", "x.jpg", "/etc/passwd", "a" * 32 + ".php"])
def test_only_generated_names_can_be_opened(store, name):
    with pytest.raises(FileNotFoundError):
        store.path("photos", name)


def test_an_upload_never_overwrites_another(store, monkeypatch):
    first = store.save_image(image_bytes("PNG", size=(10, 10), mode="RGBA"))
    original = store.path("photos", first.name).read_bytes()
    taken = first.name.removesuffix(".png")
    names = iter([taken, taken, "f" * 32])
    monkeypatch.setattr(store_module.secrets, "token_hex", lambda _n: next(names))

    second = store.save_image(image_bytes("PNG", size=(20, 20), mode="RGBA"))

    assert second.name == "f" * 32 + ".png"
    assert store.path("photos", first.name).read_bytes() == original
    assert sorted(p.name for p in (store.root / "photos").iterdir()) == sorted(
        [first.name, second.name]
    )  # no temporary files left behind


def test_the_app_store_lives_outside_the_web_root(app):
    root = current_store().root.resolve()
    assert not root.is_relative_to(Path(app.static_folder).resolve())
    assert root == (Path(app.instance_path) / "uploads").resolve()


def test_a_big_jpeg_is_decoded_at_a_reduced_scale(tmp_path):
    """A 6000 × 4000 JPEG (24 MP) decodes at 1/2 scale (6 MP) to be kept at 2000 px: it passes
    a 8-megapixel decoding limit that the same photo as PNG does not."""
    store = UploadStore(tmp_path / "uploads", max_bytes=5_000_000, max_pixels=8_000_000)
    assert store.save_image(image_bytes("JPEG", size=(6000, 4000))).media_type == "image/jpeg"
    with pytest.raises(UploadRejected, match="pixels"):
        store.save_image(image_bytes("PNG", size=(6000, 4000), mode="1"))


def test_a_huge_declared_size_is_refused_before_decoding(store):
    """A PNG header claiming 100,000 × 100,000 pixels, with almost no data behind it."""
    import struct
    import zlib

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    png = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk
           + struct.pack(">I", zlib.crc32(chunk)) + b"\x00" * 64)
    with pytest.raises(UploadRejected):
        store.save_image(png)


@pytest.mark.parametrize("app_config", [{"MAX_IMAGE_PIXELS": 1_000_000}])
def test_the_pixel_limit_is_a_setting(app, app_config):
    assert current_store().max_pixels == 1_000_000
    with pytest.raises(UploadRejected, match="ความละเอียดสูงเกินไป"):  # too many pixels
        current_store().save_image(image_bytes("PNG", size=(1200, 1000)))
