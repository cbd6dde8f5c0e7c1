"""The renderers: structure of md, html, docx and xlsx output for every format."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from docx import Document
from lxml import html as lxml_html

from gongkai.errors import GongkaiError
from gongkai.formats import FORMATS, SECTIONS
from gongkai.render import FORMATS_OUT, default_title, render
from gongkai.report import Issue, Report

from .conftest import needs_libreoffice

ALL = ("gb2021", "gb2019", "legacy")
MONEY = {"gb2021": "t2.fees.amount_wan", "gb2019": "t2.procurement.amount_wan", "legacy": "legacy.fees_wan"}
BLANK = {"gb2021": "t3.new.research", "gb2019": "t3.carried_in.business", "legacy": "legacy.channel.weibo"}
LABEL_WIDTH = {"t2": 1, "t3": 3, "legacy": 1}
T4_IDS = [
    f"t4.{g}.{c}"
    for g in ("review", "suit_direct", "suit_after_review")
    for c in ("upheld", "corrected", "other", "pending", "total")
]


def filled(fmt: str, **kw) -> Report:
    """Every cell a distinct non-zero number, one blank cell and one money amount."""
    r = Report.empty(fmt, year={"gb2021": 2022, "gb2019": 2020, "legacy": 2017}[fmt], agency="某市司法局", **kw)
    for i, cid in enumerate(r.cells):
        r.cells[cid] = 101 + i
    r.cells[BLANK[fmt]] = None
    r.cells[MONEY[fmt]] = Decimal("347.4675")
    r.preamble = "本报告根据《中华人民共和国政府信息公开条例》编制。"
    for n, key in enumerate(("s1", "s2", "s3", "s4", "s5", "s6"), 1):
        r.sections[key] = f"第{n}部分第一段。\n第{n}部分第二段。"
    r.issues.append(Issue("row-width", "warning", "t3.new.natural", "找到 6 个数，应为 7 个"))
    return r


def text_of(report: Report, cid: str) -> str:
    v = report.cells.get(cid)
    if v is None:
        return ""
    text = format(v, "f") if isinstance(v, Decimal) else str(v)
    return text + ("万元" if cid in report.spec.unit_required else "")


def grid_rows(report: Report, table):
    """(row label, group, expected value texts, cell ids) for each printed row, official order."""
    out = []
    for block in table.blocks:
        for row in block.rows:
            ids = [table.cell_id(row, c) for c in block.row_cols(row)]
            if row.optional and all(report.cells.get(i) is None for i in ids):
                continue
            out.append((row.label, row.group, [text_of(report, i) for i in ids], ids))
    return out


def check_rows(rows: list[list], report: Report, table, values=text_of) -> None:
    """Each official row appears, in order, with its label and its values right after the labels."""
    width = LABEL_WIDTH[table.key]
    pos = 0
    for label, _group, _texts, ids in grid_rows(report, table):
        while pos < len(rows) and label not in rows[pos][:width]:
            pos += 1
        assert pos < len(rows), f"row {label} not found"
        got = rows[pos][width : width + len(ids)]
        assert got == [values(report, i) for i in ids], label
        pos += 1


# ------------------------------------------------------------------ dispatch, title, json


def test_unknown_format_is_a_chinese_error():
    with pytest.raises(GongkaiError, match="不支持的输出格式"):
        render(filled("gb2021"), "odt")


def test_formats_out():
    assert set(FORMATS_OUT) == {"md", "html", "docx", "xlsx", "json", "pdf"}


@pytest.mark.parametrize(
    ("agency", "year", "title", "expected"),
    [
        ("某市司法局", 2021, None, "某市司法局2021年政府信息公开工作年度报告"),
        (None, 2021, None, "2021年政府信息公开工作年度报告"),
        ("某市司法局", None, None, "某市司法局政府信息公开工作年度报告"),
        (None, None, None, "政府信息公开工作年度报告"),
        ("某市司法局", 2021, "自定标题", "自定标题"),
    ],
)
def test_default_title(agency, year, title, expected):
    assert default_title(Report("gb2021", year=year, agency=agency, title=title)) == expected


@pytest.mark.parametrize("fmt", ALL)
def test_json_round_trip(fmt):
    report = filled(fmt)
    assert Report.from_json(render(report, "json").decode()) == report


@pytest.mark.parametrize(("fmt", "to"), [(f, t) for f in ALL for t in FORMATS_OUT])
def test_every_format_renders_with_nothing_filled(fmt, to):
    assert render(Report.empty(fmt, year=None, agency=None), to)


# ------------------------------------------------------------------ markdown


def md_tables(text: str) -> list[list[list[str]]]:
    tables, current = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            if all(c == "---" for c in cells):
                continue
            if current is None:
                current = []
                tables.append(current)
            current.append(cells)
        else:
            current = None
    return tables


@pytest.mark.parametrize("fmt", ALL)
def test_md_rows_carry_labels_and_values(fmt):
    report = filled(fmt)
    tables = md_tables(render(report, "md").decode())
    layouts = [t for t in report.spec.tables if not t.flat]
    assert len(tables) == len(report.spec.tables)
    for table, rows in zip(layouts, tables, strict=False):
        check_rows(rows, report, table)
    widths = {len(r) for t in tables for r in t}
    assert len(widths) == len(tables)  # each table rectangular


def test_md_table_three_gb2021():
    report = filled("gb2021")
    text = render(report, "md").decode()
    cols = ("natural", "business", "research", "nonprofit", "legal_service", "org_other", "total")
    values = " | ".join(text_of(report, f"t3.denied.state_secret.{c}") for c in cols)
    assert f"| 三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密 | {values} |" in text
    new = " | ".join(text_of(report, f"t3.new.{c}") for c in cols)
    assert f"| {' | '.join(['一、本年新收政府信息公开申请数量'] * 3)} | {new} |" in text
    assert " | 自然人 | " + " | ".join(["法人或其他组织"] * 5) + " | 总计 |" in text
    assert " | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |" in text
    assert "| 三、本年度办理结果 | （七）总计 | （七）总计 | " in text
    assert "| 三、本年度办理结果 | （六）其他处理 | 3.其他 | " in text
    assert "| 三、本年度办理结果 | （六）其他处理 | （六）其他处理 |" not in text  # optional row absent
    # the blank cell stays blank, in its column
    assert f"| {' | '.join(['一、本年新收政府信息公开申请数量'] * 3)} | {report.cells['t3.new.natural']} | " in text
    assert re.search(r"\| \d+ \| \d+ \|  \| \d+ \|", text)


def test_md_optional_rows_only_when_present():
    report = filled("gb2021")
    report.cells["t3.other.total"] = 7
    text = render(report, "md").decode()
    assert "| 三、本年度办理结果 | （六）其他处理 | （六）其他处理 |  |  |  |  |  |  | 7 |" in text
    check_rows(md_tables(text)[1], report, report.spec.table("t3"))

    report = filled("gb2019")
    assert "其他主动公开文件" not in render(report, "md").decode()
    report.cells["t2.other_docs.new_made"] = 17
    assert "| 其他主动公开文件 | 17 |  |  |" in render(report, "md").decode()


def test_md_table_two_and_four_gb2019():
    report = filled("gb2019")
    text = render(report, "md").decode()
    assert "| 第二十条第（一）项 |  |  |  |\n| --- | --- | --- | --- |\n| 信息内容 | 本年新制作数量 | " in text
    fees = [text_of(report, f"t2.fees.{c}") for c in ("prev_count", "change")]
    assert f"| 行政事业性收费 | {fees[0]} | {fees[1]} |  |" in text
    assert f"| 政府集中采购 | {report.cells['t2.procurement.projects']} | 347.4675万元 |  |" in text
    t4 = md_tables(text)[2]
    assert t4[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert t4[1] == outcomes + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    assert t4[2] == outcomes * 3
    assert t4[3] == [text_of(report, i) for i in T4_IDS]


def test_md_gb2021_single_column_blocks():
    report = filled("gb2021")
    text = render(report, "md").decode()
    assert "| 信息内容 | 本年处理决定数量 | 本年处理决定数量 | 本年处理决定数量 |" in text
    assert f"| 行政许可 | {report.cells['t2.licensing.decisions']} |  |  |" in text
    assert "| 行政事业性收费 | 347.4675 |  |  |" in text


@pytest.mark.parametrize("fmt", ("gb2021", "gb2019"))
def test_md_sections_and_table_places(fmt):
    report = filled(fmt)
    text = render(report, "md").decode()
    head = f"# {default_title(report)}\n\n{report.preamble}\n\n## 一、总体情况\n\n"
    assert text.startswith(head + "第1部分第一段。\n\n第1部分第二段。\n")
    heads = [m.start() for m in (re.search(f"^## {re.escape(s)}$", text, re.M) for s in SECTIONS)]
    assert heads == sorted(heads)
    tables = [m.start() for m in re.finditer(r"^\| .*\n\| --- \|", text, re.M)]
    assert len(tables) == 3
    for n, start in enumerate(tables, 1):  # 二 in s2, 三 in s3, 四 in s4, after the section's text
        assert heads[n] < text.index(f"第{n + 1}部分第二段。") < start < heads[n + 1]


def test_md_legacy():
    report = filled("legacy")
    report.sections = {"s1": "我局主动公开信息共288条。", "s2": "无。", "s3": ""}
    text = render(report, "md").decode()
    # legacy reports are free-form: the sections they have, under the standard headings
    assert "## 一、总体情况\n\n我局主动公开信息共288条。\n\n## 二、主动公开政府信息情况\n\n无。\n\n" in text
    assert "## 三、" not in text
    assert "\n\n无。\n\n## 政府信息公开工作情况统计表\n\n| 统计指标 |" in text
    assert "| 统计指标 | 统计数 |\n| --- | --- |\n| 一、主动公开情况 |  |\n| （一）主动公开政府信息数 | 101 |" in text
    assert "| 七、依申请公开信息收取的费用（万元） | 347.4675 |" in text
    assert "| 3.政务微博公开政府信息数 |  |" in text


def test_md_ignores_foreign_t2_cells():
    report = filled("gb2021")
    report.cells["t2.procurement.projects"] = 98765
    assert "98765" not in render(report, "md").decode()
    assert render(report, "docx") and render(report, "xlsx")


# ------------------------------------------------------------------ html


def html_tables(data: bytes):
    doc = lxml_html.fromstring(data)
    return doc, doc.findall(".//table")


def span(el, attr: str) -> int:
    return int(el.get(attr, "1"))


def cell_by_text(table, text: str):
    found = [c for c in table.iter("td", "th") if c.text_content() == text]
    assert found, text
    return found[0]


@pytest.mark.parametrize("fmt", ALL)
def test_html_rows_carry_values(fmt):
    report = filled(fmt)
    data = render(report, "html")
    assert b'<meta charset="utf-8">' in data
    doc, tables = html_tables(data)
    assert doc.find(".//h1").text_content() == default_title(report)
    assert len(tables) == len(report.spec.tables)
    for table, el in zip(report.spec.tables, tables, strict=True):
        if table.flat:
            continue
        rows = []
        for tr in el.findall("tr"):
            cells = tr.findall("td") + tr.findall("th")
            labels = [c.text_content() for c in cells if c.get("class") == "label"]
            values = [c.text_content() for c in cells if c.get("class") == "value"]
            rows.append([*([""] * (LABEL_WIDTH[table.key] - 1)), labels[-1] if labels else "", *values])
        check_rows(rows, report, table)


@pytest.mark.parametrize(("fmt", "outcomes", "other"), [("gb2021", 22, 3), ("gb2019", 20, 1)])
def test_html_table_three_spans(fmt, outcomes, other):
    report = filled(fmt)
    _doc, tables = html_tables(render(report, "html"))
    t3 = tables[1]
    assert span(cell_by_text(t3, "三、本年度办理结果"), "rowspan") == outcomes
    assert span(cell_by_text(t3, "（三）不予公开"), "rowspan") == 8
    assert span(cell_by_text(t3, "（四）无法提供"), "rowspan") == 3
    assert span(cell_by_text(t3, "（五）不予处理"), "rowspan") == 5
    assert span(cell_by_text(t3, "（六）其他处理"), "rowspan") == other
    assert span(cell_by_text(t3, "（六）其他处理"), "colspan") == (1 if other > 1 else 2)
    assert span(cell_by_text(t3, "（一）予以公开"), "colspan") == 2
    assert span(cell_by_text(t3, "一、本年新收政府信息公开申请数量"), "colspan") == 3
    assert span(cell_by_text(t3, "四、结转下年度继续办理"), "colspan") == 3
    assert span(cell_by_text(t3, "申请人情况"), "colspan") == 7
    assert span(cell_by_text(t3, "法人或其他组织"), "colspan") == 5
    assert span(cell_by_text(t3, "自然人"), "rowspan") == 2
    note = t3.find("tr").find("th")
    assert (span(note, "rowspan"), span(note, "colspan")) == (3, 3)
    assert note.tag == "th"
    tr = cell_by_text(t3, "1.属于国家秘密").getparent()
    assert [c.text_content() for c in tr] == [
        "（三）不予公开",
        "1.属于国家秘密",
        *(text_of(report, f"t3.denied.state_secret.{c.key}") for c in report.spec.table("t3").blocks[0].columns),
    ]
    assert len(t3.findall("tr")) == 3 + 2 + outcomes + 1


def test_html_table_two_and_four_spans():
    report = filled("gb2021")
    data = render(report, "html")
    _doc, (t2, _t3, t4) = html_tables(data)
    assert span(cell_by_text(t2, "第二十条第（一）项"), "colspan") == 4
    assert span(cell_by_text(t2, "本年收费金额（单位：万元）"), "colspan") == 3
    assert span(cell_by_text(t2, "347.4675"), "colspan") == 3
    assert span(cell_by_text(t4, "行政复议"), "colspan") == 5
    assert span(cell_by_text(t4, "行政诉讼"), "colspan") == 10
    assert span(cell_by_text(t4, "未经复议直接起诉"), "colspan") == 5
    assert span(cell_by_text(t4.findall("tr")[1], "结果维持"), "rowspan") == 2
    values = [c.text_content() for c in t4.findall("tr")[3]]
    assert values == [text_of(report, i) for i in T4_IDS]


def test_html_escapes_text():
    report = filled("gb2021", title="<b>标题</b> & 副标题")
    report.sections["s1"] = "a < b & c"
    data = render(report, "html").decode()
    assert "&lt;b&gt;标题&lt;/b&gt; &amp; 副标题" in data
    doc, _ = html_tables(data.encode())
    assert doc.find(".//h1").text_content() == "<b>标题</b> & 副标题"
    assert "a < b & c" in [p.text_content() for p in doc.iter("p")]


# ------------------------------------------------------------------ docx


def docx_grid(table) -> list[list[str]]:
    return [[table.cell(r, c).text for c in range(len(table.columns))] for r in range(len(table.rows))]


@pytest.mark.parametrize("fmt", ALL)
def test_docx_tables_and_values(fmt):
    report = filled(fmt)
    data = render(report, "docx")
    doc = Document(io.BytesIO(data))
    assert len(doc.tables) == len(report.spec.tables)
    assert doc.paragraphs[0].text == default_title(report)
    assert doc.paragraphs[0].style.name == "Title"
    assert "第1部分第二段。" in [p.text for p in doc.paragraphs]
    for table, t in zip(report.spec.tables, doc.tables, strict=True):
        assert t.style.name == "Table Grid"
        if not table.flat:
            check_rows(docx_grid(t), report, table)
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    merged = fmt != "legacy"  # the legacy table has no merged cells
    assert ("<w:gridSpan" in body) == merged
    assert ('<w:vMerge w:val="restart"/>' in body) == merged


def test_docx_merges_in_table_three():
    report = filled("gb2021")
    doc = Document(io.BytesIO(render(report, "docx")))
    t3 = doc.tables[1]
    grid = docx_grid(t3)
    assert len(grid) == 3 + 2 + 22 + 1 and len(grid[0]) == 10
    assert [row[0] for row in grid[5:27]] == ["三、本年度办理结果"] * 22
    assert grid[7][:3] == ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"]
    assert grid[3][:3] == ["一、本年新收政府信息公开申请数量"] * 3
    assert grid[0][3:] == ["申请人情况"] * 7
    tcs = t3._tbl.xpath(".//w:tc")
    spans = [tc.grid_span for tc in tcs]
    assert spans.count(3) == 6  # the note (in its 3 rows), 一、, 二、 and 四、
    restarts = t3._tbl.xpath(".//w:vMerge[@w:val='restart']")
    # note, 自然人, 总计, 三、本年度办理结果, （三）（四）（五）（六）
    assert len(restarts) == 8
    t4 = doc.tables[2]
    assert [tc.grid_span for tc in t4.rows[0]._tr.tc_lst] == [5, 10]


def test_docx_chinese_fonts():
    data = render(filled("gb2021"), "docx")
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    doc = Document(io.BytesIO(data))

    def east_asia(name):
        rfonts = doc.styles[name].element.rPr.rFonts
        return rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")

    assert east_asia("Normal") == "仿宋_GB2312"
    assert east_asia("Title") == "方正小标宋简体"
    assert east_asia("Heading 1") == "黑体"
    assert east_asia("表格文字") == "仿宋"
    assert doc.styles["Title"].font.size.pt == 22
    assert doc.styles["Heading 1"].font.size.pt == 16
    assert doc.styles["Normal"].font.size.pt == 16
    assert doc.styles["表格文字"].font.size.pt == 10.5
    assert 'w:eastAsia="黑体"' in styles
    assert "eastAsiaTheme" not in doc.styles["Heading 1"].element.xml
    cell_par = doc.tables[0].cell(2, 0).paragraphs[0]
    assert cell_par.style.name == "表格文字"


@pytest.mark.slow  # starts soffice: seconds each
@needs_libreoffice("Writer", "Calc")
@pytest.mark.parametrize("fmt", ALL)
def test_libreoffice_opens_docx_and_xlsx(fmt, tmp_path):
    report = filled(fmt)
    (tmp_path / "r.docx").write_bytes(render(report, "docx"))
    (tmp_path / "r.xlsx").write_bytes(render(report, "xlsx"))
    for name, target in (("r.docx", "pdf"), ("r.xlsx", "pdf")):
        profile = f"-env:UserInstallation=file://{tmp_path}/lo"
        outdir = str(tmp_path / name.split(".")[1])
        cmd = ["soffice", "--headless", profile, "--convert-to", target, "--outdir", outdir, str(tmp_path / name)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=180)
        pdf = tmp_path / name.split(".")[1] / "r.pdf"
        assert pdf.exists() and pdf.stat().st_size > 1000


# ------------------------------------------------------------------ xlsx


def sheet_rows(ws) -> list[list]:
    return [list(row) for row in ws.iter_rows(min_row=3, values_only=True)]


def xlsx_value(report: Report, cid: str):
    v = report.cells.get(cid)
    return float(v) if isinstance(v, Decimal) else v


@pytest.mark.parametrize("fmt", ALL)
def test_xlsx_sheets_and_numbers(fmt):
    report = filled(fmt)
    wb = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    tables = ["统计表"] if fmt == "legacy" else ["表二", "表三", "表四"]
    assert wb.sheetnames == ["报告信息", *tables, "正文", "问题"]
    info = {row[0]: row[1] for row in wb["报告信息"].iter_rows(min_row=2, values_only=True)}
    assert info["格式"] == fmt and info["年度"] == report.year and info["单位"] == "某市司法局"
    assert info["标题"] == default_title(report)
    assert list(wb["问题"].iter_rows(min_row=2, values_only=True)) == [
        ("row-width", "警告", "t3.new.natural", "找到 6 个数，应为 7 个")
    ]
    text = {row[0]: row[2] for row in wb["正文"].iter_rows(min_row=2, values_only=True)}
    assert text["s3"] == report.sections["s3"]
    for table, name in zip(report.spec.tables, tables, strict=True):
        ws = wb[name]
        assert ws["A1"].value == table.title
        if not table.flat:
            check_rows(sheet_rows(ws), report, table, values=xlsx_value)
    for row in sheet_rows(wb[tables[-1]]):
        for v in row:
            assert not (isinstance(v, str) and v.isdigit())  # numbers are numbers


@pytest.mark.parametrize(("fmt", "last"), [("gb2021", 29), ("gb2019", 27)])
def test_xlsx_merged_ranges(fmt, last):
    report = filled(fmt)
    wb = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    t3 = {str(r) for r in wb["表三"].merged_cells.ranges}
    assert {"A3:C5", "D3:J3", "D4:D5", "E4:I4", "J4:J5", "A6:C6", "A7:C7", "B8:C8", "B10:B17"} <= t3
    assert f"A8:A{last}" in t3
    ws = wb["表三"]
    assert ws["A8"].value == "三、本年度办理结果"
    assert ws["D6"].value == report.cells["t3.new.natural"]
    assert ws["J11"].value == report.cells["t3.denied.law_prohibited.total"]
    t4 = wb["表四"]
    assert {"A3:E3", "F3:O3", "F4:J4", "K4:O4", "A4:A5"} <= {str(r) for r in t4.merged_cells.ranges}
    assert [t4.cell(6, k).value for k in range(1, 16)] == [report.cells[i] for i in T4_IDS]


def test_xlsx_money_and_blank():
    report = filled("gb2021")
    wb = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    t2 = wb["表二"]
    fees = [row for row in t2.iter_rows(values_only=True) if row[0] == "行政事业性收费"]
    assert fees == [("行政事业性收费", 347.4675, None, None)]
    assert "B16:D16" in {str(r) for r in t2.merged_cells.ranges}
    assert wb["表三"]["F6"].value is None  # t3.new.research left blank

    report = filled("gb2019")
    ws = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))["表二"]
    cell = next(row[2] for row in ws.iter_rows() if row[0].value == "政府集中采购")
    assert cell.value == 347.4675 and "万元" in cell.number_format


def test_formats_known():
    assert set(ALL) == set(FORMATS)
