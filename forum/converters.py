"""URL converters. ``int`` is bounded to what a database key column can hold: a path like
``/proposals/99999999999999999999`` is a 404, not an integer overflow deep in the driver."""

from werkzeug.routing import IntegerConverter

DATABASE_INT_MAX = 2**31 - 1  # PostgreSQL INTEGER; SQLite takes up to 2**63 - 1


class DatabaseIntConverter(IntegerConverter):
    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=DATABASE_INT_MAX if max is None else max, signed=signed)


def init_converters(app) -> None:
    app.url_map.converters["int"] = DatabaseIntConverter


def database_int(value: str) -> int:
    """``request.args.get(name, type=database_int)``: a whole number a database integer column
    can hold, else the argument counts as absent (werkzeug returns the default on ValueError).
    ``?page=99999999999999999999`` then means page 1, not an overflow in the driver."""
    text = value.strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(value)
    number = int(text)
    if abs(number) > DATABASE_INT_MAX:
        raise ValueError(value)
    return number
