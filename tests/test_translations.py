"""Every interface string has a Thai translation (English is the source language)."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "forum" / "translations" / "th" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
METHODS = [("forum/**.py", "python"), ("templates/**.html", "jinja2")]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def source_messages() -> set[str]:
    found = set()
    for *_rest, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=METHODS, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return {m for m in found if m}


def thai_catalog():
    with PO.open("rb") as fh:
        return read_po(fh, locale="th")


def test_every_source_string_is_translated_to_thai():
    catalog = thai_catalog()
    translated = {m.id for m in catalog if m.id and m.string and "fuzzy" not in m.flags}
    missing = sorted(source_messages() - translated)
    assert not missing, f"{len(missing)} strings lack a Thai translation: {missing[:20]}"


def test_placeholders_survive_translation():
    for message in thai_catalog():
        if message.id and message.string:
            # a plural entry (WTForms' own messages) has a tuple of ids and of strings
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for string in strings:
                assert sorted(PLACEHOLDER.findall(ids[-1])) == sorted(
                    PLACEHOLDER.findall(string)
                ), message.id


def test_pages_are_thai_by_default_and_english_on_request(client):
    assert "จากเวทีประชาคมสู่แผนพัฒนาท้องถิ่น" in client.get("/").get_data(as_text=True)
    client.post("/language/en", data={"next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert "From the community forum to the local development plan" in page
    assert 'lang="en"' in page


def test_language_choice_remembered_for_the_user(client, auth):
    auth.login("officer-banon")
    client.post("/language/en", data={"next": "/"})
    auth.logout()
    with client.session_transaction() as session:
        session.clear()
    auth.login("officer-banon")
    assert "Proposals" in client.get("/o/ban-on").get_data(as_text=True)
