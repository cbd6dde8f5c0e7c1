"""Layout-independent reading: the document as one stream of label fragments and numbers,
aligned against the format's template.

Whatever a carrier did to a table (one cell per line, labels broken over lines, rows split
into small tables, pipes on lines of their own), the official rows still come in their
official order, each followed by its values.  Row labels are anchors; the values between
one anchor and the next belong to the first.  A row is placed only when the number of
values found is exactly the row's width.  Values that follow a run of several anchors
(labels pushed out of the table) are placed by order only when the widths add up exactly
and the table's own identities hold for every cell so placed (``placed-by-order``).
Table 四 printed as one flat row of fifteen numbers is placed under its full column header
(however its words were broken), or, where the header is not all there, only when its
identities hold. A row found by a misspelt name is placed and said (``label-variant``).

The stream fills only what the grid mapping (``grid.py``) left blank, and never overrides it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..formats import Alt, Format, Table, normalise_label
from ..ingest.model import Document, Grid, Paragraph
from ..report import Issue
from ..values import Number, is_null, parse_number, to_wan
from .grid import Ctx, Target, label_index, label_variant

_LABEL, _VALUE, _BARRIER = "L", "V", "B"
_SPLIT = re.compile(r"[|｜\t]")
_SENTENCE = ("。", "；", "！", "？")
_FUZZY = 0.85  # how alike a misspelt row name must be to the official one
_SHORT = 3  # names this short (其他, 总计, 规章) match only a whole label, never inside a longer one
_WINDOW = 8  # how far ahead of the last anchor a label may jump (rows missing from the document)
_T4_HEADER = ("复议", "诉讼", "维持", "纠正", "审结", "总计")  # a full header: its columns are known
_T4_WORDS = ("行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "未经复议", "复议后起诉")


@dataclass(frozen=True)
class Tok:
    kind: str
    text: str
    number: Number | None = None
    where: str = ""
    uncertain: bool = False  # read by OCR with low confidence: never placed from the stream
    soft: bool = False  # a blank between pipes of a text copy: a cell, or a separator artefact


def tokens(doc: Document) -> list[Tok]:
    out: list[Tok] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            _paragraph_tokens(block, out)
        else:
            _grid_tokens(block, out)
    return out


def _value(text: str, where: str) -> Tok | None:
    n = parse_number(text)
    if n is not None:
        return Tok(_VALUE, text, n, where)
    if text.strip() and is_null(text):
        return Tok(_VALUE, text, None, where)
    return None


def _paragraph_tokens(p: Paragraph, out: list[Tok]) -> None:
    text = p.text.strip()
    if not text:
        return
    if any(s in text for s in _SENTENCE) or (len(text) > 80 and len(normalise_label(text)) > 60):
        out.append(Tok(_BARRIER, text[:20], where=p.where))
        return
    for part in _SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        v = _value(part, p.where)
        if v is not None:
            out.append(v)
            continue
        words = part.split()
        label: list[str] = []
        for w in words:
            v = _value(w, p.where) if len(words) > 1 else None
            if v is None:
                label.append(w)
                continue
            if label:
                out.append(Tok(_LABEL, "".join(label), where=p.where))
                label = []
            out.append(v)
        if label:
            out.append(Tok(_LABEL, "".join(label), where=p.where))


def _one_cell_per_line(g: Grid) -> bool:
    """A text table written one cell a line (`规章 |`, a lone `|` for an empty cell, `||` ending a row)."""
    return not g.exact and all(sum(1 for c in r if c.strip()) <= 1 for r in g.rows)


def _grid_tokens(g: Grid, out: list[Tok]) -> None:
    copies = g.copies
    if _one_cell_per_line(g):
        for i, row in enumerate(g.rows):
            text = next((c.strip() for c in row if c.strip()), "")
            if text:
                out.append(_value(text, g.place(i)) or Tok(_LABEL, text, where=g.place(i)))
            elif len(row) == 2:
                out.append(Tok(_VALUE, "|", None, g.place(i)))  # a lone separator: one empty cell
        return
    for i, row in enumerate(g.rows):
        where = g.place(i)
        cells = [(j, c.strip()) for j, c in enumerate(row) if (i, j) not in copies]
        last_label = max((k for k, (_, c) in enumerate(cells) if c and _value(c, where) is None), default=-1)
        filled = [k for k, (_, c) in enumerate(cells) if c and k > last_label]
        for k, (_j, c) in enumerate(cells):
            if not c:
                # a blank between two values is a cell (only maybe, in a text copy); blanks before
                # the first value may be the label's merged columns, so they are never taken
                if last_label >= 0 and filled and filled[0] < k < filled[-1]:
                    out.append(Tok(_VALUE, "", None, where, soft=not g.exact))
                elif g.exact and last_label >= 0 and filled and k > filled[-1]:
                    out.append(Tok(_VALUE, "", None, where))  # a trailing blank cell of a real table
                continue
            tok = _value(c, where) or Tok(_LABEL, c, where=where)
            if (i, _j) in g.uncertain:
                tok = Tok(tok.kind, tok.text, tok.number, where, uncertain=True)
            out.append(tok)
        if g.exact:
            while out and out[-1].kind == _VALUE and not out[-1].text and out[-1].where == where:
                out.pop()  # trailing blanks: the row is wider than its values (layout)


# ------------------------------------------------------------------ alignment


@dataclass
class _Run:
    start: int  # token index of the first label
    end: int  # token index after the last label
    text: str  # normalised joined label text
    words: frozenset[str]  # each label normalised alone: short names must match one whole
    last: str  # the last label normalised alone, for a misspelt row name


def _runs(toks: list[Tok]) -> list[_Run]:
    runs: list[_Run] = []
    i = 0
    while i < len(toks):
        if toks[i].kind != _LABEL:
            i += 1
            continue
        j = i
        while j < len(toks) and toks[j].kind == _LABEL:
            j += 1
        words = frozenset(normalise_label(t.text) for t in toks[i:j])
        last = normalise_label(toks[j - 1].text)
        runs.append(_Run(i, j, normalise_label("".join(t.text for t in toks[i:j])), words, last))
        i = j
    return runs


def _values_after(toks: list[Tok], i: int) -> list[Tok]:
    """The value tokens right after a label run, up to the next label or barrier."""
    vals = []
    while i < len(toks) and toks[i].kind == _VALUE:
        vals.append(toks[i])
        i += 1
    return vals


def _anchors(run: _Run, targets: list[Target], pos: int) -> tuple[list[Target], bool]:
    """Template rows named in a run, in template order from ``pos``, found left to right."""
    found: list[Target] = []
    offset = 0
    j = pos
    while j < min(len(targets), pos + _WINDOW + len(found)):
        t = targets[j]
        hit = min(
            (k for a in t.aliases if (len(a) > _SHORT or a in run.words) and (k := run.text.find(a, offset)) >= 0),
            default=-1,
        )
        if hit >= 0:
            found.append(t)
            offset = hit + 1
        j += 1
    return found, False


def _misspelt(run: _Run, targets: list[Target], pos: int) -> Target | None:
    """A misspelt row name (其他法律行政止公开): only the next rows, only when nearly the same."""
    if len(run.last) < 4:
        return None
    for t in targets[pos : pos + 2]:
        for a in t.aliases:
            m = difflib.SequenceMatcher(None, run.last, a)
            if m.real_quick_ratio() >= _FUZZY and m.quick_ratio() >= _FUZZY and m.ratio() >= _FUZZY:
                return t
    return None


def align(doc: Document, ctx: Ctx, tables: tuple[Table, ...]) -> None:
    """Fill the cells the grid mapping left blank from the aligned stream."""
    idx = label_index(tables)
    failed = {c for i in ctx.report.issues if i.code == "row-width" for c in i.cells}
    unread = {
        t.table.key for t in idx.targets if not t.row.optional and (t.key not in ctx.filled or failed & set(t.ids))
    }
    t4 = ctx.fmt.table("t4")
    cells = ctx.report.cells
    t4_open = t4 is not None and "t4" not in ctx.filled and all(cells.get(c) is None for c in _ids(t4))
    if not unread and not t4_open:
        return  # the grid mapping read every row: nothing for the stream to add
    toks = tokens(doc)
    runs = _runs(toks)
    placed: dict[str, Number | None] = {}
    by_order: set[str] = set()
    variants: list[tuple[Target, str, str]] = []  # rows found by a misspelt name
    for table in tables:
        if table.flat or table.key not in unread:
            continue
        targets = [t for t in idx.targets if t.table is table]
        pos = 0
        for run in runs:
            found, fuzzy = _anchors(run, targets, pos)
            vals = _values_after(toks, run.end)
            if not found and vals and (near := _misspelt(run, targets, pos)):
                found, fuzzy = [near], True
            if not found:
                continue
            if vals:  # a label with no values may be a heading elsewhere: the row can still come later
                pos = found[-1].order - targets[0].order + 1
            last = found[-1]
            if (row := _fit(vals, len(last.ids))) is not None:
                _stage(placed, last, row, ctx.rejected)
                if fuzzy:
                    variants.append((last, toks[run.end - 1].text, toks[run.end - 1].where))
            elif len(found) > 1:
                _stage_in_order(placed, by_order, found, vals, ctx.rejected)
    if t4_open:
        _flat_t4(toks, runs, t4, placed, by_order)
    _commit(ctx, placed, by_order)
    said = {i.where for i in ctx.report.issues if i.code == "label-variant"}
    for t, text, where in variants:
        if t.key not in said and all(ctx.report.cells.get(c) is not None for c in t.ids):
            ctx.report.issues.append(label_variant(t, text, where))


def _stage_in_order(placed: dict, by_order: set[str], found: list[Target], vals: list[Tok], rejected: set[str]) -> None:
    """Values following a run of several row labels: by the template's order, when the
    widths of those rows (printed optional rows such as a 其他处理 subtotal, or not) add up."""
    for rows in (found, [t for t in found if not t.row.optional]):
        row = _fit(vals, sum(len(t.ids) for t in rows))
        if row is None:
            continue
        k = 0
        for t in rows:
            _stage(placed, t, row[k : k + len(t.ids)], rejected)
            by_order.update(t.ids)
            k += len(t.ids)
        return


def _fit(vals: list[Tok], n: int) -> list[Tok] | None:
    """The values of a row of width ``n``: as found; without a lone pipe that only ended the
    row; or without the blanks of a text copy (separator artefacts)."""
    trimmed = vals
    while len(trimmed) > n and trimmed and trimmed[-1].text == "|":
        trimmed = trimmed[:-1]
    for cand in (vals, trimmed, [v for v in vals if not v.soft]):
        if len(cand) == n:
            return cand
    return None


def _stage(placed: dict[str, Number | None], target: Target, vals: list[Tok], rejected: set[str]) -> None:
    if any(t.uncertain for t in vals) or target.key in rejected:
        return
    for cid, tok in zip(target.ids, vals, strict=True):
        placed.setdefault(cid, tok.number)


def _ids(table: Table) -> list[str]:
    return [table.cell_id(r, c) for b in table.blocks for r in b.rows for c in b.row_cols(r)]


def _flat_t4(toks: list[Tok], runs: list[_Run], t4: Table, placed: dict, by_order: set[str]) -> None:
    """Table 四 as fifteen numbers under its header (however the header's words were broken)."""
    ids = _ids(t4)
    for n, run in enumerate(runs):
        if not any(w in run.text for w in _T4_WORDS):
            continue
        # the header may be split into several runs by stray tokens: take values up to the
        # next run that is not table 四's header
        vals: list[Tok] = []
        header = run.text
        i = run.end
        k = n + 1
        while i < len(toks):
            if toks[i].kind == _VALUE:
                vals.append(toks[i])
                i += 1
            elif toks[i].kind == _LABEL and k < len(runs) and runs[k].start == i and _t4_header(runs[k].text):
                header += runs[k].text
                i = runs[k].end
                k += 1
            else:
                break
        if len(vals) == len(ids) and not any(t.uncertain for t in vals):
            for cid, tok in zip(ids, vals, strict=True):
                placed.setdefault(cid, tok.number)
            if not all(w in header for w in _T4_HEADER):
                by_order.update(ids)  # the header is not all there: only the identities can confirm
            return


def _t4_header(text: str) -> bool:
    s = re.sub("[行政复议诉讼结果维持纠正其他尚未审结总计经直接起后小]", "", text)
    return len(s) <= 2


def _commit(ctx: Ctx, placed: dict[str, Number | None], by_order: set[str]) -> None:
    cells = ctx.report.cells
    fresh = {
        cid: n
        for cid, n in placed.items()
        if cells.get(cid) is None and (n is None or n.unit or n.value == 0 or cid not in ctx.fmt.unit_required)
    }
    if not fresh:
        return
    trial = dict(cells)
    for cid, n in fresh.items():
        trial[cid] = _final(ctx.fmt, cid, n)
    ordered = {c for c in fresh if c in by_order}
    if ordered and not _identities_hold(ctx.fmt, trial, ordered):
        fresh = {c: n for c, n in fresh.items() if c not in ordered}
        ordered = set()
    for cid in fresh:
        cells[cid] = trial[cid]
    filled = set(fresh)
    ctx.report.issues[:] = [
        i for i in ctx.report.issues if not (i.code == "row-width" and i.cells and set(i.cells) <= filled)
    ]
    if ordered:
        ctx.report.issues.append(
            Issue(
                "placed-by-order",
                "info",
                "tables",
                f"{len(ordered)} 个数没有行名称，按官方表格的行序放置；放置后表格的勾稽关系全部成立",
                tuple(sorted(ordered)),
            )
        )


def _final(fmt: Format, cid: str, n: Number | None):
    if n is None:
        return None
    if cid in fmt.money or cid.endswith("_wan"):
        return to_wan(n) if n.unit in ("元", "万元") else n.value
    return n.value


def _identities_hold(fmt: Format, cells: dict, cids: set[str]) -> bool:
    """Every rule touching one of ``cids`` can be evaluated and holds."""
    touched = False
    for rule in fmt.rules:
        terms = [*rule.left, *rule.right]
        flat = [p for t in terms for p in (t.parts if isinstance(t, Alt) else (t,))]
        if not cids & set(flat):
            continue
        left, right = _side(cells, rule.left), _side(cells, rule.right)
        if left == [] or right == []:
            continue  # a side the report does not print (the optional 其他处理 subtotal)
        if None in left or None in right or sum(left) != sum(right):
            return False
        touched = True
    return touched


def _side(cells: dict, terms) -> list:
    """The values of one side of a rule; [] when none of its cells is printed."""
    vals = []
    for t in terms:
        if isinstance(t, Alt):
            part = [cells.get(p) for p in t.parts]
            vals += part if any(v is not None for v in part) else [cells.get(t.fallback)]
        else:
            vals.append(cells.get(t))
    return [] if all(v is None for v in vals) else vals
