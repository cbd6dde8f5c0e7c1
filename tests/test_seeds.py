"""The five real reports in tests/corpus/seeds, cell by cell.

Expected values were read off the files by hand: every cell not listed as non-zero or
blank prints 0.
"""

from decimal import Decimal

import pytest

from gongkai.formats import FORMATS
from gongkai.parse import parse_path

from .conftest import SEEDS

T3_COLS = ("natural", "business", "research", "nonprofit", "legal_service", "org_other", "total")
T4_IDS = tuple(
    f"t4.{g}.{c}"
    for g in ("review", "suit_direct", "suit_after_review")
    for c in ("upheld", "corrected", "other", "pending", "total")
)


def row(key: str) -> tuple[str, ...]:
    return tuple(f"t3.{key}.{c}" for c in T3_COLS)


SEED_CASES = {
    "000_5ac34f26426a2d27.txt": dict(
        format="gb2019",
        year=2020,
        agency="咸宁市司法局",
        nonzero={
            "t2.normative.new_made": 1,
            "t2.normative.new_published": 1,
            "t2.normative.total_published": 1,
            "t2.procurement.projects": 94,
            "t2.procurement.amount_wan": Decimal("216.35"),
        },
        blank=row("unable.not_held"),
        issues={("row-width", "t3.unable.not_held")},
        extra_rows=(),
    ),
    "001_1091e914623cb50c.txt": dict(
        format="gb2019",
        year=2020,
        agency="荆门市司法局",
        nonzero={
            "t2.normative.new_made": 2,
            "t2.normative.new_published": 2,
            "t2.normative.total_published": 2,
            "t2.other_docs.new_made": 17,
            "t2.other_docs.new_published": 17,
            "t2.other_docs.total_published": 17,
            "t2.licensing.prev_count": 66,
            "t2.licensing.change": 76,
            "t2.licensing.decisions": 142,
            "t2.penalty.prev_count": 3,
            "t2.penalty.change": -3,
            "t2.fees.prev_count": 1,
            "t2.procurement.projects": 39,
            "t2.procurement.amount_wan": Decimal("3474675.89"),
        },
        blank=(),
        issues={("unit-unstated", "t2.procurement.amount_wan")},
        extra_rows=("t2.other_docs",),
    ),
    "002_8b31c2dd8fc8d049.txt": dict(
        format="gb2019",
        year=2020,
        agency="正宁县司法局",
        nonzero={},
        blank="all",
        issues={("missing-table", "t2"), ("missing-table", "t3"), ("missing-table", "t4")},
        extra_rows=(),
    ),
    "003_39116a97556fef52.txt": dict(
        format="gb2019",
        year=2020,
        agency="东西湖区司法局",
        nonzero={
            "t2.other_docs.new_made": 12,
            "t2.other_docs.new_published": 4,
            "t2.other_docs.total_published": 73,
            "t2.other_services.prev_count": 8,
            "t2.other_services.decisions": 5921,
            "t2.fees.prev_count": 1,
            "t2.procurement.projects": 26,
            "t2.procurement.amount_wan": Decimal("88.19"),
        },
        blank=row("granted")
        + row("partial")
        + row("denied.state_secret")
        + row("denied.law_prohibited")
        + row("denied.three_security")
        + row("denied.third_party")
        + row("carried_out")
        + T4_IDS,
        issues={
            ("row-width", "t3.granted"),
            ("row-width", "t3.partial"),
            ("row-width", "t3.denied.state_secret"),
            ("row-width", "t3.denied.law_prohibited"),
            ("row-width", "t3.denied.three_security"),
            ("row-width", "t3.denied.third_party"),
            ("row-width", "t3.carried_out"),
            ("row-width", "t4"),
        },
        extra_rows=("t2.other_docs",),
    ),
    "004_482dbf59b3589eb0.txt": dict(
        format="legacy",
        year=2017,
        agency="东阳市司法局",
        nonzero={
            "legacy.active.total": 288,
            "legacy.active.normative": 1,
            "legacy.channel.website": 288,
            "legacy.response.hotspots": 6,
            "legacy.response.other": 6,
            "legacy.org.staff": 2,
            "legacy.org.staff_part_time": 2,
            "legacy.training.trainees": 2,
        },
        blank=(),
        issues=set(),
        extra_rows=(),
    ),
}


@pytest.fixture(scope="module", params=sorted(SEED_CASES))
def seed(request):
    return request.param, parse_path(SEEDS / request.param), SEED_CASES[request.param]


def test_metadata(seed):
    _name, report, exp = seed
    assert (report.format, report.year, report.agency) == (exp["format"], exp["year"], exp["agency"])


def test_every_cell(seed):
    _name, report, exp = seed
    fmt = FORMATS[exp["format"]]
    expected_ids = set(fmt.cell_ids())
    for prefix in exp["extra_rows"]:
        expected_ids |= {c for c in fmt.cell_ids(optional=True) if c.startswith(prefix + ".")}
    assert set(report.cells) == expected_ids
    blank = expected_ids if exp["blank"] == "all" else set(exp["blank"])
    for cid in sorted(expected_ids):
        want = None if cid in blank else exp["nonzero"].get(cid, 0)
        assert report.cells[cid] == want, cid
        assert type(report.cells[cid]) is type(want), cid


def test_issues(seed):
    _name, report, exp = seed
    assert {(i.code, i.where) for i in report.issues} == exp["issues"]
    for i in report.issues:
        assert i.message and not i.message.isascii()


def test_row_width_message_names_counts():
    report = parse_path(SEEDS / "000_5ac34f26426a2d27.txt")
    (issue,) = [i for i in report.issues if i.code == "row-width"]
    assert issue.message == "（四）无法提供 1.本机关不掌握相关政府信息：找到 6 个数，应为 7 个"
    assert issue.severity == "warning"
    assert issue.place == "第65行"
    assert set(issue.cells) == set(row("unable.not_held"))


def test_table_four_with_sixteen_values():
    report = parse_path(SEEDS / "003_39116a97556fef52.txt")
    (issue,) = [i for i in report.issues if i.where == "t4"]
    assert "找到 16 个数，应为 15 个" in issue.message


@pytest.mark.parametrize(
    ("name", "section", "starts"),
    [
        ("000_5ac34f26426a2d27.txt", "s1", "(一)围绕建设法治政府全面推进政务公开。"),
        ("000_5ac34f26426a2d27.txt", "s4", "2020年,市本级收到以信息公开为申请事项的行政复议案件共0件。"),
        ("000_5ac34f26426a2d27.txt", "s5", "2020年,我局政府信息公开工作虽然取得一定成效"),
        ("000_5ac34f26426a2d27.txt", "s6", "本报告中所列数据的统计期限"),
        ("001_1091e914623cb50c.txt", "s3", ""),
        ("001_1091e914623cb50c.txt", "s6", "无。"),
        ("002_8b31c2dd8fc8d049.txt", "s2", "（一）主动公开的内容"),
        ("002_8b31c2dd8fc8d049.txt", "s3", "2020年，未收到政府信息公开申请。"),
        ("002_8b31c2dd8fc8d049.txt", "s5", "2020年，我局政府信息公开工作虽然取得了一定的成绩"),
        ("002_8b31c2dd8fc8d049.txt", "s6", "无其他需要报告的事项。"),
        ("003_39116a97556fef52.txt", "s3", "2020年,我局无依申请公开情况。"),
        ("003_39116a97556fef52.txt", "s5", "(一) 存在问题"),
        ("004_482dbf59b3589eb0.txt", "s5", "今年,我局狠抓了政务公开工作"),
    ],
)
def test_sections(name, section, starts):
    report = parse_path(SEEDS / name)
    text = report.sections[section]
    assert text.startswith(starts) if starts else text == ""


def test_regional_extra_sections_stay_in_the_section_before_them():
    # seed 002 has ten parts; 三、政务公开情况 … 六、基层政务公开工作情况 are regional extras.
    report = parse_path(SEEDS / "002_8b31c2dd8fc8d049.txt")
    s2 = report.sections["s2"]
    for heading in ("三、政务公开情况", "四、政务新媒体监管情况", "五、公开平台建设情况", "六、基层政务公开工作情况"):
        assert heading in s2
    assert "九、" not in s2


def test_title():
    assert parse_path(SEEDS / "002_8b31c2dd8fc8d049.txt").title == "正宁县司法局关于2020年度政府信息公开工作的报告"
    assert parse_path(SEEDS / "003_39116a97556fef52.txt").title == "东西湖区司法局2020年政府信息公开工作年度报告"
