"""Reader for reports published as PDF with a text layer (pdfplumber).

Tables are found from their visible ruling lines; each table's cell boxes give the true
row and column spans, so merged cells are expanded like any other carrier's. A table that
runs on at the top of the next page continues the same grid (a repeated header is dropped,
a row broken by the page is joined). Text outside tables becomes paragraphs: wrapped lines
are joined, page numbers and running headers/footers dropped. A PDF without usable text
(a scan, or fonts without a Unicode map) goes to OCR.

OCR also reads what a text PDF holds only as pictures: a page without usable text (a scanned
page, consecutive ones read as one stretch so a table runs on), and a large picture no text
lies over (a table pasted as a screenshot), whose blocks take the picture's place among the
page's lines. Only ``page.images`` metadata is looked at until a picture qualifies. Without
the OCR extra the text is still read and the pictures' places are listed in ``Document.unread``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from gongkai.errors import GongkaiError
from gongkai.ingest.html import is_cjk
from gongkai.ingest.model import Block, Document, Grid, Paragraph

SNAP = 2.0  # points: ruling lines this close are one line
MARGIN_ZONE = 0.12  # share of the page height at the top and bottom where headers/footers live
BAD_TEXT_SHARE = 0.3  # more unreadable characters than this: the text layer is useless
SENTENCE_END = ("。", "；", "：", "！", "？", ";", ":", "!", "?")
PAGE_NUMBER = re.compile(
    r"^[-—–－\s]*(?:\d{1,4}|[ivxlcdm]{1,6})[-—–－\s]*$"
    r"|^第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$",
    re.I,
)
NUMBER = re.compile(r"^[-−－]?\d[\d,，.]*$")
SPACE_RE = re.compile(r"\s+")
# A picture is read by OCR when it is at least this large and no text lies over it.
MIN_IMAGE_WIDTH = 0.25  # share of the page width: a seal (4.2 cm, 20% of A4), a logo or a QR code is narrower
MIN_IMAGE_HEIGHT = 36.0  # points, three lines of body text or two table rows: rules and banners are lower
TEXT_OVER_IMAGE = 0.02  # share of a picture's area under characters: above it the text layer is its reading
FULL_PAGE = 0.85  # share of the page a picture covers: a scanned page (stamped page numbers aside)
TABLE_SETTINGS = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit", "intersection_tolerance": 3}


def read_pdf(data: bytes, source: str = "") -> Document:
    if b"%%EOF" not in data[-4096:]:
        raise GongkaiError("PDF 文件不完整（缺少文件结尾，可能下载中断或已损坏），请重新下载后再试", path=source)
    try:
        pdf = pdfplumber.open(BytesIO(data))
    except PdfminerException as e:
        raise pdf_error(e, source) from None
    except Exception as e:
        raise GongkaiError(f"PDF 文件已损坏，无法打开（{type(e).__name__}）", path=source) from None
    with pdf:
        try:
            pages = [read_page(page, n) for n, page in enumerate(pdf.pages, start=1)]
        except GongkaiError:
            raise
        except PdfminerException as e:
            raise pdf_error(e, source) from None
        except Exception as e:
            raise GongkaiError(f"PDF 文件已损坏，无法读取页面内容（{type(e).__name__}）", path=source) from None
    if not pages:
        raise GongkaiError("PDF 文件中没有页面", path=source)
    readable = sum(p.good for p in pages)
    unreadable = sum(p.bad for p in pages)
    pictures = all(p.scanned or not p.items for p in pages)  # every page a scan (page numbers stamped on)
    if readable == 0 or unreadable > BAD_TEXT_SHARE * (readable + unreadable) or pictures:
        from .scan import read_scan_pdf  # no text layer, or fonts without a Unicode map

        return read_scan_pdf(data, source)
    unread = read_pictures(data, pages, source)
    return Document(assemble(pages), source=source, carrier="pdf", unread=unread)


def pdf_error(e: Exception, source: str) -> GongkaiError:
    inner = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
    if isinstance(inner, PDFPasswordIncorrect | PDFEncryptionError):
        return GongkaiError("PDF 文件已加密（需要密码才能打开），请提供未加密的文件", path=source)
    return GongkaiError(f"PDF 文件已损坏或不完整，无法读取（{type(inner).__name__}）", path=source)


# --- pieces of a page -------------------------------------------------------------------------


@dataclass
class Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str


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
    """One table on one page."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    cells: list[Cell]
    xs: list[float]  # column boundaries


@dataclass
class Picture:
    """A part of a page without a text layer, read by OCR: a whole scanned page or a picture."""

    page: int
    top: float
    box: tuple[float, float, float, float] | None  # from the top-left of the crop box; None: the whole page
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Page:
    number: int
    height: float
    items: list[Line | Part | Picture]  # top to bottom
    good: int = 0
    bad: int = 0
    scanned: bool = False  # no usable text: read whole by OCR


def is_white(color) -> bool:
    if color is None:
        return True
    if isinstance(color, int | float):
        color = (color,)
    if not isinstance(color, tuple | list) or not all(isinstance(c, int | float) for c in color):
        return False  # a pattern: visible
    if len(color) == 4:  # CMYK
        return all(c <= 0.05 for c in color)
    return all(c >= 0.95 for c in color)


def is_rule(obj) -> bool:
    """A visible ruling: a stroked line or rectangle, or a thin filled bar; never a background."""
    if obj["object_type"] == "line":
        return not is_white(obj.get("stroking_color"))
    if obj.get("stroke") and not is_white(obj.get("stroking_color")):
        return True
    thin = min(obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]) <= SNAP
    return bool(obj.get("fill")) and thin and not is_white(obj.get("non_stroking_color"))


def edge(x0: float, top: float, x1: float, bottom: float) -> dict:
    orientation = "h" if bottom - top <= x1 - x0 else "v"
    return {
        "object_type": "rule_edge", "orientation": orientation, "x0": x0, "x1": x1, "top": top,
        "bottom": bottom, "doctop": top, "width": x1 - x0, "height": bottom - top,
    }  # fmt: skip


def ruling_edges(page) -> list[dict]:
    """The page's visible rulings as edges, plus the rules a page break leaves out: vertical
    rules that end (or start) together close the table there, drawn or not."""
    edges: list[dict] = []
    for o in (*page.lines, *page.rects):
        if not is_rule(o):
            continue
        x0, top, x1, bottom = o["x0"], o["top"], o["x1"], o["bottom"]
        if bottom - top <= SNAP and x1 - x0 > SNAP:
            edges.append(edge(x0, (top + bottom) / 2, x1, (top + bottom) / 2))
        elif x1 - x0 <= SNAP and bottom - top > SNAP:
            edges.append(edge((x0 + x1) / 2, top, (x0 + x1) / 2, bottom))
        elif o["object_type"] == "rect" and min(x1 - x0, bottom - top) > SNAP:
            edges += [edge(x0, top, x1, top), edge(x0, bottom, x1, bottom)]
            edges += [edge(x0, top, x0, bottom), edge(x1, top, x1, bottom)]
    verticals = [e for e in edges if e["orientation"] == "v"]
    for end in ("top", "bottom"):
        group: list[dict] = []
        for e in [*sorted(verticals, key=lambda e: e[end]), None]:
            if group and (e is None or e[end] - group[0][end] > SNAP):
                if len(group) >= 2:
                    y = group[0][end]
                    edges.append(edge(min(g["x0"] for g in group), y, max(g["x1"] for g in group), y))
                group = []
            if e is not None:
                group.append(e)
    return edges


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


def unreadable(text: str) -> bool:
    return text.startswith("(cid:") or text == "\ufffd" or "\ue000" <= text[:1] <= "\uf8ff"


def read_page(page, number: int) -> Page:
    chars = page.chars
    good = bad = 0
    for ch in chars:
        if unreadable(ch["text"]):
            bad += 1
        elif not ch["text"].isspace():
            good += 1
    result = Page(number, float(page.height), [], good, bad)
    boxes = picture_boxes(page, chars) if page.images else []
    area = float(page.width * page.height)
    if (not good and (bad or boxes)) or any((b[2] - b[0]) * (b[3] - b[1]) >= FULL_PAGE * area for b in boxes):
        result.scanned = True
        result.items.append(Picture(number, 0.0, None))
        return result
    if not good:
        return result
    if boxes:  # the text inside a picture is read with it, not twice
        x0, top = page.cropbox[0], page.cropbox[1]  # where rendering starts
        result.items += [Picture(number, b[1], (b[0] - x0, b[1] - top, b[2] - x0, b[3] - top)) for b in boxes]
        chars = [ch for ch in chars if not any(inside(ch, b) for b in boxes)]
    rules = ruling_edges(page)
    parts: list[tuple[Part, list[float], dict]] = []
    if len(rules) >= 4:
        settings = dict(TABLE_SETTINGS, explicit_vertical_lines=rules, explicit_horizontal_lines=rules)
        for table in page.find_tables(settings):
            part = make_part(table.cells, number)
            if part is not None:
                parts.append(part)
    loose = []
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for part, ys, owner in parts:
            if part.x0 <= cx <= part.x1 and part.top <= cy <= part.bottom:
                k = owner.get((bisect_right(ys, cy) - 1, bisect_right(part.xs, cx) - 1))
                if k is not None:
                    part.cells[k].chars.append(ch)
                    break
        else:
            loose.append(ch)
    for part, _, _ in parts:
        for cell in part.cells:
            cell.text = join_lines([t for t, _ in text_lines(cell.chars)])
            cell.chars = []
        result.items.append(part)
    for text, line in text_lines(loose):
        if text:
            size = Counter(round(c["size"], 1) for c in line).most_common(1)[0][0]
            x0, x1 = min(c["x0"] for c in line), max(c["x1"] for c in line)
            top, bottom = min(c["top"] for c in line), max(c["bottom"] for c in line)
            result.items.append(Line(number, x0, x1, top, bottom, size, text))
    result.items.sort(key=lambda it: it.top)
    return result


def inside(ch, box: tuple[float, float, float, float]) -> bool:
    cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def picture_boxes(page, chars) -> list[tuple[float, float, float, float]]:
    """Boxes of the page's pictures to read by OCR: images that touch are one picture (a
    picture stored in strips); it must be large, and not lie under the text layer."""
    px0, ptop, px1, pbottom = page.bbox
    boxes = []
    for im in page.images:
        box = [max(im["x0"], px0), max(im["top"], ptop), min(im["x1"], px1), min(im["bottom"], pbottom)]
        if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
            continue  # off the page
        for other in [b for b in boxes if touches(b, box)]:
            boxes.remove(other)
            box = [min(box[0], other[0]), min(box[1], other[1]), max(box[2], other[2]), max(box[3], other[3])]
        boxes.append(box)
    out = []
    for x0, top, x1, bottom in sorted(boxes, key=lambda b: b[1]):
        if x1 - x0 < MIN_IMAGE_WIDTH * page.width or bottom - top < MIN_IMAGE_HEIGHT:
            continue
        box = (x0, top, x1, bottom)
        covered = sum((c["x1"] - c["x0"]) * (c["bottom"] - c["top"]) for c in chars if inside(c, box))
        if covered < TEXT_OVER_IMAGE * (x1 - x0) * (bottom - top):
            out.append(box)
    return out


def touches(a, b) -> bool:
    return a[0] <= b[2] + SNAP and b[0] <= a[2] + SNAP and a[1] <= b[3] + SNAP and b[1] <= a[3] + SNAP


def make_part(boxes, page: int) -> tuple[Part, list[float], dict] | None:
    """A table from pdfplumber's cell boxes; None for a one-column box (a frame around text)."""
    xs = cluster([v for b in boxes for v in (b[0], b[2])])
    ys = cluster([v for b in boxes for v in (b[1], b[3])])
    if len(xs) < 3 or len(ys) < 2:
        return None
    cells = [Cell(b[0], b[1], b[2], b[3], page) for b in boxes]
    owner = {}
    for k, c in enumerate(cells):
        for r in range(nearest(ys, c.top), nearest(ys, c.bottom)):
            for col in range(nearest(xs, c.x0), nearest(xs, c.x1)):
                owner[(r, col)] = k
    part = Part(page, xs[0], ys[0], xs[-1], ys[-1], cells, xs)
    return part, ys, owner


def text_lines(chars) -> list[tuple[str, list]]:
    """Characters grouped into lines, top to bottom, each as (text, its characters)."""
    lines: list[list] = []
    mids: list[float] = []
    for ch in sorted(chars, key=lambda c: c["top"] + c["bottom"]):
        mid = (ch["top"] + ch["bottom"]) / 2
        if lines and mid - mids[-1] <= 0.45 * ch["size"]:
            lines[-1].append(ch)
        else:
            lines.append([ch])
            mids.append(mid)
    out = []
    for line in lines:
        line.sort(key=lambda c: c["x0"])
        parts: list[str] = []
        prev = None
        for ch in line:
            t = ch["text"]
            if prev is not None and ch["x0"] - prev["x1"] > 0.25 * ch["size"] and not t.isspace():
                parts.append(" ")
            parts.append(t)
            prev = ch
        out.append((tidy("".join(parts)), line))
    return out


def is_wide(ch: str) -> bool:
    return is_cjk(ch) or "\u2010" <= ch <= "\u206f"  # CJK, or quotes and dashes set among CJK


def tidy(text: str) -> str:
    """Collapse spaces; none next to a CJK character (justification and autospacing are not spaces)."""
    text = SPACE_RE.sub(" ", text.replace("\u3000", " ")).strip()
    if " " not in text:
        return text
    return "".join(ch for i, ch in enumerate(text) if ch != " " or not (is_wide(text[i - 1]) or is_wide(text[i + 1])))


def join_lines(lines: list[str]) -> str:
    """Lines wrapped in a paragraph or cell: a space only between two Latin letters or digits."""
    out = ""
    for line in lines:
        if out and line and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            out += " "
        out += line
    return out


# --- the document -----------------------------------------------------------------------------


def read_pictures(data: bytes, pages: list[Page], source: str) -> list[str]:
    """OCR the pictures into their blocks; consecutive scanned pages are one run. Without the
    OCR extra, the places of the pictures left unread."""
    runs: list[list[Picture]] = []
    for p in pages:
        for it in p.items:
            if not isinstance(it, Picture):
                continue
            last = runs[-1][-1] if runs else None
            if it.box is None and last is not None and last.box is None and last.page == it.page - 1:
                runs[-1].append(it)
            else:
                runs.append([it])
    if not runs:
        return []
    from .scan import ocr_available, read_pdf_images

    if not ocr_available():
        return [f"第{it.page}页" + ("（整页为图片）" if it.box is None else "的图片") for run in runs for it in run]
    jobs = [[(it.page, it.box) for it in run] for run in runs]
    for run, blocks in zip(runs, read_pdf_images(data, jobs, source), strict=True):
        run[0].blocks = blocks
    return []


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
    drop = running_lines(pages)
    lines = [it for p in pages for it in p.items if isinstance(it, Line) and id(it) not in drop]
    sizes = Counter()
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
    prev: Line | Part | Picture | None = None
    for p in pages:
        first = True
        for it in p.items:
            if id(it) in drop:
                continue
            if isinstance(it, Picture):
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
                    last.text = join_lines([last.text, it.text])
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
    if abs(a.x0 - b.x0) > 3 * SNAP or abs(a.x1 - b.x1) > 3 * SNAP:
        return False
    fewer, more = sorted((a.xs, b.xs), key=len)
    matched = sum(1 for x in fewer if abs(more[nearest(more, x)] - x) <= SNAP)
    return matched >= 0.8 * len(fewer) and len(more) - matched <= max(2, len(fewer) // 3)


# --- grids ------------------------------------------------------------------------------------


def grid_of(run: list[Part], n: int) -> Grid:
    """One grid from the parts of a table on consecutive pages, merged cells expanded."""
    xs = cluster([x for part in run for x in part.xs])
    rows: list[list[str]] = []
    owners: list[list[int | None]] = []
    row_part: list[int] = []
    cells: list[Cell] = []
    for p, part in enumerate(run):
        ys = cluster([v for c in part.cells for v in (c.top, c.bottom)])
        base = len(cells)
        cells.extend(part.cells)
        grid: list[list[int | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
        for k, c in enumerate(part.cells, start=base):
            for r in range(nearest(ys, c.top), nearest(ys, c.bottom)):
                for col in range(nearest(xs, c.x0), nearest(xs, c.x1)):
                    grid[r][col] = k
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
    header = [r for r in range(len(rows)) if row_part[r] == 0]
    for p in range(1, len(run)):
        mine = [r for r in range(len(rows)) if row_part[r] == p]
        k = 0  # a header repeated at the top of the page
        while k < min(len(mine) - 1, len(header)) and rows[mine[k]] == rows[header[k]]:
            keep[mine[k]] = False
            k += 1
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
        if broken_row(rows[above], rows[top]):  # a row split by the page break
            for c, text in enumerate(rows[top]):
                if text and text != rows[above][c]:
                    rows[above][c] = join_lines([rows[above][c], text]) if rows[above][c] else text
            keep[top] = False

    out = Grid(rows=[], exact=True)
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


def broken_row(above: list[str], row: list[str]) -> bool:
    """A row without numbers, blank exactly where the row above has its numbers."""
    numbers = [c for c, t in enumerate(above) if NUMBER.match(t)]
    return bool(numbers) and not any(NUMBER.match(t) for t in row) and all(not row[c] for c in numbers)
