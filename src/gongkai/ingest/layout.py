"""Page layout of laid-out pages, whatever carried them: positioned text grouped into lines,
lines into paragraphs, page numbers and running headers/footers dropped, tables without
ruling lines found from aligned words, and a table's parts on consecutive pages joined into
one grid (a repeated header dropped, a row broken by the page joined).

Nothing here knows the carrier. The PDF reader hands over glyphs (characters with their size)
and the tables it found from rulings, page by page; the OCR reader (``scan``) shares the page
numbers and the rules for tables across pages (``header_repeats``, ``row_tail``, ``join_rows``).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from gongkai.ingest.model import Block, Grid, Paragraph
from gongkai.ingest.textkit import join_wrapped, tidy

SNAP = 2.0  # points: positions this close are one
MARGIN_ZONE = 0.12  # share of the page height at the top and bottom where headers/footers live
SENTENCE_END = ("。", "；", "：", "！", "？", ";", ":", "!", "?")
PAGE_NUMBER = re.compile(
    r"^[-—–－\s]*(?:\d{1,4}|[ivxlcdm]{1,6})[-—–－\s]*$"
    r"|^第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$",
    re.I,
)
NUMBER = re.compile(r"^[-−－]?\d[\d,，.]*(?:万元|元|件|条|个|项|次|人次|人|篇)?$")
NULL = re.compile(r"^(?:/|／|\\|-+|—+|–+|－+|─+|无|空|不适用|暂无)$")
ORDINAL = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十]+[)）、.．]|\d+\s*[.．、]|[（(]\d+[)）]|其中)")
WORD_GAP = 0.25  # of the size: a wider gap between glyphs is a space
LINE_MID = 0.45  # of the size: glyphs whose middles are this close are on one line


# --- pieces of a page -------------------------------------------------------------------------


@dataclass(slots=True)
class Glyph:
    """A positioned piece of text: a character of a PDF, a word box of OCR."""

    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    text: str


@dataclass(slots=True)
class Word:
    x0: float
    x1: float
    text: str


@dataclass
class Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str
    words: list[Word] = field(default_factory=list, repr=False)


@dataclass
class Cell:
    x0: float
    top: float
    x1: float
    bottom: float
    page: int
    chars: list = field(default_factory=list)
    text: str = ""


@dataclass
class Part:
    """One table on one page; ``exact``: from ruling lines, not from aligned words."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    cells: list[Cell]
    xs: list[float]  # column boundaries
    exact: bool = True


@dataclass
class Inset:
    """Blocks read elsewhere (OCR of a picture) that take their place among a page's lines."""

    page: int
    top: float
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Page:
    number: int
    height: float
    items: list[Line | Part | Inset]  # top to bottom
    good: int = 0
    bad: int = 0
    scanned: bool = False  # no usable text: read whole by OCR


def cluster(values: list[float], tol: float = SNAP) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def nearest(bounds: list[float], v: float) -> int:
    i = bisect_right(bounds, v)
    if i > 0 and (i == len(bounds) or v - bounds[i - 1] <= bounds[i] - v):
        return i - 1
    return i


def group_lines(glyphs: list[Glyph], words: bool = True) -> list[tuple[str, list[Glyph], list[Word]]]:
    """Glyphs grouped into lines, top to bottom, each as (text, its glyphs, its words): a
    glyph joins the line above when their middles are close; a wide gap is a space."""
    lines: list[list[Glyph]] = []
    last = 0.0
    for g in sorted(glyphs, key=lambda g: g.top + g.bottom):
        mid = (g.top + g.bottom) / 2
        if lines and mid - last <= LINE_MID * g.size:
            lines[-1].append(g)
        else:
            lines.append([g])
            last = mid
    out = []
    for line in lines:
        line.sort(key=lambda g: g.x0)
        parts: list[str] = []
        found: list[Word] = []
        word: Word | None = None
        prev = None
        for g in line:
            t = g.text
            space = t.isspace()
            gap = prev is not None and g.x0 - prev.x1 > WORD_GAP * g.size
            if gap and not space:
                parts.append(" ")
            parts.append(t)
            prev = g
            if not words:
                continue
            if space:
                word = None
            elif word is None or gap:
                word = Word(g.x0, g.x1, t)
                found.append(word)
            else:
                word.x1, word.text = max(word.x1, g.x1), word.text + t
        out.append((tidy("".join(parts)), line, found))
    return out


def make_lines(glyphs: list[Glyph], page: int) -> list[Line]:
    """The page's text outside tables as lines, with the size most of their text is set in."""
    out = []
    for text, line, words in group_lines(glyphs):
        if text:
            size = Counter(round(g.size, 1) for g in line).most_common(1)[0][0]
            x0, x1 = min(g.x0 for g in line), max(g.x1 for g in line)
            top, bottom = min(g.top for g in line), max(g.bottom for g in line)
            out.append(Line(page, x0, x1, top, bottom, size, text, words))
    return out


def fill_cells(part: Part) -> None:
    """A cell's text from the glyphs inside it: its lines joined."""
    for cell in part.cells:
        if cell.chars:
            cell.text = join_wrapped([t for t, _, _ in group_lines(cell.chars, words=False)])
            cell.chars = []


# --- the document -----------------------------------------------------------------------------


def running_lines(pages: list[Page]) -> set[int]:
    """ids of Lines that are page numbers or headers/footers repeated on most pages."""
    zone: list[tuple[Line, str]] = []
    for p in pages:
        for it in p.items:
            if isinstance(it, Line) and (it.bottom < MARGIN_ZONE * p.height or it.top > (1 - MARGIN_ZONE) * p.height):
                zone.append((it, re.sub(r"\d+", "#", it.text.replace(" ", ""))))
    seen = Counter(key for _, key in {(it.page, key) for it, key in zone})
    text_pages = sum(1 for p in pages if not p.scanned)
    repeated = {key for key, n in seen.items() if n >= 2 and n >= text_pages / 2}
    return {id(it) for it, key in zone if PAGE_NUMBER.match(it.text) or key in repeated}


def assemble(pages: list[Page]) -> list[Block]:
    """The pages' items as blocks: furniture dropped, wrapped lines joined into paragraphs,
    a table's parts on consecutive pages joined into one grid."""
    drop = running_lines(pages)
    lines = [it for p in pages for it in p.items if isinstance(it, Line) and id(it) not in drop]
    sizes: Counter[float] = Counter()
    for ln in lines:
        sizes[ln.size] += len(ln.text)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    plain = [ln for ln in lines if abs(ln.size - body) < 1] or lines
    left = Counter(round(ln.x0) for ln in plain).most_common(1)[0][0] if plain else 0
    ends = sorted(ln.x1 for ln in plain)
    right = ends[int(0.9 * (len(ends) - 1))] if ends else 0

    blocks: list[Block] = []
    runs: list[list[Part]] = []
    slots: list[int] = []  # where the grids of runs go
    prev: Line | Part | Inset | None = None
    for p in pages:
        first = True
        for it in p.items:
            if id(it) in drop:
                continue
            if isinstance(it, Inset):
                blocks += it.blocks
            elif isinstance(it, Part):
                if first and isinstance(prev, Part) and prev.page == it.page - 1 and same_columns(prev, it):
                    runs[-1].append(it)
                else:
                    runs.append([it])
                    slots.append(len(blocks))
                    blocks.append(Grid(rows=[]))  # filled below
            else:
                heading = it.size > body + 1.5
                last = blocks[-1] if blocks else None
                if isinstance(last, Paragraph) and isinstance(prev, Line) and joins(prev, it, heading, left, right):
                    last.text = join_wrapped([last.text, it.text])
                else:
                    blocks.append(Paragraph(it.text, heading=heading, where=f"第{it.page}页"))
            prev, first = it, False
    for n, (i, run) in enumerate(zip(slots, runs, strict=True), start=1):
        blocks[i] = grid_of(run, n)
    return [b for b in blocks if not isinstance(b, Grid) or b.rows]


def joins(prev: Line, line: Line, heading: bool, left: float, right: float) -> bool:
    """Whether a line continues the paragraph of the line before it."""
    if prev.text.endswith(SENTENCE_END) or abs(prev.size - line.size) >= 1:
        return False
    if heading:  # a title set on two lines
        return prev.page == line.page and line.top - prev.bottom < line.size
    return prev.x1 >= right - 1.2 * prev.size and line.x0 <= left + 0.5 * line.size


def same_columns(a: Part, b: Part) -> bool:
    """Whether a table at the top of a page continues the one at the bottom of the page before."""
    if a.exact != b.exact:
        return False
    if not a.exact:  # columns from words: as many, each boundary about where it was
        widths = [y - x for x, y in zip(a.xs, a.xs[1:], strict=False)]
        return len(a.xs) == len(b.xs) and all(abs(x - y) <= 0.3 * min(widths) for x, y in zip(a.xs, b.xs, strict=True))
    if abs(a.x0 - b.x0) > 3 * SNAP or abs(a.x1 - b.x1) > 3 * SNAP:
        return False
    fewer, more = sorted((a.xs, b.xs), key=len)
    matched = sum(1 for x in fewer if abs(more[nearest(more, x)] - x) <= SNAP)
    return matched >= 0.8 * len(fewer) and len(more) - matched <= max(2, len(fewer) // 3)


# --- grids ------------------------------------------------------------------------------------


def grid_of(run: list[Part], n: int) -> Grid:
    """One grid from the parts of a table on consecutive pages, merged cells expanded."""
    xs = cluster([x for part in run for x in part.xs]) if run[0].exact else run[0].xs
    rows: list[list[str]] = []
    owners: list[list[int | None]] = []
    row_part: list[int] = []
    cells: list[Cell] = []
    for p, part in enumerate(run):
        ys = cluster([v for c in part.cells for v in (c.top, c.bottom)])
        base = len(cells)
        cells.extend(part.cells)
        grid: list[list[int | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
        col = {v: nearest(xs, v) for v in {v for c in part.cells for v in (c.x0, c.x1)}}
        row = {v: nearest(ys, v) for v in {v for c in part.cells for v in (c.top, c.bottom)}}
        for k, c in enumerate(part.cells, start=base):
            for r in range(row[c.top], row[c.bottom]):
                for j in range(col[c.x0], col[c.x1]):
                    grid[r][j] = k
        for owner in grid:
            if any(k is not None for k in owner):
                owners.append(owner)
                rows.append([cells[k].text if k is not None else "" for k in owner])
                row_part.append(p)

    def set_cell(k: int, text: str) -> None:
        for r, owner in enumerate(owners):
            for c, o in enumerate(owner):
                if o == k:
                    rows[r][c] = text

    keep = [True] * len(rows)
    header = [rows[r] for r in range(len(rows)) if row_part[r] == 0]
    for p in range(1, len(run)):
        mine = [r for r in range(len(rows)) if row_part[r] == p]
        k = header_repeats(header, [rows[r] for r in mine])  # a header repeated at the top of the page
        for r in mine[:k]:
            keep[r] = False
        if k == len(mine):
            continue
        top = mine[k]
        above = max((r for r in range(top) if keep[r]), default=None)
        if above is None or row_part[above] != p - 1:
            continue
        for c, text in enumerate(rows[top]):  # a merged label running on from the page before
            if text or owners[top][c] is None:
                break
            set_cell(owners[top][c], rows[above][c])
        if row_tail(rows[above], rows[top]):  # a row split by the page break
            rows[above] = join_rows(rows[above], rows[top])
            keep[top] = False

    out = Grid(rows=[], exact=all(part.exact for part in run))
    for r, row in enumerate(rows):
        if not keep[r] or not any(row):
            continue
        i = len(out.rows)
        out.rows.append(row)
        owner = owners[r]
        out.copies.update((i, c) for c in range(1, len(owner)) if owner[c] is not None and owner[c] == owner[c - 1])
        page = cells[next(k for k in owner if k is not None)].page
        out.where.append(f"第{page}页，第{n}个表格第{i + 1}行")
    return out


def norm(row: list[str]) -> str:
    return re.sub(r"\W", "", unicodedata.normalize("NFKC", "".join(row)))


def header_repeats(header: list[list[str]], rows: list[list[str]]) -> int:
    """How many rows at the top of a table's part on a new page repeat the table's first
    rows (its header): the same text, spacing aside, as wide, and no number."""
    k = 0
    while (
        k < min(len(rows), len(header))
        and len(rows[k]) == len(header[k])
        and not any(NUMBER.match(t) for t in rows[k])
        and norm(rows[k]) == norm(header[k])
    ):
        k += 1
    return k


def row_tail(last: list[str], first: list[str]) -> bool:
    """Whether the first row of a table's part on a new page is the rest of the last row on
    the page before: text and no value, blank where that row has its numbers, and no text
    that starts a row of its own (an ordinal)."""
    text = [t for t in first if t]
    if len(first) != len(last) or not text or any(NUMBER.match(t) or NULL.match(t) for t in text):
        return False
    numbers = [c for c, t in enumerate(last) if NUMBER.match(t)]
    if not numbers or any(first[c] for c in numbers):
        return False
    return not any(ORDINAL.match(t) for t in text if t not in last)


def join_rows(last: list[str], first: list[str]) -> list[str]:
    """A row broken by a page, joined: each cell's rest after its beginning, a repeat once."""
    return [join_wrapped([a, b]) if b and b != a else a for a, b in zip(last, first, strict=True)]


# --- tables without ruling lines --------------------------------------------------------------

ROW_GAP = 1.5  # of the size: lines of one table are no further apart than this
WRAP = 0.9  # of the row pitch: a label line nearer a row of values than this is part of its label


def is_value(text: str) -> bool:
    """A number alone (a unit makes it text: 12件 in a sentence) or a blank marker."""
    return bool((NUMBER.match(text) and text[-1].isdigit()) or NULL.match(text))


def values_of(line: Line) -> list[Word]:
    """A line's values: numbers and blank markers after its first word (a label, or an
    ordinal such as "1."), or all its words when they are all values."""
    words = line.words
    if len(words) < 2:
        return []
    if all(is_value(w.text) for w in words):
        return list(words)
    return [w for w in words[1:] if is_value(w.text)]


def bands(spans: list[tuple[float, float]]) -> list[list[float]]:
    """Overlapping spans merged: the columns they make, left to right."""
    out: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if out and x0 <= out[-1][1]:
            out[-1][1] = max(out[-1][1], x1)
        else:
            out.append([x0, x1])
    return out


def borderless(lines: list[Line]) -> list[Line | Part]:
    """Tables without ruling lines (a web page printed to PDF), from their words: runs of
    lines close together whose values (numbers, blank markers) line up in at least two
    columns beside their labels. Each becomes a part of a grid that is not exact (a blank
    cell leaves no trace); other lines are returned as they are."""
    out: list[Line | Part] = []
    block: list[Line] = []
    for line in [*lines, None]:
        if block and (line is None or not near(block[-1], line)):
            out += table_in(block)
            block = []
        if line is not None:
            block.append(line)
    return out


def near(a: Line, b: Line) -> bool:
    return abs(a.size - b.size) < 1.5 and b.top - a.bottom <= ROW_GAP * max(a.size, b.size)


def table_in(block: list[Line]) -> list[Line | Part]:
    """The lines of a block, the run of them that forms a table replaced by its part."""
    found = [values_of(ln) for ln in block]
    if len(block) < 2 or not any(found):
        return list(block)
    values = bands([(w.x0, w.x1) for vs in found for w in vs])
    start = values[0][0]
    lined_up = [len({id(ln) for ln in block for w in ln.words if w.x0 < x1 and w.x1 > x0 and w.x0 >= start - SNAP})
                for x0, x1 in values]  # fmt: skip
    if sum(n >= 2 for n in lined_up) < 2:
        return list(block)
    label_end = max((w.x1 for ln, vs in zip(block, found, strict=True) if vs for w in ln.words if w.x1 <= vs[0].x0),
                    default=None)  # fmt: skip

    def fits(ln: Line) -> bool:  # no word runs from the labels into the values, as a paragraph does
        return label_end is None or not any(w.x0 < label_end - SNAP and w.x1 > start + SNAP for w in ln.words)

    runs: list[list[int]] = []
    for k, ln in enumerate(block):
        if fits(ln):
            if runs and runs[-1][-1] == k - 1:
                runs[-1].append(k)
            else:
                runs.append([k])
    best = max(runs, key=lambda r: sum(bool(found[k]) for k in r), default=[])
    if not any(found[k] for k in best):
        return list(block)
    a, b = best[0], best[-1] + 1
    if b - a < len(block):  # the table is part of the block: its columns again from its own lines
        return table_in(block[:a]) + table_in(block[a:b]) + table_in(block[b:])
    part = make_borderless(block, found, values, start)
    return [part] if part is not None else list(block)


def make_borderless(lines: list[Line], found: list[list[Word]], values: list[list[float]], start: float) -> Part | None:
    """A part from a table's lines: a row per line with values or headers, a line of labels
    only joining the row of values it is set beside (a label wrapped around its centred
    values); label columns by their words' left edges, value columns by their bands; a word
    over several columns (a merged header) one cell over them."""
    size = max(ln.size for ln in lines)
    label = [[w for w in ln.words if w.x1 <= start + SNAP] for ln in lines]
    lefts = cluster([w.x0 for ws in label for w in ws], size)
    right = max((w.x1 for ws in label for w in ws), default=start)
    xs = [*lefts, (min(right, start) + start) / 2] if lefts else [values[0][0]]
    xs += [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(values)] + [values[-1][1]]
    n_labels = len(lefts)
    if len(xs) < 4 or any(b - a <= SNAP for a, b in itertools.pairwise(xs)):
        return None

    def span(w: Word) -> tuple[int, int]:
        if w.x1 <= start + SNAP:  # a label: from the column its left edge is in
            first = max(0, bisect_right(lefts, w.x0) - 1)
            last = max([first] + [k for k in range(first, n_labels) if lefts[k] < w.x1 - SNAP])
            return first, last
        hit = [n_labels + c for c, (x0, x1) in enumerate(values) if w.x0 < x1 and w.x1 > x0]
        if hit:
            return hit[0], hit[-1]
        c = min(range(len(values)), key=lambda c: min(abs(w.x0 - values[c][1]), abs(w.x1 - values[c][0])))
        return n_labels + c, n_labels + c

    rows: list[tuple[float, float, dict[tuple[int, int], list[str]]]] = []
    keyed = [k for k, ln in enumerate(lines) if found[k]]
    pitches = sorted(lines[b].top - lines[a].top for a, b in itertools.pairwise(keyed) if b == a + 1)
    pitch = pitches[len(pitches) // 2] if pitches else (ROW_GAP + 0.1) * size
    owner: dict[int, int] = {}  # a line of labels only → the line of values it belongs to
    for k, ln in enumerate(lines):
        if not found[k] and len(label[k]) == len(ln.words) and keyed:
            v = min(keyed, key=lambda j: (abs(lines[j].top - ln.top), j < k))
            if abs(lines[v].top - ln.top) < WRAP * pitch:
                owner[k] = v
    for k, ln in enumerate(lines):
        if k in owner:
            continue
        slots: dict[tuple[int, int], list[str]] = {}
        top, bottom = ln.top, ln.bottom
        for j in sorted([k, *(j for j, v in owner.items() if v == k)], key=lambda j: lines[j].top):
            top, bottom = min(top, lines[j].top), max(bottom, lines[j].bottom)
            for w in lines[j].words:
                slots.setdefault(span(w), []).append(w.text)
        rows.append((top, bottom, slots))
    ys = [rows[0][0], *((a[1] + b[0]) / 2 for a, b in itertools.pairwise(rows)), rows[-1][1]]
    if any(b - a <= SNAP for a, b in itertools.pairwise(ys)):
        return None
    page = lines[0].page
    cells = [Cell(xs[c0], ys[i], xs[c1 + 1], ys[i + 1], page, text=tidy(" ".join(texts)))
             for i, (_, _, slots) in enumerate(rows) for (c0, c1), texts in slots.items()]  # fmt: skip
    return Part(page, xs[0], ys[0], xs[-1], ys[-1], cells, xs, exact=False)
