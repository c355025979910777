"""Finding a name as clerks type it in Chinese software: any part of it ("石坪" in "和湾镇/石坪村"), or the
initials of its pinyin ("sp", "hwzsp"). pypinyin is imported on the first search, not at start."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=20_000)
def initials(text: str) -> str:
    """The first letter of each character's pinyin, other characters dropped: 和湾镇/石坪村 -> hwzspc."""
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return "".join(ch for ch in "".join(letters).lower() if ch.isalnum())


def search_key(label: str) -> str:
    """What a search looks in: the name itself and its initials."""
    return f"{label.casefold()}\t{initials(label)}"


def matches(query: str, label: str) -> bool:
    query = query.strip().casefold()
    if not query:
        return True
    if query in label.casefold():
        return True
    return query.isascii() and query.isalnum() and query in initials(label)
