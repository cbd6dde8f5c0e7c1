"""Reader for reports published as PDF with a text layer (pypdfium2).

pdfium gives each page's characters with their boxes, its drawn paths and its pictures'
places; everything else is ours. Tables are found from their visible ruling lines (stroked
line segments and thin filled bars; white ones are not rules): the rulings' intersections
give the cells, so merged cells get their true row and column spans and are expanded like
any other carrier's. A table without ruling lines (a web page printed to PDF) is found from
words aligned in columns (``layout.borderless``). A table that runs on at the top of the
next page continues the same grid; text outside tables becomes paragraphs (see ``layout``).
A PDF without usable text (a scan, or fonts without a Unicode map) goes to OCR.

OCR also reads what a text PDF holds only as pictures: a page without usable text (a scanned
page, consecutive ones read as one stretch so a table runs on), and a large picture no text
lies over (a table pasted as a screenshot), whose blocks take the picture's place among the
page's lines. Without the OCR extra the text is still read and the pictures' places are
listed in ``Document.unread``.
"""

from __future__ import annotations

import ctypes
import itertools
import re
import zlib
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from math import hypot

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from gongkai.errors import GongkaiError
from gongkai.ingest import layout
from gongkai.ingest.layout import SNAP, Glyph, Inset, Page, Part
from gongkai.ingest.model import Document
from gongkai.ingest.rulings import Box, closing_edges, make_part, table_cells

BAD_TEXT_SHARE = 0.3  # more unreadable characters than this: the text layer is useless
# A picture is read by OCR when it is at least this large and no text lies over it.
MIN_IMAGE_WIDTH = 0.25  # share of the page width: a seal (4.2 cm, 20% of A4), a logo or a QR code is narrower
MIN_IMAGE_HEIGHT = 36.0  # points, three lines of body text or two table rows: rules and banners are lower
TEXT_OVER_IMAGE = 0.02  # share of a picture's area under characters: above it the text layer is its reading
FULL_PAGE = 0.85  # share of the page a picture covers: a scanned page (stamped page numbers aside)
MAX_SEGMENTS = 5000  # a path with more segments is a drawing (or outlined text), not rulings
MAX_STREAM = 256 << 20  # bytes one inflated stream may hold: a 600 dpi colour A4 page is under 140 MB
STEP = 16 << 20  # inflated in steps of this size, each thrown away at once
STREAM_RE = re.compile(rb"(?<!end)stream\r?\n")
ENCRYPTED = (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY)
REASONS = {raw.FPDF_ERR_FILE: "文件无法读取", raw.FPDF_ERR_FORMAT: "格式错误", raw.FPDF_ERR_PAGE: "页面错误"}

Matrix = tuple[float, float, float, float, float, float]


def read_pdf(data: bytes, source: str = "") -> Document:
    if b"%%EOF" not in data[-4096:]:
        raise GongkaiError("PDF 文件不完整（缺少文件结尾，可能下载中断或已损坏），请重新下载后再试", path=source)
    inflated_within_bounds(data, source)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise pdf_error(e, source) from None
    except Exception as e:
        raise GongkaiError(f"PDF 文件已损坏，无法打开（{type(e).__name__}）", path=source) from None
    try:
        pages = [read_page(pdf, n) for n in range(1, len(pdf) + 1)]
    except GongkaiError:
        raise
    except pdfium.PdfiumError as e:
        raise pdf_error(e, source) from None
    except Exception as e:
        raise GongkaiError(f"PDF 文件已损坏，无法读取页面内容（{type(e).__name__}）", path=source) from None
    finally:
        pdf.close()
    if not pages:
        raise GongkaiError("PDF 文件中没有页面", path=source)
    readable = sum(p.good for p in pages)
    unreadable = sum(p.bad for p in pages)
    pictures = all(p.scanned or not p.items for p in pages)  # every page a scan (page numbers stamped on)
    if readable == 0 or unreadable > BAD_TEXT_SHARE * (readable + unreadable) or pictures:
        from .scan import read_scan_pdf  # no text layer, or fonts without a Unicode map

        return read_scan_pdf(data, source)
    unread = read_pictures(data, pages, source)
    return Document(layout.assemble(pages), source=source, carrier="pdf", unread=unread)


def inflated_within_bounds(data: bytes, source: str) -> None:
    """Refuse a PDF holding a compressed stream that inflates past ``MAX_STREAM`` (a zip bomb:
    a few MB that pdfium would expand into gigabytes), before pdfium opens it. Each stream is
    inflated in small steps and thrown away, so checking costs time, never memory."""
    for m in STREAM_RE.finditer(data):
        end = data.find(b"endstream", m.end())
        if end < 0:
            return
        inflater = zlib.decompressobj()
        pending, size = data[m.end() : end], 0
        try:
            while pending and size <= MAX_STREAM:
                size += len(inflater.decompress(pending, STEP))
                pending = inflater.unconsumed_tail
        except zlib.error:
            continue  # not a Flate stream (images, encrypted data): pdfium's own business
        if size > MAX_STREAM:
            raise GongkaiError(
                f"PDF 中有一个压缩数据流（第 {m.start()} 字节处）解压后超过 {MAX_STREAM >> 20} MB，"
                "不是正常的年度报告，拒绝读取",
                path=source,
            )


def pdf_error(e: Exception, source: str) -> GongkaiError:
    code = getattr(e, "err_code", None)
    if code in ENCRYPTED:
        return GongkaiError("PDF 文件已加密（需要密码才能打开），请提供未加密的文件", path=source)
    reason = REASONS.get(code, "未知错误")
    return GongkaiError(f"PDF 文件已损坏或不完整，无法读取（{reason}）", path=source)


# --- what pdfium gives ------------------------------------------------------------------------


@dataclass
class Picture(Inset):
    """A part of a page without a text layer, read by OCR: a whole scanned page or a picture."""

    box: Box | None = None  # None: the whole page


def viewer(page) -> Callable[[float, float, float, float], Box]:
    """PDF user space (x0, y0, x1, y1) → the page as shown: from the crop box's top-left, rotated."""
    left, bottom, right, top = page.get_cropbox()
    rotation = page.get_rotation() % 360
    if rotation == 90:
        return lambda x0, y0, x1, y1: (y0 - bottom, x0 - left, y1 - bottom, x1 - left)
    if rotation == 180:
        return lambda x0, y0, x1, y1: (right - x1, y0 - bottom, right - x0, y1 - bottom)
    if rotation == 270:
        return lambda x0, y0, x1, y1: (top - y1, right - x1, top - y0, right - x0)
    return lambda x0, y0, x1, y1: (x0 - left, top - y1, x1 - left, top - y0)


GENERATED = " \r\n\x02\ufffe"  # what pdfium inserts between words and lines


def page_text(h, n: int) -> str:
    """The text of a page's characters, one string position per character."""
    buf = (ctypes.c_ushort * (n + 1))()
    raw.FPDFText_GetText(h, 0, n, buf)
    text = bytes(buf)[: 2 * n].decode("utf-16-le", "replace")
    if len(text) != n:  # a character outside the BMP: one at a time
        text = "".join(chr(u) if (u := raw.FPDFText_GetUnicode(h, i)) < 0x110000 else "\ufffd" for i in range(n))
    return text


def read_chars(textpage, view) -> tuple[list[Glyph], int, int]:
    """The page's characters with pdfminer-like boxes (as high as the font size, from the
    baseline's descent), and how many are readable and unreadable (no Unicode map, private use)."""
    h = textpage.raw
    n = raw.FPDFText_CountChars(h)
    rect, m = raw.FS_RECTF(), raw.FS_MATRIX()
    rp, mp = ctypes.byref(rect), ctypes.byref(m)
    x, y = ctypes.c_double(), ctypes.c_double()
    xp, yp = ctypes.byref(x), ctypes.byref(y)
    loose, matrix, font_size, origin = (
        raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetMatrix, raw.FPDFText_GetFontSize, raw.FPDFText_GetCharOrigin,
    )  # fmt: skip
    generated, map_error = raw.FPDFText_IsGenerated, raw.FPDFText_HasUnicodeMapError
    chars: list[Glyph] = []
    good = bad = 0
    same = None  # font size and box height: the same font and matrix as the character before
    unmapped = False
    for i, text in enumerate(page_text(h, n)):
        if text in GENERATED and generated(h, i):
            continue
        if not loose(h, i, rp):
            continue
        fs = font_size(h, i)
        if (fs, rect.top - rect.bottom) != same:  # otherwise two calls saved per character
            if not matrix(h, i, mp):
                continue
            same, unmapped = (fs, rect.top - rect.bottom), map_error(h, i)
        if unmapped or text == "\ufffd" or "\ue000" <= text <= "\uf8ff":
            bad += 1
        elif not text.isspace():
            good += 1
        if m.b == 0 and m.c == 0:  # upright
            size = fs * abs(m.d)
            x0, y0, x1, y1 = rect.left, rect.bottom, rect.right, rect.bottom + size
            wide = abs(x1 - x0 - fs) < 0.01 < abs(size - fs)  # as wide as the unscaled font size
            if wide and matrix(h, i, mp) and origin(h, i, xp, yp) and abs(y.value - m.f) > 0.01:
                x0, y0 = x.value, y.value  # vertical writing: pdfium's loose box ignores the matrix
                x1, y1 = x0 + size, y0 + size
            x0, top, x1, bottom = view(x0, y0, x1, y1)
        else:
            size = fs * hypot(m.c, m.d)
            x0, top, x1, bottom = view(rect.left, rect.bottom, rect.right, rect.top)
        chars.append(Glyph(x0, top, x1, bottom, size, text))
    return chars, good, bad


def visible(get, obj) -> bool:
    """Whether an object's stroke or fill colour shows on white paper (a pattern does)."""
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    return not get(obj, r, g, b, a) or min(r.value, g.value, b.value) < 0.95 * 255


def matrix_of(obj, then: Matrix | None) -> Matrix:
    """An object's matrix, followed by ``then`` (the form's it is drawn in)."""
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, m)
    if then is None:
        return m.a, m.b, m.c, m.d, m.e, m.f
    a, b, c, d, e, f = then
    return (m.a * a + m.b * c, m.a * b + m.b * d, m.c * a + m.d * c, m.c * b + m.d * d,
            m.e * a + m.f * c + e, m.e * b + m.f * d + f)  # fmt: skip


def read_objects(page, view) -> tuple[list[Box], list[Box]]:
    """The page's rulings as edges (zero-width boxes) and its pictures' boxes, from its
    objects and those of the forms it draws, in the page's view."""
    edges: list[Box] = []
    images: list[Box] = []
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()

    def visit(parent, count, get, ctm: Matrix | None) -> None:
        for i in range(count(parent)):
            obj = get(parent, i)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                path_edges(obj, ctm, view, edges)
            elif kind == raw.FPDF_PAGEOBJ_IMAGE and raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
                if ctm is not None:  # the box's corners in the page's space
                    a, b, c, d, e, f = ctm
                    xs, ys = (
                        [a * x + c * y + e for x in (x0, x1) for y in (y0, y1)],
                        [b * x + d * y + f for x in (x0, x1) for y in (y0, y1)],
                    )
                    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
                images.append(view(x0, y0, x1, y1))
            elif kind == raw.FPDF_PAGEOBJ_FORM:
                visit(obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, matrix_of(obj, ctm))

    visit(page.raw, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, None)
    return edges, images


def path_edges(obj, ctm: Matrix | None, view, edges: list[Box]) -> None:
    """A path's visible rulings: its stroked straight segments that run along an axis, and
    its thin filled (or stroked) rectangles as their middle line; never a background."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
        return
    stroked = bool(stroke.value) and visible(raw.FPDFPageObj_GetStrokeColor, obj)
    filled = bool(fill_mode.value) and visible(raw.FPDFPageObj_GetFillColor, obj)
    n = raw.FPDFPath_CountSegments(obj)
    if not (stroked or filled) or n < 2 or n > MAX_SEGMENTS:
        return
    a, b, c, d, e, f = matrix_of(obj, ctm)
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    curved: list[bool] = []
    for k in range(n):
        seg = raw.FPDFPath_GetPathSegment(obj, k)
        kind = raw.FPDFPathSegment_GetType(seg)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == raw.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
            curved.append(False)
        else:
            subpaths[-1].append(point)
            curved[-1] = curved[-1] or kind == raw.FPDF_SEGMENT_BEZIERTO
        if raw.FPDFPathSegment_GetClose(seg) and subpaths[-1][-1] != subpaths[-1][0]:
            subpaths[-1].append(subpaths[-1][0])
    for pts, bent in zip(subpaths, curved, strict=True):
        rect = None if bent else rectangle(pts)
        if rect is not None:  # a thin bar, filled or stroked, is a rule along its middle
            edge = rule(view, *rect)
            if edge is not None:
                edges.append(edge)
            elif stroked and min(rect[2] - rect[0], rect[3] - rect[1]) > SNAP:
                x0, y0, x1, y1 = rect
                edges += [view(x0, y0, x1, y0), view(x0, y1, x1, y1), view(x0, y0, x0, y1), view(x1, y0, x1, y1)]
        elif stroked and not bent:
            edges += [e for p, q in itertools.pairwise(pts) if (e := rule(view, *p, *q)) is not None]


def rule(view, xa: float, ya: float, xb: float, yb: float) -> Box | None:
    """A segment, or a thin bar, as an edge along its middle when it runs along an axis."""
    x0, x1, y0, y1 = min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb)
    if y1 - y0 <= SNAP < x1 - x0:
        return view(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)
    if x1 - x0 <= SNAP < y1 - y0:
        return view((x0 + x1) / 2, y0, (x0 + x1) / 2, y1)
    return None


def rectangle(pts: list[tuple[float, float]]) -> tuple[float, float, float, float] | None:
    """The box of a closed path of four sides along the axes."""
    if len(pts) == 6 and pts[-1] == pts[-2]:
        pts = pts[:-1]
    if len(pts) != 5 or pts[0] != pts[4]:
        return None
    (xa, ya), (xb, yb), (xc, yc), (xd, yd), _ = pts
    if not ((xa == xb and yb == yc and xc == xd and yd == ya) or (ya == yb and xb == xc and yc == yd and xd == xa)):
        return None
    return min(xa, xc), min(ya, yc), max(xa, xc), max(ya, yc)


# --- a page -----------------------------------------------------------------------------------


def read_page(pdf, number: int) -> Page:
    page = pdf[number - 1]
    try:
        width, height = page.get_size()
        view = viewer(page)
        textpage = page.get_textpage()
        try:
            chars, good, bad = read_chars(textpage, view)
        finally:
            textpage.close()
        edges, images = read_objects(page, view)
    finally:
        page.close()
    result = Page(number, height, [], good, bad)
    boxes = picture_boxes(images, chars, width, height) if images else []
    if (not good and (bad or boxes)) or any((b[2] - b[0]) * (b[3] - b[1]) >= FULL_PAGE * width * height for b in boxes):
        result.scanned = True
        result.items.append(Picture(number, 0.0, box=None))
        return result
    if not good:
        return result
    if boxes:  # the text inside a picture is read with it, not twice
        result.items += [Picture(number, b[1], box=b) for b in boxes]
        chars = [ch for ch in chars if not any(inside(ch, b) for b in boxes)]
    edges += closing_edges(edges)
    parts = [p for cells in (table_cells(edges) if len(edges) >= 4 else []) if (p := make_part(cells, number))]
    loose = place(chars, parts)
    for part, _, _ in parts:
        layout.fill_cells(part)
        result.items.append(part)
    result.items += layout.borderless(layout.make_lines(loose, number))
    result.items.sort(key=lambda it: it.top)
    return result


def place(chars: list[Glyph], parts: list[tuple[Part, list[float], dict]]) -> list[Glyph]:
    """Each character inside a table goes to the cell under its middle; the rest are returned."""
    loose = []
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        for part, ys, owner in parts:
            if part.x0 <= cx <= part.x1 and part.top <= cy <= part.bottom:
                k = owner.get((bisect_right(ys, cy) - 1, bisect_right(part.xs, cx) - 1))
                if k is not None:
                    part.cells[k].chars.append(ch)
                    break
        else:
            loose.append(ch)
    return loose


def inside(ch: Glyph, box: Box) -> bool:
    cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def picture_boxes(images: list[Box], chars: list[Glyph], width: float, height: float) -> list[Box]:
    """Boxes of the page's pictures to read by OCR: images that touch are one picture (a
    picture stored in strips); it must be large, and not lie under the text layer."""
    boxes: list[list[float]] = []
    for im in images:
        box = [max(im[0], 0.0), max(im[1], 0.0), min(im[2], width), min(im[3], height)]
        if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
            continue  # off the page
        for other in [b for b in boxes if touches(b, box)]:
            boxes.remove(other)
            box = [min(box[0], other[0]), min(box[1], other[1]), max(box[2], other[2]), max(box[3], other[3])]
        boxes.append(box)
    out = []
    for x0, top, x1, bottom in sorted(boxes, key=lambda b: b[1]):
        if x1 - x0 < MIN_IMAGE_WIDTH * width or bottom - top < MIN_IMAGE_HEIGHT:
            continue
        box = (x0, top, x1, bottom)
        covered = sum((c.x1 - c.x0) * (c.bottom - c.top) for c in chars if inside(c, box))
        if covered < TEXT_OVER_IMAGE * (x1 - x0) * (bottom - top):
            out.append(box)
    return out


def touches(a, b) -> bool:
    return a[0] <= b[2] + SNAP and b[0] <= a[2] + SNAP and a[1] <= b[3] + SNAP and b[1] <= a[3] + SNAP


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
