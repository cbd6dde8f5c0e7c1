"""Reading that does not depend on layout: the stream of labels and numbers aligned
against the official template (extract/stream.py), one category of real damage per case."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.ingest.text import read_text
from gongkai.parse import parse_document
from gongkai.values import parse_number

HEAD = "某某县交通运输局2023年政府信息公开工作年度报告\n一、总体情况\n本局依法做好政府信息公开工作。\n"
_Z = [0, 0, 0, 0, 0, 0, 0]
T3_ROWS = [
    ("一、本年新收政府信息公开申请数量", [5, 1, 0, 0, 0, 0, 6]),
    ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
    ("三、本年度办理结果 （一）予以公开", [3, 1, 0, 0, 0, 0, 4]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", _Z),
    ("（三）不予公开 1.属于国家秘密", _Z),
    ("2.其他法律行政法规禁止公开", _Z),
    ("3.危及“三安全一稳定”", _Z),
    ("4.保护第三方合法权益", _Z),
    ("5.属于三类内部事务信息", _Z),
    ("6.属于四类过程性信息", _Z),
    ("7.属于行政执法案卷", _Z),
    ("8.属于行政查询事项", _Z),
    ("（四）无法提供 1.本机关不掌握相关政府信息", [1, 0, 0, 0, 0, 0, 1]),
    ("2.没有现成信息需要另行制作", _Z),
    ("3.补正后申请内容仍不明确", _Z),
    ("（五）不予处理 1.信访举报投诉类申请", _Z),
    ("2.重复申请", _Z),
    ("3.要求提供公开出版物", _Z),
    ("4.无正当理由大量反复申请", _Z),
    ("5.要求行政机关确认或重新出具已获取信息", _Z),
    ("（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", [1, 0, 0, 0, 0, 0, 1]),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", _Z),
    ("3.其他", _Z),
    ("（七）总计", [5, 1, 0, 0, 0, 0, 6]),
    ("四、结转下年度继续办理", [1, 0, 0, 0, 0, 0, 1]),
]
T4 = [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]


def _parse(body: str):
    return parse_document(read_text(HEAD + "三、收到和处理政府信息公开申请情况\n" + body))


ROW_IDS = [
    "new", "carried_in", "granted", "partial", "denied.state_secret", "denied.law_prohibited",
    "denied.three_security", "denied.third_party", "denied.internal_affairs", "denied.process_info",
    "denied.enforcement_file", "denied.inquiry", "unable.not_held", "unable.needs_creation",
    "unable.still_unclear", "refused.petition", "refused.duplicate", "refused.publication", "refused.excessive",
    "refused.confirmation", "other.no_correction", "other.unpaid_fee", "other.other", "total", "carried_out",
]  # fmt: skip
COLS = ("natural", "business", "research", "nonprofit", "legal_service", "org_other", "total")


def _assert_t3(report, rows=T3_ROWS, skip=()):
    for row, (label, values) in zip(ROW_IDS, rows, strict=True):
        if row in skip:
            continue
        got = [report.cells[f"t3.{row}.{c}"] for c in COLS]
        assert got == values, (label, got)


def test_one_cell_per_line_separated_by_blank_lines():
    body = "\n\n".join(f"{label}\n\n" + "\n\n".join(map(str, v)) for label, v in T3_ROWS)
    _assert_t3(_parse(body))


def test_every_cell_line_ending_in_a_pipe_with_lone_pipes_for_empty_cells():
    lines = []
    for label, v in T3_ROWS:
        lines.append(f"{label} |")
        lines += ["|" if x == 0 else f"{x} |" for x in v]  # an empty cell is a pipe alone
        lines.append("||")
    report = _parse("\n".join(lines))
    blank = [[None if x == 0 else x for x in v] for _, v in T3_ROWS]
    _assert_t3(report, [(label, b) for (label, _), b in zip(T3_ROWS, blank, strict=True)])


def test_pipes_on_lines_of_their_own_separate_cells():
    lines = []
    for label, v in T3_ROWS:
        lines.append(label)
        for x in v:
            lines += ["|", str(x)]
        lines.append("|")
    _assert_t3(_parse("\n".join(lines)))


def test_labels_broken_over_lines():
    body = "\n".join(f"{label[:5]}\n{label[5:]}\n" + "\n".join(map(str, v)) for label, v in T3_ROWS)
    _assert_t3(_parse(body))


def test_a_row_with_dropped_empty_cells_is_left_blank_and_flagged():
    rows = [*T3_ROWS[:1], ("二、上年结转政府信息公开申请数量", [1, 1]), *T3_ROWS[2:]]
    body = "\n\n".join(f"{label}\n\n" + "\n\n".join(map(str, v)) for label, v in rows)
    report = _parse(body)
    assert all(report.cells[f"t3.carried_in.{c}"] is None for c in COLS)
    _assert_t3(report, skip=("carried_in",))


def test_labels_pushed_out_of_the_table_are_placed_by_order_when_the_identities_hold():
    labels = "\n".join(label for label, _ in T3_ROWS)
    values = "\n".join(" ".join(map(str, v)) for _, v in T3_ROWS)
    report = _parse(labels + "\n" + values)
    _assert_t3(report)
    assert any(i.code == "placed-by-order" for i in report.issues)


def test_labels_pushed_out_are_not_placed_when_the_identities_fail():
    labels = "\n".join(label for label, _ in T3_ROWS)
    rows = [v[:] for _, v in T3_ROWS]
    rows[0] = [9, 1, 0, 0, 0, 0, 6]  # the first row no longer adds up: the order cannot be trusted
    values = "\n".join(" ".join(map(str, v)) for v in rows)
    report = _parse(labels + "\n" + values)
    assert report.cells["t3.new.natural"] is None and report.cells["t3.granted.total"] is None
    assert not any(i.code == "placed-by-order" for i in report.issues)


def _t4_report(header: str, values: str):
    return parse_document(
        read_text(
            HEAD
            + "四、政府信息公开行政复议、行政诉讼情况\n"
            + header
            + "\n"
            + values
            + "\n五、存在的主要问题及改进情况\n无。"
        )
    )


def test_table_four_flat_under_a_vertical_header():
    header = "\n".join("行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉")
    report = _t4_report(header, " ".join(map(str, T4)))
    got = [
        report.cells[f"t4.{g}.{c}"]
        for g in ("review", "suit_direct", "suit_after_review")
        for c in ("upheld", "corrected", "other", "pending", "total")
    ]
    assert got == T4


def test_table_four_as_three_small_tables():
    cols = "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计"
    parts = []
    for name, k in (("行政复议", 0), ("行政诉讼 未经复议直接起诉", 5), ("行政诉讼 复议后起诉", 10)):
        parts += [name, cols, " | ".join(map(str, T4[k : k + 5]))]
    report = _t4_report("\n".join(parts[:1]), "\n".join(parts[1:]))
    assert report.cells["t4.review.total"] == 1 and report.cells["t4.suit_direct.total"] == 1


def test_table_four_flat_that_does_not_add_up_is_kept_under_a_full_header_and_flagged():
    bad = T4[:]
    bad[4] = 7  # as printed: the source itself does not add up (a real case: 洪泽区 2023)
    report = _t4_report("行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计", " ".join(map(str, bad)))
    assert report.cells["t4.review.total"] == 7
    assert any(i.code == "t4-sum" and i.where == "t4.review.total" for i in report.issues)


def test_table_four_flat_without_its_column_header_is_placed_only_when_it_adds_up():
    bad = T4[:]
    bad[4] = 7
    assert _t4_report("行政复议 行政诉讼", " ".join(map(str, bad))).cells["t4.review.total"] is None
    assert _t4_report("行政复议 行政诉讼", " ".join(map(str, T4))).cells["t4.review.total"] == 1


def test_traditional_characters_are_read():
    body = "\n".join(f"{label} " + " ".join(map(str, v)) for label, v in T3_ROWS)
    text = (HEAD + "三、收到和處理政府資訊公開申請情況\n" + body).replace("申请", "申請").replace("数量", "數量")
    _assert_t3(parse_document(read_text(text)))


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("+22", 22),
        ("--253", -253),
        ("１２３", 123),
        ("1,234", 1234),
        ("12 345", 12345),
        ("1234.567", Decimal("1234.567")),
        ("15（其中修订3件）", 15),
        ("2022年", None),
    ],
)
def test_numbers_as_reports_write_them(cell, value):
    n = parse_number(cell)
    assert (n.value if n else None) == value


def test_a_misspelt_row_name_is_read_and_said():
    rows = [*T3_ROWS[:5], ("2.其他法律行政止公开", [2, 0, 0, 0, 0, 0, 2]), *T3_ROWS[6:]]  # 洪泽区 2023 misprint
    body = "\n\n".join(f"{label}\n\n" + "\n\n".join(map(str, v)) for label, v in rows)
    report = _parse(body)
    assert report.cells["t3.denied.law_prohibited.natural"] == 2
    assert any(i.code == "label-variant" and "行政止公开" in i.message for i in report.issues)
