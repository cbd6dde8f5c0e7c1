"""A generated ledger of a few hundred applications imports and builds a report whose every
table-三 cell equals the counts computed here; bad ledgers are refused whole, row by row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongkai.office.annual.services import BuildInput, build_annual_report
from gongkai.office.appeals import services as appeals
from gongkai.office.applications.ledger import LedgerRejected, parse_day
from gongkai.office.applications.models import Application, ApplicationEvent, EventKind
from gongkai.office.applications.services import LedgerInput, import_ledger
from gongkai.office.proactive import services as proactive

from .ledgers import HEADERS, expected_t3, generate, write_ledger

N = 300


def enter_t2_and_t4(actor, agency, year):
    proactive.set_document_figures(
        actor, proactive.DocumentFiguresInput(agency=agency, year=year, kind="rules", made=0, repealed=0, in_force=0)
    )
    proactive.set_document_figures(
        actor,
        proactive.DocumentFiguresInput(agency=agency, year=year, kind="normative", made=3, repealed=1, in_force=12),
    )
    proactive.set_article20_figures(
        actor,
        proactive.Article20Input(
            agency=agency, year=year, licensing=120, penalty=8, coercion=0, fees_wan=Decimal("1.25")
        ),
    )
    a = appeals.file_appeal(actor, appeals.AppealInput(agency=agency, kind="review", filed_on=date(year, 3, 1)))
    appeals.decide_appeal(actor, appeals.DecisionInput(appeal=a, result="upheld", decided_on=date(year, 6, 1)))
    appeals.file_appeal(actor, appeals.AppealInput(agency=agency, kind="suit_direct", filed_on=date(year, 11, 1)))
    late = appeals.file_appeal(actor, appeals.AppealInput(agency=agency, kind="review", filed_on=date(year, 12, 1)))
    appeals.decide_appeal(
        actor, appeals.DecisionInput(appeal=late, result="corrected", decided_on=date(year + 1, 1, 5))
    )


@pytest.mark.parametrize("year", [2024, 2025])
def test_generated_ledger_imports_and_builds_an_exact_report(tmp_path, staff, agency, year):
    apps = generate(N)
    path = write_ledger(tmp_path / "台账.xlsx", [a.cells for a in apps])
    result = import_ledger(staff, LedgerInput(agency=agency, path=str(path)))
    assert result.imported == N
    assert "工作表“台账”的列“经办人”未能识别，已忽略" in result.notices
    assert Application.objects.filter(agency=agency).count() == N
    stored = dict(Application.objects.filter(agency=agency).values_list("number", "outcome"))
    assert stored == {a.number: a.outcome or "" for a in apps}

    enter_t2_and_t4(staff, agency, year)
    annual, report = build_annual_report(staff, BuildInput(agency=agency, year=year))
    expected = expected_t3(apps, year)
    got = {k: v for k, v in report.cells.items() if k.startswith("t3.")}
    assert got == expected
    assert expected["t3.new.total"] > 50 and expected["t3.carried_out.total"] > 0
    assert report.errors() == [], report.errors()
    assert not [i for i in report.issues if i.severity == "warning"], report.issues
    assert report.cells["t2.normative.in_force"] == 12
    assert report.cells["t2.fees.amount_wan"] == Decimal("1.25")
    assert report.cells["t4.review.upheld"] == 1
    assert report.cells["t4.review.pending"] == 1  # decided after the year's end
    assert report.cells["t4.suit_direct.pending"] == 1
    assert report.cells["t4.review.total"] == 2
    assert f"本机关共收到政府信息公开申请{expected['t3.new.total']}件" in report.sections["s1"]
    assert annual.cells == report.to_dict()["cells"]


def test_imported_events_and_deadlines(tmp_path, staff, agency):
    rows = [
        {
            "number": "1",
            "received_on": "2024年9月27日",
            "applicant_type": "自然人",
            "channel": "当面",
            "extension_on": "2024.10.25",
            "replied_on": "2024-11-20",
            "outcome": "（三）不予公开 1.属于国家秘密",
        },
        {"number": "2", "received_on": date(2024, 9, 27), "applicant_type": "商业企业", "channel": "网络"},
    ]
    import_ledger(staff, LedgerInput(agency=agency, path=str(write_ledger(tmp_path / "a.xlsx", rows))))
    one, two = Application.objects.filter(agency=agency).order_by("number")
    assert (one.outcome, one.state, one.due_on) == ("denied.state_secret", "replied", date(2024, 11, 27))
    ext = one.events.get(kind=EventKind.EXTENSION_APPROVED)
    assert ext.data == {"days": 20, "source": "台账导入"}
    assert (two.state, two.due_on, two.channel) == ("running", date(2024, 10, 30), "online")
    assert ApplicationEvent.objects.filter(application=two).count() == 2


GOOD = [
    {
        "number": "A1",
        "received_on": "2025-03-03",
        "applicant_type": "自然人",
        "replied_on": "2025-03-20",
        "outcome": "予以公开",
    },
    {"number": "A2", "received_on": "2025-03-04", "applicant_type": "科研机构", "replied_on": "", "outcome": ""},
    {
        "number": "A3",
        "received_on": "2025-03-05",
        "applicant_type": "自然人",
        "replied_on": "2025-03-25",
        "outcome": "重复申请",
    },
]


def _with(i: int, **changes) -> list[dict]:
    rows = [dict(r) for r in GOOD]
    rows[i].update(changes)
    return rows


@pytest.mark.parametrize(
    ("rows", "headers", "expected"),
    [
        (_with(1, received_on="2025-13-40"), HEADERS, "工作表“台账”第4行“收到日期”列：“2025-13-40”不是有效日期"),
        (_with(0, replied_on="三月二十日"), HEADERS, "第3行“答复日期”列：“三月二十日”不是日期"),
        (_with(2, outcome="满意"), HEADERS, "第5行“办理结果”列：办理结果“满意”不是2025年适用的表三办理结果之一"),
        (_with(2, outcome="（六）其他处理"), HEADERS, "第5行“办理结果”列：办理结果“（六）其他处理”不是2025年"),
        (_with(2, number="A1"), HEADERS, "第5行“申请编号”列：编号 A1 重复（与工作表“台账”第3行相同）"),
        (_with(1, applicant_type="个体户"), HEADERS, "第4行“申请人类型”列：未知的申请人类型“个体户”"),
        (_with(1, outcome="予以公开"), HEADERS, "第4行“答复日期”列：已填写办理结果，但没有答复日期"),
        (_with(0, replied_on="2025-02-01"), HEADERS, "第3行“答复日期”列：2025-02-01 早于收到日期 2025-03-03"),
        (
            _with(0, extension_days=5),
            HEADERS,
            "第3行“延期天数”列：有延期天数，但没有延期日期",
        ),
        (
            GOOD,
            {k: v for k, v in HEADERS.items() if k != "outcome"},
            "工作表“台账”第2行“办理结果”列：缺少必需的列",
        ),
    ],
)
def test_bad_ledgers_are_refused_whole(tmp_path, staff, agency, rows, headers, expected):
    path = write_ledger(tmp_path / "bad.xlsx", rows, headers)
    with pytest.raises(LedgerRejected) as info:
        import_ledger(staff, LedgerInput(agency=agency, path=str(path)))
    messages = [str(p) for p in info.value.problems]
    assert any(expected in m for m in messages), messages
    assert "未导入任何申请" in str(info.value)
    assert Application.objects.count() == 0
    assert ApplicationEvent.objects.count() == 0


def test_numbers_already_in_the_system_are_refused(tmp_path, staff, agency):
    import_ledger(staff, LedgerInput(agency=agency, path=str(write_ledger(tmp_path / "a.xlsx", GOOD))))
    with pytest.raises(LedgerRejected) as info:
        import_ledger(staff, LedgerInput(agency=agency, path=str(write_ledger(tmp_path / "b.xlsx", GOOD))))
    assert len(info.value.problems) == 3
    assert "编号 A1 已在系统中" in str(info.value.problems[0])
    assert Application.objects.count() == 3


def test_a_ledger_breaking_the_law_rules_is_refused(tmp_path, staff, agency):
    rows = _with(0, extension_on="2025-03-10", consultation_ended="2025-03-12")
    with pytest.raises(LedgerRejected) as info:
        import_ledger(staff, LedgerInput(agency=agency, path=str(write_ledger(tmp_path / "a.xlsx", rows))))
    assert "第3行：办理过程不符合规定" in str(info.value.problems[0])


def test_no_header_found(tmp_path, staff, agency):
    path = write_ledger(tmp_path / "a.xlsx", [{"x": 1}], {"x": "甲"})
    with pytest.raises(LedgerRejected) as info:
        import_ledger(staff, LedgerInput(agency=agency, path=str(path)))
    assert "没有找到台账表头" in str(info.value.problems[0])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-09-27", date(2024, 9, 27)),
        ("2024年9月27日", date(2024, 9, 27)),
        ("2024.9.27", date(2024, 9, 27)),
        ("2024/09/27", date(2024, 9, 27)),
        ("２０２４年９月２７日", date(2024, 9, 27)),
        ("20240927", date(2024, 9, 27)),
        ("2024-09-27 10:30", date(2024, 9, 27)),
        (45562, date(2024, 9, 27)),
        (date(2024, 9, 27), date(2024, 9, 27)),
    ],
)
def test_parse_day(value, expected):
    assert parse_day(value) == expected


@pytest.mark.parametrize("value", ["2024-02-30", "九月", "", "27/09/2024", 12])
def test_parse_day_rejects(value):
    with pytest.raises(ValueError):
        parse_day(value)
