"""Registries that refuse surprises, for the places apps plug into each other (the bot's LINE
handlers, the PDPA export sections and account-closure steps).

A key is registered once: a second registration of the same key is a mistake (two apps
answering the same LINE postback, a copy-pasted section name) and raises, unless it says
``override=True``, which takes the first one's place. Entries keep their registration order.
Tests register through ``temporarily()``, which undoes whatever was registered inside it, the
way Wagtail's ``hooks.register_temporarily`` does, instead of patching private dicts.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")


class AlreadyRegistered(Exception):
    pass


class Registry(Generic[T]):
    def __init__(self, what: str):
        self.what = what
        self._entries: dict[object, T] = {}

    def register(self, key, value: T, *, override: bool = False) -> T:
        if key in self._entries and not override:
            raise AlreadyRegistered(
                f"{self.what} {key!r} is already registered ({self._entries[key]!r}); "
                "pass override=True to replace it"
            )
        self._entries[key] = value
        return value

    def get(self, key, default: T | None = None) -> T | None:
        return self._entries.get(key, default)

    def __contains__(self, key) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def items(self) -> list[tuple[object, T]]:
        return list(self._entries.items())

    def values(self) -> list[T]:
        return list(self._entries.values())

    @contextmanager
    def temporarily(self) -> Iterator["Registry[T]"]:
        """Whatever is registered (or overridden) inside the block is undone after it."""
        saved = dict(self._entries)
        try:
            yield self
        finally:
            self._entries.clear()
            self._entries.update(saved)
