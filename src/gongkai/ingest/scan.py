"""Reader for scanned reports: image-only PDFs and page images (PNG, JPEG, TIFF, BMP).

Each page becomes a grayscale image at about 200 dpi, is straightened by the angle of its
ruling lines, and is split into tables (found from their ruling lines) and the text around
them. A table's cells come from the lines' intersections; a missing line segment between
two cells merges them. Each cell is cut out and read line by line with the recognition
model; the text around the tables is found and read with the detection + recognition
models. A table at the top of a page with the columns of the table that ended the previous
page continues it, also from one image file to the next when several files are the pages of
one report (``read_images``).

OCR is the optional extra ``gongkai[ocr]`` (rapidocr_onnxruntime, which brings OpenCV and
ships its models inside the wheel: nothing is downloaded). The PDF reader also sends here the
parts of a text PDF that are only pictures (``read_pdf_images``): scanned pages and pasted
tables, rendered and read by the same page reader as a scan. Digits are never guessed: a cell
read with low confidence, or holding letters where a number is expected, is listed in
``Grid.uncertain``.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

try:
    import numpy as np
except ImportError:  # comes with the OCR extra; without it this module only says so (ocr_available, the hint)
    np = None  # type: ignore[assignment]

from gongkai.errors import GongkaiError
from gongkai.ingest.layout import NULL, PAGE_NUMBER, header_repeats, join_rows, row_tail
from gongkai.ingest.model import Block, Document, Grid, Paragraph
from gongkai.ingest.textkit import join_wrapped

PDF_DPI = 200  # every constant in pixels below is for a page at this resolution
MAX_PAGES = 300
MAX_PIXELS = 120_000_000  # an image larger than this is refused
MAX_IMAGE_BYTES = 1 << 30  # nor one whose page would take more memory than this to decode (_peak_bytes)
MAX_SIDE = 3600  # a larger page is scaled down before reading
MIN_SIDE = 1000  # a smaller page is scaled up
MIN_CONFIDENCE = 0.9  # below this a cell is listed as uncertain
MAX_SKEW = 5.0  # degrees; steeper pages are read as they are
DET_SIDE = 1600  # text detection runs on at most this many pixels per side
REC_MIN_WIDTH = 320  # recognition pads each crop to at least this width
REC_BATCH = 6
TEXT_SCORE = 0.5  # recognised text outside tables below this confidence is dropped
PAPER_LEVEL, PAPER_SHARE = 200, 0.5  # a picture with less than half its pixels this light is a photo

INSTALL_HINT = '识别扫描件需要安装文字识别组件，请运行：pip install "gongkai[ocr]"'

TERMINAL = "。；：！？;:!?"
NUMERIC_RE = re.compile(r"^[-−－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:万元|元|件|条|个|项|次|人次|人|篇)?$")
MISREAD = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "丨": "1"})
LOOKALIKE_RE = re.compile(r"^[\dOoIl|丨.,]*[OoIl|丨][\dOoIl|丨.,]*$")
DASHES = "—–一─"
DIGIT_COMMA_RE = re.compile(r"(?<=\d)，(?=\d{3}(?!\d))")  # 1，234 read from 1,234

THREADS = -1  # onnxruntime threads; -1: all cores (bench/ocr.py sets 1)
_ENGINE: Any = None
# Called as each page starts being read: a batch worker (gongkai.batch.pool) restarts its time
# limit, since a page takes seconds to a minute to read and a scan may have hundreds.
progress: Callable[[], None] | None = None


# --- OCR engine -------------------------------------------------------------------------------


def ocr_available() -> bool:
    """Whether the OCR extra (rapidocr_onnxruntime) can be imported."""
    try:
        import cv2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def _engine(source: str) -> Any:
    """The OCR engine, built once, with the models packaged in the wheel."""
    global _ENGINE
    if _ENGINE is None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError:
            raise GongkaiError(f"这是扫描件（图片），{INSTALL_HINT}", path=source) from None
        _ENGINE = RapidOCR(
            print_verbose=False,
            use_cls=False,  # pages are upright; straightening happens before
            max_side_len=MAX_SIDE,
            det_limit_type="max",  # never enlarge a short band of text (the default makes it 736 high)
            rec_img_shape=[3, 48, REC_MIN_WIDTH],
            rec_batch_num=REC_BATCH,
            intra_op_num_threads=THREADS,
            inter_op_num_threads=THREADS,
        )
    return _ENGINE


def _cv2(source: str) -> Any:
    try:
        import cv2
    except ImportError:
        raise GongkaiError(f"这是扫描件（图片），{INSTALL_HINT}", path=source) from None
    return cv2


# --- entry points -----------------------------------------------------------------------------


def read_scan_pdf(data: bytes, source: str = "") -> Document:
    """Read a PDF whose pages are images: each page is rendered and read with OCR."""
    engine = _engine(source)
    pdf = _open_pdf(data, source)
    try:
        n = len(pdf)
        if n == 0:
            raise GongkaiError("PDF文件没有页面", path=source)
        if n > MAX_PAGES:
            raise GongkaiError(f"PDF文件有 {n} 页，超过 {MAX_PAGES} 页的上限", path=source)
        blocks = _read_run(engine, pdf, [(i, None) for i in range(1, n + 1)], source)
    finally:
        pdf.close()
    return Document(blocks, source=source, carrier="image")


Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points from the page's top-left


def read_pdf_images(data: bytes, runs: list[list[tuple[int, Box | None]]], source: str = "") -> list[list[Block]]:
    """Read parts of a PDF that have no text layer: for the PDF reader's scanned pages and
    pictures. Each run is a list of (page number, box or None for the whole page) read as
    one stretch, so a table may run on from one page to the next; one list of blocks per run.
    A picture that is not a document (a photo: little white paper) gives no blocks."""
    engine = _engine(source)
    count = sum(len(run) for run in runs)
    if count > MAX_PAGES:
        raise GongkaiError(f"PDF文件中有 {count} 处图片需要识别，超过 {MAX_PAGES} 处的上限", path=source)
    pdf = _open_pdf(data, source)
    try:
        return [_read_run(engine, pdf, run, source) for run in runs]
    finally:
        pdf.close()


def _open_pdf(data: bytes, source: str) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        msg = "PDF文件有密码保护，无法读取" if "password" in str(e).lower() else "PDF文件已损坏或不完整，无法打开"
        raise GongkaiError(msg, path=source) from None


def _read_run(engine: Any, pdf: Any, run: list[tuple[int, Box | None]], source: str) -> list[Block]:
    """Pages, or boxes of pages, rendered and read one after the other into blocks."""
    reader = _Reader(engine, source)
    for number, box in run:
        gray = _render(pdf, number, box, source)
        if box is not None and (gray >= PAPER_LEVEL).mean() < PAPER_SHARE:
            continue  # a photo, not a page or a table
        reader.page(gray, number)
    return reader.finish()


def _render(pdf: Any, number: int, box: Box | None, source: str) -> np.ndarray:
    """A page, or the part of it inside ``box``, as an 8-bit grayscale array at PDF_DPI."""
    import pypdfium2 as pdfium

    page = pdf[number - 1]
    try:
        w, h = page.get_size()
        crop, area = (0.0, 0.0, 0.0, 0.0), w * h
        if box is not None:
            x0, top, x1, bottom = box
            crop = (max(0.0, x0), max(0.0, h - bottom), max(0.0, w - x1), max(0.0, top))  # left, bottom, right, top
            area = (x1 - x0) * (bottom - top)
        scale = min(PDF_DPI / 72, (MAX_PIXELS / 4 / max(area, 1)) ** 0.5)
        bitmap = page.render(scale=scale, grayscale=True, crop=crop)
        return np.array(bitmap.to_pil().convert("L"))
    except pdfium.PdfiumError:
        raise GongkaiError(f"第{number}页无法渲染，PDF文件可能已损坏", path=source) from None
    finally:
        page.close()


def read_image(data: bytes, source: str = "") -> Document:
    """Read a scanned page image (PNG, JPEG, TIFF with any number of pages, BMP)."""
    return read_images([(data, source)])


def read_images(files: Sequence[tuple[bytes, str]]) -> Document:
    """Read image files, given as (bytes, name), as the pages of one document in the order
    given; a file with several frames (TIFF) gives that many pages. One reader reads them
    all, so a table running off one image continues on the next, and pages are numbered
    through. Every page is decoded before any is read, so a broken or oversized file is
    refused at once; errors name the file. The document is named after the first file."""
    if not files:
        raise GongkaiError("没有给出图片文件")
    source = files[0][1]
    engine = _engine(source)
    several = len(files) > 1
    count = 0
    for data, name in files:  # decode everything first: no OCR is spent on a batch that fails
        for _page in _pages(data, name, count, several):
            count += 1
    reader = _Reader(engine, source)
    number = 0
    for data, name in files:
        for page, dpi in _pages(data, name, number, several):
            number += 1
            with _decoding(name):
                reader.page(_to_gray(page, dpi), number)
    return Document(reader.finish(), source=source, carrier="image")


def _pages(data: bytes, name: str, before: int, several: bool) -> Iterator[tuple[Any, float]]:
    """The pages of one image file, decoded, upright, with their resolution (dpi, 0 when
    unknown); ``before`` pages of the same document came from earlier files."""
    from PIL import Image, ImageOps, ImageSequence

    try:
        im = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise GongkaiError("图片尺寸过大，无法读取", path=name) from None
    except (OSError, SyntaxError, ValueError):
        raise GongkaiError("文件不是可识别的图片（支持PNG、JPEG、TIFF、BMP），无法读取", path=name) from None
    with im, _decoding(name):
        for i, frame in enumerate(ImageSequence.Iterator(im)):
            if before + i >= MAX_PAGES:
                limit = f"这些图片合计超过 {MAX_PAGES} 页的上限" if several else f"图片超过 {MAX_PAGES} 页的上限"
                raise GongkaiError(limit, path=name)
            if frame.width * frame.height > MAX_PIXELS or _peak_bytes(frame, rotate=i == 0) > MAX_IMAGE_BYTES:
                raise GongkaiError("图片尺寸过大，无法读取", path=name)  # checked before decoding anything
            _load_strictly(frame)
            page = ImageOps.exif_transpose(frame) if i == 0 else frame
            dpi = page.info.get("dpi", (0, 0))[0] if isinstance(page.info.get("dpi"), tuple) else 0
            yield page, float(dpi or 0)


def _peak_bytes(frame, rotate: bool) -> int:
    """The most memory a page takes from decoding to gray (``_to_gray``), from its declared mode
    and size: Pillow keeps 1, 2 or 4 bytes a pixel (RGB takes 4) and an 8-byte pointer a row in
    each image, and the page is copied on the way (turned upright; composed on white: three
    RGBA images; 16- and 32-bit: arrays). A 74-byte PNG declaring 1×119,000,000 pixels passes a
    pixel count but would take gigabytes in row pointers alone."""
    mode = frame.mode
    own = 1 if mode in ("1", "L", "P") else 2 if mode.startswith("I;16") else 4
    if mode in ("RGBA", "LA", "La", "PA", "RGBa") or (mode == "P" and "transparency" in frame.info):
        per_pixel, images = own + 13, 5  # RGBA, white, composed, gray
    elif mode.startswith("I"):
        per_pixel, images = own + 10, 3  # array, float32 array, gray
    else:
        per_pixel, images = own + 1, 2  # gray
    if rotate:
        per_pixel, images = per_pixel + own, images + 1
    return frame.height * (frame.width * per_pixel + 8 * images)


@contextmanager
def _decoding(name: str) -> Iterator[None]:
    """Pillow's complaints about a broken file, as a Chinese message naming it."""
    from PIL import Image

    try:
        yield
    except GongkaiError:
        raise
    except Image.DecompressionBombError:
        raise GongkaiError("图片尺寸过大，无法读取", path=name) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise GongkaiError("图片文件已损坏或不完整，无法读取", path=name) from None


def _load_strictly(frame) -> None:
    """Decode a frame, refusing a truncated file even when another library (WeasyPrint does,
    on import) has told Pillow to accept truncated images process-wide."""
    from PIL import ImageFile

    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        frame.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _to_gray(im, dpi: float) -> np.ndarray:
    """A page as an 8-bit grayscale array at about 200 dpi."""
    from PIL import Image

    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
        white = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(white, im)
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        a = np.asarray(im).astype(np.float32)
        a *= 255 / (float(a.max()) or 1.0)
        im = Image.fromarray(a.astype(np.uint8), "L")
    im = im.convert("L")
    scale = 1.0
    if 100 <= dpi <= 1200:
        scale = PDF_DPI / dpi
    side = max(im.size) * scale
    if side > MAX_SIDE:
        scale *= MAX_SIDE / side
    elif side < MIN_SIDE:
        scale *= MIN_SIDE / side
    if abs(scale - 1) > 0.05:
        size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
        # reducing_gap: shrink by a whole factor first when scaling down more than 3 times, so
        # the filter's weights stay small whatever the page's length
        im = im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0 if scale < 1 else None)
    return np.array(im)


# --- pages ------------------------------------------------------------------------------------


@dataclass
class _Line:
    """A line of text outside the tables."""

    text: str
    left: int
    right: int
    top: int
    height: int
    page: int
    width: int  # page width
    score: float


@dataclass
class _Table:
    page: int
    top: int
    bottom: int
    xs: list[int]
    ys: list[int]
    rows: list[list[str]] = field(default_factory=list)
    copies: set[tuple[int, int]] = field(default_factory=set)
    uncertain: set[tuple[int, int]] = field(default_factory=set)
    continues: bool = False  # continues the table that ended the previous page


class _Reader:
    """Reads pages one at a time and keeps only their text and grids."""

    def __init__(self, engine: Any, source: str) -> None:
        self.engine = engine
        self.cv2 = _cv2(source)
        self.source = source
        self.items: list[_Line | _Table] = []
        self.open_table: _Table | None = None  # a table ending its page: may continue

    def page(self, gray: np.ndarray, number: int) -> None:
        if progress is not None:
            progress()
        cv2 = self.cv2
        ink = _binarise(cv2, gray)
        angle = _skew(cv2, ink)
        if abs(angle) > 0.05:
            gray = _rotate(cv2, gray, angle)
            ink = _binarise(cv2, gray)
        tables = _find_tables(cv2, ink)
        lines_by_band: list[list[_Line]] = []
        bands = _bands(gray.shape[0], tables)
        for top, bottom in bands:
            lines_by_band.append(self._text_lines(gray[top:bottom], top, number, gray.shape[1]))
        page_tables: list[_Table] = []
        for k, (top, bottom, left, right) in enumerate(tables):
            before = [ln for band in lines_by_band[: k + 1] for ln in band if not PAGE_NUMBER.match(ln.text)]
            prev = self.open_table if (k == 0 and not before) else None
            page_tables.append(self._table(gray, ink, number, (top, bottom, left, right), prev))
        self.open_table = None
        for k, band in enumerate(lines_by_band):
            self.items.extend(band)
            if k < len(page_tables):
                self.items.append(page_tables[k])
        if page_tables:
            after = [ln for ln in lines_by_band[-1] if not PAGE_NUMBER.match(ln.text)]
            if not after:
                self.open_table = page_tables[-1]

    def _text_lines(self, band: np.ndarray, offset: int, page: int, width: int) -> list[_Line]:
        """Text lines found in a horizontal band of the page, top to bottom."""
        dark = np.nonzero((band < 128).sum(axis=1) >= 2)[0]
        if len(dark) < 4:
            return []
        y0, y1 = max(0, dark[0] - 12), min(band.shape[0], dark[-1] + 13)
        crop = band[y0:y1]
        # Find the text on a reduced copy, read it on the full-size page.
        scale = min(1.0, DET_SIDE / max(crop.shape))
        small = (
            crop if scale == 1.0 else self.cv2.resize(crop, None, fx=scale, fy=scale, interpolation=self.cv2.INTER_AREA)
        )
        found, _ = self.engine(np.ascontiguousarray(np.dstack([small] * 3)), use_rec=False, use_cls=False)
        places, crops = [], []
        for box in found or []:
            quad = np.array(box, dtype=np.float32) / scale
            piece = _warp_box(self.cv2, crop, quad)
            if piece is None:
                continue
            crops.append(piece)
            top, bottom = int(quad[:, 1].min()), int(quad[:, 1].max())
            places.append((top + y0 + offset, bottom + y0 + offset, int(quad[:, 0].min()), int(quad[:, 0].max())))
        boxes = []
        if crops:
            results, _ = self.engine.text_rec(crops)
            for (top, bottom, left, right), (text, score) in zip(places, results, strict=True):
                text = text.strip()
                if text and float(score) >= TEXT_SCORE:
                    boxes.append((top, bottom, left, right, text, float(score)))
        return _group_lines(boxes, page, width)

    def _table(self, gray, ink, page: int, bbox, prev: _Table | None) -> _Table:
        top, bottom, left, right = bbox
        region = ink[top : bottom + 1, left : right + 1]
        ys, xs = _line_positions(self.cv2, region)
        ys = [y + top for y in ys]
        xs = [x + left for x in xs]
        narrower = prev is not None and _same_columns(prev.xs, xs, gray.shape[1])
        wider = prev is not None and not narrower and _same_columns(xs, prev.xs, gray.shape[1])
        continues = narrower or wider  # wider: the grid gains columns when the rows are joined
        if narrower:
            xs = prev.xs
        xs, ys, right, below = _grid_lines(self.cv2, ink, xs, ys)
        if narrower and xs != prev.xs:  # keep the previous page's columns, merged here
            xs = prev.xs
            right, below = _boundaries(*_segment_masks(self.cv2, ink, xs, ys), xs, ys)
        table = _Table(page, top, bottom, xs, ys, continues=continues)
        regions = _merge_cells(right, below)
        cells = [_cell_runs(ink, xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]) for r0, c0, r1, c1 in regions]
        heights = sorted(b - a for _cell, runs in cells for a, b in runs)
        typical = max(heights[len(heights) // 2], 12) if heights else 30
        crops, owners = [], []
        texts: dict[int, list[str]] = {}
        scores: dict[int, float] = {}
        for k, ((r0, c0, _r1, _c1), (cell, runs)) in enumerate(zip(regions, cells, strict=True)):
            for a, b in runs:
                for p, q in _split_run(cell, a, b, typical):
                    crop = _line_crop(gray, cell, xs[c0], ys[r0], p, q)
                    if crop is not None:
                        crops.append(crop)
                        owners.append(k)
        if crops:
            results, _ = self.engine.text_rec(crops)
            for k, (text, score) in zip(owners, results, strict=True):
                texts.setdefault(k, []).append(text.strip())
                scores[k] = min(scores.get(k, 1.0), float(score))
        n_rows, n_cols = len(ys) - 1, len(xs) - 1
        rows = [[""] * n_cols for _ in range(n_rows)]
        for k, (r0, c0, r1, c1) in enumerate(regions):
            text, doubtful = _clean_cell(join_wrapped(texts.get(k, [])))
            low = scores.get(k, 1.0) < MIN_CONFIDENCE
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    rows[r][c] = text
                    if c > c0:
                        table.copies.add((r, c))
                    if doubtful or (low and _looks_like_value(text)):
                        table.uncertain.add((r, c))
        _mark_values(rows, table.uncertain, {(r, c) for r, c in table.copies})
        table.rows = rows
        return table

    def finish(self) -> list[Block]:
        blocks: list[Block] = []
        para: list[_Line] = []
        grid: Grid | None = None
        grid_xs: list[int] = []

        def flush() -> None:
            if para:
                text = DIGIT_COMMA_RE.sub(",", join_wrapped([ln.text for ln in para]))
                blocks.append(Paragraph(text, where=f"第{para[0].page}页"))
                para.clear()

        lines = [it for it in self.items if isinstance(it, _Line)]
        body = _body_extent(lines)
        for item in self.items:
            if isinstance(item, _Table):
                flush()
                if item.continues and grid is not None:
                    if len(item.xs) > len(grid_xs):
                        _widen(grid, grid_xs, item.xs)
                        grid_xs = item.xs
                else:
                    grid, grid_xs = Grid(rows=[], exact=True), item.xs
                    blocks.append(grid)
                _append_rows(grid, item)
                continue
            if PAGE_NUMBER.match(item.text):
                continue
            if para and _starts_paragraph(para[-1], item, body):
                flush()
            para.append(item)
        flush()
        return [b for b in blocks if not isinstance(b, Grid) or b.rows]


# --- image processing -------------------------------------------------------------------------


def _binarise(cv2, gray: np.ndarray) -> np.ndarray:
    """Ink as 255, paper as 0 (Otsu's threshold, never lighter than mid-gray)."""
    t, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return np.where(gray <= min(t, 160), 255, 0).astype(np.uint8)


def _skew(cv2, ink: np.ndarray) -> float:
    """The page's tilt in degrees, from its long horizontal lines (0 when it has none)."""
    _h, w = ink.shape
    thick = cv2.dilate(ink, np.ones((3, 1), np.uint8))
    horiz = cv2.morphologyEx(thick, cv2.MORPH_OPEN, np.ones((1, 40), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(horiz, connectivity=8)
    angles, weights = [], []
    for k in range(1, n):
        x, y, cw, ch, _area = stats[k]
        if cw < w / 6 or ch > cw * 0.1:
            continue
        yy, xx = np.nonzero(labels[y : y + ch, x : x + cw] == k)
        slope = np.polyfit(xx, yy, 1)[0]
        angles.append(np.degrees(np.arctan(slope)))
        weights.append(cw)
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cum = np.cumsum(np.array(weights)[order])
    angle = float(np.array(angles)[order][np.searchsorted(cum, cum[-1] / 2)])
    return angle if abs(angle) <= MAX_SKEW else 0.0


def _rotate(cv2, gray: np.ndarray, angle: float) -> np.ndarray:
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def _line_masks(cv2, ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, 40), np.uint8))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((30, 1), np.uint8))
    return horiz, vert


def _find_tables(cv2, ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (top, bottom, left, right) of ruled tables, top to bottom."""
    _h, w = ink.shape
    horiz, vert = _line_masks(cv2, ink)
    joined = cv2.dilate(horiz | vert, np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for k in range(1, n):
        x, y, cw, ch, _area = stats[k]
        if cw < w * 0.2 or ch < 40:
            continue
        region = labels[y : y + ch, x : x + cw] == k
        n_h = _count_runs(((horiz[y : y + ch, x : x + cw] > 0) & region).sum(axis=1) >= cw * 0.1)
        n_v = _count_runs(((vert[y : y + ch, x : x + cw] > 0) & region).sum(axis=0) >= min(ch * 0.1, 30))
        if n_h >= 2 and n_v >= 2:
            boxes.append((int(y), int(y + ch - 1), int(x), int(x + cw - 1)))
    return sorted(boxes)


def _count_runs(flags: np.ndarray) -> int:
    return len(_runs(flags))


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True values; end exclusive."""
    padded = np.concatenate([[False], flags.astype(bool), [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _line_positions(cv2, region: np.ndarray) -> tuple[list[int], list[int]]:
    """Rows of horizontal and columns of vertical ruling lines inside a table's box."""
    h, w = region.shape
    horiz, vert = _line_masks(cv2, region)
    ys = [(a + b - 1) // 2 for a, b in _runs((horiz > 0).sum(axis=1) >= max(40, w * 0.05))]
    xs = [(a + b - 1) // 2 for a, b in _runs((vert > 0).sum(axis=0) >= 30)]
    ys = _ends(ys, h)
    xs = _ends(xs, w)
    return ys, xs


def _ends(pos: list[int], size: int) -> list[int]:
    """Line positions with the box's own edges, closer lines merged."""
    pos = sorted(set([0, *pos, size - 1]))
    out: list[int] = []
    for p in pos:
        if out and p - out[-1] < 12:
            out[-1] = (out[-1] + p) // 2 if out[-1] > 0 and p < size - 1 else (0 if out[-1] == 0 else size - 1)
            continue
        out.append(p)
    return out


def _same_columns(prev: list[int], xs: list[int], width: int) -> bool:
    """Whether a table's column lines are those of the previous page's table (or a subset)."""
    tol = max(8, width // 150)
    if abs(prev[0] - xs[0]) > tol or abs(prev[-1] - xs[-1]) > tol:
        return False
    return all(min(abs(x - p) for p in prev) <= tol for x in xs)


def _segment_masks(cv2, ink: np.ndarray, xs: list[int], ys: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical line pixels, keeping only runs longer than any text stroke.

    A stroke of text is shorter than the row (column) holding it, so a kernel a little
    shorter than the smallest row (column) keeps ruling lines and drops text.
    """
    min_row = min((b - a for a, b in itertools.pairwise(ys)), default=40)
    min_col = min((b - a for a, b in itertools.pairwise(xs)), default=40)
    kv = int(np.clip(min_row - 4, 10, 60))
    kh = int(np.clip(min_col - 4, 10, 60))
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, kh), np.uint8))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((kv, 1), np.uint8))
    return horiz, vert


def _has_line(mask: np.ndarray, vertical: bool, at: int, a: int, b: int) -> bool:
    """Whether a ruling line runs along ``at`` from ``a`` to ``b`` (mostly unbroken)."""
    tol = 4
    a, b = a + 3, b - 2
    if b <= a:
        return True
    if vertical:
        covered = mask[a:b, max(0, at - tol) : at + tol + 1].any(axis=1)
    else:
        covered = mask[max(0, at - tol) : at + tol + 1, a:b].any(axis=0)
    return bool(covered.mean() >= 0.8)


def _boundaries(horiz, vert, xs: list[int], ys: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Which cell edges have a line: right edges (rows x cols-1) and bottom edges (rows-1 x cols)."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    right = np.ones((n_rows, max(n_cols - 1, 0)), bool)
    below = np.ones((max(n_rows - 1, 0), n_cols), bool)
    for r in range(n_rows):
        for c in range(n_cols - 1):
            right[r, c] = _has_line(vert, True, xs[c + 1], ys[r], ys[r + 1])
    for r in range(n_rows - 1):
        for c in range(n_cols):
            below[r, c] = _has_line(horiz, False, ys[r + 1], xs[c], xs[c + 1])
    return right, below


def _grid_lines(cv2, ink: np.ndarray, xs: list[int], ys: list[int]):
    """Line positions without any that bound no cell, and the cell edges that have a line."""
    horiz, vert = _segment_masks(cv2, ink, xs, ys)
    while True:
        right, below = _boundaries(horiz, vert, xs, ys)
        drop_x = [c + 1 for c in range(right.shape[1]) if not right[:, c].any()]
        drop_y = [r + 1 for r in range(below.shape[0]) if not below[r].any()]
        if not drop_x and not drop_y:
            return xs, ys, right, below
        xs = [x for i, x in enumerate(xs) if i not in drop_x]
        ys = [y for i, y in enumerate(ys) if i not in drop_y]


def _merge_cells(right: np.ndarray, below: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Merged cells as (first row, first col, last row, last col); a missing line merges."""
    n_rows, n_cols = right.shape[0], below.shape[1]
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not right[r, c]:
                parent[find(r * n_cols + c + 1)] = find(r * n_cols + c)
            if r + 1 < n_rows and not below[r, c]:
                parent[find((r + 1) * n_cols + c)] = find(r * n_cols + c)
    spans: dict[int, list[int]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            s = spans.setdefault(find(r * n_cols + c), [r, c, r, c])
            s[0], s[1], s[2], s[3] = min(s[0], r), min(s[1], c), max(s[2], r), max(s[3], c)
    # A merge that is not a rectangle (a broken line somewhere): the bounding rectangle wins,
    # and positions covered twice keep the first region.
    out, taken = [], set()
    for r0, c0, r1, c1 in sorted(tuple(s) for s in spans.values()):
        cells = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        if cells & taken:
            continue
        taken |= cells
        out.append((r0, c0, r1, c1))
    return out


CELL_MARGIN = 6


def _cell_runs(ink: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """A cell's ink (ruling lines left out) and the rows holding its text, top to bottom."""
    m = CELL_MARGIN
    if x1 - x0 <= 2 * m or y1 - y0 <= 2 * m:
        return np.zeros((0, 0), np.uint8), []
    cell = _drop_border_lines(ink[y0 + m : y1 - m + 1, x0 + m : x1 - m + 1])
    rows = cell.sum(axis=1) // 255
    runs = [(a, b) for a, b in _runs(rows > 0) if rows[a:b].sum() >= 6]
    return cell, _merge_runs(runs)


def _split_run(cell: np.ndarray, a: int, b: int, typical: float) -> list[tuple[int, int]]:
    """A run taller than one line of text, cut where the ink is thinnest between lines."""
    n = round((b - a) / (typical * 1.15))
    if n < 2:
        return [(a, b)]
    profile = cell[a:b].sum(axis=1)
    cuts, step = [a], (b - a) / n
    for k in range(1, n):
        lo, hi = int(k * step - step * 0.3), int(k * step + step * 0.3)
        cuts.append(a + lo + int(np.argmin(profile[lo:hi])))
    cuts.append(b)
    return [(p, q) for p, q in itertools.pairwise(cuts) if q - p >= 5]


def _line_crop(gray: np.ndarray, cell: np.ndarray, x0: int, y0: int, a: int, b: int) -> np.ndarray | None:
    """One text line of a cell, padded with white, as a BGR image for recognition."""
    cols = np.flatnonzero(cell[a:b].any(axis=0))
    if len(cols) == 0 or b - a < 5:
        return None
    rows = np.flatnonzero(cell[a:b].any(axis=1))
    a, b = a + int(rows[0]), a + int(rows[-1]) + 1
    m = CELL_MARGIN
    piece = gray[y0 + m + a : y0 + m + b, x0 + m + int(cols[0]) : x0 + m + int(cols[-1]) + 1]
    piece = np.pad(piece, max(6, (b - a) // 3), constant_values=255)
    return np.ascontiguousarray(np.dstack([piece] * 3))


def _drop_border_lines(cell: np.ndarray) -> np.ndarray:
    """Blank the remains of a ruling line along the edges of a cell crop."""
    cell = cell.copy()
    h, w = cell.shape
    for i in list(range(min(4, h))) + list(range(max(0, h - 4), h)):
        if cell[i].mean() > 0.6 * 255:
            cell[i] = 0
    for j in list(range(min(4, w))) + list(range(max(0, w - 4), w)):
        if cell[:, j].mean() > 0.6 * 255:
            cell[:, j] = 0
    return cell


def _merge_runs(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join pieces of one text line (二, 三 and the like leave gaps inside a line)."""
    if not runs:
        return runs
    heights = sorted(b - a for a, b in runs)
    typical = max(heights[len(heights) // 2], heights[-1] * 0.6, 12)
    out = [runs[0]]
    for a, b in runs[1:]:
        pa, pb = out[-1]
        if a - pb <= 2 or (b - pa <= typical * 1.25 and a - pb < typical * 0.5):
            out[-1] = (pa, b)
        else:
            out.append((a, b))
    return out


# --- text -------------------------------------------------------------------------------------


def _bands(height: int, tables: list[tuple[int, int, int, int]]) -> list[tuple[int, int]]:
    """The horizontal bands of a page above, between and below its tables."""
    bands, y = [], 0
    for top, bottom, _l, _r in tables:
        bands.append((y, max(y, top - 2)))
        y = bottom + 3
    bands.append((min(y, height), height))
    return bands


def _warp_box(cv2, image: np.ndarray, quad: np.ndarray) -> np.ndarray | None:
    """The text inside a detected quadrilateral, straightened and padded, as BGR."""
    width = int(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3])))
    height = int(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2])))
    if width < 4 or height < 4:
        return None
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(quad, target)
    piece = cv2.warpPerspective(image, m, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    piece = np.pad(piece, 4, constant_values=255)
    return np.ascontiguousarray(np.dstack([piece] * 3))


def _group_lines(boxes: list[tuple], page: int, width: int) -> list[_Line]:
    """Detected text boxes grouped into lines by their vertical overlap."""
    boxes.sort(key=lambda b: (b[0] + b[1]) / 2)
    groups: list[list[tuple]] = []
    for b in boxes:
        for g in groups[-3:]:
            top = max(x[0] for x in g)
            bottom = min(x[1] for x in g)
            overlap = min(bottom, b[1]) - max(top, b[0])
            if overlap > 0.5 * min(bottom - top, b[1] - b[0]):
                g.append(b)
                break
        else:
            groups.append([b])
    lines = []
    for g in groups:
        g.sort(key=lambda b: b[2])
        text = g[0][4]
        for a, b in itertools.pairwise(g):  # a wide gap (a borderless table's columns) stays a space
            text += (" " if b[2] - a[3] > 0.8 * (b[1] - b[0]) else "") + b[4]
        top = min(b[0] for b in g)
        lines.append(
            _Line(
                text=text,
                left=int(g[0][2]),
                right=int(max(b[3] for b in g)),
                top=int(top),
                height=int(max(b[1] for b in g) - top),
                page=page,
                width=width,
                score=min(b[5] for b in g),
            )
        )
    return lines


def _body_extent(lines: list[_Line]) -> dict[int, tuple[int, int, float]]:
    """Per page: the text's left and right edges and its typical line height."""
    out = {}
    for page in {ln.page for ln in lines}:
        ls = [ln for ln in lines if ln.page == page and not PAGE_NUMBER.match(ln.text)]
        if not ls:
            continue
        heights = sorted(ln.height for ln in ls)
        lefts = sorted(ln.left for ln in ls)
        rights = sorted(ln.right for ln in ls)
        out[page] = (lefts[len(lefts) // 10], rights[-1 - len(rights) // 10], heights[len(heights) // 2])
    return out


def _starts_paragraph(prev: _Line, line: _Line, body: dict[int, tuple[int, int, float]]) -> bool:
    """Whether ``line`` begins a new paragraph rather than continuing ``prev``."""
    if prev.text.rstrip()[-1:] in TERMINAL:
        return True
    left, _right, h = body.get(line.page, (0, line.width, 30))
    _p_left, p_right, p_h = body.get(prev.page, (0, prev.width, 30))
    tall, prev_tall = line.height > 1.3 * h, prev.height > 1.3 * p_h
    if tall or prev_tall:  # a title: its lines join one another, never the body
        return tall != prev_tall or abs(line.height - prev.height) > 0.25 * max(line.height, prev.height)
    if prev.right < p_right - 2 * p_h:  # the previous line stops short: its paragraph ended
        return True
    return line.left > left + 1.2 * h  # indented: a new paragraph


# --- cells ------------------------------------------------------------------------------------

FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")


def _clean_cell(text: str) -> tuple[str, bool]:
    """A cell's text with digits normalised, and whether it looks misread."""
    s = re.sub(r"\s+", "", text)
    if not s:
        return "", False
    digits = s.translate(FULL_WIDTH)
    if NUMERIC_RE.match(digits):
        return digits, False
    if len(digits) > 1 and digits[0] in DASHES and NUMERIC_RE.match(digits[1:]):
        return "-" + digits[1:], True  # a minus sign read as a dash: keep it, but doubt it
    if LOOKALIKE_RE.match(digits):
        fixed = digits.translate(MISREAD)
        if any(ch.isdigit() for ch in digits) and NUMERIC_RE.match(fixed):
            return fixed, True
        return text.strip(), True  # a lone O, l or 丨: not turned into a number
    return text.strip(), False


def _looks_like_value(text: str) -> bool:
    return not text or bool(NUMERIC_RE.match(text) or NULL.match(text)) or len(text) <= 3


def _mark_values(rows: list[list[str]], uncertain: set[tuple[int, int]], copies: set[tuple[int, int]]) -> None:
    """In a row of numbers, a cell right of the first number holding neither a number nor a
    blank marker is where a digit was expected: list it as uncertain."""
    for r, row in enumerate(rows):
        numeric = [c for c, t in enumerate(row) if NUMERIC_RE.match(t) and (r, c) not in copies]
        if len(numeric) < 2:
            continue
        for c in range(numeric[0], len(row)):
            t = row[c]
            if t and not NUMERIC_RE.match(t) and not NULL.match(t):
                uncertain.add((r, c))


def _append_rows(grid: Grid, table: _Table) -> None:
    rows = table.rows
    skip = header_repeats(grid.rows, rows)  # a header repeated on the new page is not a second header
    if grid.rows and skip < len(rows) and row_tail(grid.rows[-1], rows[skip]):
        grid.rows[-1] = join_rows(grid.rows[-1], rows[skip])  # a row broken by the page: its label ends on this page
        skip += 1
    base = len(grid.rows) - skip
    for i, row in enumerate(rows[skip:], start=skip):
        grid.rows.append(row)
        grid.where.append(f"第{table.page}页表格第{i + 1}行")
    grid.copies.update((r + base, c) for r, c in table.copies if r >= skip)
    grid.uncertain.update((r + base, c) for r, c in table.uncertain if r >= skip)


def _widen(grid: Grid, old_xs: list[int], new_xs: list[int]) -> None:
    """Split a grid's columns at the lines of a continuation with more columns."""
    owner = [max(0, int(np.searchsorted(old_xs, (a + b) / 2)) - 1) for a, b in itertools.pairwise(new_xs)]
    owner = [min(j, len(old_xs) - 2) for j in owner]
    copies, uncertain = set(), set()
    for r, row in enumerate(grid.rows):
        grid.rows[r] = [row[j] if j < len(row) else "" for j in owner]
        for k, j in enumerate(owner):
            if (k > 0 and owner[k - 1] == j) or (r, j) in grid.copies:
                copies.add((r, k))
            if (r, j) in grid.uncertain:
                uncertain.add((r, k))
    grid.copies, grid.uncertain = copies, uncertain


__all__ = ["ocr_available", "read_image", "read_images", "read_pdf_images", "read_scan_pdf"]
