"""parse(render(report)) == report for the outputs a reader exists for (md, html)."""

from decimal import Decimal

import pytest

from gongkai.formats import FORMATS
from gongkai.parse import parse_bytes, parse_path
from gongkai.render import render
from gongkai.report import Report

from .conftest import SEEDS

SECTIONS = {
    "s1": "2023年，本机关坚持以公开为常态。\n（一）健全制度。明确专人负责。",
    "s2": "全年主动公开政府信息1,234条。",
    "s3": "本年度收到和处理政府信息公开申请情况见下表。",
    "s4": "因政府信息公开工作被申请行政复议、提起行政诉讼情况见下表。",
    "s5": "一是公开质量有待提高；二是队伍建设需加强。",
    "s6": "无。",
}


def generated(fmt_id: str) -> Report:
    """Every cell a distinct non-zero number; money as decimals; one blank cell."""
    fmt = FORMATS[fmt_id]
    year = {"gb2021": 2023, "gb2019": 2020, "legacy": 2016}[fmt_id]
    r = Report.empty(fmt_id, year=year, agency="某某市交通运输局")
    r.title = f"某某市交通运输局{year}年政府信息公开工作年度报告"
    for n, cid in enumerate(fmt.cell_ids(optional=True), start=1):
        r.cells[cid] = Decimal(f"{n}.25") if cid in fmt.money else n
    if fmt_id != "legacy":
        r.sections = dict(SECTIONS)
        first_t3 = next(c for c in r.cells if c.startswith("t3."))
        r.cells[first_t3] = None
    else:
        r.sections = {k: "" for k in SECTIONS} | {"s1": "本年度主动公开信息1,234条。\n（一）组织领导。"}
    if fmt_id == "gb2019":
        r.cells["t2.penalty.change"] = -8
    return r


def same(a: Report, b: Report) -> None:
    assert (b.format, b.year, b.agency, b.title) == (a.format, a.year, a.agency, a.title)
    assert b.cells == a.cells
    assert b.sections == a.sections


@pytest.mark.parametrize("kind", ["md", "html"])
@pytest.mark.parametrize("fmt_id", ["gb2021", "gb2019", "legacy"])
def test_generated_reports_round_trip(fmt_id, kind):
    report = generated(fmt_id)
    back = parse_bytes(render(report, kind), f"r.{kind}", f".{kind}")
    same(report, back)
    assert not [i for i in back.issues if i.code in ("row-width", "unit-unstated", "row-unknown")]


@pytest.mark.parametrize("kind", ["md", "html"])
@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_seeds_round_trip(seed, kind):
    report = parse_path(SEEDS / seed)
    if report.title is None:  # the renderer gives every report a title
        from gongkai.render import default_title

        report.title = default_title(report)
    back = parse_bytes(render(report, kind), f"r.{kind}", f".{kind}")
    assert (back.format, back.year, back.agency) == (report.format, report.year, report.agency)
    assert back.cells == report.cells
    if report.format != "legacy":
        assert back.sections == report.sections
