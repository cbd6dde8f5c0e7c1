from pathlib import Path

import pytest

from gongkai.errors import GongkaiError
from gongkai.ingest.charset import decode
from gongkai.ingest.html import read_html
from gongkai.ingest.model import Grid

CORPUS = Path(__file__).parent / "corpus" / "html"

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
RESULT = "三、本年度办理结果"
REVIEW_HEADER = [
    ["行政复议"] * 5 + ["行政诉讼"] * 10,
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3,
]


def read(name: str):
    return read_html((CORPUS / name).read_bytes(), source=name)


def all_text(doc) -> str:
    cells = " ".join(c for g in doc.grids() for row in g.rows for c in row)
    return doc.text() + " " + cells


# (a) a government page in GB2312 with furniture around the report


def test_gbk_page_is_stored_as_gbk():
    raw = (CORPUS / "gov_gb2312.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "年度报告" in raw.decode("gbk")


def test_gbk_page_keeps_report_text_in_order():
    doc = read("gov_gb2312.html")
    assert doc.carrier == "html"
    assert doc.source == "gov_gb2312.html"
    texts = [p.text for p in doc.paragraphs()]
    assert doc.paragraphs()[0].heading
    assert texts[0] == "某某市司法局2021年政府信息公开工作年度报告"
    assert texts[2:5] == [
        "一、总体情况",
        "2021年，我局认真贯彻落实《条例》，全年主动公开政府信息168条。",  # &nbsp; before it stripped
        "全年收到政府信息公开申请13件，均已按期答复。",  # <br> starts a new paragraph
    ]
    # U+3000 indent dropped; a source line break between CJK characters joins without a space
    assert "（一）主动公开。通过门户网站、政务微博、微信公众号等平台及时公开行政许可、行政处罚等信息。" in texts
    assert texts[-2:] == ["某某市司法局", "2022年1月20日"]
    assert "" not in texts
    at = [i for i, b in enumerate(doc.blocks) if not isinstance(b, Grid) and b.text.startswith("三、收到")]
    assert at and doc.blocks[at[0] + 1] is doc.grids()[1]


@pytest.mark.parametrize(
    "noise",
    [
        "首页",
        "互动交流",
        "政府信息公开指南",
        "联系电话",
        "当前位置",
        "发布时间",
        "分享到",
        "相关文章",
        "主办单位",
        "ICP",
        "脚本",
        "搜索",
    ],
)
def test_gbk_page_drops_page_furniture(noise):
    assert noise not in all_text(read("gov_gb2312.html"))


def test_gbk_page_has_three_grids():
    grids = read("gov_gb2312.html").grids()
    assert [(len(g.rows), len(g.rows[0])) for g in grids] == [(7, 4), (28, 10), (4, 15)]
    assert all(g.exact for g in grids)
    assert all(len(row) == len(g.rows[0]) for g in grids for row in g.rows)


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (0, [NOTE] * 3 + ["申请人情况"] * 7),
        (1, [NOTE] * 3 + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]),
        (2, [NOTE] * 3 + ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]),
        (3, ["一、本年新收政府信息公开申请数量"] * 3 + ["10", "2", "0", "0", "", "1", "13"]),
        (5, [RESULT, "（一）予以公开", "（一）予以公开", "6", "1", "0", "0", "0", "0", "7"]),
        (9, [RESULT, "（三）不予公开", "3.危及“三安全一稳定”", "0", "0", "0", "0", "0", "0", "0"]),
        (12, [RESULT, "（三）不予公开", "6.属于四类过程性信息", "1", "0", "0", "0", "0", "0", "1"]),
        (15, [RESULT, "（四）无法提供", "1.本机关不掌握相关政府信息", "2", "0", "0", "0", "0", "0", "2"]),
        (25, [RESULT, "（六）其他处理", "3.其他", "0", "0", "0", "0", "/", "0", "0"]),
        (26, [RESULT, "（七）总计", "（七）总计", "10", "1", "0", "0", "0", "0", "11"]),
        (27, ["四、结转下年度继续办理"] * 3 + ["1", "1", "0", "0", "0", "1", "3"]),
    ],
)
def test_gbk_page_table_three_expanded(index, expected):
    table = read("gov_gb2312.html").grids()[1]
    assert table.rows[index] == expected


def test_gbk_page_table_three_places_and_empty_row():
    table = read("gov_gb2312.html").grids()[1]
    assert table.where[0] == "第2个表格第1行"
    assert table.where[-1] == "第2个表格第28行"
    assert table.place(4) == "第2个表格第5行"
    # the trailing row of &nbsp; / U+3000 / empty cells is skipped
    assert all(any(row) for row in table.rows)


def test_gbk_page_table_two_colspan_repeats_values():
    table = read("gov_gb2312.html").grids()[0]
    assert table.rows[0] == ["第二十条第（一）项"] * 4
    assert table.rows[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert table.rows[6] == ["行政许可", "142", "142", "142"]
    assert {(0, 1), (0, 2), (0, 3), (4, 1), (4, 2), (4, 3), (5, 2), (5, 3), (6, 2), (6, 3)} == table.copies


def test_gbk_page_table_three_copies():
    table = read("gov_gb2312.html").grids()[1]
    assert {(0, 1), (0, 2), (0, 4), (0, 9), (1, 1), (1, 2), (1, 5), (1, 8), (3, 1), (3, 2)} <= table.copies
    assert (1, 3) not in table.copies  # 自然人 repeats by rowspan, not colspan
    assert (7, 1) not in table.copies  # （三）不予公开 likewise
    assert {(5, 2), (26, 2), (27, 1), (27, 2)} <= table.copies
    assert not any(c >= 3 for r, c in table.copies if r >= 3)  # no value is a copy


# (b) report tables nested in a layout table


def test_layout_table_page():
    doc = read("layout_tables.html")
    grids = doc.grids()
    assert [(len(g.rows), len(g.rows[0])) for g in grids] == [(4, 4), (4, 15)]
    assert grids[0].rows[3] == ["行政规范性文件", "1", "0", "4"]
    assert doc.paragraphs()[0].text == "某某县农业农村局2021年政府信息公开工作年度报告"
    texts = [p.text for p in doc.paragraphs()]
    assert "2021年，我局主动公开政府信息56条，收到政府信息公开申请2件。" in texts
    assert texts[-1] == "信息公开的及时性有待提高。"
    text = all_text(doc)
    for noise in ("公开指南", "版权所有", "技术支持", "门户网站"):
        assert noise not in text


# (c) UTF-8 page with <meta charset>, HTML5 elements


def test_utf8_html5_page():
    doc = read("html5_utf8.html")
    paragraphs = doc.paragraphs()
    assert paragraphs[0].text == "某某区教育局2022年政府信息公开工作年度报告"
    headings = [p.text for p in paragraphs if p.heading]
    assert headings[1:] == ["一、总体情况", "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况"]
    assert [p.text for p in paragraphs[-2:]] == ["部分栏目更新不及时。", "下一步将加强栏目维护。"]
    text = all_text(doc)
    for noise in ("信息公开目录", "机构职能", "浏览次数", "分享到", "ICP", "办事服务"):
        assert noise not in text


# (f) table four: three header levels, 15 value columns


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("gov_gb2312.html", ["1", "0", "0", "0", "1", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0"]),
        ("layout_tables.html", ["0"] * 15),
        ("html5_utf8.html", ["2", "1", "0", "0", "3", "1", "0", "0", "0", "1", "0", "0", "0", "1", "1"]),
    ],
)
def test_table_four(name, values):
    table = read(name).grids()[-1]
    assert table.rows == [*REVIEW_HEADER, values]


# (d) pages without a report


@pytest.mark.parametrize("name", ["not_found.html", "news_list.html"])
def test_page_without_report(name):
    doc = read(name)
    assert doc.grids() == []
    assert doc.paragraphs()  # the page's own text is still there
    assert "首页" not in doc.text().split()


def test_news_list_keeps_list_without_navigation():
    doc = read("news_list.html")
    assert doc.paragraphs()[0].text == "政府信息公开年度报告"
    assert "版权所有" not in doc.text()


# (e) not HTML


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \r\n\t ",
        bytes(range(256)) * 8,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00",
        "这是一份纯文本的年度报告，没有任何标签。".encode(),
    ],
)
def test_not_html_raises(data):
    with pytest.raises(GongkaiError) as e:
        read_html(data, source="bad.html")
    assert e.value.path == "bad.html"
    assert "bad.html" in str(e.value)


# decoding


PAGE = "<html><head>{meta}</head><body><p>政府信息公开工作年度报告</p></body></html>"


@pytest.mark.parametrize(
    ("meta", "encoding"),
    [
        ('<meta http-equiv="Content-Type" content="text/html; charset=GB2312">', "gbk"),
        ('<meta charset="gbk">', "gb18030"),
        ("<meta charset=gb_2312-80>", "gbk"),
        ('<meta charset="x-gbk">', "gbk"),
        ('<meta charset="GB18030">', "gb18030"),
        ('<meta charset="utf-8">', "utf-8"),
        ("", "utf-8"),
        ("", "gbk"),  # no declaration: utf-8 fails strictly, gb18030 is next
        ('<meta charset="iso-8859-1">', "gbk"),  # a wrong western label on a Chinese page
    ],
)
def test_decoding(meta, encoding):
    data = PAGE.format(meta=meta).encode(encoding)
    assert read_html(data).text() == "政府信息公开工作年度报告"


def test_charset_argument_wins_over_meta():
    data = PAGE.format(meta='<meta charset="utf-8">').encode("gbk")
    assert read_html(data, charset="GBK").text() == "政府信息公开工作年度报告"
    assert decode(data, charset="gb2312") == data.decode("gbk")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bom(encoding):
    data = PAGE.format(meta='<meta charset="gbk">').encode(encoding)
    assert read_html(data).text() == "政府信息公开工作年度报告"


def test_broken_bytes_replaced_only_as_last_resort():
    data = PAGE.format(meta='<meta charset="gbk">').encode("gbk").replace(b"</p>", b"\xff</p>")
    assert read_html(data).text() == "政府信息公开工作年度报告\ufffd"


# tables: spans, nesting, cell text


def grids_of(body: str) -> list[Grid]:
    return read_html(f"<html><body>{body}</body></html>".encode()).grids()


@pytest.mark.parametrize(
    ("cell", "rows"),
    [
        ('<td rowspan="0">A</td><td>1</td>', [["A", "1"], ["A", "2"], ["A", "3"]]),
        ('<td rowspan="1000">A</td><td>1</td>', [["A", "1"], ["A", "2"], ["A", "3"]]),
        ('<td rowspan="abc">A</td><td>1</td>', [["A", "1"], ["2", ""], ["3", ""]]),
        ('<td colspan="">A</td><td>1</td>', [["A", "1"], ["2", ""], ["3", ""]]),
        ('<td colspan="0">A</td><td>1</td>', [["A", "1"], ["2", ""], ["3", ""]]),
        ('<td colspan="2px">A</td><td>1</td>', [["A", "A", "1"], ["2", "", ""], ["3", "", ""]]),
    ],
)
def test_bad_spans(cell, rows):
    table = f"<table><tr>{cell}</tr><tr><td>2</td></tr><tr><td>3</td></tr></table>"
    assert grids_of(table)[0].rows == rows


def test_huge_colspan_is_capped():
    grid = grids_of('<table><tr><td colspan="1000">A</td></tr><tr><td>1</td></tr></table>')[0]
    assert len(grid.rows[0]) == 100


def test_rowspan_stops_at_section_end():
    table = (
        '<table><thead><tr><td rowspan="5">H</td><td>x</td></tr></thead>'
        "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
    )
    assert grids_of(table)[0].rows == [["H", "x"], ["1", "2"]]


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("本年新<br>制作数量", "本年新制作数量"),
        ("上一年项目数量<br>(指2019年事项数)", "上一年项目数量 (指2019年事项数)"),
        ("<p>行政</p><p>许可</p>", "行政许可"),
        ("<div>Total</div><div>总计</div>", "Total 总计"),
        ("&nbsp;", ""),
        ("\u3000/\u3000", "/"),
        ("规范性\r\n  文件", "规范性文件"),
        ("结果 维持", "结果 维持"),
    ],
)
def test_cell_text(cell, text):
    grid = grids_of(f"<table><tr><td>标签</td><td>{cell}</td></tr></table>")[0]
    assert grid.rows == [["标签", text]]


def test_cells_are_never_dropped_as_page_furniture():
    table = '<table><tr><td class="bottom">A</td><td class="nav-link" style="display:none">1</td></tr></table>'
    assert grids_of(table)[0].rows == [["A", "1"]]


def test_nested_data_table_inside_layout_cell():
    page = (
        "<table><tr><td><p>说明文字</p>"
        "<table><tr><td>a</td><td>1</td></tr></table><p>后文</p></td><td>右栏</td></tr></table>"
    )
    doc = read_html(f"<html><body>{page}</body></html>".encode())
    kinds = [b.text if not isinstance(b, Grid) else b.rows for b in doc.blocks]
    assert kinds == ["说明文字", [["a", "1"]], "后文", "右栏"]


# behaviours the single flattened walk keeps (what the old per-node recursion did)

REPORT = "某某市司法局2021年政府信息公开工作年度报告"
BODY_TEXT = "一、总体情况。" * 20


def texts_of(page: str) -> list[str]:
    return [p.text for p in read_html(page.encode()).paragraphs()]


def test_dropped_inline_furniture_joins_the_text_around_it():
    page = f"<div class='TRS_Editor'><p>{BODY_TEXT}</p><p>全年<span class='share'>分享到</span>收到申请13件</p></div>"
    assert texts_of(page)[-1] == "全年收到申请13件"


def test_a_br_dropped_as_furniture_no_longer_breaks_the_line():
    page = f"<div class='TRS_Editor'><p>{BODY_TEXT}</p><p>第一行<br class='nav'>第二行<br>第三行</p></div>"
    assert texts_of(page)[-2:] == ["第一行第二行", "第三行"]


def test_link_text_does_not_pull_the_container():
    links = "<a href='#'>首页导航链接文字很多很多</a>" * 30
    page = f"<div id='a'>{links}</div><div id='b'><p>{BODY_TEXT}</p><p>{BODY_TEXT}</p></div>"
    assert texts_of(page) == [BODY_TEXT, BODY_TEXT]  # more characters in the links, but they do not count


def test_container_inside_an_option_is_still_read():
    page = f"<div><option><section class='content'><p>{BODY_TEXT}</p><p>后文</p></section></option></div>"
    assert texts_of(page) == [BODY_TEXT, "后文"]


def test_title_in_noscript_read_before_it_is_dropped():
    page = f"<noscript><h1>{REPORT}</h1></noscript><div class='TRS_Editor'><p>{BODY_TEXT}</p></div><div>尾</div>"
    doc = read_html(page.encode())
    assert doc.paragraphs()[0].text == REPORT and doc.paragraphs()[0].heading


def test_layout_table_becomes_data_once_its_nested_furniture_is_dropped():
    nested = "<table class='nav'><tr><td>x</td></tr></table>"
    table = f"<table><tr><td>a</td><td>1</td></tr><tr><td>{nested}</td><td>2</td></tr></table>"
    assert grids_of(f"<div class='TRS_Editor'><p>{BODY_TEXT}</p>{table}</div>")[0].rows == [["a", "1"], ["", "2"]]


def test_cell_lines_skip_images_and_options_and_join_cjk():
    cell = "<p>行政</p>\n<p>许可</p><img alt='x'>了<option>选项</option>结"
    grid = grids_of(f"<table><tr><td>标签</td><td>{cell}</td><td>Total<br>总计</td></tr></table>")[0]
    assert grid.rows == [["标签", "行政许可了结", "Total 总计"]]


def test_caption_and_heading_in_a_cell():
    doc = read_html("<table><caption>表一<br>note</caption><tr><td><h3>A</h3>b</td><td>1</td></tr></table>".encode())
    assert [b.text for b in doc.paragraphs()] == ["表一", "note"]
    assert doc.grids()[0].rows == [["A b", "1"]]


def test_publisher_label_and_value_in_two_cells():
    page = (
        f"<html><head><title>{REPORT}_某某市人民政府</title></head><body><table class='info'>"
        "<tr><td>来源：</td><td>某某市司法局</td></tr></table>"
        f"<div class='TRS_Editor'><p>{BODY_TEXT}</p></div></body></html>"
    )
    assert read_html(page.encode()).meta == [f"{REPORT}_某某市人民政府", "来源：某某市司法局"]
