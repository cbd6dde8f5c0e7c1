"""Which official format a document's tables follow."""

from __future__ import annotations

from ..formats import GB2019, GB2021, LEGACY, Format, Table, for_year, normalise_label
from ..ingest.model import Document, Grid
from ..values import parse_number


def _headers_text(doc: Document) -> str:
    """The text of the tables' headers: grid cells that are not numbers, and short lines
    standing alone (a table copied one cell a line has no grid at all)."""
    parts: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Grid):
            parts.extend(c for row in b.rows for c in row if parse_number(c) is None)
        elif len(b.text) <= 20 and "。" not in b.text:
            parts.append(b.text)
    return normalise_label("".join(parts))


def _has(text: str, markers: tuple[str, ...]) -> bool:
    return any(normalise_label(m) in text for m in markers)


def detect_format(doc: Document, year: int | None) -> tuple[Format, Table | None]:
    """The report's format from its tables' headers; the year only when there are none.

    Returns the format and, when table 二 follows the other gb format, that table.
    """
    text = _headers_text(doc)
    legacy_hits = sum(1 for m in LEGACY.tables[0].markers if normalise_label(m) in text)
    if legacy_hits >= 2:
        return LEGACY, None
    t2_2021 = _has(text, GB2021.table("t2").markers)
    t2_2019 = _has(text, GB2019.table("t2").markers)
    t3_2021 = _has(text, GB2021.table("t3").markers)
    if t3_2021 or (t2_2021 and not t2_2019):
        fmt = GB2021
    elif t2_2019 or ("其他处理" in text and (year is None or year < 2021)):
        fmt = GB2019
    else:
        fmt = for_year(year)
    other_t2 = None
    if fmt is GB2021 and t2_2019 and not t2_2021:
        other_t2 = GB2019.table("t2")
    elif fmt is GB2019 and t2_2021 and not t2_2019:
        other_t2 = GB2021.table("t2")
    return fmt, other_t2
