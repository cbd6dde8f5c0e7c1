"""The Report: the one value parser, checks, renderers and the database pass around."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from .formats import FORMATS, Format

Value = int | Decimal | None

SEVERITIES = ("error", "warning", "info")
SECTION_KEYS = ("s1", "s2", "s3", "s4", "s5", "s6")


@dataclass(frozen=True)
class Issue:
    code: str  # stable, lowercase, hyphenated
    severity: str  # error | warning | info
    where: str  # a cell id, a table (t3) or a section (s2)
    message: str  # Chinese, for the people who file reports
    cells: tuple[str, ...] = ()
    place: str = ""  # where in the source file: 第41行, 第3页

    def to_dict(self) -> dict:
        d = {"code": self.code, "severity": self.severity, "where": self.where, "message": self.message}
        if self.cells:
            d["cells"] = list(self.cells)
        if self.place:
            d["place"] = self.place
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Issue:
        return cls(d["code"], d["severity"], d["where"], d["message"], tuple(d.get("cells", ())), d.get("place", ""))


@dataclass
class Report:
    format: str
    year: int | None = None
    agency: str | None = None
    title: str | None = None
    cells: dict[str, Value] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    preamble: str = ""
    issues: list[Issue] = field(default_factory=list)

    @property
    def spec(self) -> Format:
        return FORMATS[self.format]

    @classmethod
    def empty(cls, fmt: str, **kw) -> Report:
        r = cls(format=fmt, **kw)
        r.cells = {cid: None for cid in FORMATS[fmt].cell_ids()}
        r.sections = {k: "" for k in SECTION_KEYS} | r.sections
        return r

    def get(self, cell_id: str) -> Value:
        return self.cells.get(cell_id)

    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    # ------------------------------------------------------------------ JSON

    def to_dict(self) -> dict:
        d = {
            "format": self.format,
            "year": self.year,
            "agency": self.agency,
            "title": self.title,
            "cells": {k: _json_number(v) for k, v in self.cells.items()},
            "sections": dict(self.sections),
            "issues": [i.to_dict() for i in self.issues],
        }
        if self.preamble:
            d["preamble"] = self.preamble
        return d

    def to_json(self, **kw) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)

    @classmethod
    def from_dict(cls, d: dict) -> Report:
        if d.get("format") not in FORMATS:
            raise ValueError(f"未知的报告格式：{d.get('format')!r}，应为 {'、'.join(FORMATS)} 之一")
        fmt = FORMATS[d["format"]]
        known = set(fmt.cell_ids(optional=True))
        cells: dict[str, Value] = {cid: None for cid in fmt.cell_ids()}
        for k, v in (d.get("cells") or {}).items():
            if k not in known and not k.startswith("t2."):
                raise ValueError(f"格式 {fmt.id} 中没有单元格 {k}")
            cells[k] = _from_json_number(k, v)
        return cls(
            format=fmt.id,
            year=d.get("year"),
            agency=d.get("agency"),
            title=d.get("title"),
            cells=cells,
            sections={k: "" for k in SECTION_KEYS} | dict(d.get("sections") or {}),
            preamble=d.get("preamble") or "",
            issues=[Issue.from_dict(i) for i in d.get("issues") or ()],
        )

    @classmethod
    def from_json(cls, text: str) -> Report:
        return cls.from_dict(json.loads(text, parse_float=Decimal))


def _json_number(v: Value):
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() and v.as_tuple().exponent >= 0 else float(v)
    return v


def _from_json_number(cell_id: str, v) -> Value:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float | Decimal):
        raise ValueError(f"单元格 {cell_id} 的值 {v!r} 不是数字")
    if isinstance(v, int):
        return v
    d = Decimal(str(v))
    return int(d) if d == d.to_integral_value() and "." not in str(v) else d
