"""Numbers no statistic has (``number-invalid``): said once per cell, the cell itself left blank.

``values.parse_number`` gives such a cell an ``invalid`` Number (value None), so the mapping
keeps it as a value in its row (the row's other numbers stay in their columns) and records
the cell as blank. This pass names each such number, where it is printed and in which row.
"""

from __future__ import annotations

import re

from ..ingest.model import Document, Grid, Paragraph
from ..report import Issue
from ..values import MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS, is_null, parse_number, shorten

_SPLIT = re.compile(r"[|｜\t]")  # the cell separators of a text copy (as ``stream`` splits paragraphs)
# a pre-check over the whole text: a run this long of digits (and separators a number may hold)
_LONG = re.compile(rf"\d[\d,，\s]{{{MAX_INTEGER_DIGITS},}}|[.．]\d{{{MAX_FRACTION_DIGITS + 1}}}")
MAX_SAID = 20  # more than this many are summed up in one issue


def _invalid(text: str) -> bool:
    n = parse_number(text)
    return n is not None and n.invalid


def _label(texts: list[str]) -> str:
    words = [t.strip() for t in texts if t.strip() and parse_number(t) is None and not is_null(t)]
    return shorten("".join(dict.fromkeys(words)), 30)


def _found(doc: Document) -> list[tuple[str, str, str]]:
    """(the row's label, the number as printed, where) of every invalid number, in order."""
    out: list[tuple[str, str, str]] = []
    for block in doc.blocks:
        if isinstance(block, Grid):
            for i, row in enumerate(block.rows):
                bad = [c for c in dict.fromkeys(row) if _invalid(c)]  # a merged cell repeats its text
                out += [(_label(row), c, block.place(i)) for c in bad]
            continue
        words = []
        for part in _SPLIT.split(block.text):
            words += [part] if _invalid(part) else part.split()
        out += [(_label(words), w, block.where) for w in words if _invalid(w)]
    return out


def invalid_numbers(doc: Document) -> list[Issue]:
    """One warning per number printed with more digits than any statistic has."""
    if not any(
        _LONG.search(b.text if isinstance(b, Paragraph) else "|".join(map("|".join, b.rows))) for b in doc.blocks
    ):
        return []  # the common case, checked cheaply: no run of digits that long anywhere
    found = _found(doc)
    issues = []
    for label, text, where in found[:MAX_SAID]:
        row = f"“{label}”一行中的" if label else ""
        issues.append(
            Issue(
                "number-invalid",
                "warning",
                "tables",
                f"{row}数“{shorten(text)}”位数过多（统计数字整数至多 {MAX_INTEGER_DIGITS} 位、"
                f"小数至多 {MAX_FRACTION_DIGITS} 位），不是有效的数，该格按空白记录",
                (),
                where,
            )
        )
    if len(found) > MAX_SAID:
        issues.append(
            Issue(
                "number-invalid",
                "warning",
                "tables",
                f"另有 {len(found) - MAX_SAID} 个数位数过多，同样按空白记录",
                (),
                found[MAX_SAID][2],
            )
        )
    return issues
