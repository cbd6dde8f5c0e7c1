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
    r"^(?P<sign>[-−－]{1,2}|\+?)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<unit>万元|元|件|条|个|项|次|人次|人|篇|万|家|起|份)?"
    r"(?:\((?:其中|含|包括)[^()]*\))?$"  # 15（其中修订3件）: the count, with a note on part of it
)


# A statistic has at most 15 integer digits (a trillion 万元 has 13) and 10 decimals; a cell
# printing more is damage or mischief, never a count: its Number is ``invalid`` (value None)
# and the report says so (``number-invalid``). Every value is finite and bounded.
MAX_INTEGER_DIGITS = 15
MAX_FRACTION_DIGITS = 10
MAX_ABS = 10**MAX_INTEGER_DIGITS  # every value, parsed or loaded, is below this in size


@dataclass(frozen=True)
class Number:
    value: int | Decimal | None  # None: printed as a number, but not a valid one (``invalid``)
    unit: str  # as printed after the number: 元, 万元, 件 … or ""

    @property
    def invalid(self) -> bool:
        return self.value is None


def clean(text: str | None) -> str:
    s = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"\s+", "", s)


_CACHED = 256  # longer texts are not kept in the caches: a batch of hostile files would fill them


def is_null(text: str | None) -> bool:
    return _is_null(text) if text is None or len(text) <= _CACHED else bool(_NULL.match(clean(text)))


@lru_cache(maxsize=65536)
def _is_null(text: str | None) -> bool:
    return bool(_NULL.match(clean(text)))


def parse_number(text: str | None) -> Number | None:
    """The number a cell prints, or ``None`` when the cell is not a number. A number printed
    with more digits than any statistic has is ``invalid`` (value None), never huge or infinite."""
    return _parse_number(text) if text is None or len(text) <= _CACHED else _parse_number.__wrapped__(text)


@lru_cache(maxsize=65536)
def _parse_number(text: str | None) -> Number | None:
    s = clean(text)
    m = _NUMBER.match(s)
    if not m:
        return None
    unit = m["unit"] or ""
    if unit == "万":
        unit = "万元"
    whole, _, fraction = m["num"].replace(",", "").partition(".")
    if len(whole) > MAX_INTEGER_DIGITS or len(fraction) > MAX_FRACTION_DIGITS:
        return Number(None, unit)  # checked before any conversion: a 5000-digit int is slow and refused
    raw = f"{whole}.{fraction}" if fraction else whole
    try:
        value: int | Decimal = int(raw) if not fraction else Decimal(raw)
    except (ValueError, InvalidOperation):  # pragma: no cover - the regex admits only digits
        return Number(None, unit)
    if m["sign"].startswith(("-", "−", "－")):
        value = -value
    return Number(value, unit)


def is_bounded(value: object) -> bool:
    """Whether ``value`` is a number a report may hold: an int or a finite Decimal/float below
    ``MAX_ABS`` in size, with at most 20 decimals (a float's shortest form, 0.30000000000000004,
    has 17); bool is no number."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -MAX_ABS < value < MAX_ABS
    if isinstance(value, float):
        value = Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
    if not isinstance(value, Decimal) or not value.is_finite():
        return False
    exponent = value.as_tuple().exponent
    return abs(value) < MAX_ABS and isinstance(exponent, int) and exponent >= -20


def shorten(text: str, limit: int = 24) -> str:
    """``text`` as printed, cut to ``limit`` characters with the length said: 1111…（共5000个字符）."""
    text = text.strip()
    return text if len(text) <= limit else f"{text[:limit]}…（共{len(text)}个字符）"


def to_wan(n: Number) -> int | Decimal | None:
    """An amount in 万元, converting 元 (None for an invalid number)."""
    if n.value is None:
        return None
    if n.unit == "元":
        v = Decimal(n.value) / Decimal(10000)
        return _tidy(v)
    return n.value


def _tidy(v: Decimal) -> int | Decimal:
    if v == v.to_integral_value():
        return int(v)
    return v.normalize()
