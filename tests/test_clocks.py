"""Issue 11, clocks (items 4–9): each rule pinned on concrete dates, counted by hand on the State
Council's holiday notices (2024 国庆 10/1–10/7, make-up 9/29 and 10/12; 2025 清明 4/4–4/6;
2025 国庆+中秋 10/1–10/8, make-up 9/28 and 10/11; 2026 春节 2/15–2/23, make-up 2/14 and 2/28)."""

from __future__ import annotations

import json
from datetime import date

import pytest
import typer
from typer.testing import CliRunner

from gongkai import law
from gongkai.cli_time import register
from gongkai.deadlines import Event, EventKind, LedgerError, compute
from gongkai.workdays import Calendar, statutory_holidays

D = date.fromisoformat


@pytest.fixture(scope="module")
def cal() -> Calendar:
    cal = Calendar(dirs=[])
    assert not cal.has_data(2027), "these tests pin a year without a holiday notice"
    return cal


def ev(kind: str, day: str, **kw) -> Event:
    return Event(EventKind(kind), D(day), **kw)


def codes(deadline) -> list[str]:
    return [a.code for a in deadline.alerts]


# --- item 4: a consultation stops the clock for the consulted party's 15 working days at most ------

RECEIVED_2025 = ev("received", "2025-03-03")  # a Monday


def test_consultation_past_15_working_days_counts_only_its_own_period(cal):
    # third party asked 3/5; its 15 working days: 3/6–7(1–2) 3/10–14(3–7) 3/17–21(8–12) 3/24–26(13–15).
    # Paused 3/5–3/26 (16 working days, the first day included as for every pause), not to 4/30:
    # 3/4(1) 3/27(2) 3/28(3) 3/31(4) 4/1–3(5–7) [清明 4/4–4/6] 4/7–11(8–12) 4/14–18(13–17) 4/21–23(18–20)
    events = [
        RECEIVED_2025,
        ev("consultation_started", "2025-03-05", party="third_party"),
        ev("consultation_ended", "2025-04-30", party="third_party"),
        ev("replied", "2025-04-30"),
    ]
    deadline = compute(events, cal)
    assert (deadline.due, deadline.late, deadline.state) == (D("2025-04-23"), True, "replied")
    assert (
        "征求第三方意见 2025-03-05至2025-04-30：第三方应在15个工作日内（至 2025-03-26）提出意见（第三十二条），"
        "只有 2025-03-05至2025-03-26 不计入期限（16个工作日），此后计入（第三十三条第三款）"
    ) in deadline.steps
    assert codes(deadline) == ["consultation_capped", "late"]
    # uncapped it would have been 2025-06-11 — the due date never depends on how long the third party takes
    assert compute(events[:3], cal).due == D("2025-04-23")


def test_open_consultation_keeps_a_due_date_and_warns_when_its_own_one_passes(cal):
    events = [RECEIVED_2025, ev("consultation_started", "2025-03-05", party="third_party")]
    before = compute(events, cal, today=D("2025-03-26"))
    assert (before.state, before.due, before.consultation_due) == ("consulting", D("2025-04-23"), D("2025-03-26"))
    assert before.overdue is False and "consultation_overdue" not in codes(before)
    after = compute(events, cal, today=D("2025-03-27"))
    assert "consultation_overdue" in codes(after)
    assert (
        "被征求方应于 2025-03-26 前提出意见，已逾期" in after.alerts[codes(after).index("consultation_overdue")].message
    )
    assert any("该日已过，答复期限已恢复计算" in s for s in after.steps)
    late = compute(events, cal, today=D("2025-04-24"))
    assert late.overdue is True and "overdue" in codes(late)


def test_agency_consultation_is_capped_by_article_34(cal):
    # 其他机关 asked 2024-10-08: own due 10/28 (10/9–12, 10/14–18, 10/21–25, 10/28); ended 11/15;
    # paused 10/8–10/28 (16 working days): 10/30 → 11/21
    events = [
        ev("received", "2024-09-27"),
        ev("consultation_started", "2024-10-08", party="agency"),
        ev("consultation_ended", "2024-11-15", party="agency"),
    ]
    deadline = compute(events, cal)
    assert deadline.due == D("2024-11-21")
    assert any("被征求意见机关应在15个工作日内（至 2024-10-28）提出意见（第三十四条）" in s for s in deadline.steps)


# --- item 5: an extension approved after the deadline does not cure lateness --------------------


def test_extension_after_the_original_deadline_is_flagged_and_does_not_count(cal):
    # 2024-09-27 → 2024-10-30; the head approves 20 more days on 10/31, the reply goes out 11/15
    events = [ev("received", "2024-09-27"), ev("extension_approved", "2024-10-31", days=20)]
    open_ = compute(events, cal, today=D("2024-11-01"))
    assert (open_.due, open_.extension_late, open_.overdue) == (D("2024-10-30"), True, True)
    assert codes(open_) == ["extension_late", "overdue"]
    assert open_.alerts[0].message == (
        "2024-10-31 批准延期，晚于原答复期限 2024-10-30：延期不能补救逾期，答复期限仍为 2024-10-30（第三十三条）"
    )
    assert (
        "延期20个工作日，经负责人同意（第三十三条）；"
        "注意：延期决定晚于原答复期限 2024-10-30，不能补救逾期，答复期限仍为该日"
    ) in open_.steps
    replied = compute([*events, ev("replied", "2024-11-15")], cal)
    assert (replied.due, replied.late) == (D("2024-10-30"), True)


def test_extension_on_the_last_day_still_counts(cal):
    # approved on the due day itself: 10/31(21) 11/1(22) 11/4–8 11/11–15 11/18–22 11/25–27(38–40)
    deadline = compute([ev("received", "2024-09-27"), ev("extension_approved", "2024-10-30", days=20)], cal)
    assert (deadline.due, deadline.extension_late, deadline.alerts) == (D("2024-11-27"), False, ())


# --- item 6: the fee window runs from the day after the applicant receives the notice -----------

FEE_EVENTS = [
    ev("received", "2025-09-15"),
    ev("fee_notified", "2025-09-26"),  # a Friday before 国庆
    ev("fee_notice_received", "2025-09-29"),  # signed for on Monday
]


def test_fee_window_from_receipt_of_the_notice_across_national_day(cal):
    # from the day after 9/29: 9/30(1) [10/1–10/8] 10/9(2) 10/10(3) 10/11(4, make-up Saturday)
    # 10/13–17(5–9) 10/20–24(10–14) 10/27–31(15–19) 11/3(20). From the issue date it would be 10/30.
    for today, suggestion in (("2025-10-31", None), ("2025-11-03", None), ("2025-11-04", "no_payment")):
        deadline = compute(FEE_EVENTS, cal, today=D(today))
        assert (deadline.state, deadline.due, deadline.fee_pay_by) == ("awaiting_fee", None, D("2025-11-03"))
        assert deadline.suggestion == suggestion, today
    assert any(
        "申请人 2025-09-29 收到通知，应在收到次日起20个工作日内（至 2025-11-03）缴费" in s
        for s in compute(FEE_EVENTS, cal).steps
    )


def test_no_fee_window_and_no_abandonment_before_the_notice_is_received(cal):
    deadline = compute(FEE_EVENTS[:2], cal, today=D("2026-01-05"))
    assert (deadline.fee_pay_by, deadline.suggestion) == (None, None)
    assert codes(deadline) == ["fee_notice_receipt_unknown"]


def test_fee_paid_after_receipt_pauses_from_the_issue_date(cal):
    # paused 9/26–10/20 (9/26, 9/28, 9/29, 9/30, 10/9, 10/10, 10/11, 10/13–17, 10/20: 13 working days);
    # 9/16–19(1–4) 9/22–25(5–8) 10/21–24(9–12) 10/27–31(13–17) 11/3–5(18–20)
    deadline = compute([*FEE_EVENTS, ev("fee_paid", "2025-10-20")], cal)
    assert (deadline.state, deadline.due) == ("running", D("2025-11-05"))


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([ev("received", "2025-09-15"), ev("fee_notice_received", "2025-09-29")], "此前没有发出收费通知"),
        ([*FEE_EVENTS, ev("fee_notice_received", "2025-09-30")], "再次记录收到收费通知"),
    ],
)
def test_fee_receipt_ledger_errors(cal, events, message):
    with pytest.raises(LedgerError, match=message):
        compute(events, cal)


# --- item 7: the 7-working-day 补正 duty is shown and warned about ---------------------------------


def test_correction_duty_across_spring_festival_2026(cal):
    # received Wednesday 2/11: 2/12(1) 2/13(2) 2/14(3, make-up Saturday) [春节 2/15–2/23] 2/24(4) 2/25(5)
    # 2/26(6) 2/27(7)
    events = [ev("received", "2026-02-11")]
    deadline = compute(events, cal, today=D("2026-02-24"))
    assert (deadline.correction_due, deadline.correction_open) == (D("2026-02-27"), True)
    assert deadline.alerts[0].code == "correction_duty"
    assert "应在 2026-02-27 前一次性告知补正" in deadline.alerts[0].message
    assert "correction_duty" not in codes(compute(events, cal, today=D("2026-03-02")))
    on_time = compute([*events, ev("correction_requested", "2026-02-27", days=10)], cal)
    assert (on_time.correction_open, on_time.alerts) == (False, ())
    late = compute([*events, ev("correction_requested", "2026-03-02", days=10)], cal)
    assert codes(late) == ["correction_late"]
    assert "2026-03-02 告知补正，晚于第三十条规定的7个工作日（2026-02-27）" in late.alerts[0].message


# --- item 8: a year without a holiday notice keeps the statutory holidays ------------------------


def test_2027_keeps_new_year_and_is_provisional(cal):
    # 12/16–18(1–3) 12/21–25(4–8) 12/28–31(9–12) [元旦 1/1] 1/4–8(13–17) 1/11–13(18–20)
    deadline = compute([ev("received", "2026-12-15")], cal)
    assert (deadline.due, deadline.provisional) == (D("2027-01-13"), True)
    assert "2027-01-01 元旦假期不计" in deadline.steps
    assert deadline.steps[-1].startswith("注意：2027年尚无国务院节假日安排通知，按《全国年节及纪念日放假办法》")


def test_statutory_holidays_of_2027():
    days = statutory_holidays(2027)
    expected = {
        "元旦": ["2027-01-01"],
        # 除夕 2/5 (Friday) to 初三 2/8; 2/6 and 2/7 fall on the weekend: 补假 2/9, 2/10 (第六条)
        "春节": ["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10"],
        "清明节": ["2027-04-05"],
        "劳动节": ["2027-05-01", "2027-05-02", "2027-05-03", "2027-05-04"],  # Saturday, Sunday → 补假
        "端午节": ["2027-06-09"],
        "中秋节": ["2027-09-15"],
        "国庆节": ["2027-10-01", "2027-10-02", "2027-10-03", "2027-10-04", "2027-10-05"],
    }
    got: dict[str, list[str]] = {}
    for d in sorted(days):
        got.setdefault(days[d], []).append(d.isoformat())
    assert got == expected
    assert [h.name for h in law.STATUTORY_HOLIDAYS] == list(expected)


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_holidays_agree_with_the_published_notices(cal, year):
    """Every day the law fixes (with 补假) was a day off in the notices for 2025 and 2026."""
    assert [d for d in statutory_holidays(year) if cal.is_workday(d)] == []


def test_a_year_file_replaces_the_statutory_fallback(tmp_path):
    (tmp_path / "2027.toml").write_text('year = 2027\nholidays = ["2027-02-06..2027-02-12 春节"]\n', encoding="utf-8")
    deadline = compute([ev("received", "2026-12-15")], Calendar(dirs=[tmp_path]))
    assert (deadline.due, deadline.provisional) == (D("2027-01-12"), False)


# --- item 9: the day of receipt by channel -------------------------------------------------------


def test_in_person_on_a_sunday_is_warned(cal):
    # Sunday 2025-03-02: 3/3–7(1–5) 3/10–14(6–10) 3/17–21(11–15) 3/24–28(16–20)
    deadline = compute([ev("received", "2025-03-02", channel="in_person")], cal)
    assert deadline.due == D("2025-03-28")
    assert deadline.alerts[0].code == "receipt_non_workday"
    assert (
        deadline.alerts[0].message == "当面提交之日 2025-03-02 不是工作日（星期日）：请核实收到日期（第三十一条（一））"
    )
    # a make-up Sunday is a working day: no warning
    assert compute([ev("received", "2025-01-26", channel="in_person")], cal).alerts == ()
    # by post, a Sunday signature is what it is
    assert compute([ev("received", "2025-03-02", channel="post")], cal).alerts == ()


def test_online_application_confirmed_two_days_later(cal):
    submitted = ev("received", "2025-03-03", channel="online", pending=True)
    waiting = compute([submitted], cal, today=D("2025-03-04"))
    assert (waiting.state, waiting.due, waiting.correction_due) == ("awaiting_confirmation", None, None)
    assert codes(waiting) == ["awaiting_confirmation"]
    # confirmed 3/5: 3/6–7(1–2) 3/10–14(3–7) 3/17–21(8–12) 3/24–28(13–17) 3/31(18) 4/1–2(19–20)
    confirmed = compute([submitted, ev("receipt_confirmed", "2025-03-05")], cal)
    assert (confirmed.state, confirmed.received, confirmed.due) == ("running", D("2025-03-05"), D("2025-04-02"))
    assert confirmed.correction_due == D("2025-03-14")  # 7 working days from the confirmation
    assert confirmed.steps[:2] == [
        "2025-03-03 通过互联网提交，待确认：以双方确认之日为收到申请之日（第三十一条（三））",
        "2025-03-05 与申请人确认，为收到申请之日；收到当日不计",
    ]


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([ev("received", "2025-03-03", channel="in_person", pending=True)], "不需要确认"),
        ([ev("received", "2025-03-03"), ev("receipt_confirmed", "2025-03-05")], "不是待确认"),
        (
            [ev("received", "2025-03-03", channel="fax", pending=True), ev("correction_requested", "2025-03-04")],
            "尚未确认收到申请",
        ),
        (
            [
                ev("received", "2025-03-03", channel="letter", pending=True),
                ev("receipt_confirmed", "2025-03-03"),
                ev("receipt_confirmed", "2025-03-04"),
            ],
            "再次确认收到",
        ),
    ],
)
def test_confirmation_ledger_errors(cal, events, message):
    with pytest.raises(LedgerError, match=message):
        compute(events, cal)


def test_receipt_rules_come_from_the_law():
    assert {c for c, r in law.RECEIPT_RULES.items() if r.confirmation} == {"letter", "online", "fax"}
    assert (law.REPLY_DAYS, law.MAX_EXTENSION_DAYS, law.CORRECTION_NOTICE_DAYS) == (20, 20, 7)
    assert (law.CONSULTATION_DAYS, law.AGENCY_CONSULTATION_DAYS, law.FEE_PAYMENT_DAYS) == (15, 15, 20)


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_CALENDAR_DIR", str(tmp_path / "calendar"))
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """test app"""

    register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_cli_pause_is_capped_and_says_so(run):
    result = run("deadline", "--received", "2025-03-03", "--pause", "2025-03-05:2025-12-31")
    assert result.exit_code == 0, result.output
    assert "答复期限：2025-04-23" in result.stdout
    assert "只有 2025-03-05至2025-03-26 不计入答复期限" in result.stdout


def test_cli_confirmed_and_sunday(run):
    data = json.loads(
        run("deadline", "--received", "2025-03-03", "--channel", "网络", "--confirmed", "2025-03-05", "--json").stdout
    )
    assert (data["received"], data["due"]) == ("2025-03-05", "2025-04-02")
    sunday = run("deadline", "--received", "2025-03-02", "--channel", "当面")
    assert "注意：当面提交之日 2025-03-02 不是工作日（星期日）" in sunday.stdout
    assert "补正告知期限：2025-03-11（第三十条）" in sunday.stdout
    result = run("deadline", "--received", "2026-12-15")
    assert "答复期限：2027-01-13" in result.stdout and "暂定" in result.stdout
    bad = run("deadline", "--received", "2025-03-05", "--channel", "网络", "--confirmed", "2025-03-03")
    assert bad.exit_code == 2 and "早于提交日期" in bad.stderr
