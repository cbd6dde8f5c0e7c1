#!/usr/bin/env python3
"""Damage real report texts the way real documents are damaged, carrying their gold along.

    python tests/corpus/mangle.py [--seed N] [--out DIR] [SOURCE ...]

A source is a real report's text with its gold (``parse --cells`` shape): the seeds
(tests/corpus/seeds/NAME.txt + tests/corpus/gold/NAME.gold.json), the two Hongze PDFs
(their pypdfium2 text, gold read by eye), and tests/corpus/real/NAME.<txt|md|html|pdf|docx> +
NAME.gold.json. Each variant is written as ``OUT/NAME.CATEGORY.VARIANT.txt`` (or ``.md``)
with ``OUT/NAME.CATEGORY.VARIANT.gold.json``: the source's gold, unchanged except where the
damage removes text (``excerpt``: the cells cut off are dropped), plus a ``mangle`` field
naming the category, variant and source. No gongkai parser is used: tables are found with
the anchors and separators below, and every variant is only made where they are found.

Categories: pdf-text, cell-per-line, t4-flat, t4-split, converted, traditional, numbers,
excerpt (see tests/corpus/mangled/README.md).
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import re
import sys
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "mangled"
GOLD_SUFFIX = ".gold.json"

VALUE = re.compile(r"[+\-−－]?\d[\d,，]*(?:\.\d+)?(?:万元|元|件|条|个|次|人|项)?")
BLANKS = {"/", "／", "—", "——", "-", "－", "无", "–"}
T4_COLS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
T4_GROUPS = ("行政复议", "未经复议直接起诉", "复议后起诉")
T3_CUT = "三类内部事务"  # excerpt mid-t3: the text stops before this row
T3_KEPT = ("new", "carried_in", "granted", "partial", "denied.state_secret", "denied.law_prohibited",
           "denied.three_security", "denied.third_party")  # fmt: skip
LEGACY_CUT = "依申请公开情况"
LEGACY_KEPT = ("legacy.active.", "legacy.channel.", "legacy.response.")
CHANGE_ROWS = {"licensing": "行政许可", "other_services": "其他对外管理服务事项", "penalty": "行政处罚",
               "coercion": "行政强制", "fees": "行政事业性收费"}  # fmt: skip
PAGE_NUMBER = re.compile(r"^\s*[-—–]\s*\d+\s*[-—–]\s*$")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def is_value(tok: str) -> bool:
    return tok in BLANKS or bool(VALUE.fullmatch(tok))


def number(tok: str) -> Decimal | None:
    m = re.match(r"[+\-−－]?\d[\d,，]*(?:\.\d+)?", tok)
    if not m:
        return None
    return Decimal(m.group().replace(",", "").replace("，", "").replace("−", "-").replace("－", "-"))


# ---------------------------------------------------------------- reading a source's tables


@dataclass
class Cell:
    line: int
    start: int
    end: int
    text: str

    @property
    def value(self) -> bool:
        return bool(self.text) and is_value(self.text)


@dataclass
class Table:
    name: str  # t2, t3, t4, legacy
    start: int  # first line
    end: int  # last line (inclusive)
    rows: list[list[Cell]] = field(default_factory=list)

    def values(self) -> list[Cell]:
        return [c for r in self.rows for c in r if c.value]


@dataclass
class Source:
    name: str
    path: str
    lines: list[str]
    gold: dict
    style: str = ""  # pipe, tab (separated cells), rows (label and numbers on a line), cells (one a line)
    flat: bool = False  # one cell a line, whatever the separators
    tables: dict[str, Table] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def split_cells(line: str, i: int, style: str) -> list[Cell]:
    if not line.strip():
        return []
    if style in ("pipe", "tab"):
        sep = "|" if style == "pipe" else "\t"
        if sep not in line:
            s = line.strip()
            a = line.index(s)
            return [Cell(i, a, a + len(s), s)]
        cells, pos = [], 0
        pieces = line.split(sep)
        if style == "pipe" and line.rstrip().endswith("|"):
            pieces = pieces[:-1]
        for piece in pieces:
            s = piece.strip()
            a = pos + (piece.index(s) if s else 0)
            cells.append(Cell(i, a, a + len(s), s))
            pos += len(piece) + 1
        return cells
    toks = list(re.finditer(r"\S+", line))
    k = len(toks)
    while k and is_value(toks[k - 1].group()):
        k -= 1
    cells = []
    if k:
        cells.append(Cell(i, toks[0].start(), toks[k - 1].end(), line[toks[0].start() : toks[k - 1].end()]))
    cells += [Cell(i, t.start(), t.end(), t.group()) for t in toks[k:]]
    return cells


@functools.cache
def anchor(pattern: str) -> str:
    """A pattern that also matches the traditional characters of its simplified ones."""
    out = []
    for ch in pattern:
        t = to_traditional(ch) if "\u4e00" <= ch <= "\u9fff" else ch
        out.append(f"[{ch}{t}]" if t != ch else ch)
    return "".join(out)


def _find(lines: list[str], pattern: str, start: int = 0, stop: int | None = None) -> int | None:
    rx = re.compile(anchor(pattern))
    for i in range(start, len(lines) if stop is None else stop):
        if rx.search(lines[i]):
            return i
    return None


def _heading(line: str) -> bool:
    s = line.strip().lstrip("#").strip()
    return bool(re.match(r"[一二三四五六七八九十]+、", s)) and re.search("情[况況]", s) and not re.search(r"\d", s)


def read_source(name: str, path: str, text: str, gold: dict) -> Source:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    src = Source(name, path, lines, gold)
    if sum("|" in ln for ln in lines) >= 5:
        src.style = "pipe"
    elif sum("\t" in ln for ln in lines) >= 5:
        src.style = "tab"
    else:
        multi = sum(len(split_cells(ln, 0, "rows")) >= 3 for ln in lines)
        src.style = "rows" if multi >= 3 else "cells"
    src.flat = sum(len([c for c in split_cells(ln, 0, src.style) if c.text]) >= 3 for ln in lines) < 3

    def cells(i: int) -> list[Cell]:
        if PAGE_NUMBER.match(lines[i]):
            return []
        return split_cells(lines[i], i, src.style)

    def has_value(i: int) -> bool:
        return any(c.value for c in cells(i))

    def only_values(i: int) -> bool:
        cs = cells(i)
        return bool(cs) and all(c.value for c in cs)

    def add(name: str, start: int, end: int) -> None:
        t = Table(name, start, end)
        t.rows = [cs for i in range(start, end + 1) if (cs := cells(i))]
        src.tables[name] = t

    if gold.get("format") == "legacy":
        a = _find(lines, r"统\s*计\s*指\s*标|主动公开政府信息数")
        b = _find(lines, r"接受培训人员数", a or 0)
        if a is not None and b is not None:
            while b + 1 < len(lines) and only_values(b + 1):
                b += 1
            add("legacy", a, b)
        return src
    t2 = _find(lines, r"第二十条|信息内容")
    t3 = _find(lines, r"勾稽关系|申请人情况", t2 or 0) or _find(lines, r"本年新收", t2 or 0)
    if t2 is not None:
        end = (t3 if t3 is not None else len(lines)) - 1
        while end > t2 and not has_value(end):
            end -= 1
        if (
            sum(has_value(i) for i in range(t2, end + 1)) >= 2
            and _find(lines, r"^\s*#*\s*[一二三四五六七八九十]+、", t2 + 1, end + 1) is None
        ):
            add("t2", t2, end)
    if t3 is None:
        return src
    end3 = _find(lines, r"结转下年度", t3)
    if end3 is None:
        return src
    while end3 + 1 < len(lines) and only_values(end3 + 1):
        end3 += 1
    add("t3", t3, end3)
    for t4 in range(end3 + 1, min(end3 + 15, len(lines))):
        review, suit = re.compile(r"^[\s|#]*" + anchor("行政复议")), re.compile(anchor("行政诉讼"))
        if review.match(lines[t4]) and suit.search(" ".join(lines[t4 : t4 + 3])):
            break
    else:
        return src
    n, end4 = 0, None
    for i in range(t4, min(t4 + 120, len(lines))):
        if i > t4 and _heading(lines[i]):
            break
        n += sum(c.value for c in cells(i))
        if n >= 15:
            end4 = i
            break
    if end4 is not None:
        while end4 + 1 < len(lines) and only_values(end4 + 1):
            end4 += 1
        add("t4", t4, end4)
    return src


# ---------------------------------------------------------------- writing tables back


def join_cells(cells: list[str], style: str) -> str:
    if style == "pipe":
        return " | ".join(cells) + " |"
    if style == "tab":
        return "\t".join(cells)
    return " ".join(c for c in cells if c)


def replace(src: Source, table: Table, new: list[str]) -> list[str]:
    """The source's lines with the table's lines replaced by ``new``."""
    return src.lines[: table.start] + new + src.lines[table.end + 1 :]


def replace_tables(src: Source, render) -> list[str] | None:
    """Every table rendered anew by ``render(table) -> lines or None``; bottom up, so indices hold."""
    lines, changed = list(src.lines), False
    for t in sorted(src.tables.values(), key=lambda t: -t.start):
        new = render(t)
        if new is not None:
            lines = lines[: t.start] + new + lines[t.end + 1 :]
            changed = True
    return lines if changed else None


def edit_cells(src: Source, edits: dict[tuple[int, int], str]) -> list[str]:
    """Replace cell texts in place, keyed by (line, start)."""
    lines = list(src.lines)
    cells = {(c.line, c.start): c for t in src.tables.values() for r in t.rows for c in r}
    for (i, start), text in sorted(edits.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        c = cells[(i, start)]
        lines[i] = lines[i][: c.start] + text + lines[i][c.end :]
    return lines


def wrap(text: str, rng: random.Random) -> list[str]:
    """A label broken over lines, as narrow table cells break it (``本年新`` / ``收``)."""
    if len(text) <= 3:
        return [text]
    width = rng.randint(2, 5) if len(text) <= 10 else rng.randint(6, 16)
    return [text[k : k + width] for k in range(0, len(text), width)]


# ---------------------------------------------------------------- the categories


def cell_per_line(src: Source, rng: random.Random) -> dict[str, list[str]]:
    if src.flat:
        return {}

    def render(variant: str):
        def go(t: Table) -> list[str]:
            out: list[str] = []
            for row in t.rows:
                for c in row:
                    if not c.text:
                        continue  # empty cells leave no line
                    if variant == "blank":
                        out += [c.text, ""]
                    elif variant == "pipe-eol":
                        out += [c.text + " |", ""]
                    elif variant == "pipe-line":
                        out += [c.text, "|"]
                    else:  # wrapped: labels and headers broken over lines
                        out += ([c.text] if c.value else wrap(c.text, rng)) + [""]
            return out

        return go

    out = {}
    for v in ("blank", "pipe-eol", "pipe-line", "wrapped"):
        lines = replace_tables(src, render(v))
        if lines:
            out[v] = lines
    return out


def t4_tokens(src: Source) -> list[str] | None:
    """The 15 cells of table 四 as printed, if they are 15 and agree with gold."""
    t = src.tables.get("t4")
    if not t:
        return None
    vals = [c.text for c in t.values()]
    if len(vals) != 15:
        return None
    ids = [f"t4.{g}.{c}" for g in ("review", "suit_direct", "suit_after_review")
           for c in ("upheld", "corrected", "other", "pending", "total")]  # fmt: skip
    cells = src.gold["cells"]
    for cid, tok in zip(ids, vals, strict=True):
        g, p = cells.get(cid), number(tok)
        if (g is None) != (p is None) or (g is not None and Decimal(str(g)) != p):
            return None
    return vals


def t4_flat(src: Source, rng: random.Random) -> dict[str, list[str]]:
    vals = t4_tokens(src)
    if not vals:
        return {}
    vertical = [*"行政复议", *"行政诉讼"]
    for group in T4_GROUPS:
        if group != "行政复议":
            vertical += list(group)
        for col in T4_COLS:
            vertical += ["总 计"] if col == "总计" else [col[:2], col[2:]]
    broken = ["行政复议 行政诉讼"]
    broken += [*T4_COLS[:4], "总 计", "未经复议直接起诉 复议后起诉"]
    broken += [*T4_COLS[:4], "总 计", *T4_COLS[:4], "总 计"]
    row = " ".join(vals) if src.style in ("rows", "cells") else join_cells(vals, src.style)
    t = src.tables["t4"]
    return {
        "vertical": replace(src, t, [*vertical, " ".join(vals)]),
        "broken": replace(src, t, [*broken, row]),
    }


def t4_split(src: Source, rng: random.Random) -> dict[str, list[str]]:
    vals = t4_tokens(src)
    if not vals:
        return {}
    style = src.style if src.style in ("pipe", "tab") else "rows"
    titles = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
    tables: list[str] = []
    for k, title in enumerate(titles):
        tables += [title, join_cells(list(T4_COLS), style), join_cells(vals[5 * k : 5 * k + 5], style), ""]
    rows = [join_cells(["", *T4_COLS], style)]
    for k, label in enumerate(("行政复议", "未经复议直接起诉", "复议后起诉")):
        rows.append(join_cells([label, *vals[5 * k : 5 * k + 5]], style))
    t = src.tables["t4"]
    return {"three-tables": replace(src, t, tables[:-1]), "three-rows": replace(src, t, rows)}


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def converted(src: Source, rng: random.Random) -> dict[str, list[str]]:
    """PDF-to-markdown / OCR look: small tables with invented headers, labels outside, debris.

    Not made from a source whose own rows are ambiguous (gold ``row-width``): re-laying such a
    row out as a table cell by cell would invent the column structure the source lost.
    """
    if src.flat or not src.tables or any(i.get("code") == "row-width" for i in src.gold.get("issues") or ()):
        return {}
    notes = _revised_note(src, rng)

    def render(t: Table) -> list[str]:
        rows = [[notes.get((c.line, c.start), c.text) for c in r] for r in t.rows]
        if t.name == "t2":  # table 二 as loose lines
            return [ln for r in rows for ln in (" ".join(c for c in r if c), "")]
        out: list[str] = []
        k = 0
        while k < len(rows):
            chunk = rows[k : k + rng.randint(3, 7)]
            k += len(chunk)
            outside = rng.random() < 0.35 and all(any(c and is_value(c) for c in r) for r in chunk)
            empty_col = rng.random() < 0.3
            at = max((sum(1 for c in r if c and not is_value(c)) for r in chunk if any(map(is_value, r))), default=0)
            table = []
            for r in chunk:
                labels = [c for c in r if c and not is_value(c)]
                values = [c for c in r if c and is_value(c)]
                if not values and len(labels) == 1 and len(r) > 2:  # a merged header cell, repeated
                    r = labels * len(r)
                elif outside and values:
                    out += [*labels, ""]
                    r = values
                elif rng.random() < 0.25 and labels and values:
                    r = [labels[0], *r]  # a merged label cell repeated
                if empty_col and values:
                    r = [*r[:at], "", *r[at:]]  # an empty column at one place in every row, as converters leave it
                table.append(r)
            width = max(len(r) for r in table)
            out += [_md_row([f"数据{j + 1}" for j in range(width)]), _md_row(["---"] * width)]
            out += [_md_row(r) for r in table]  # ragged, as converters leave them: no padding that reads as blanks
            out.append("")
        return out

    lines = replace_tables(src, render)
    return {"pdf2md": lines} if lines else {}


def _revised_note(src: Source, rng: random.Random) -> dict[tuple[int, int], str]:
    """``15（其中修订3件）`` on the first non-zero count of rules or normative documents made."""
    t = src.tables.get("t2")
    if not t:
        return {}
    for row in t.rows:
        label = next((c.text for c in row if c.text and not c.value), "")
        vals = [c for c in row if c.value]
        if vals and re.match(r"(行政)?规范性文件|规章", label):
            n = number(vals[0].text)
            if n and n > 0 and n == int(n):
                return {(vals[0].line, vals[0].start): f"{vals[0].text}（其中修订{rng.randint(0, int(n))}件）"}
    return {}


_OPENCC = None


def to_traditional(text: str) -> str:
    global _OPENCC
    if _OPENCC is None:
        import opencc

        try:
            _OPENCC = opencc.OpenCC("s2t")
        except Exception:  # older releases want the file name
            _OPENCC = opencc.OpenCC("s2t.json")
    return _OPENCC.convert(text)


def traditional(src: Source, rng: random.Random) -> dict[str, list[str]]:
    text = to_traditional(src.text)
    return {"s2t": text.rstrip("\n").split("\n")} if text != src.text else {}


def numbers(src: Source, rng: random.Random) -> dict[str, list[str]]:
    values = [c for t in src.tables.values() for c in t.values()]
    if not values:
        return {}
    out = {}
    full = {(c.line, c.start): c.text.translate(FULLWIDTH) for c in values if re.search(r"\d", c.text)}
    if full:
        out["fullwidth"] = edit_cells(src, full)
    edits: dict[tuple[int, int], str] = {}
    t2 = src.tables.get("t2")
    for key, label in CHANGE_ROWS.items():  # +22 for a positive 本年增/减
        change = src.gold["cells"].get(f"t2.{key}.change")
        if not t2 or change is None or Decimal(str(change)) <= 0:
            continue
        row = _row_of(src, t2, label)
        if row and len(row) >= 2 and number(row[1].text) == Decimal(str(change)) and row[1].text[0].isdigit():
            edits[(row[1].line, row[1].start)] = "+" + row[1].text
    delimited = src.style in ("pipe", "tab") and not src.flat  # 12 345 only where cells are delimited
    turn = 0
    for c in values:  # 12 345 and 1,234, in turn
        m = re.fullmatch(r"(\d{4,})(\.\d+)?(.*)", c.text)
        if m and (c.line, c.start) not in edits:
            sep = " " if delimited and turn % 2 == 0 else ","
            turn += 1
            edits[(c.line, c.start)] = f"{int(m.group(1)):,}".replace(",", sep) + (m.group(2) or "") + m.group(3)
    if edits:
        out["format"] = edit_cells(src, edits)
    return out


def _row_of(src: Source, table: Table, label: str) -> list[Cell] | None:
    """The value cells that follow a row label (on its line, or on the lines after it)."""
    cells = [c for r in table.rows for c in r]
    for k, c in enumerate(cells):
        if c.text.startswith(label):
            vals = []
            for d in cells[k + 1 :]:
                if not d.text:
                    continue
                if not d.value:
                    break
                vals.append(d)
            return vals
    return None


def excerpt(src: Source, rng: random.Random) -> dict[str, list[str]]:
    out = {}
    if "t2" in src.tables and "t3" in src.tables:
        t2 = src.tables["t2"]
        cut = _find(src.lines, r"^\s*#*\s*[一二三四五六七八九十]+、.*申请", t2.end + 1, src.tables["t3"].start + 1)
        out["after-t2"] = src.lines[: cut if cut is not None else t2.end + 1]
    if "t3" in src.tables:
        t3 = src.tables["t3"]
        cut = _find(src.lines, T3_CUT, t3.start, t3.end + 1)
        if cut is not None:
            out["mid-t3"] = src.lines[:cut]
    if "legacy" in src.tables:
        t = src.tables["legacy"]
        cut = _find(src.lines, LEGACY_CUT, t.start, t.end + 1)
        if cut is not None:
            out["mid-table"] = src.lines[:cut]
    return out


def excerpt_gold(gold: dict, variant: str) -> dict:
    def kept(cid: str) -> bool:
        if variant == "after-t2":
            return not cid.startswith(("t3.", "t4."))
        if variant == "mid-t3":
            if cid.startswith("t4."):
                return False
            return not cid.startswith("t3.") or cid.rsplit(".", 1)[0][3:] in T3_KEPT
        return cid.startswith(LEGACY_KEPT)

    g = dict(gold)
    g["cells"] = {k: v for k, v in gold["cells"].items() if kept(k)}
    g["issues"] = [i for i in gold.get("issues") or () if any(k.startswith(i["where"]) for k in g["cells"])]
    return g


CATEGORIES = {
    "cell-per-line": cell_per_line,
    "t4-flat": t4_flat,
    "t4-split": t4_split,
    "converted": converted,
    "traditional": traditional,
    "numbers": numbers,
    "excerpt": excerpt,
}


# ---------------------------------------------------------------- sources


def _t3(first: dict[str, int]) -> dict[str, int | None]:
    """Table 三 of the Hongze reports: every applicant a 自然人, a single （六）其他处理 row."""
    rows = ("new", "carried_in", "granted", "partial", "denied.state_secret", "denied.law_prohibited",
            "denied.three_security", "denied.third_party", "denied.internal_affairs", "denied.process_info",
            "denied.enforcement_file", "denied.inquiry", "unable.not_held", "unable.needs_creation",
            "unable.still_unclear", "refused.petition", "refused.duplicate", "refused.publication",
            "refused.excessive", "refused.confirmation", "other", "other.no_correction", "other.unpaid_fee",
            "other.other", "total", "carried_out")  # fmt: skip
    cols = ("natural", "business", "research", "nonprofit", "legal_service", "org_other", "total")
    return {
        f"t3.{r}.{c}": None if r.startswith("other.") else (first.get(r, 0) if c in ("natural", "total") else 0)
        for r in rows
        for c in cols
    }


def _t4(vals: list[int]) -> dict[str, int]:
    ids = [f"t4.{g}.{c}" for g in ("review", "suit_direct", "suit_after_review")
           for c in ("upheld", "corrected", "other", "pending", "total")]  # fmt: skip
    return dict(zip(ids, vals, strict=True))


# Read off the pages by eye (see tests/test_ingest_pdf.py and tests/corpus/scan/hongze-2023.expected.json).
HONGZE = {
    "hongze-2023": {
        "format": "gb2021", "year": 2023, "agency": "洪泽区人民政府",
        "cells": {
            "t2.rules.made": 0, "t2.rules.repealed": 0, "t2.rules.in_force": 0,
            "t2.normative.made": 0, "t2.normative.repealed": 5, "t2.normative.in_force": 5,
            "t2.licensing.decisions": 550, "t2.penalty.decisions": 4119, "t2.coercion.decisions": 195,
            "t2.fees.amount_wan": Decimal("7730.28"),
            **_t3({"new": 21, "partial": 4, "denied.state_secret": 1, "denied.process_info": 1,
                   "denied.enforcement_file": 1, "unable.not_held": 10, "unable.needs_creation": 3,
                   "refused.petition": 1, "total": 21}),
            **_t4([10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]),
        },
    },
    "hongze-2024": {
        "format": "gb2021", "year": 2024, "agency": "淮安市洪泽区人民政府",
        "cells": {
            "t2.rules.made": 0, "t2.rules.repealed": 0, "t2.rules.in_force": 0,
            "t2.normative.made": 3, "t2.normative.repealed": 0, "t2.normative.in_force": 8,
            "t2.licensing.decisions": 9487, "t2.penalty.decisions": 2776, "t2.coercion.decisions": 84,
            "t2.fees.amount_wan": 7545,
            **_t3({"new": 95, "granted": 50, "partial": 9, "denied.three_security": 1, "denied.process_info": 1,
                   "denied.enforcement_file": 1, "unable.not_held": 31, "unable.needs_creation": 1,
                   "refused.petition": 1, "total": 95}),
            **_t4([1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3]),
        },
    },
}  # fmt: skip


def pdf_text(path: Path) -> str:
    """The text a reader copies out of the PDF (pypdfium2), page by page."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def html_text(path: Path) -> str:
    """An HTML page as copied text: table rows with tab-separated cells, other blocks one a line."""
    from lxml import html as lhtml

    raw = path.read_bytes()
    root = lhtml.fromstring(raw)
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for tr in root.xpath("//tr"):
        cells = ["".join(td.itertext()).strip().replace("\n", "") for td in tr.xpath("./td|./th")]
        for child in list(tr):
            tr.remove(child)
        tr.text = "\n" + "\t".join(cells) + "\n"
    for el in root.xpath("//p|//div|//br|//h1|//h2|//h3|//h4|//li|//table"):
        el.tail = "\n" + (el.tail or "")
    return re.sub(r"\n\s*\n+", "\n", "".join(root.itertext()))


def docx_text(path: Path) -> str:
    """A DOCX as copied text: table rows with tab-separated cells, paragraphs one a line."""
    import docx

    out = []
    for block in docx.Document(str(path)).iter_inner_content():
        if isinstance(block, docx.table.Table):
            out += ["\t".join(c.text.replace("\n", "") for c in row.cells) for row in block.rows]
        else:
            out.append(block.text)
    return "\n".join(out)


def sources(only: list[str] | None = None) -> list[tuple[str, str, str, dict, str]]:
    """(name, path, text, gold, source kind) for every source found."""
    root = HERE.parent.parent
    out = []
    for txt in sorted((HERE / "seeds").glob("*.txt")):
        gold = HERE / "gold" / (txt.stem + GOLD_SUFFIX)
        if gold.exists():
            out.append((txt.stem, _rel(txt, root), txt.read_text("utf-8"), _load(gold), "seed"))
    for name, gold in HONGZE.items():
        pdf = HERE / "pdf" / f"{name}.pdf"
        if pdf.exists():
            out.append((name, _rel(pdf, root), pdf_text(pdf), gold, "pdf-text"))
    real = HERE / "real"
    for gold in sorted(real.glob(f"*{GOLD_SUFFIX}")) if real.is_dir() else ():
        base = gold.name[: -len(GOLD_SUFFIX)]
        for ext, read in (
            (".txt", None),
            (".md", None),
            (".html", html_text),
            (".htm", html_text),
            (".pdf", pdf_text),
            (".docx", docx_text),
        ):
            f = real / (base + ext)
            if f.exists():
                try:
                    text = read(f) if read else f.read_text("utf-8")
                    out.append((base, _rel(f, root), text, _load(gold), "real"))
                except Exception as e:  # a source that cannot be read is left out, and said so
                    print(f"跳过 {f.name}：{type(e).__name__}: {e}", file=sys.stderr)
                break
    return [s for s in out if not only or s[0] in only]


def _rel(p: Path, root: Path) -> str:
    try:
        return str(p.relative_to(root))
    except ValueError:
        return str(p)


def _load(p: Path) -> dict:
    return json.loads(p.read_text("utf-8"), parse_float=Decimal)


def _dump(gold: dict) -> str:
    def default(o):
        if isinstance(o, Decimal):
            return int(o) if o == o.to_integral_value() else float(o)
        raise TypeError(type(o))

    return json.dumps(gold, ensure_ascii=False, indent=1, default=default) + "\n"


def mangle(name: str, path: str, text: str, gold: dict, kind: str, seed: int = 0):
    """Yield (file stem, suffix, text, gold) for every variant this source allows."""
    src = read_source(name, path, text, gold)

    def meta(category: str, variant: str) -> dict:
        return {"category": category, "variant": variant, "source": path, "style": src.style,
                "tables": sorted(src.tables)}  # fmt: skip

    if kind == "pdf-text":
        yield f"{name}.pdf-text.pdfium", ".txt", src.text, gold | {"mangle": meta("pdf-text", "pdfium")}
    for category, fn in CATEGORIES.items():
        rng = random.Random(zlib.crc32(f"{seed}:{name}:{category}".encode()))
        for variant, lines in fn(src, rng).items():
            g = excerpt_gold(gold, variant) if category == "excerpt" else dict(gold)
            g["mangle"] = meta(category, variant)
            suffix = ".md" if category == "converted" else ".txt"
            yield f"{name}.{category}.{variant}", suffix, "\n".join(lines) + "\n", g


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="把真实报告的文本按真实文档常见的损坏方式变形，并带上标准答案")
    ap.add_argument("names", nargs="*", help="只处理这些来源（默认全部）")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.names:  # a full run replaces the previous one
        for old in args.out.iterdir():
            if old.name != "README.md" and old.suffix in (".txt", ".md", ".json"):
                old.unlink()
    counts: dict[str, int] = {}
    for name, path, text, gold, kind in sources(args.names or None):
        made = 0
        for stem, suffix, body, g in mangle(name, path, text, gold, kind, args.seed):
            (args.out / (stem + suffix)).write_text(body, "utf-8")
            (args.out / (stem + GOLD_SUFFIX)).write_text(_dump(g), "utf-8")
            counts[g["mangle"]["category"]] = counts.get(g["mangle"]["category"], 0) + 1
            made += 1
        print(f"{name}: {made} 个变形（{path}）")
    for category, n in sorted(counts.items()):
        print(f"  {category}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
