"""Scanned reports (image-only PDFs, page images) read with OCR, compared cell by cell.

The fixtures in ``tests/corpus/scan`` are made by ``tests/corpus/scan/make_scans.py``:
reports with every cell a distinct number, rendered to DOCX, printed to PDF by
LibreOffice, rasterised and degraded (rotation, noise, JPEG), and a scan of a real report.
"""

from __future__ import annotations

import functools
import io
import json
import socket
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from gongkai.errors import GongkaiError
from gongkai.extract import extract
from gongkai.ingest import read_page_images, scan
from gongkai.ingest.model import Document, Grid
from gongkai.report import Report

from .conftest import SEEDS, reuse_ocr_reads
from .test_roundtrip import generated

SCANS = Path(__file__).parent / "corpus" / "scan"

needs_ocr = pytest.mark.skipif(
    not scan.ocr_available(),
    reason="!!! OCR 组件 rapidocr_onnxruntime 未安装，扫描件测试全部跳过：pip install 'gongkai[ocr]' !!!",
)


def cell_scores(expected: dict, got: Report, uncertain: set[str] = frozenset()) -> tuple[float, list[str]]:
    """Cell F1 (a null is a blank, not a value) and the wrong cells not flagged uncertain."""
    tp = fp = fn = 0
    unflagged = []
    for cid, want in expected.items():
        have = got.cells.get(cid)
        if want is not None and have is not None and have == want:
            tp += 1
            continue
        if have is not None:
            fp += 1
        if want is not None:
            fn += 1
        if have is not None and cid not in uncertain:
            unflagged.append(f"{cid}: 应为 {want}，读出 {have}")
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    return f1, unflagged


def uncertain_ids(doc: Document, report: Report) -> set[str]:
    """Cell ids the mapping step reports as uncertain (issue ``ocr-uncertain``)."""
    return {cid for i in report.issues if i.code == "ocr-uncertain" for cid in i.cells}


@functools.cache
def gb2021_scan() -> Document:
    return scan.read_scan_pdf((SCANS / "gb2021-scan.pdf").read_bytes(), "gb2021-scan.pdf")


GB2019_PAGES = [SCANS / f"gb2019-{n}.jpg" for n in (1, 2, 3)]

# Table 三 of gb2019 starts at the foot of page 1 (its header and the row 一、本年新收…) and
# goes on on page 2 with more column lines. Read as three separate documents these cells
# were lost (null); read as the pages of one, page 2 continues the table of page 1.
CONTINUED = {
    "t3.new.business": 27,
    "t3.new.research": 28,
    "t3.new.nonprofit": 29,
    "t3.new.legal_service": 30,
    "t3.new.org_other": 31,
    "t3.new.total": 32,
}


@pytest.fixture(scope="module")
def gb2019_pages() -> Document:
    """The three JPEG pages read as one report by the product's reader, once per session
    (conftest.reuse_ocr_reads: the command line and review tests read the same bytes)."""
    with pytest.MonkeyPatch.context() as mp:
        reuse_ocr_reads(mp)
        return read_page_images(GB2019_PAGES)


def check(doc: Document, expected: dict) -> Report:
    report = extract(doc)
    f1, unflagged = cell_scores(expected, report, uncertain_ids(doc, report))
    assert f1 >= 0.98, f"cell F1 {f1:.3f}; wrong: {unflagged}"
    assert not unflagged, unflagged
    return report


# --- generated reports ------------------------------------------------------------------------


@pytest.mark.ocr
@needs_ocr
def test_scanned_pdf_gb2021():
    doc = gb2021_scan()
    assert doc.carrier == "image"
    source = generated("gb2021")
    report = check(doc, source.cells)
    assert (report.format, report.year) == ("gb2021", 2023)
    assert report.agency == source.agency


@pytest.mark.ocr
@needs_ocr
def test_jpeg_pages_gb2019(gb2019_pages):
    expected = generated("gb2019").cells
    report = check(gb2019_pages, expected)
    assert report.format == "gb2019"
    flagged = uncertain_ids(gb2019_pages, report)
    for cid, want in CONTINUED.items():
        assert expected[cid] == want
        assert report.cells[cid] is not None, cid
        assert report.cells[cid] == want or cid in flagged, (cid, report.cells[cid])


@pytest.mark.ocr
@needs_ocr
def test_pages_of_one_report_are_numbered_through(gb2019_pages):
    assert (gb2019_pages.source, gb2019_pages.carrier) == (str(GB2019_PAGES[0]), "image")
    t3 = [g for g in gb2019_pages.grids() if any("自然人" in c for row in g.rows for c in row)]
    assert len(t3) == 1  # one table over two image files
    assert t3[0].where[0].startswith("第1页") and t3[0].where[-1].startswith("第2页")
    assert gb2019_pages.grids()[-1].where[0].startswith("第3页")  # table 四, on the third file


def test_page_images_must_all_be_images(tmp_path):
    seed = tmp_path / "说明.txt"
    seed.write_bytes((SEEDS / "000_5ac34f26426a2d27.txt").read_bytes())
    fake = tmp_path / "第2页.jpg"
    fake.write_bytes((SCANS / "gb2021-scan.pdf").read_bytes()[:4000])
    for other, words in [(seed, "这是文本文件，不是图片"), (fake, "扩展名是 .jpg，但内容不是图片文件")]:
        with pytest.raises(GongkaiError) as e:
            read_page_images([GB2019_PAGES[0], other, GB2019_PAGES[2]])
        assert str(e.value).startswith(f"文件 {other}：") and words in str(e.value)
    with pytest.raises(GongkaiError, match="文件不存在"):
        read_page_images([GB2019_PAGES[0], tmp_path / "nope.jpg"])


@pytest.fixture
def no_page_is_read(monkeypatch):
    def read(self, gray, number):
        raise AssertionError("a page was read before every file was checked")

    monkeypatch.setattr(scan._Reader, "page", read)


@needs_ocr
def test_broken_page_is_refused_before_any_page_is_read(tmp_path, no_page_is_read):
    cut = tmp_path / "报告-2.jpg"
    data = GB2019_PAGES[1].read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(GongkaiError) as e:
        read_page_images([GB2019_PAGES[0], cut, GB2019_PAGES[2]])
    assert str(e.value) == f"文件 {cut}：图片文件已损坏或不完整，无法读取"


def png(size=(600, 800)) -> bytes:
    buf = io.BytesIO()
    Image.new("L", size, 255).save(buf, "PNG")
    return buf.getvalue()


def tiff(frames: int) -> bytes:
    buf = io.BytesIO()
    pages = [Image.new("L", (600, 800), 255) for _ in range(frames)]
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:])
    return buf.getvalue()


@needs_ocr
def test_page_limit_counts_every_file(monkeypatch, no_page_is_read):
    monkeypatch.setattr(scan, "MAX_PAGES", 3)
    with pytest.raises(GongkaiError) as e:
        scan.read_images([(png(), "a-1.png"), (tiff(2), "a-2.tif"), (png(), "a-3.png")])
    assert str(e.value) == "文件 a-3.png：这些图片合计超过 3 页的上限"
    with pytest.raises(GongkaiError) as e:
        scan.read_image(tiff(4), "four.tif")
    assert str(e.value) == "文件 four.tif：图片超过 3 页的上限"
    monkeypatch.setattr(scan, "MAX_PIXELS", 600 * 800)
    with pytest.raises(GongkaiError) as e:
        scan.read_images([(png(), "a-1.png"), (png((600, 801)), "a-2.png")])
    assert str(e.value) == "文件 a-2.png：图片尺寸过大，无法读取"


def test_every_file_is_turned_upright():
    """EXIF orientation applies to the first frame of each file, not only the first file's."""
    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: stored landscape, shown portrait
    Image.new("L", (800, 600), 255).save(buf, "JPEG", exif=exif, dpi=(300, 300))
    for before in (0, 5):
        ((page, dpi),) = list(scan._pages(buf.getvalue(), "p.jpg", before, True))
        assert (page.width, page.height, dpi) == (600, 800, 300)


@pytest.mark.ocr
@needs_ocr
def test_multipage_tiff_legacy():
    doc = scan.read_image((SCANS / "legacy-scan.tiff").read_bytes(), "legacy-scan.tiff")
    report = check(doc, generated("legacy").cells)
    assert report.format == "legacy"


@pytest.mark.ocr
@needs_ocr
def test_table_continues_over_pages():
    """Table 三 of gb2021 spans three pages: one grid, its repeated header dropped."""
    grids = gb2021_scan().grids()
    t3 = [g for g in grids if any("自然人" in c for row in g.rows for c in row)]
    assert len(t3) == 1
    headers = [row for row in t3[0].rows if any("自然人" in c for c in row)]
    assert len(headers) <= 2  # 自然人 sits in the header's merged cell, never repeated per page
    assert any(w.startswith("第3页") for w in t3[0].where)


# --- a real report ----------------------------------------------------------------------------


@pytest.mark.ocr
@needs_ocr
def test_scan_of_real_report():
    expected = json.loads((SCANS / "hongze-2023.expected.json").read_text("utf-8"))
    expected["cells"] = {k: Decimal(v) if isinstance(v, str) else v for k, v in expected["cells"].items()}
    doc = scan.read_scan_pdf((SCANS / "hongze-2023-scan.pdf").read_bytes(), "hongze-2023-scan.pdf")
    report = check(doc, expected["cells"])
    assert report.format == expected["format"]
    assert report.year == expected["year"]
    assert "洪泽区" in (report.agency or "")


# --- pages without tables, broken input -------------------------------------------------------


@pytest.mark.ocr
@needs_ocr
def test_image_without_table_gives_paragraphs():
    doc = scan.read_image((SCANS / "no-table.png").read_bytes(), "no-table.png")
    assert not doc.grids()
    text = doc.text()
    assert "政府信息公开" in text
    assert "总体情况" in text
    assert any(p.text.startswith("一、总体情况") for p in doc.paragraphs())


@needs_ocr
def test_blank_image():
    buf = io.BytesIO()
    Image.new("L", (800, 1100), 255).save(buf, "PNG")
    doc = scan.read_image(buf.getvalue(), "blank.png")
    assert doc.blocks == []


@needs_ocr
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("garbage.png", b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 50),
        ("random.jpg", bytes(range(256)) * 20),
        ("truncated.png", (SCANS / "no-table.png").read_bytes()[:2000]),
    ],
)
def test_broken_image_is_a_chinese_error(name, data):
    with pytest.raises(GongkaiError) as e:
        scan.read_image(data, name)
    assert name in str(e.value)
    assert "图片" in str(e.value)


@needs_ocr
def test_broken_pdf_is_a_chinese_error():
    data = (SCANS / "gb2021-scan.pdf").read_bytes()[:5000]
    with pytest.raises(GongkaiError) as e:
        scan.read_scan_pdf(data, "broken.pdf")
    assert "broken.pdf" in str(e.value)
    assert "PDF" in str(e.value)


def test_ocr_missing_is_explained(without_ocr):
    assert not scan.ocr_available()
    pages = lambda data, name: scan.read_images([(data, name), (data, "page-2.jpg")])  # noqa: E731
    for read in (scan.read_image, scan.read_scan_pdf, pages):
        with pytest.raises(GongkaiError) as e:
            read(b"whatever", "report-scan.pdf")
        message = str(e.value)
        assert "report-scan.pdf" in message
        assert 'pip install "gongkai[ocr]"' in message


@pytest.mark.ocr
@needs_ocr
def test_no_network(monkeypatch):
    """The models ship in the wheel: building the engine and reading never open a socket."""

    def refuse(*args, **kwargs):
        raise AssertionError("OCR tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(scan, "_ENGINE", None)
    doc = scan.read_image((SCANS / "no-table.png").read_bytes(), "no-table.png")
    assert doc.paragraphs()


# --- digits are never guessed -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "text", "doubtful"),
    [
        ("１２３", "123", False),
        ("1,234", "1,234", False),
        ("10.25", "10.25", False),
        ("-8", "-8", False),
        ("—8", "-8", True),
        ("1O5", "105", True),
        ("l2", "12", True),
        ("O", "O", True),
        ("丨", "丨", True),
        ("自然人", "自然人", False),
        ("/", "/", False),
        ("", "", False),
    ],
)
def test_cell_digits(raw, text, doubtful):
    assert scan._clean_cell(raw) == (text, doubtful)


def test_letters_where_numbers_are_expected_are_uncertain():
    rows = [["行政许可", "12", "3a", "14"], ["行政处罚", "5", "/", "7"]]
    uncertain: set[tuple[int, int]] = set()
    scan._mark_values(rows, uncertain, set())
    assert uncertain == {(0, 2)}


def test_grid_positions_survive_continuation():
    grid = Grid(rows=[])
    first = scan._Table(1, 0, 0, [], [], rows=[["表头", "甲"], ["行", "1"]], uncertain={(1, 1)})
    second = scan._Table(2, 0, 0, [], [], rows=[["表头", "甲"], ["行二", "2"]], uncertain={(1, 1)}, copies={(1, 1)})
    scan._append_rows(grid, first)
    scan._append_rows(grid, second)
    assert grid.rows == [["表头", "甲"], ["行", "1"], ["行二", "2"]]
    assert grid.uncertain == {(1, 1), (2, 1)}
    assert grid.copies == {(2, 1)}
    assert grid.where[2] == "第2页表格第2行"


def test_row_broken_by_a_page_is_joined():
    grid = Grid(rows=[])
    first = scan._Table(1, 0, 0, [], [], rows=[["头", "甲"], ["2.申请人逾期未按收费通知要求缴纳费用、行政机关", "165"]])
    second = scan._Table(2, 0, 0, [], [], rows=[["不再处理其政府信息公开申请", ""], ["3.其他", "172"]])
    scan._append_rows(grid, first)
    scan._append_rows(grid, second)
    assert grid.rows[1] == ["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "165"]
    assert grid.rows[2] == ["3.其他", "172"]
    # A row of its own (an ordinal, no values) is not glued to the row before it.
    grid = Grid(rows=[])
    scan._append_rows(grid, scan._Table(1, 0, 0, [], [], rows=[["七、依申请公开信息收取的费用（万元）", "49.25"]]))
    scan._append_rows(grid, scan._Table(2, 0, 0, [], [], rows=[["八、机构建设和保障经费情况", ""]]))
    assert len(grid.rows) == 2


# --- geometry (OpenCV comes with the OCR extra) -----------------------------------------------


def ruled_table():
    """A 3x3 table: row 0 merges columns 0-1, column 2 merges rows 1-2."""
    import numpy as np

    gray = np.full((600, 900), 255, np.uint8)
    ys, xs = [100, 160, 220, 280], [100, 350, 600, 800]
    for y in ys:
        gray[y : y + 2, 100:802] = 0
    for x in xs:
        gray[100:282, x : x + 2] = 0
    gray[102:160, 350:352] = 255  # no line between row 0's first two cells
    gray[220:222, 602:800] = 255  # no line between column 2's last two cells
    gray[120:140, 200:204] = 0  # a stroke of text is not a line
    return gray


@needs_ocr
def test_merged_cells_from_missing_lines():
    import cv2

    ink = scan._binarise(cv2, ruled_table())
    tables = scan._find_tables(cv2, ink)
    assert len(tables) == 1
    top, bottom, left, right = tables[0]
    ys, xs = scan._line_positions(cv2, ink[top : bottom + 1, left : right + 1])
    xs, ys, right_edges, below = scan._grid_lines(cv2, ink, [x + left for x in xs], [y + top for y in ys])
    assert (len(ys) - 1, len(xs) - 1) == (3, 3)
    assert sorted(scan._merge_cells(right_edges, below)) == [
        (0, 0, 0, 1),
        (0, 2, 0, 2),
        (1, 0, 1, 0),
        (1, 1, 1, 1),
        (1, 2, 2, 2),
        (2, 0, 2, 0),
        (2, 1, 2, 1),
    ]


@needs_ocr
@pytest.mark.parametrize("angle", [-1.5, 0.6, 2.0])
def test_skew_is_measured_from_ruling_lines(angle):
    import cv2

    tilted = scan._rotate(cv2, ruled_table(), angle)
    found = scan._skew(cv2, scan._binarise(cv2, tilted))
    assert abs(found + angle) < 0.15
    straight = scan._rotate(cv2, tilted, found)
    assert abs(scan._skew(cv2, scan._binarise(cv2, straight))) < 0.15


# --- parts of a PDF page (the PDF reader's pictures) ------------------------------------------


@needs_ocr
def test_render_cuts_a_box_measured_from_the_top_left():
    import pdfplumber

    data = (SCANS / "mixed-table-image.pdf").read_bytes()
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        im = plumber.pages[1].images[0]
        box = (im["x0"], im["top"], im["x1"], im["bottom"])
    pdf = scan._open_pdf(data, "mixed.pdf")
    try:
        part = scan._render(pdf, 2, box, "mixed.pdf")
        whole = scan._render(pdf, 2, None, "mixed.pdf")
    finally:
        pdf.close()
    s = scan.PDF_DPI / 72
    assert abs(part.shape[1] - (box[2] - box[0]) * s) <= 2 and abs(part.shape[0] - (box[3] - box[1]) * s) <= 2
    y, x = round(box[1] * s), round(box[0] * s)
    h, w = part.shape
    offsets = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]  # pixel rounding
    assert min(abs(whole[y + dy : y + dy + h, x + dx : x + dx + w].astype(int) - part).mean() for dy, dx in offsets) < 1
    assert (part < 128).mean() > 0.02  # the table's ink, not the margin
