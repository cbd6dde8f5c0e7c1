"""PDF reader: two real published reports, checked cell by cell against the printed pages;
PDFs LibreOffice made from our own DOCX round-trip; scans go to OCR; bad input is refused;
in text PDFs, OCR reads exactly what has no text layer (scanned pages, pasted table pictures).

The mixed PDFs are made by ``tests/corpus/scan/make_mixed.py``: generated reports (every cell
a distinct number) with table 三 as a scanned page (gb2019) or as a picture between the text
paragraphs (gb2021). ``tests/corpus/pdf/documents.json`` holds what the reader gave for the
text PDFs before it looked at pictures; regenerate it only for an intended change of the text
reader: ``python -c "from tests.test_ingest_pdf import write_documents; write_documents()"``.
"""

import functools
import json
import subprocess
import sys
import types
from dataclasses import asdict
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import docx
import pytest

from gongkai.errors import GongkaiError
from gongkai.ingest import read_bytes, scan
from gongkai.ingest.model import Document, Grid, Paragraph
from gongkai.ingest.pdf import read_pdf
from gongkai.parse import parse_bytes, parse_document

from .test_ingest_scan import needs_ocr, uncertain_ids
from .test_roundtrip import generated, same

CORPUS = Path(__file__).parent / "corpus" / "pdf"
SCANS = Path(__file__).parent / "corpus" / "scan"

T3_COLS = ("natural", "business", "research", "nonprofit", "legal_service", "org_other", "total")
T3_ROWS = (
    "new", "carried_in", "granted", "partial",
    "denied.state_secret", "denied.law_prohibited", "denied.three_security", "denied.third_party",
    "denied.internal_affairs", "denied.process_info", "denied.enforcement_file", "denied.inquiry",
    "unable.not_held", "unable.needs_creation", "unable.still_unclear",
    "refused.petition", "refused.duplicate", "refused.publication", "refused.excessive", "refused.confirmation",
    "other", "total", "carried_out",
)  # fmt: skip
T4_IDS = [f"t4.{g}.{c}" for g in ("review", "suit_direct", "suit_after_review")
          for c in ("upheld", "corrected", "other", "pending", "total")]  # fmt: skip


def t3(first: dict[str, int]) -> dict[str, int]:
    """Table 三 of the Hongze reports: every applicant is a 自然人, so each row is n 0 0 0 0 0 n."""
    return {f"t3.{row}.{col}": (first.get(row, 0) if col in ("natural", "total") else 0)
            for row in T3_ROWS for col in T3_COLS}  # fmt: skip


# Read off the pages rendered with pdftoppm (pages 2–4 of each file), not from the parser.
EXPECTED = {
    "hongze-2023.pdf": {
        "year": 2023,
        "agency": "洪泽区人民政府",
        "t2": {
            "t2.rules.made": 0, "t2.rules.repealed": 0, "t2.rules.in_force": 0,
            "t2.normative.made": 0, "t2.normative.repealed": 5, "t2.normative.in_force": 5,
            "t2.licensing.decisions": 550, "t2.penalty.decisions": 4119, "t2.coercion.decisions": 195,
            "t2.fees.amount_wan": Decimal("7730.28"),
        },
        "t3": t3({
            "new": 21, "partial": 4, "denied.state_secret": 1, "denied.process_info": 1,
            "denied.enforcement_file": 1, "unable.not_held": 10, "unable.needs_creation": 3,
            "refused.petition": 1, "total": 21,
        }),
        "t4": [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0],
    },
    "hongze-2024.pdf": {
        "year": 2024,
        "agency": "淮安市洪泽区人民政府",
        "t2": {
            "t2.rules.made": 0, "t2.rules.repealed": 0, "t2.rules.in_force": 0,
            "t2.normative.made": 3, "t2.normative.repealed": 0, "t2.normative.in_force": 8,
            "t2.licensing.decisions": 9487, "t2.penalty.decisions": 2776, "t2.coercion.decisions": 84,
            "t2.fees.amount_wan": 7545,
        },
        "t3": t3({
            "new": 95, "granted": 50, "partial": 9, "denied.three_security": 1, "denied.process_info": 1,
            "denied.enforcement_file": 1, "unable.not_held": 31, "unable.needs_creation": 1,
            "refused.petition": 1, "total": 95,
        }),
        "t4": [1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3],
    },
}  # fmt: skip
CELLS = [(name, table, cid) for name, e in EXPECTED.items() for table in ("t2", "t3") for cid in e[table]]
CELLS += [(name, "t4", cid) for name in EXPECTED for cid in T4_IDS]

_REPORTS: dict[str, object] = {}


def hongze(name: str):
    if name not in _REPORTS:
        _REPORTS[name] = parse_bytes((CORPUS / name).read_bytes(), name, ".pdf")
    return _REPORTS[name]


def codes(report, code: str) -> list[str]:
    return [i.where for i in report.issues if i.code == code]


# (c) the two real reports


@pytest.mark.parametrize(("name", "table", "cid"), CELLS, ids=[f"{n[7:11]}-{c}" for n, _, c in CELLS])
def test_hongze_cell(name, table, cid):
    e = EXPECTED[name]
    expected = e["t4"][T4_IDS.index(cid)] if table == "t4" else e[table][cid]
    assert hongze(name).cells[cid] == expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hongze_metadata(name):
    r = hongze(name)
    e = EXPECTED[name]
    assert (r.format, r.year, r.agency) == ("gb2021", e["year"], e["agency"])
    assert r.title == f"{e['agency']}{e['year']}年政府信息公开工作年度报告"
    assert all(r.sections[k] for k in ("s1", "s5", "s6"))
    fee = "年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费0元。"
    assert r.sections["s6"] == f"{e['year']}{fee}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hongze_single_other_row_is_the_subtotal(name):
    r = hongze(name)
    assert [r.cells[f"t3.other.{c}"] for c in T3_COLS] == [0] * 7
    assert all(r.cells[f"t3.other.{k}.{c}"] is None for k in ("no_correction", "unpaid_fee", "other") for c in T3_COLS)
    assert not codes(r, "row-width") and not codes(r, "row-unknown") and not codes(r, "row-duplicate")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hongze_label_typo_is_matched(name):
    r = hongze(name)
    assert codes(r, "label-variant") == ["t3.denied.law_prohibited"]
    issue = next(i for i in r.issues if i.code == "label-variant")
    assert "其他法律行政止公开" in issue.message and "第3页" in issue.place


@pytest.mark.parametrize(
    ("name", "t4_sum", "narrative"),
    [
        ("hongze-2023.pdf", ["t4.review.total", "t4.suit_after_review.total"], []),
        ("hongze-2024.pdf", [], ["t3.new.total"]),
    ],
)
def test_hongze_checks(name, t4_sum, narrative):
    r = hongze(name)
    assert sorted(codes(r, "t4-sum")) == t4_sum
    assert codes(r, "narrative-mismatch") == narrative
    if narrative:
        issue = next(i for i in r.issues if i.code == "narrative-mismatch")
        assert "17" in issue.message and "95" in issue.message


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hongze_text_and_grids(name):
    doc = read_pdf((CORPUS / name).read_bytes(), name)
    assert doc.carrier == "pdf"
    texts = [p.text for p in doc.paragraphs()]
    assert not any(t.strip("-— ").isdigit() for t in texts)  # page numbers -1- … -5- dropped
    assert doc.paragraphs()[0].heading and "年度报告" in texts[0]
    assert "一、总体情况" in texts and "六、其他需要报告的事项" in texts
    assert not any(" " in t for t in texts if "信息公开" in t)  # no stray spaces between CJK
    grids = doc.grids()
    assert len(grids) == 3  # 表二 and 表三 each continue over a page break
    t3_rows = grids[1].rows
    assert t3_rows[2][4:8] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构"]
    partial = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert any(row[1] == partial for row in t3_rows)
    assert all(row[0] == "三、本年度办理结果" for row in t3_rows[5:-1])  # a merged label over two pages
    assert len(t3_rows) == 26 and len({len(r) for r in t3_rows}) == 1


def test_hongze_2024_paragraphs():
    doc = read_pdf((CORPUS / "hongze-2024.pdf").read_bytes(), "hongze-2024.pdf")
    texts = [p.text for p in doc.paragraphs()]
    joined = next(t for t in texts if t.startswith("（二）依申请公开情况"))
    assert joined.endswith("2024年，区政府办代表区政府受理政府信息公开申请17件，均已在法定期限内予以答复。")
    across = next(t for t in texts if t.startswith("针对存在问题"))  # wraps from page 4 onto page 5
    assert across.endswith("不断提高各单位政府信息公开工作人员的思想认识和业务工作水平。")
    assert texts.index("五、存在的主要问题及改进情况") + 3 == texts.index("六、其他需要报告的事项")


# (d) PDFs LibreOffice made from our own DOCX (make_fixtures.py)


@pytest.mark.parametrize("fmt_id", ["gb2021", "gb2019"])
def test_libreoffice_pdf_round_trips(fmt_id):
    report = generated(fmt_id)
    back = parse_bytes((CORPUS / f"lo-{fmt_id}.pdf").read_bytes(), f"lo-{fmt_id}.pdf", ".pdf")
    same(report, back)
    assert not [i for i in back.issues if i.code in ("row-width", "unit-unstated", "row-unknown", "label-variant")]


def test_libreoffice_pdf_repeated_header_dropped_and_broken_row_joined():
    doc = read_pdf((CORPUS / "lo-gb2021.pdf").read_bytes(), "lo-gb2021.pdf")
    t3 = doc.grids()[1]
    assert sum(1 for row in t3.rows if row[3] == "申请人情况") == 1  # header repeated on pages 2 and 3
    label = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    row = next(r for r in t3.rows if r[2] == label)  # the row the page break cut in two
    assert row[:2] == ["三、本年度办理结果", "（六）其他处理"] and row[3:] == [str(n) for n in range(165, 172)]
    assert len(t3.rows) == 29 and {w.split("，")[0] for w in t3.where} == {"第1页", "第2页", "第3页"}
    assert (0, 4) in t3.copies and (3, 3) not in t3.copies  # a colspan's repeats are copies; values are not


# OCR routing


def serialise(objects: list[bytes]) -> bytes:
    """A PDF file of ``objects`` (object 1 the catalog), with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_pdf(content: bytes, resources: bytes = b"", extra: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF with the given content stream, xref and all."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << " + resources + b" >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        *extra,
    ]
    return serialise(objects)


CID_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /Foo /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
    b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Foo"
    b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
)
NO_TEXT = tiny_pdf(b"72 72 m 500 700 l S")
NO_UNICODE = tiny_pdf(b"BT /F1 12 Tf 72 700 Td <00010002000300040005> Tj ET", b"/Font << /F1 5 0 R >>", CID_FONT)
PLAIN = tiny_pdf(b"BT /F1 12 Tf 72 700 Td (Annual report 2023) Tj ET", b"/Font << /F1 5 0 R >>",
                 (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",))  # fmt: skip


@pytest.fixture
def fake_scan(monkeypatch):
    calls = []
    module = types.ModuleType("gongkai.ingest.scan")

    def read_scan_pdf(data, source):
        calls.append(("pdf", source))
        return Document([Paragraph("OCR")], source, "image")

    def read_image(data, source):
        calls.append(("image", source))
        return Document([Paragraph("OCR")], source, "image")

    module.read_scan_pdf, module.read_image = read_scan_pdf, read_image
    monkeypatch.setitem(sys.modules, "gongkai.ingest.scan", module)
    return calls


@pytest.mark.parametrize(("data", "to_ocr"), [(NO_TEXT, True), (NO_UNICODE, True), (PLAIN, False)])
def test_pdf_without_usable_text_goes_to_ocr(fake_scan, data, to_ocr):
    doc = read_bytes(data, "scan.pdf", ".pdf")
    assert fake_scan == ([("pdf", "scan.pdf")] if to_ocr else [])
    assert (doc.carrier == "image") == to_ocr
    if not to_ocr:
        assert doc.text() == "Annual report 2023"


@pytest.mark.parametrize(
    "head",
    [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"II*\x00", b"MM\x00*", b"BM" + b"\x00" * 12 + b"\x28\x00\x00\x00"],
    ids=["png", "jpeg", "tiff-le", "tiff-be", "bmp"],
)
def test_images_go_to_ocr(fake_scan, head):
    read_bytes(head + b"\x00" * 64, "page.img", ".img")
    assert fake_scan == [("image", "page.img")]


def test_dispatch_by_content_not_name():
    pdf = read_bytes(b"\n" + (CORPUS / "lo-gb2019.pdf").read_bytes(), "a.txt", ".txt")
    assert pdf.carrier == "pdf" and len(pdf.grids()) == 3
    d = docx.Document()
    d.add_paragraph("正文")
    out = BytesIO()
    d.save(out)
    assert read_bytes(out.getvalue(), "a.bin", "").carrier == "docx"


# (e) broken input


def _cut(name: str, keep: float) -> bytes:
    data = (CORPUS / name).read_bytes()
    return data[: int(len(data) * keep)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的"),
        (_cut("hongze-2023.pdf", 0.5), "PDF 文件不完整"),
        (_cut("lo-gb2021.pdf", 0.999), "PDF 文件不完整"),
        (b"%PDF-1.4\n" + b"garbage " * 200 + b"\n%%EOF\n", "PDF 文件已损坏"),
        (_cut("lo-gb2021.pdf", 0.3) + b"\n%%EOF\n", "PDF 文件已损坏"),
        ((CORPUS / "encrypted.pdf").read_bytes(), "PDF 文件已加密"),
    ],
    ids=["empty", "half", "tail-cut", "garbage", "cut-with-eof", "encrypted"],
)
def test_broken_pdf_gets_a_chinese_message(data, message):
    with pytest.raises(GongkaiError) as e:
        parse_document(read_bytes(data, "坏的报告.pdf", ".pdf"))
    assert message in str(e.value)
    assert "坏的报告.pdf" in str(e.value)


# (f) text PDFs with parts only as pictures: OCR reads exactly those


def as_dict(doc: Document) -> dict:
    blocks = []
    for b in doc.blocks:
        d = asdict(b) | {"kind": type(b).__name__}
        if isinstance(b, Grid):
            d["uncertain"], d["copies"] = sorted(map(list, b.uncertain)), sorted(map(list, b.copies))
        blocks.append(d)
    return {"carrier": doc.carrier, "source": doc.source, "blocks": blocks}


def text_pdfs() -> list[Path]:
    return [p for p in sorted(CORPUS.glob("*.pdf")) if p.name != "encrypted.pdf"]


def write_documents() -> None:
    docs = {p.name: as_dict(read_pdf(p.read_bytes(), p.name)) for p in text_pdfs()}
    (CORPUS / "documents.json").write_text(json.dumps(docs, ensure_ascii=False, indent=1) + "\n", "utf-8")


def refuse(*args, **kwargs):
    raise AssertionError("OCR started on a PDF that has nothing to read by OCR")


def test_text_pdfs_read_as_before(monkeypatch):
    """Without pictures, exactly the Documents of the reader before pictures were looked at; no OCR."""
    monkeypatch.setattr(scan, "read_pdf_images", refuse)
    monkeypatch.setattr(scan, "read_scan_pdf", refuse)
    before = json.loads((CORPUS / "documents.json").read_text("utf-8"))
    assert sorted(before) == [p.name for p in text_pdfs()]
    for path in text_pdfs():
        doc = read_pdf(path.read_bytes(), path.name)
        assert as_dict(doc) == before[path.name], path.name
        assert doc.unread == []


# Which pictures go to OCR: one-page-size PDFs drawn by hand, OCR replaced by a recorder.

IMAGE = b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8"
IMAGE += b" /Length 1 >>\nstream\n\x80\nendstream"
HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pages_pdf(*contents: bytes) -> bytes:
    """A PDF of A4 pages with the given content streams; /Im is a picture, /F1 a font."""
    n = len(contents)
    kids = b" ".join(b"%d 0 R" % (5 + 2 * i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n)]
    objects += [IMAGE, HELVETICA]
    for i, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R" % (6 + 2 * i)
            + b" /Resources << /XObject << /Im 3 0 R >> /Font << /F1 4 0 R >> >> >>"
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    return serialise(objects)


def img(x: float, top: float, w: float, h: float) -> bytes:
    return b"q %g 0 0 %g %g %g cm /Im Do Q\n" % (w, h, x, 842 - top - h)


def txt(x: float, top: float, text: str) -> bytes:
    return b"BT /F1 12 Tf %g %g Td (%s) Tj ET\n" % (x, 842 - top - 10, text.encode())


@pytest.fixture
def ocr_jobs(monkeypatch):
    """What read_pdf hands to OCR; each run comes back as a grid reading OCR."""
    jobs = []

    def read_pdf_images(data, runs, source):
        jobs.extend(runs)
        return [[Grid(rows=[["OCR"]])] for _ in runs]

    monkeypatch.setattr(scan, "ocr_available", lambda: True)
    monkeypatch.setattr(scan, "read_pdf_images", read_pdf_images)
    monkeypatch.setattr(scan, "read_scan_pdf", lambda data, source: Document([], source, "image"))
    return jobs


BODY = txt(72, 200, "Above the picture;") + txt(72, 700, "Below the picture;")


@pytest.mark.parametrize(
    ("content", "boxes"),
    [
        (img(72, 300, 450, 300), [(72, 300, 522, 600)]),  # a table picture
        (img(72, 300, 110, 110), []),  # a seal: too narrow
        (img(72, 300, 450, 20), []),  # a banner or a rule: too low
        (img(72, 300, 450, 150) + img(72, 450, 450, 150), [(72, 300, 522, 600)]),  # stored in two strips
        (img(72, 300, 450, 300) + b"".join(txt(80, 310 + 14 * i, "x" * 59 + ";") for i in range(20)), []),  # under text
        (img(72, 300, 450, 300) + txt(280, 580, "- 3 -"), [(72, 300, 522, 600)]),  # a page number stamped on
    ],
    ids=["table", "seal", "banner", "strips", "under-text", "stamped"],
)
def test_which_pictures_are_read(ocr_jobs, content, boxes):
    doc = read_pdf(pages_pdf(BODY + content), "p.pdf")
    assert ocr_jobs == [[(1, b)] for b in boxes]
    texts = [b.text if isinstance(b, Paragraph) else b.rows[0][0] for b in doc.blocks]
    assert (texts[0], texts[-1], texts.count("OCR")) == ("Above the picture;", "Below the picture;", len(boxes))
    assert "OCR" not in texts or texts[1] == "OCR"  # in its place between the lines


def test_scanned_pages_among_text_pages_are_read_as_one_run(ocr_jobs):
    scanned = img(0, 0, 595, 842) + txt(280, 800, "- 2 -")
    pages = (txt(72, 300, "Page one;"), scanned, scanned, txt(72, 300, "Page four;"), scanned)
    doc = read_pdf(pages_pdf(*pages), "p.pdf")
    assert ocr_jobs == [[(2, None), (3, None)], [(5, None)]]
    texts = [b.text if isinstance(b, Paragraph) else b.rows[0][0] for b in doc.blocks]
    assert texts == ["Page one;", "OCR", "Page four;", "OCR"]


def test_pdf_of_scanned_pages_with_stamped_page_numbers_is_a_scan(ocr_jobs):
    scanned = img(0, 0, 595, 842) + txt(280, 800, "- 1 -")
    doc = read_pdf(pages_pdf(scanned, scanned), "p.pdf")
    assert doc.carrier == "image" and ocr_jobs == []


@needs_ocr
def test_photo_is_not_read(monkeypatch):
    """A picture with little white paper (here plain mid-gray) is a photo: rendered, never read."""
    monkeypatch.setattr(scan._Reader, "page", refuse)
    doc = read_pdf(pages_pdf(BODY + img(72, 300, 450, 300)), "p.pdf")
    assert [b.text for b in doc.blocks] == ["Above the picture;", "Below the picture;"]


# The mixed PDFs, read by OCR

STAINED = "t3.refused.publication.business"  # make_mixed.STAINED: specks over the digits


@functools.cache
def mixed(name: str) -> Document:
    return read_pdf((SCANS / name).read_bytes(), name)


def check_cells(report, expected: dict, flagged: set[str]) -> None:
    """Every cell as rendered; a cell flagged ocr-uncertain may be missing or hold the low-confidence
    reading (never silently): it is left to the person checking against the original."""
    wrong = [f"{cid}: 应为 {want}，读出 {report.cells.get(cid)}" for cid, want in expected.items()
             if report.cells.get(cid) != want and cid not in flagged]  # fmt: skip
    assert wrong == []


@pytest.mark.ocr
@needs_ocr
def test_scanned_page_among_text_pages():
    doc = mixed("mixed-scan-page.pdf")
    assert doc.carrier == "pdf" and doc.unread == []
    grids = doc.grids()
    assert [g.where[0].split("，")[0][:3] for g in grids] == ["第1页", "第2页", "第3页"]
    assert not grids[0].uncertain and not grids[2].uncertain  # text-layer tables: nothing to doubt
    report = parse_document(doc)
    source = generated("gb2019")
    flagged = uncertain_ids(doc, report)
    assert flagged == {STAINED}  # the stained cell, and only it
    assert len(grids[1].uncertain) == 1
    check_cells(report, source.cells, flagged)
    assert (report.format, report.year, report.agency, report.title) == ("gb2019", 2020, source.agency, source.title)
    assert report.sections == source.sections


@pytest.mark.ocr
@needs_ocr
def test_table_picture_between_paragraphs():
    doc = mixed("mixed-table-image.pdf")
    assert doc.carrier == "pdf" and doc.unread == []
    blocks = doc.blocks
    i = next(k for k, b in enumerate(blocks) if isinstance(b, Grid) and b.where[0].startswith("第2页表格"))
    assert blocks[i - 1].text == "本年度收到和处理政府信息公开申请情况见下表。"  # page 1, the picture on page 2
    assert blocks[i + 1].text == "四、政府信息公开行政复议、行政诉讼情况"  # below it on page 2
    assert [isinstance(b, Grid) for b in blocks].count(True) == 3
    report = parse_document(doc)
    source = generated("gb2021")
    flagged = uncertain_ids(doc, report)
    assert {cid.split(".")[0] for cid in flagged} <= {"t3"}
    assert len(flagged) == len(blocks[i].uncertain)
    check_cells(report, source.cells, flagged)
    assert report.sections == source.sections
    assert (report.format, report.year, report.title) == ("gb2021", 2023, source.title)


@pytest.mark.parametrize(
    ("name", "fmt", "unread"),
    [("mixed-scan-page.pdf", "gb2019", "第2页（整页为图片）"), ("mixed-table-image.pdf", "gb2021", "第2页的图片")],
    ids=["scan-page", "table-image"],
)
def test_mixed_pdf_without_ocr_keeps_its_text(monkeypatch, name, fmt, unread):
    monkeypatch.setattr(scan, "ocr_available", lambda: False)
    monkeypatch.setattr(scan, "read_pdf_images", refuse)
    doc = read_bytes((SCANS / name).read_bytes(), name, ".pdf")
    assert doc.carrier == "pdf" and doc.unread == [unread]
    assert len(doc.grids()) == 2  # 表二 and 表四 from the text layer
    report = parse_document(doc)
    source = generated(fmt)
    assert report.sections == source.sections
    assert {cid: v for cid, v in report.cells.items() if not cid.startswith("t3.")} == {
        cid: v for cid, v in source.cells.items() if not cid.startswith("t3.")
    }
    assert all(v is None for cid, v in report.cells.items() if cid.startswith("t3."))
    assert [i.where for i in report.issues if i.code == "missing-table"] == ["t3"]
    assert not [i for i in report.issues if i.code == "ocr-uncertain"]
    (warning,) = [i for i in report.issues if i.code == "ocr-unavailable"]
    assert warning.severity == "warning" and unread in warning.message and "gongkai[ocr]" in warning.message


NO_OCR = """
import sys
class Absent:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("numpy", "cv2", "rapidocr_onnxruntime", "onnxruntime"):
            raise ImportError(name)
sys.meta_path.insert(0, Absent())
from gongkai.errors import GongkaiError
from gongkai.ingest import read_path
doc = read_path(sys.argv[1])
print(doc.carrier, doc.unread, len(doc.grids()))
try:
    read_path(sys.argv[2])
except GongkaiError as e:
    print(e)
"""


def test_without_the_ocr_extra_installed():
    """In a Python where the OCR extra (and numpy with it) cannot be imported at all."""
    args = [sys.executable, "-c", NO_OCR, str(SCANS / "mixed-table-image.pdf"), str(SCANS / "gb2021-scan.pdf")]
    out = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True).stdout.splitlines()
    assert out[0] == "pdf ['第2页的图片'] 2"
    assert "gb2021-scan.pdf" in out[1] and "这是扫描件" in out[1] and 'pip install "gongkai[ocr]"' in out[1]


# (g) the reader itself: pypdfium2 only, tables from rulings drawn anywhere, tables without rulings


def test_reader_does_not_load_pdfplumber():
    code = "import sys; from gongkai.ingest import read_path; read_path(sys.argv[1]); print(sorted(sys.modules))"
    args = [sys.executable, "-c", code, str(CORPUS / "hongze-2024.pdf")]
    out = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True).stdout
    assert "pdfplumber" not in out and "pdfminer" not in out


def ruled(x0: float, top: float, xs: list[float], ys: list[float], skip: set = frozenset()) -> bytes:
    """Ruling lines of a grid (xs, ys from its top-left), each stroked on its own; ``skip``
    leaves out the vertical segments (column line, row) of merged cells."""
    out = b"0.5 w\n"
    for y in ys:
        out += b"%g %g m %g %g l S\n" % (x0 + xs[0], 842 - top - y, x0 + xs[-1], 842 - top - y)
    for c, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if (c, r) not in skip:
                out += b"%g %g m %g %g l S\n" % (x0 + x, 842 - top - ys[r], x0 + x, 842 - top - ys[r + 1])
    return out


def test_cells_and_spans_from_rulings():
    """Intersections → cells → spans: a missing line merges two cells, whose text is repeated
    as a copy; a white line is no rule; the same table drawn inside a form (scaled) reads alike."""
    xs, ys = [0, 150, 250, 350, 450], [0, 20, 40, 60]
    texts = [(80, "Header"), (290, "Counts"), (430, "Total"), (80, "Rules"), (230, "1"), (330, "2"), (430, "3"),
             (80, "Decisions"), (230, "4"), (330, "5"), (430, "6")]  # fmt: skip
    body = ruled(72, 100, xs, ys, skip={(2, 0)}) + b"1 1 1 RG 172 742 m 172 682 l S\n"  # white: splits nothing
    body += b"".join(txt(x, 106 + 20 * (k > 2) + 20 * (k > 6), t) for k, (x, t) in enumerate(texts))
    (grid,) = read_pdf(pages_pdf(body), "t.pdf").grids()
    assert grid.rows == [
        ["Header", "Counts", "Counts", "Total"],
        ["Rules", "1", "2", "3"],
        ["Decisions", "4", "5", "6"],
    ]
    assert grid.exact and grid.copies == {(0, 2)}
    form = b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R"
    content = b"q 0.5 0 0 0.5 0 421 cm /Fm Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        IMAGE,
        HELVETICA,
        page + b" /Resources << /XObject << /Fm 7 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        form + b" /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
    ]
    (inside,) = read_pdf(serialise(objects), "form.pdf").grids()
    assert inside.rows == grid.rows and inside.copies == grid.copies


def test_rotated_page_reads_upright():
    """A landscape page (/Rotate 90) with its text drawn turned: read as it is shown."""
    content = b"BT /F1 12 Tf 0 1 -1 0 300 100 Tm (Annual report;) Tj 0 1 -1 0 320 100 Tm (second line) Tj ET"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate 90 /Contents 4 0 R"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page + b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        HELVETICA,
    ]
    doc = read_pdf(serialise(objects), "r.pdf")
    assert [p.text for p in doc.paragraphs()] == ["Annual report;", "second line"]


# A web page printed to PDF: a table without any ruling line, in the bundled CJK font.

T2_HTML = """<table><thead><tr><th colspan="4">第二十条第（一）项</th></tr>
<tr><th>信息内容</th><th>本年制发件数</th><th>本年废止件数</th><th>现行有效件数</th></tr></thead>
<tbody><tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>行政规范性文件</td><td>3</td><td>1</td><td>18</td></tr>{more}
<tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政许可</td><td colspan="3">1250</td></tr></tbody></table>"""


def web_pdf(table: str) -> bytes:
    from weasyprint import HTML

    from gongkai.render.pdf import font_css

    css = font_css() + "th, td { border: none !important; text-align: left; font-weight: normal; }"
    body = "<h1>某区人民政府2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>本年度收到申请17件，办结15件。</p>"
    body += f"<p>二、主动公开政府信息情况</p>{table}<p>三、收到和处理政府信息公开申请情况</p>"
    return HTML(string=f"<html><head><style>{css}</style></head><body>{body}</body></html>").write_pdf()


def test_table_without_rulings():
    doc = read_pdf(web_pdf(T2_HTML.format(more="")), "web.pdf")
    texts = [b.text if isinstance(b, Paragraph) else "GRID" for b in doc.blocks]
    assert texts == ["某区人民政府2023年政府信息公开工作年度报告", "一、总体情况", "本年度收到申请17件，办结15件。",
                     "二、主动公开政府信息情况", "GRID", "三、收到和处理政府信息公开申请情况"]  # fmt: skip
    (grid,) = doc.grids()
    assert not grid.exact
    assert grid.rows == [
        ["第二十条第（一）项", "", "", ""],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["行政规范性文件", "3", "1", "18"],
        ["第二十条第（五）项", "", "", ""],
        ["信息内容", "本年处理决定数量", "", ""],
        ["行政许可", "1250", "", ""],
    ]
    cells = parse_document(doc).cells
    assert [cells[f"t2.{r}.{c}"] for r in ("rules", "normative") for c in ("made", "repealed", "in_force")] == [
        0,
        0,
        0,
        3,
        1,
        18,
    ]
    assert cells["t2.licensing.decisions"] == 1250


def test_table_without_rulings_across_pages():
    """The header repeated on the next page is dropped; the parts are one grid."""
    more = "".join(f"<tr><td>其他文件{i}</td><td>{i}</td><td>{i + 1}</td><td>{i + 2}</td></tr>" for i in range(60))
    (grid,) = read_pdf(web_pdf(T2_HTML.format(more=more)), "web.pdf").grids()
    assert len({w.split("，")[0] for w in grid.where}) >= 2
    assert len(grid.rows) == 67 and sum(row[0] == "第二十条第（一）项" for row in grid.rows) == 1
    assert grid.rows[4 + 59] == ["其他文件59", "59", "60", "61"] and grid.rows[-1] == ["行政许可", "1250", "", ""]


def _pdf(objects: list[bytes]) -> bytes:
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


_PAGES = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]


def test_a_stream_inflating_past_the_bound_is_refused_before_pdfium_expands_it():
    import zlib

    z = zlib.compressobj(9)
    bomb = b"".join(z.compress(b" " * (1 << 20)) for _ in range(300)) + z.flush()  # 300 MB in ~0.3 MB
    data = _pdf(
        [
            *_PAGES,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream",
        ]
    )
    with pytest.raises(GongkaiError, match="解压后超过 256 MB"):
        read_pdf(data, "bomb.pdf")


def test_a_form_drawing_itself_ends_at_once():
    """A reference cycle in the resources (a form XObject that draws itself) once ran forever."""
    draw = b"q /F1 Do Q"
    form = b"<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /F1 4 0 R >> >>"
    data = _pdf(
        [
            *_PAGES,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /F1 4 0 R >> >>"
            b" /Contents 5 0 R >>",
            form + b" /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw),
            b"<< /Length 6 >>\nstream\n/F1 Do\nendstream",
        ]
    )
    doc = read_pdf(data, "cycle.pdf")  # ends (no text in it: nothing to read)
    assert doc.grids() == []
