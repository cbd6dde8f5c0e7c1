"""Each check with a passing and a failing case."""

from decimal import Decimal

import pytest

from gongkai.checks import check, run
from gongkai.report import Report

COLS = ("natural", "business", "research", "nonprofit", "legal_service", "org_other", "total")


def balanced(fmt: str = "gb2021") -> Report:
    """A report that passes every check: 3 new + 1 carried in, 3 granted, 1 carried out."""
    r = Report.empty(fmt, year=2023 if fmt == "gb2021" else 2020, agency="某局")
    for cid in r.cells:
        r.cells[cid] = 0
    for row, nat, bus in (("new", 2, 1), ("carried_in", 1, 0), ("granted", 2, 1), ("carried_out", 1, 0)):
        r.cells[f"t3.{row}.natural"] = nat
        r.cells[f"t3.{row}.business"] = bus
        r.cells[f"t3.{row}.total"] = nat + bus
    r.cells["t3.total.natural"], r.cells["t3.total.business"], r.cells["t3.total.total"] = 2, 1, 3
    r.cells["t4.review.upheld"] = r.cells["t4.review.total"] = 1
    for k in ("s1", "s2", "s3", "s4", "s5", "s6"):
        r.sections[k] = "……"
    r.sections["s3"] = "本年度共收到政府信息公开申请3件。"
    return r


def codes(report: Report) -> list[tuple[str, str, str]]:
    return [(i.code, i.severity, i.where) for i in run(report)]


@pytest.mark.parametrize("fmt", ["gb2021", "gb2019"])
def test_balanced_report_passes(fmt):
    assert codes(balanced(fmt)) == []


def test_legacy_balanced_passes():
    r = Report.empty("legacy", year=2017)
    for cid in r.cells:
        r.cells[cid] = 0
    r.cells["legacy.apply.received"] = r.cells["legacy.apply.received_online"] = 2
    r.cells["legacy.apply.answered"] = r.cells["legacy.apply.granted"] = 2
    assert codes(r) == []


@pytest.mark.parametrize(
    ("cell", "value", "expected"),
    [
        # new + carried_in = total + carried_out, per column
        (
            "t3.carried_out.natural",
            2,
            {("t3-balance", "error", "t3.new.natural"), ("t3-col-sum", "error", "t3.carried_out.total")},
        ),
        # total row = sum of outcomes
        (
            "t3.total.business",
            2,
            {
                ("t3-balance", "error", "t3.new.business"),
                ("t3-row-sum", "error", "t3.total.business"),
                ("t3-col-sum", "error", "t3.total.total"),
            },
        ),
        # total column = sum of the six applicant columns
        (
            "t3.granted.total",
            4,
            {("t3-row-sum", "error", "t3.total.total"), ("t3-col-sum", "error", "t3.granted.total")},
        ),
        # table 四
        ("t4.suit_direct.total", 1, {("t4-sum", "error", "t4.suit_direct.total")}),
        # negative counts
        ("t2.normative.made", -1, {("negative", "error", "t2.normative.made")}),
        # a fraction where a count is due
        ("t2.penalty.decisions", Decimal("1.5"), {("not-integer", "warning", "t2.penalty.decisions")}),
    ],
)
def test_each_rule_fails(cell, value, expected):
    r = balanced()
    r.cells[cell] = value
    assert set(codes(r)) == expected


def test_blank_counts_as_zero_and_says_so():
    r = balanced()
    r.cells["t3.carried_out.natural"] = None  # 2 + 1 = 2 + blank
    (issue,) = [i for i in run(r) if i.code == "t3-balance"]
    assert issue.severity == "warning"
    assert "空白单元格按 0 计" in issue.message
    assert "t3.carried_out.natural" in issue.cells


def test_balance_message_is_chinese_and_names_the_column():
    r = balanced()
    r.cells["t3.new.natural"] = 5
    msg = next(i.message for i in run(r) if i.code == "t3-balance")
    assert msg.startswith("表三“自然人”列：本列第一项加第二项之和应等于第三项加第四项之和")
    assert "前者为 6，后者为 3" in msg


def test_gb2021_other_split_and_subtotal():
    r = balanced()
    r.cells["t3.granted.natural"] = 1
    r.cells["t3.granted.total"] = 2
    r.cells["t3.other.other.natural"] = 1
    r.cells["t3.other.other.total"] = 1
    assert codes(r) == []
    r.cells["t3.other.natural"] = 2  # a printed subtotal that disagrees with its parts
    assert ("t3-group-sum", "error", "t3.other.natural") in codes(r)


def test_gb2019_change_may_be_negative():
    r = balanced("gb2019")
    r.cells["t2.penalty.change"] = -3
    assert codes(r) == []
    r.cells["t2.penalty.prev_count"] = -3
    assert codes(r) == [("negative", "error", "t2.penalty.prev_count")]


def test_legacy_sums():
    r = Report.empty("legacy", year=2017)
    for cid in r.cells:
        r.cells[cid] = 0
    r.cells["legacy.apply.received"] = 3
    r.cells["legacy.org.staff"] = 2
    r.cells["legacy.org.staff_part_time"] = 1
    assert set(codes(r)) == {
        ("legacy-sum", "error", "legacy.apply.received"),
        ("legacy-sum", "error", "legacy.org.staff"),
    }


def test_missing_table_and_section():
    r = balanced()
    for cid in r.cells:
        if cid.startswith("t4."):
            r.cells[cid] = None
    r.sections["s4"] = ""
    r.sections["s6"] = ""
    assert set(codes(r)) == {
        ("missing-table", "error", "t4"),
        ("missing-section", "warning", "s4"),
        ("missing-section", "warning", "s6"),
    }


def test_section_with_only_its_table_is_not_missing():
    r = balanced()
    r.sections["s3"] = ""
    assert codes(r) == []


@pytest.mark.parametrize(
    ("sentence", "mismatch"),
    [
        ("本年度共受理政府信息公开申请2件。", True),
        ("本年度共受理政府信息公开申请3件。", False),
        ("全年收到依申请公开4条，均按时答复。", False),  # 3 new + 1 carried in
        ("今年收到公开申请0项。", True),
        ("本年度未收到政府信息公开申请。", True),
        ("12348热线共受理2827件咨询。", False),  # not about applications
    ],
)
def test_narrative_applications(sentence, mismatch):
    r = balanced()
    r.sections["s3"] = sentence
    found = [i for i in run(r) if i.code == "narrative-mismatch"]
    assert bool(found) is mismatch
    if mismatch:
        assert found[0].where == "t3.new.total" and found[0].place == "s3"


@pytest.mark.parametrize(
    ("sentence", "mismatch"),
    [
        ("因政府信息公开工作被申请行政复议共3件。", True),
        ("因政府信息公开工作被申请行政复议1件。", False),
        ("受理行政复议申请56件。", False),  # the agency's own review work, not about disclosure
    ],
)
def test_narrative_reviews(sentence, mismatch):
    r = balanced()
    r.sections["s4"] = sentence
    assert any(i.code == "narrative-mismatch" for i in run(r)) is mismatch


def test_check_keeps_parse_issues_and_adds_no_duplicates():
    r = balanced()
    r.cells["t4.review.total"] = 5
    check(r)
    n = len(r.issues)
    check(r)
    assert len(r.issues) == n == 1
