"""The Report: the one value parser, checks, renderers and the database pass around."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from .fileio import json_text
from .formats import FORMATS, Format
from .values import MAX_INTEGER_DIGITS, is_bounded, shorten

Value = int | Decimal | None

SEVERITIES = ("error", "warning", "info")
SECTION_KEYS = ("s1", "s2", "s3", "s4", "s5", "s6")


# What a person reads for an issue's severity (exports, pages, the CLI).
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


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

    def to_json(self, indent: int | None = None) -> str:
        return json_text(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, d: dict) -> Report:
        if not isinstance(d, dict):
            raise ValueError("应为 JSON 对象（format、year、agency、cells……）")
        if d.get("format") not in FORMATS:
            raise ValueError(f"未知的报告格式：{d.get('format')!r}，应为 {'、'.join(FORMATS)} 之一")
        fmt = FORMATS[d["format"]]
        known = set(fmt.cell_ids(optional=True))
        cells: dict[str, Value] = {cid: None for cid in fmt.cell_ids()}
        if not isinstance(d.get("cells") or {}, dict):
            raise ValueError("cells 应为对象（单元格编号: 数值）")
        for k, v in (d.get("cells") or {}).items():
            if k not in known and not k.startswith("t2."):
                raise ValueError(f"格式 {fmt.id} 中没有单元格 {k}")
            cells[k] = _from_json_number(k, v)
        sections = d.get("sections") or {}
        if not isinstance(sections, dict) or not all(isinstance(v, str) for v in sections.values()):
            raise ValueError("sections 应为对象，各部分的内容应为文字")
        for key, v in sections.items():
            _text_or_none(f"sections.{key}", v)
        issues = d.get("issues") or []
        if not isinstance(issues, list) or not all(_is_issue(i) for i in issues):
            raise ValueError("issues 应为问题列表，每个问题的 code、severity、where、message 应为文字")
        return cls(
            format=fmt.id,
            year=_year(d.get("year")),
            agency=_text_or_none("agency", d.get("agency")),
            title=_text_or_none("title", d.get("title")),
            cells=cells,
            sections={k: "" for k in SECTION_KEYS} | dict(sections),
            preamble=_text_or_none("preamble", d.get("preamble")) or "",
            issues=[Issue.from_dict(i) for i in issues],
        )

    @classmethod
    def from_json(cls, text: str) -> Report:
        """A report from JSON text; NaN, Infinity and numbers no report holds are refused (ValueError)."""
        return cls.from_dict(json.loads(text, parse_float=Decimal, parse_int=_json_int, parse_constant=_no_constant))


def _json_number(v: Value):
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() and v.as_tuple().exponent >= 0 else float(v)
    return v


class _Oversized(str):
    """An integer in JSON text with more digits than any report holds, kept as its text."""


def _json_int(text: str) -> int | _Oversized:
    return _Oversized(text) if len(text.lstrip("-")) > MAX_INTEGER_DIGITS else int(text)


def _no_constant(name: str):
    raise ValueError(f"JSON 中有 {name}，不是有效的数")


def _year(v) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or not 0 < v < 10000:
        raise ValueError(f"年度 {shorten(str(v))} 应为四位数的年份")
    return v


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text_or_none(key: str, v) -> str | None:
    if v is not None and not isinstance(v, str):
        raise ValueError(f"{key} 应为文字")
    if v and _SURROGATE.search(v):  # "\ud800" is valid JSON, but no text: it cannot be written out
        raise ValueError(f"{key} 中有无效的 Unicode 字符（单独的代理码位 \\u{ord(_SURROGATE.search(v)[0]):04x}）")
    return v


def _is_issue(i) -> bool:
    return (
        isinstance(i, dict)
        and all(
            isinstance(i.get(k), str) and not _SURROGATE.search(i[k]) for k in ("code", "severity", "where", "message")
        )
        and isinstance(i.get("place", ""), str)
        and isinstance(i.get("cells", []), list)
        and all(isinstance(c, str) for c in i.get("cells", []))
    )


def _from_json_number(cell_id: str, v) -> Value:
    if v is None:
        return None
    if isinstance(v, _Oversized) or (isinstance(v, int | float | Decimal) and not isinstance(v, bool)):
        if not is_bounded(v if not isinstance(v, _Oversized) else None):
            raise ValueError(
                f"单元格 {cell_id} 的值 {shorten(str(v))} 超出范围："
                f"统计数字应为有限的数，整数部分至多 {MAX_INTEGER_DIGITS} 位、小数至多 20 位"
            )
    elif isinstance(v, str):
        raise ValueError(f"单元格 {cell_id} 的值“{shorten(v)}”不是数字")
    else:
        raise ValueError(f"单元格 {cell_id} 的值 {shorten(repr(v))} 不是数字")
    if isinstance(v, int):
        return v
    d = Decimal(str(v))
    return int(d) if d == d.to_integral_value() and "." not in str(v) else d
