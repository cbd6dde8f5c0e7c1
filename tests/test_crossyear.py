"""Cross-year checks between one unit's reports of consecutive years."""

import pytest

from gongkai.crossyear import cross_year, normalise_agency, pair

from .test_roundtrip import generated


def two_years(fmt_id: str = "gb2021", agency: str = "某某市交通运输局"):
    """Reports of one unit for two consecutive years that agree with each other."""
    prev, cur = generated(fmt_id), generated(fmt_id)
    prev.year, cur.year = 2022, 2023
    prev.agency, cur.agency = agency, agency
    prev.title, cur.title = f"{agency}2022年政府信息公开工作年度报告", f"{agency}2023年政府信息公开工作年度报告"
    for col in ("natural", "business", "research", "nonprofit", "legal_service", "org_other", "total"):
        cur.cells[f"t3.carried_in.{col}"] = prev.cells[f"t3.carried_out.{col}"]
    if fmt_id == "gb2019":
        for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
            before, change = prev.cells[f"t2.{row}.prev_count"], prev.cells[f"t2.{row}.change"]
            cur.cells[f"t2.{row}.prev_count"] = before + change
    return prev, cur


@pytest.mark.parametrize("fmt_id", ["gb2021", "gb2019"])
def test_consistent_years_raise_nothing(fmt_id):
    prev, cur = two_years(fmt_id)
    assert pair(prev, cur) == []
    assert cross_year([prev, cur]) == []


def test_carry_mismatch_per_column():
    prev, cur = two_years()
    cur.cells["t3.carried_in.business"] = prev.cells["t3.carried_out.business"] + 3
    (issue,) = pair(prev, cur)
    assert (issue.code, issue.severity, issue.where) == ("cross-year-carry", "warning", "t3.carried_in.business")
    assert "2023年" in issue.message and "2022年" in issue.message and "商业企业" in issue.message
    assert set(issue.cells) == {"t3.carried_in.business", "t3.carried_out.business"}


def test_carry_skips_blank_cells():
    prev, cur = two_years()
    cur.cells["t3.carried_in.total"] = None
    prev.cells["t3.carried_out.natural"] = None
    cur.cells["t3.carried_in.natural"] = 999
    assert pair(prev, cur) == []


@pytest.mark.parametrize("row", ["licensing", "other_services", "penalty", "coercion", "fees"])
def test_items_mismatch(row):
    prev, cur = two_years("gb2019")
    cur.cells[f"t2.{row}.prev_count"] += 1
    (issue,) = pair(prev, cur)
    assert (issue.code, issue.where) == ("cross-year-items", f"t2.{row}.prev_count")
    assert "2020" not in issue.message and "2022年" in issue.message and "2023年" in issue.message


def test_batch_pairs_only_consecutive_years_of_one_unit():
    prev, cur = two_years()
    cur.cells["t3.carried_in.total"] = -1
    other_unit, _ = two_years(agency="另一个局")
    other_unit.year = 2022
    gap, _ = two_years()
    gap.year = 2020
    found = cross_year([cur, None, other_unit, gap])
    assert found == []  # 2022 of this unit is missing: nothing to compare
    found = cross_year([cur, None, other_unit, prev])
    assert [(i, issue.code) for i, issue in found] == [(0, "cross-year-carry")]


def test_agency_names_are_normalised():
    assert normalise_agency("某某市 交通运输局") == normalise_agency("某某市交通运输局")
    assert normalise_agency("ＡＢ局") == normalise_agency("AB局")
    prev, cur = two_years()
    prev.agency = " 某某市交通运输局 "
    cur.cells["t3.carried_in.total"] = -1
    assert len(cross_year([prev, cur])) == 1
