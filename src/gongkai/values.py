"""Numbers as reports print them: full-width digits, separators, units, blanks."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# What a report writes for "nothing here": blank, slash, dashes, 无.
_NULL = re.compile(r"^(?:|/|／|\\|-+|—+|–+|－+|─+|无|空|——|不适用|暂无|N/?A)$", re.I)
_NUMBER = re.compile(
    r"^(?P<sign>[-−－]?)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<unit>万元|元|件|条|个|项|次|人次|人|篇|万|家|起|份)?$"
)


@dataclass(frozen=True)
class Number:
    value: int | Decimal
    unit: str  # as printed after the number: 元, 万元, 件 … or ""


def clean(text: str | None) -> str:
    s = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"\s+", "", s)


@lru_cache(maxsize=65536)
def is_null(text: str | None) -> bool:
    return bool(_NULL.match(clean(text)))


@lru_cache(maxsize=65536)
def parse_number(text: str | None) -> Number | None:
    """The number a cell prints, or ``None`` when the cell is not a number."""
    s = clean(text)
    m = _NUMBER.match(s)
    if not m:
        return None
    raw = m["num"].replace(",", "")
    try:
        value: int | Decimal = int(raw) if "." not in raw else Decimal(raw)
    except (ValueError, InvalidOperation):  # pragma: no cover - the regex admits only digits
        return None
    if m["sign"]:
        value = -value
    unit = m["unit"] or ""
    if unit == "万":
        unit = "万元"
    return Number(value, unit)


def to_wan(n: Number) -> int | Decimal:
    """An amount in 万元, converting 元."""
    if n.unit == "元":
        v = Decimal(n.value) / Decimal(10000)
        return _tidy(v)
    return n.value


def _tidy(v: Decimal) -> int | Decimal:
    if v == v.to_integral_value():
        return int(v)
    return v.normalize()
