"""Numbers that name rows, from addresses and query strings.

The largest id any of our columns holds is 2**63 - 1 (a 64-bit integer: BigAutoField,
PostgreSQL's bigint, SQLite's INTEGER). A bigger number reaching a query is a 500 on SQLite
(OverflowError) and in lookups Django does not range-check (through a relation); it can name
no row, so it is turned away before: no such page (404), or a filter that does not apply.
"""

from django.urls import register_converter

MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """The id written in ``value`` (ASCII digits only), or None when it names no row."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


class IdConverter:
    """``<id:pk>`` in a route: Django's ``<int:...>``, except that a number no row can have
    does not match, so the answer is 404 before any query. Registered when this module is
    first imported (CoreConfig.ready(), or earlier by a model with routes: news)."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError("not an id")  # the route does not match
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
