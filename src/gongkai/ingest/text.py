"""Plain text and Markdown reports → Document.

Tables arrive as ``|``-separated rows (with or without Markdown's outer pipes and
separator line), tab-separated rows, or a label followed by space-separated numbers.
Consecutive table rows form one Grid; blank lines inside a table do not end it.
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import GongkaiError
from .model import Document, Grid, Paragraph

# A real report is at most a few hundred lines (the longest in tests/corpus: about 750, one
# cell a line). Far longer text is not a report, and reading it costs far more than it is
# worth: every table row becomes a grid row the extractor maps and checks (about 0.2 ms a
# row), so 40 MB of rows ran for minutes at gigabytes. Refused at once instead.
MAX_LINES = 20_000

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_NUM_TOKEN = r"[-−－]?\d[\d,，.]*(?:万元|元|件|条|个|项|次|篇)?"
_TRAILING_NUMBERS = re.compile(rf"^(?P<label>.*?[^\d\s,.，-])?\s+(?P<nums>(?:{_NUM_TOKEN}\s+)+{_NUM_TOKEN})\s*$")
_ONLY_NUMBERS = re.compile(rf"^\s*(?:{_NUM_TOKEN}\s+){{2,}}{_NUM_TOKEN}\s*$")
_LONE_PIPES = re.compile(r"^\s*[|｜](?:\s*[|｜])*\s*$")
_EMPHASIS = re.compile(r"(\*\*|__)(.*?)\1")
_SENTENCE_END = ("。", "；", ";", "！", "？")
_UNIT_ENDS = ("元", "件", "条", "个", "项", "次", "篇")


def _cells(line: str) -> tuple[list[str], bool] | None:
    """The cells of a table row and whether they come from a Markdown pipe table."""
    stripped = line.strip().replace("｜", "|")
    if "|" in stripped:
        markdown = stripped.startswith("|")
        parts = stripped.split("|")
        if markdown:
            parts = parts[1:]
            if parts and stripped.endswith("|"):
                parts = parts[:-1]
        cells = [p.strip() for p in parts]
        if len(cells) >= 2:
            return cells, markdown
    if "\t" in line:
        cells = [c.strip() for c in line.rstrip("\n").split("\t")]
        filled = sum(1 for c in cells if c)
        if filled >= 2 or (filled == 1 and len(cells) >= 3):
            return cells, False
    if not stripped or not (stripped[-1].isdigit() or stripped.endswith(_UNIT_ENDS)) or "。" in stripped:
        return None
    norm = unicodedata.normalize("NFKC", stripped)
    if not norm.endswith(_SENTENCE_END):
        if _ONLY_NUMBERS.match(norm):
            return norm.split(), False
        m = _TRAILING_NUMBERS.match(norm)
        if m and m["label"] and len(m["label"]) <= 80:
            return [m["label"].strip(), *m["nums"].split()], False
    return None


def _unbalanced_close(text: str) -> bool:
    s = unicodedata.normalize("NFKC", text)
    return s.count(")") > s.count("(")


def _join_labels_to_numbers(lines: list[str]) -> list[str | None]:
    """A row label on one line and its numbers alone on the next (a PDF copied as text):
    joined into one row; the consumed line becomes ``None`` so line numbers stay true."""
    out: list[str | None] = list(lines)
    for i in range(len(lines) - 1):
        nxt = lines[i + 1].rstrip()
        if not nxt or not nxt[-1].isdigit():  # isdigit() also holds for full-width digits
            continue
        label, nums = lines[i].strip(), unicodedata.normalize("NFKC", nxt)
        if (
            label
            and out[i] is not None
            and _ONLY_NUMBERS.match(nums)
            and len(label) <= 80
            and not label.endswith(_SENTENCE_END)
            and _cells(lines[i]) is None
            and not _MD_HEADING.match(lines[i])
            and not _labels_then_values(lines, i)
        ):
            out[i] = label + " | " + " | ".join(nums.split())
            out[i + 1] = None
    return out


def _labels_then_values(lines: list[str], i: int) -> bool:
    """Line ``i`` ends a list of labels and a block of number rows follows: the labels were
    pushed out of their table (a converted document), so the last one does not own the
    first row of numbers."""
    before = lines[i - 1].strip() if i > 0 else ""
    after = unicodedata.normalize("NFKC", lines[i + 2]) if i + 2 < len(lines) else ""
    return bool(before) and _cells(lines[i - 1]) is None and bool(_ONLY_NUMBERS.match(after))


def read_text(text: str, source: str = "", carrier: str = "text") -> Document:
    blocks: list[Paragraph | Grid] = []
    grid: Grid | None = None
    breaks = max(text.count("\n"), text.count("\r"))  # counted before 40 MB become millions of strings
    lines = text.splitlines() if breaks <= MAX_LINES else []
    if max(breaks, len(lines)) > MAX_LINES:
        n = max(breaks, len(lines))
        raise GongkaiError(f"文本有 {n} 行，超过 {MAX_LINES} 行的上限，不像一份年度报告，未读取", path=source or None)
    pending: list[tuple[int, str]] = []  # non-table lines met inside a table, not yet placed

    def flush_pending() -> None:
        for n, t in pending:
            blocks.append(Paragraph(t, where=f"第{n}行"))
        pending.clear()

    lines = _join_labels_to_numbers(lines)
    last = ""  # the last line with text before this one
    for n, raw in enumerate(lines, start=1):
        if raw is None:
            continue
        line = raw.replace("\u3000", " ").replace("\xa0", " ")
        if not line.strip():
            continue
        prev, last = last, raw
        if grid is not None and _MD_SEPARATOR.match(line):
            grid.exact = grid.exact or line.strip().startswith("|")
            continue
        heading = _MD_HEADING.match(line)
        parsed = None if heading else _cells(line)
        if parsed is None and _LONE_PIPES.match(line):
            # A table written one cell a line.  Where the cells' lines end in a pipe (`规章 |`),
            # a lone `|` after such a line is an empty cell; elsewhere pipes on their own line
            # only separate cells or end rows, and so do `||`, `||||`.
            if line.strip() not in ("|", "｜") or not prev.rstrip().endswith(("|", "｜")):
                continue
            parsed = ["", ""], False
        if parsed is not None:
            cells, markdown = parsed
            cells = [_EMPHASIS.sub(r"\2", c) if "*" in c or "_" in c else c for c in cells]
            if grid is None:
                flush_pending()
                grid = Grid(rows=[], exact=False)
                blocks.append(grid)
            elif pending:
                # A label broken over lines: text between two rows of one table.
                for _, t in pending:
                    if _unbalanced_close(t) and grid.rows:
                        _append_label(grid.rows[-1], t)
                    else:
                        _prepend_label(cells, t)
                pending.clear()
            if markdown and not grid.rows:
                grid.exact = True
            grid.rows.append(cells)
            grid.where.append(f"第{n}行")
            continue
        text_line = _EMPHASIS.sub(r"\2", heading[2] if heading else line.strip())
        if (
            grid is not None
            and not heading
            and not pending
            and len(text_line) <= 60
            and not text_line.endswith(_SENTENCE_END)
            and not _looks_like_heading(text_line)
        ):
            pending.append((n, text_line))
            continue
        flush_pending()
        grid = None
        blocks.append(Paragraph(text_line, heading=bool(heading), where=f"第{n}行"))
    flush_pending()
    for b in blocks:
        if isinstance(b, Grid) and b.exact and len({len(r) for r in b.rows}) > 1:
            b.exact = False  # a pipe table whose rows differ in width: a sloppy copy, not a real grid
    return Document(blocks=blocks, source=source, carrier=carrier)


_HEADING = re.compile(r"^(?:第?[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十]+部分)")


def _looks_like_heading(text: str) -> bool:
    return bool(_HEADING.match(text.strip()))


def _first_label_index(cells: list[str]) -> int:
    for i, c in enumerate(cells):
        if c.strip():
            return i
    return 0


def _prepend_label(cells: list[str], text: str) -> None:
    i = _first_label_index(cells)
    cells[i] = text + cells[i]


def _append_label(cells: list[str], text: str) -> None:
    # the last text cell before the values
    idx = 0
    for i, c in enumerate(cells):
        if c.strip() and not re.fullmatch(_NUM_TOKEN, unicodedata.normalize("NFKC", c.strip())):
            idx = i
        elif c.strip():
            break
    cells[idx] = cells[idx] + text
