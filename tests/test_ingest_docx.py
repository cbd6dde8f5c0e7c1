"""DOCX reader: our own rendered reports round-trip; merged cells, nesting, headings; bad input."""

import shutil
import zipfile
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document as new_docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from gongkai.errors import GongkaiError
from gongkai.ingest import read_bytes
from gongkai.ingest.docx import read_docx
from gongkai.parse import parse_bytes
from gongkai.render import render

from .conftest import needs_libreoffice
from .test_roundtrip import generated, same

CORPUS = Path(__file__).parent / "corpus" / "docx"


@cache
def rendered(fmt_id: str) -> bytes:
    return render(generated(fmt_id), "docx")


# (a) parse(render(report, "docx")) == report


@pytest.mark.parametrize("fmt_id", ["gb2021", "gb2019", "legacy"])
def test_rendered_docx_round_trips(fmt_id):
    report = generated(fmt_id)
    back = parse_bytes(rendered(fmt_id), "r.docx", ".docx")
    same(report, back)
    assert not [i for i in back.issues if i.code in ("row-width", "unit-unstated", "row-unknown", "label-variant")]


def test_rendered_docx_marks_title_and_section_headings():
    doc = read_docx(rendered("gb2021"), "r.docx")
    headings = [p.text for p in doc.paragraphs() if p.heading]
    assert headings[0] == "某某市交通运输局2023年政府信息公开工作年度报告"
    assert "一、总体情况" in headings and "六、其他需要报告的事项" in headings
    assert not any(p.heading for p in doc.paragraphs() if p.text.startswith("2023年，本机关"))
    assert doc.carrier == "docx" and len(doc.grids()) == 3


# (b) a hand-built document: gridSpan, vMerge, gridBefore, nesting, content controls, headings


def _set(cell, *paragraphs: str) -> None:
    cell.paragraphs[0].text = paragraphs[0]
    for text in paragraphs[1:]:
        cell.add_paragraph(text)


def _grid_before(row, n: int) -> None:
    """Drop the row's first n cells and declare them as w:gridBefore."""
    tr = row._tr
    for tc in tr.findall(qn("w:tc"))[:n]:
        tr.remove(tc)
    tr_pr = tr.get_or_add_trPr()
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), str(n))
    tr_pr.insert(0, before)


def _in_content_control(paragraph) -> None:
    p = paragraph._p
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    p.addprevious(sdt)
    sdt.append(OxmlElement("w:sdtPr"))
    sdt.append(content)
    content.append(p)


def hand_built() -> bytes:
    d = new_docx()
    d.add_paragraph("某某县财政局2022年政府信息公开工作年度报告", style="Title")
    d.add_paragraph("一、总体情况", style="Heading 1")
    outline = d.add_paragraph("（一）主动公开")
    outline._p.get_or_add_pPr().append(OxmlElement("w:outlineLvl"))
    outline._p.pPr[-1].set(qn("w:val"), "1")
    _in_content_control(d.add_paragraph("本年度收到申请 5 件。"))

    t = d.add_table(rows=5, cols=4)
    _set(t.cell(0, 0), "（本列数据的勾稽关系为：", "第一项加第二项之和）")
    t.cell(0, 0).merge(t.cell(1, 0))  # vMerge over two rows
    _set(t.cell(0, 1), "申请人情况")
    t.cell(0, 1).merge(t.cell(0, 3))  # gridSpan 3
    for c, text in enumerate(["自然人", "商业", "总计"], start=1):
        _set(t.cell(1, c), text)
    t.cell(1, 2).paragraphs[0].add_run("企业")  # one label in two runs
    _set(t.cell(2, 0), "（二）部分公开（区分处理的，只计这一情形，", "不计其他情形）")
    for c, text in enumerate(["1", "2", "3"], start=1):
        _set(t.cell(2, c), text)
    _set(t.cell(3, 0), "Total", "count")
    t.cell(3, 1).merge(t.cell(4, 2))  # a block merged both ways
    _set(t.cell(3, 1), "7")
    _set(t.cell(3, 3), "8")
    _set(t.cell(4, 0), "四、结转下年度继续办理")
    _set(t.cell(4, 3), "9")

    g = d.add_table(rows=2, cols=3)
    for c, text in enumerate(["行政复议", "结果维持", "总计"]):
        _set(g.cell(0, c), text)
    _set(g.cell(1, 1), "4")
    _set(g.cell(1, 2), "4")
    _grid_before(g.rows[1], 1)

    layout = d.add_table(rows=1, cols=2)  # a layout table holding only a table
    inner = layout.cell(0, 1).add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "信息内容", (0, 1): "本年制发件数", (1, 0): "规章", (1, 1): "6"}.items():
        _set(inner.cell(r, c), text)

    mixed = d.add_table(rows=1, cols=2)  # a data table with a table in one cell
    _set(mixed.cell(0, 0), "附表")
    box = mixed.cell(0, 1).add_table(rows=1, cols=2)
    _set(box.cell(0, 0), "行政许可")
    _set(box.cell(0, 1), "10")
    d.add_paragraph("二、主动公开政府信息情况", style="Heading 2")
    out = BytesIO()
    d.save(out)
    return out.getvalue()


def test_hand_built_docx_blocks_in_order():
    doc = read_docx(hand_built(), "hand.docx")
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph"] * 4 + ["Grid"] * 5 + ["Paragraph"]
    paras = doc.paragraphs()
    assert [(p.text, p.heading) for p in paras] == [
        ("某某县财政局2022年政府信息公开工作年度报告", True),
        ("一、总体情况", True),
        ("（一）主动公开", True),
        ("本年度收到申请 5 件。", False),
        ("二、主动公开政府信息情况", True),
    ]


def test_hand_built_docx_merged_cells():
    grid = read_docx(hand_built(), "hand.docx").grids()[0]
    note = "（本列数据的勾稽关系为：第一项加第二项之和）"
    assert grid.rows == [
        [note, "申请人情况", "申请人情况", "申请人情况"],
        [note, "自然人", "商业企业", "总计"],
        ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "1", "2", "3"],
        ["Total count", "7", "7", "8"],
        ["四、结转下年度继续办理", "7", "7", "9"],
    ]
    assert grid.copies == {(0, 2), (0, 3), (3, 2), (4, 2)}
    assert grid.exact
    assert grid.where == [f"第1个表格第{i}行" for i in range(1, 6)]


def test_hand_built_docx_grid_before_and_nested_tables():
    grids = read_docx(hand_built(), "hand.docx").grids()
    assert [g.rows for g in grids[1:]] == [
        [["行政复议", "结果维持", "总计"], ["", "4", "4"]],  # gridBefore: a blank position, not a copy
        [["信息内容", "本年制发件数"], ["规章", "6"]],  # the layout table around it is gone
        [["附表", ""]],  # a data table keeps its own text…
        [["行政许可", "10"]],  # …and the table inside one of its cells follows as a grid of its own
    ]
    assert grids[1].copies == set()
    assert [g.where[0] for g in grids] == [f"第{n}个表格第1行" for n in range(1, 6)]


# legacy .doc / .wps


def test_doc_without_libreoffice_explains_how_to_convert(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(GongkaiError) as e:
        read_bytes((CORPUS / "gb2021.doc").read_bytes(), "报告.doc", ".doc")
    msg = str(e.value)
    assert "报告.doc" in msg and "另存为 .docx" in msg and "soffice --headless --convert-to docx 报告.doc" in msg


@pytest.mark.slow  # starts soffice
@needs_libreoffice("Writer")
def test_doc_is_converted_by_libreoffice():
    report = parse_bytes((CORPUS / "gb2021.doc").read_bytes(), "gb2021.doc", ".doc")
    same(generated("gb2021"), report)


@pytest.mark.slow  # starts soffice
@needs_libreoffice("Writer")
def test_broken_doc_gets_a_chinese_message():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(GongkaiError, match="LibreOffice 无法转换") as e:
        read_bytes(data, "坏.doc", ".doc")
    assert "坏.doc" in str(e.value)


# (e) broken input


def _zip(entries: dict[str, bytes]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> bytes:
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "bomb.docx")


def zip_bomb(path: Path, size: int = 300 * 1024 * 1024) -> bytes:
    """A DOCX-shaped zip whose word/document.xml inflates to ``size`` bytes of zeros, written streaming."""
    chunk = b"\x00" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            for _ in range(size // len(chunk)):
                f.write(chunk)
    return path.read_bytes()


def ratio_bomb() -> bytes:
    """Small when unpacked (10 MB), but a compression ratio no Word document has."""
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * (10 * 1024 * 1024)})


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: b"", "文件是空的"),
        (lambda tmp: b"PK\x03\x04 not really a zip", "不是有效的 Word 文档（DOCX）"),
        (lambda tmp: rendered("gb2021")[:5000], "不是有效的 Word 文档（DOCX）"),
        (lambda tmp: _zip({"xl/workbook.xml": b"<workbook/>"}), "没有 word/document.xml"),
        (lambda tmp: _zip({"word/document.xml": b"<not-word/>"}), "无法解析"),
        (lambda tmp: ratio_bomb(), "压缩炸弹"),
    ],
    ids=["empty", "not-a-zip", "truncated", "no-document", "bad-document", "ratio-bomb"],
)
def test_broken_docx_gets_a_chinese_message(tmp_path, make, message):
    with pytest.raises(GongkaiError) as e:
        read_bytes(make(tmp_path), "坏的报告.docx", ".docx")
    assert message in str(e.value)
    assert "坏的报告.docx" in str(e.value)


def test_zip_bomb_is_refused_before_decompressing(bomb, monkeypatch):
    assert len(bomb) < 2 * 1024 * 1024
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("decompressed"))
    with pytest.raises(GongkaiError) as e:
        read_bytes(bomb, "炸弹.docx", ".docx")
    assert "解压后过大" in str(e.value) and "炸弹.docx" in str(e.value)
