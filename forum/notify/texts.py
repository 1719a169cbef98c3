"""Message texts that fit one SMS segment, link included.

A segment holds 70 characters when the text needs UCS-2 (any Thai) and 160 when it is plain
GSM 7-bit text. A longer text is cut at a word boundary (PyThaiNLP's tokenizer: Thai has no
spaces between words) and marked with an ellipsis; the link is always kept whole.
"""

from functools import lru_cache

THAI_SEGMENT = 70
GSM_SEGMENT = 160
ELLIPSIS = "…"
# Characters of the GSM 03.38 basic set that are ASCII (the rest of ASCII needs an escape or
# is missing: [ ] { } \ ~ ^ | `).
_GSM_ASCII = frozenset(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz\n\r"
)


def segment_limit(text: str) -> int:
    return GSM_SEGMENT if all(ch in _GSM_ASCII for ch in text) else THAI_SEGMENT


_GLUE = frozenset("./:-")


@lru_cache(maxsize=2048)
def _words(text: str) -> tuple[str, ...]:
    """Words, with abbreviations and numbers kept whole (พ.ย., 20/11, 2567-2570): the
    tokenizer splits at their dots and slashes, a cut there would leave a fragment."""
    from pythainlp.tokenize import word_tokenize

    words: list[str] = []
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        glued = words and not token.isspace() and not words[-1].isspace() and (
            token[0] in _GLUE or words[-1][-1] in _GLUE or "/" in token[:1] + words[-1][-1:]
        )
        if glued:
            words[-1] += token
        else:
            words.append(token)
    return tuple(words)


def fit(body: str, link: str, limit: int | None = None) -> str:
    """``body link`` within ``limit`` characters (one segment by default): the body is cut at
    the last word boundary that fits, with "…", and the link is never cut."""
    body = " ".join(body.split())
    full = f"{body} {link}" if body else link
    if limit is None:
        limit = segment_limit(full)
    if len(full) <= limit:
        return full
    room = limit - len(link) - len(ELLIPSIS) - 1
    if room <= 0:
        return link
    kept = ""
    for word in _words(body):
        if len(kept) + len(word) > room:
            break
        kept += word
    kept = kept.rstrip(" ,.;:-–—")
    if not kept:  # a first word longer than the room: cut inside it rather than lose it all
        kept = body[:room]
    return f"{kept}{ELLIPSIS} {link}"
