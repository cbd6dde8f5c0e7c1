"""The text reader and mapping step on the layout quirks real reports have."""

from decimal import Decimal

import pytest

from gongkai.extract import extract
from gongkai.ingest.text import read_text
from gongkai.parse import parse_bytes

T3 = "三、收到和处理政府信息公开申请情况\n"
NEW = "一、本年新收政府信息公开申请数量"


def parse(text: str):
    return extract(read_text(text, "test.txt"))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # pipe-separated, first merged cell kept
        (f"{NEW} | 1 | 2 | 0 | 0 | 0 | 0 | 3 |", [1, 2, 0, 0, 0, 0, 3]),
        # Markdown row
        (f"| {NEW} | 1 | 2 | 0 | 0 | 0 | 0 | 3 |", [1, 2, 0, 0, 0, 0, 3]),
        # tab-separated with an empty merged cell before the values
        (f"{NEW}\t\t1\t2\t0\t0\t0\t0\t3", [1, 2, 0, 0, 0, 0, 3]),
        # space-separated numbers after the label (a PDF copied as text)
        (f"{NEW} 1 2 0 0 0 0 3", [1, 2, 0, 0, 0, 0, 3]),
        # full-width digits and a full-width bar
        (f"{NEW}｜１｜２｜０｜０｜０｜０｜３", [1, 2, 0, 0, 0, 0, 3]),
        # blank markers inside the row are null, not 0
        (f"{NEW} | 1 | / | — | 0 | 0 | 0 | 1 |", [1, None, None, 0, 0, 0, 1]),
    ],
)
def test_row_layouts(line, expected):
    report = parse(T3 + line)
    cols = ("natural", "business", "research", "nonprofit", "legal_service", "org_other", "total")
    assert [report.cells[f"t3.new.{c}"] for c in cols] == expected
    assert not [i for i in report.issues if i.code == "row-width"]


@pytest.mark.parametrize(("n_values", "expected_n"), [(6, 7), (8, 7)])
def test_row_width_never_shifts_values(n_values, expected_n):
    line = NEW + " | " + " | ".join(str(i + 1) for i in range(n_values)) + " |"
    report = parse(T3 + line)
    assert all(report.cells[f"t3.new.{c}"] is None for c in ("natural", "business", "total"))
    (issue,) = [i for i in report.issues if i.code == "row-width"]
    assert issue.where == "t3.new"
    assert f"找到 {n_values} 个数，应为 {expected_n} 个" in issue.message


def test_row_whose_merged_group_cell_is_missing():
    # the （三）不予公开 cell spans eight rows; a text copy prints it on the first only
    text = T3 + "\n".join(
        [
            "三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
            "2.其他法律行政法规禁止公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
            "| 3.危及“三安全一稳定” | 3 | 0 | 0 | 0 | 0 | 0 | 3 |",
        ]
    )
    report = parse(text)
    assert report.cells["t3.denied.state_secret.natural"] == 1
    assert report.cells["t3.denied.law_prohibited.total"] == 2
    assert report.cells["t3.denied.three_security.total"] == 3


def test_label_broken_across_lines():
    text = T3 + "\n".join(
        [
            f"{NEW} | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
            "（二）部分公开（区分处理的，只计这一情形，",
            "不计其他情形） | 4 | 0 | 0 | 0 | 0 | 0 | 4 |",
            "（四）无法提供 | 1.本机关不掌握相关",
            "政府信息 | 5 | 0 | 0 | 0 | 0 | 0 | 5 |",
        ]
    )
    report = parse(text)
    assert report.cells["t3.partial.natural"] == 4
    assert report.cells["t3.unable.not_held.total"] == 5


def test_label_variants_and_missing_ordinals():
    text = T3 + "\n".join(
        [
            "(三)不予公开 | 其他法律法规禁止公开 | 7 | 0 | 0 | 0 | 0 | 0 | 7 |",  # 行政 left out
            '危及"三安全一稳定" | 8 | 0 | 0 | 0 | 0 | 0 | 8 |',  # no ordinal, half-width quotes
            "（五）不予处理 | 5、要求行政机关确认或重新出具已获取的信息 | 9 | 0 | 0 | 0 | 0 | 0 | 9 |",
        ]
    )
    report = parse(text)
    assert report.cells["t3.denied.law_prohibited.natural"] == 7
    assert report.cells["t3.denied.three_security.natural"] == 8
    assert report.cells["t3.refused.confirmation.total"] == 9


def test_typo_in_label_is_matched_and_reported():
    report = parse(T3 + "（三）不予公开 | 2.其他法律行政止公开 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |")
    assert report.cells["t3.denied.law_prohibited.natural"] == 3
    assert [i.code for i in report.issues] == ["label-variant"]


def test_table_four_flattened_into_one_row():
    text = "四、政府信息公开行政复议、行政诉讼情况\n行政复议 | 行政诉讼 |\n" + " | ".join(str(i) for i in range(1, 16))
    report = parse(text)
    assert report.cells["t4.review.upheld"] == 1
    assert report.cells["t4.suit_direct.total"] == 10
    assert report.cells["t4.suit_after_review.total"] == 15


def test_table_two_gb2021_money_and_blank():
    text = "\n".join(
        [
            "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
            "规章\t0\t0\t0",
            "行政规范性文件\t3\t1\t20",
            "信息内容\t本年处理决定数量",
            "行政许可\t1,024",
            "行政处罚\t—",
            "信息内容\t本年收费金额（单位：万元）",
            "行政事业性收费\t12.5",
        ]
    )
    report = parse(text)
    assert report.format == "gb2021"
    assert report.cells["t2.normative.in_force"] == 20
    assert report.cells["t2.licensing.decisions"] == 1024
    assert report.cells["t2.penalty.decisions"] is None
    assert report.cells["t2.fees.amount_wan"] == Decimal("12.5")


@pytest.mark.parametrize(
    ("amount", "expected", "unstated"),
    [
        ("216.35万元", Decimal("216.35"), False),
        ("2163500元", Decimal("216.35"), False),
        ("3474675.89", Decimal("3474675.89"), True),
    ],
)
def test_procurement_amount_units(amount, expected, unstated):
    text = f"信息内容 | 采购项目数量 | 采购总金额 |\n政府集中采购 | 9 | {amount} |"
    report = parse("2020年\n本年新制作数量\n" + text)
    assert report.format == "gb2019"
    assert report.cells["t2.procurement.amount_wan"] == expected
    assert any(i.code == "unit-unstated" for i in report.issues) is unstated


def test_unit_from_header():
    text = "信息内容 | 采购项目数量 | 采购总金额（万元） |\n政府集中采购 | 9 | 3.5 |"
    report = parse("本年新制作数量\n" + text)
    assert report.cells["t2.procurement.amount_wan"] == Decimal("3.5")
    assert not any(i.code == "unit-unstated" for i in report.issues)


def test_format_from_headers_not_year():
    # a 2022 report that still prints the 2019 table 二, with the 2021 table 三
    text = "\n".join(
        [
            "某市某局2022年政府信息公开工作年度报告",
            "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |",
            "规章 | 1 | 2 | 3 |",
            T3.strip(),
            "（六）其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
            " | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        ]
    )
    report = parse(text)
    assert report.format == "gb2021"
    assert report.cells["t2.rules.total_published"] == 3
    assert report.cells["t3.other.no_correction.total"] == 1
    assert "t2.rules.made" not in report.cells
    assert any(i.code == "format-mixed" for i in report.issues)


def test_gb2021_report_with_single_other_row_keeps_the_subtotal():
    text = "\n".join(
        [
            "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
            T3.strip(),
            "（六）其他处理 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
        ]
    )
    report = parse(text)
    assert report.format == "gb2021"
    assert report.cells["t3.other.total"] == 2
    assert report.cells["t3.other.no_correction.total"] is None


def test_year_without_title_falls_back_to_text():
    assert parse("一、总体情况\n2019年，我局……\n报告期自2019年1月1日起").year == 2019


def test_markdown_fixture(corpus):
    report = parse_bytes((corpus / "text" / "gb2021_markdown.md").read_bytes(), "x.md", ".md")
    assert (report.format, report.year, report.agency) == ("gb2021", 2023, "某某县人民政府办公室")
    assert report.cells["t3.new.total"] == 6
    assert report.cells["t3.other.no_correction.natural"] == 1
    assert report.cells["t2.coercion.decisions"] is None
    assert report.cells["t4.review.total"] == 2
    assert report.cells["t4.suit_direct.corrected"] == 1
    assert [(i.code, i.where) for i in report.issues] == [("narrative-mismatch", "t3.new.total")]


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-16"])
def test_encodings(corpus, encoding):
    text = (corpus / "seeds" / "001_1091e914623cb50c.txt").read_text(encoding="utf-8")
    report = parse_bytes(text.encode(encoding), "x.txt", ".txt")
    assert report.agency == "荆门市司法局"
    assert report.cells["t2.licensing.decisions"] == 142


def test_uncertain_ocr_cells_are_flagged_not_trusted_silently():
    from gongkai.ingest.model import Document, Grid

    grid = Grid(
        rows=[["一、本年新收政府信息公开申请数量", "1", "2", "0", "0", "0", "0", "3"]],
        uncertain={(0, 2)},
    )
    report = extract(Document([grid], "scan.pdf", "image"))
    assert report.cells["t3.new.business"] == 2
    (issue,) = report.issues
    assert (issue.code, issue.where, issue.severity) == ("ocr-uncertain", "t3.new.business", "warning")
    assert "“2”" in issue.message


def test_label_and_numbers_on_separate_lines():
    text = T3 + f"{NEW}\n1 2 0 0 0 0 3\n二、上年结转政府信息公开申请数量\n0 0 0 0 0 0 0\n"
    report = parse(text)
    assert report.cells["t3.new.total"] == 3
    assert report.cells["t3.carried_in.natural"] == 0


@pytest.mark.parametrize(
    "headings",
    [
        ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"),
        ("第一部分 总体情况", "第二部分 主动公开政府信息情况", "第三部分 收到和处理政府信息公开申请情况"),
        ("1. 总体情况", "2. 主动公开政府信息情况", "3. 收到和处理政府信息公开申请情况"),
        ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况"),
        ("# 总体情况", "# 主动公开", "# 依申请公开"),
    ],
)
def test_section_heading_styles(headings):
    h1, h2, h3 = headings
    report = parse(f"{h1}\n甲。\n1.主动公开工作。\n{h2}\n乙。\n{h3}\n丙。")
    assert (report.sections["s1"], report.sections["s2"], report.sections["s3"]) == (
        "甲。\n1.主动公开工作。",
        "乙。",
        "丙。",
    )


def test_blank_after_a_full_label_area_is_a_blank_value():
    # every row repeats its merged label in all three label columns: the label area is full,
    # so the blank right after it is the 自然人 value, not a separator artefact
    rows = [
        "三、本年度办理结果\t（三）不予公开\t1.属于国家秘密\t1\t0\t0\t0\t0\t0\t1",
        "三、本年度办理结果\t（三）不予公开\t2.其他法律行政法规禁止公开\t\t2\t0\t0\t0\t0\t2",
    ]
    report = parse(T3 + "\n".join(rows))
    assert report.cells["t3.denied.law_prohibited.natural"] is None
    assert report.cells["t3.denied.law_prohibited.business"] == 2
    assert not any(i.code == "row-width" for i in report.issues)
