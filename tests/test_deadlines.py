"""Reply deadlines from event ledgers. Every expected date below was counted by hand on the
published holiday arrangements; the working-day counts are written out in the comments."""

from __future__ import annotations

import json
from datetime import date

import pytest
import typer
from typer.testing import CliRunner

from gongkai.cli_time import register
from gongkai.deadlines import LAW, Deadline, Event, EventKind, LedgerError, compute, deadline_from_cli
from gongkai.workdays import Calendar

D = date.fromisoformat
K = EventKind


@pytest.fixture(scope="module")
def cal() -> Calendar:
    return Calendar(dirs=[])


def ev(kind: str, day: str, **kw) -> Event:
    return Event(EventKind(kind), D(day), **kw)


def test_law_numbers_live_in_one_place():
    assert (LAW.reply_days, LAW.max_extension_days, LAW.correction_notice_days, LAW.consultation_days) == (
        20,
        20,
        7,
        15,
    )


CASES = [
    # 国庆 2024: 9/29(1, Sunday make-up) 9/30(2) 10/8–11(3–6) 10/12(7, Saturday make-up)
    # 10/14–18(8–12) 10/21–25(13–17) 10/28–30(18–20)
    ("national-day-2024", [ev("received", "2024-09-27", channel="in_person")], "2024-10-30"),
    # 春节 2024: 2/9(1) 2/18(2, Sunday make-up) 2/19–23(3–7) 2/26–3/1(8–12) 3/4–8(13–17) 3/11–13(18–20)
    ("spring-festival-2024", [ev("received", "2024-02-08")], "2024-03-13"),
    # 2/4(1, Sunday make-up) 2/5–9(2–6) 2/18(7) 2/19–23(8–12) 2/26–3/1(13–17) 3/4–6(18–20)
    ("spring-festival-2024-early", [ev("received", "2024-02-02")], "2024-03-06"),
    # 春节 2025: 1/26(1, Sunday make-up) 1/27(2) 2/5–7(3–5) 2/8(6, Saturday make-up) 2/10–14(7–11)
    # 2/17–21(12–16) 2/24–27(17–20)
    ("spring-festival-2025", [ev("received", "2025-01-24")], "2025-02-27"),
    # 国庆+中秋 2025 (10/1–10/8): 9/28(1) 9/29–30(2–3) 10/9–10(4–5) 10/11(6) 10/13–17(7–11)
    # 10/20–24(12–16) 10/27–30(17–20)
    ("national-day-2025", [ev("received", "2025-09-26")], "2025-10-30"),
    # … extended by 20: 10/31(21) 11/3–7(22–26) 11/10–14(27–31) 11/17–21(32–36) 11/24–27(37–40)
    (
        "national-day-2025-extended",
        [ev("received", "2025-09-26"), ev("extension_approved", "2025-10-20", days=20)],
        "2025-11-27",
    ),
    # 春节 2026 with 补正: clock restarts on 2/26; 2/27(1) 2/28(2, Saturday make-up) 3/2–6(3–7)
    # 3/9–13(8–12) 3/16–20(13–17) 3/23–25(18–20)
    (
        "spring-festival-2026-correction",
        [
            ev("received", "2026-02-09", channel="online"),
            ev("correction_requested", "2026-02-11", days=10),
            ev("correction_received", "2026-02-26", channel="online"),
        ],
        "2026-03-25",
    ),
    # 劳动节 2026 (5/1–5/5, make-up 5/9) with a consultation 5/6–5/12 (6 working days, 5/9 included):
    # 4/29–30(1–2) 5/13–15(3–5) 5/18–22(6–10) 5/25–29(11–15) 6/1–5(16–20)
    (
        "labour-day-2026-consultation",
        [
            ev("received", "2026-04-28"),
            ev("consultation_started", "2026-05-06", party="third_party"),
            ev("consultation_ended", "2026-05-12", party="third_party"),
        ],
        "2026-06-05",
    ),
    ("labour-day-2026-plain", [ev("received", "2026-04-28")], "2026-05-28"),
    # fee pause 3/10–3/14 (5 working days); 清明 2025 (4/4) is a holiday:
    # 3/4–7(1–4) 3/17–21(5–9) 3/24–28(10–14) 3/31(15) 4/1–3(16–18) 4/7–8(19–20)
    (
        "fee-2025",
        [ev("received", "2025-03-03"), ev("fee_notified", "2025-03-10"), ev("fee_paid", "2025-03-14")],
        "2025-04-08",
    ),
    # overlapping consultations count once: third party 10/8–10/20, agency 10/14–10/25 → paused 10/8–10/25
    # (15 working days: 10/8–12, 10/14–18, 10/21–25); 9/29(1) 9/30(2) 10/28–31(3–6) 11/1(7) 11/4–8(8–12)
    # 11/11–15(13–17) 11/18–20(18–20)
    (
        "overlapping-consultations-2024",
        [
            ev("received", "2024-09-27"),
            ev("consultation_started", "2024-10-08", party="third_party"),
            ev("consultation_started", "2024-10-14", party="agency"),
            ev("consultation_ended", "2024-10-20", party="third_party"),
            ev("consultation_ended", "2024-10-25", party="agency"),
        ],
        "2024-11-20",
    ),
    # a consultation begun after the deadline changes nothing
    (
        "pause-after-due",
        [
            ev("received", "2024-09-27"),
            ev("consultation_started", "2024-11-04"),
            ev("consultation_ended", "2024-11-08"),
        ],
        "2024-10-30",
    ),
    # no notice for 2030: the holidays fixed by law only (国庆 10/1–3, no 调休); 9/30(1) 10/4(2)
    # 10/7–11(3–7) 10/14–18(8–12) 10/21–25(13–17) 10/28–30(18–20)
    ("no-data-2030", [ev("received", "2030-09-27")], "2030-10-30"),
]


@pytest.mark.parametrize(("name", "events", "due"), CASES, ids=[c[0] for c in CASES])
def test_due_dates(cal, name, events, due):
    assert compute(events, cal).due == D(due)


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        (
            [ev("received", "2024-09-27", channel="in_person")],
            [
                "2024-09-27 收到（当面）；收到当日不计",
                "第1个工作日 2024-09-29（星期日，调休上班）",
                "2024-10-01至2024-10-07 国庆节假期不计",
                "2024-10-12（星期六，调休上班），计入",
                "第20个工作日 2024-10-30",
                "答复期限 2024-10-30",
            ],
        ),
        (
            [
                ev("received", "2024-09-27"),
                ev("consultation_started", "2024-10-08", party="third_party"),
                ev("consultation_ended", "2024-10-20", party="third_party"),
                ev("extension_approved", "2024-10-21", days=20),
            ],
            [
                "2024-09-27 收到；收到当日不计",
                "第1个工作日 2024-09-29（星期日，调休上班）",
                "2024-10-01至2024-10-07 国庆节假期不计",
                # 10/8–11, 10/12 (make-up), 10/14–18
                "征求第三方意见 2024-10-08至2024-10-20 不计入期限（10个工作日）（第三十三条第三款、第三十二条）",
                "延期20个工作日，经负责人同意（第三十三条）",
                "第40个工作日 2024-12-11",
                "答复期限 2024-12-11",
            ],
        ),
    ],
)
def test_steps(cal, events, expected):
    assert compute(events, cal).steps == expected


def test_correction_fields_and_restart(cal):
    deadline = compute(
        [
            ev("received", "2026-02-09"),
            ev("correction_requested", "2026-02-11", days=10),
            ev("correction_received", "2026-02-26"),
        ],
        cal,
    )
    # 2/10–13(1–4) 2/14(5, Saturday make-up) 2/24(6) 2/25(7)
    assert deadline.correction_due == D("2026-02-25")
    assert deadline.state == "running"
    assert "2026-02-26 收到补正后的申请；答复期限自此起算，当日不计（第三十条）" in deadline.steps
    assert "第1个工作日 2026-02-27" in deadline.steps


@pytest.mark.parametrize(
    ("today", "suggestion"),
    [(None, None), ("2024-10-21", None), ("2024-10-22", "no_correction")],
)
def test_awaiting_correction(cal, today, suggestion):
    deadline = compute(
        [ev("received", "2024-09-27"), ev("correction_requested", "2024-10-08", days=10)],
        cal,
        today=D(today) if today else None,
    )
    assert deadline.state == "awaiting_correction"
    assert deadline.due is None
    assert deadline.correction_due == D("2024-10-12")  # the 7th working day is the make-up Saturday
    assert deadline.correction_reply_by == D("2024-10-21")  # 10/9–12(1–4) 10/14–18(5–9) 10/21(10)
    assert deadline.suggestion == suggestion


def test_late_correction_notice_is_noted(cal):
    steps = compute([ev("received", "2024-09-27"), ev("correction_requested", "2024-10-14")], cal).steps
    assert "2024-10-14 一次性告知申请人补正；注意：晚于第三十条规定的7个工作日" in steps


def test_open_consultation_keeps_a_due_date_and_fee_stops_the_clock(cal):
    consulting = compute([ev("received", "2024-09-27"), ev("consultation_started", "2024-10-08")], cal)
    # the consulted party's own due date: 10/9–12(1–4) 10/14–18(5–9) 10/21–25(10–14) 10/28(15);
    # paused 10/8–10/28 at most (16 working days), so 10/30 moves to 11/21:
    # 10/31(1) 11/1(2) 11/4–8(3–7) 11/11–15(8–12) 11/18–21(13–16)
    assert (consulting.state, consulting.due, consulting.consultation_due) == (
        "consulting",
        D("2024-11-21"),
        D("2024-10-28"),
    )
    assert any("被征求方应在15个工作日内（至 2024-10-28）" in s for s in consulting.steps)
    events = [ev("received", "2025-03-03"), ev("fee_notified", "2025-03-10"), ev("fee_notice_received", "2025-03-12")]
    # 20 working days from the day after the notice was received:
    # 3/13–14(1–2) 3/17–21(3–7) 3/24–28(8–12) 3/31(13) 4/1–3(14–16) 4/7–10(17–20)
    fee = compute(events, cal, today=D("2025-04-11"))
    assert (fee.state, fee.due, fee.fee_pay_by, fee.suggestion) == ("awaiting_fee", None, D("2025-04-10"), "no_payment")
    assert compute(events, cal, today=D("2025-04-10")).suggestion is None


@pytest.mark.parametrize(("replied", "late"), [("2024-10-30", False), ("2024-10-31", True)])
def test_reply_on_time_or_late(cal, replied, late):
    deadline = compute([ev("received", "2024-09-27"), ev("replied", replied)], cal)
    assert (deadline.state, deadline.late) == ("replied", late)


def test_abandoned_after_no_correction(cal):
    deadline = compute(
        [
            Event("received", D("2024-09-27"), channel="post"),
            Event("correction_requested", D("2024-10-08"), days=10),
            Event("abandoned", D("2024-10-25")),
        ],
        cal,
    )
    assert (deadline.state, deadline.due, deadline.suggestion) == ("abandoned", None, None)
    assert deadline.steps[0] == "2024-09-27 收到（邮寄，以签收之日为准）；收到当日不计"
    assert deadline.steps[-1] == "2024-10-25 视为放弃申请，不再处理"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"kind": "foo"}, "未知的事件类型 'foo'"), ({"kind": "received", "party": "court"}, "未知的征求对象")],
)
def test_bad_event_fields(kwargs, message):
    with pytest.raises(LedgerError, match=message):
        Event(day=D("2024-09-27"), **kwargs)


def test_provisional_year_and_year_file(tmp_path, cal):
    events = [ev("received", "2030-09-27")]
    before = compute(events, cal)
    assert before.provisional is True
    assert before.steps[-1] == (
        "注意：2030年尚无国务院节假日安排通知，按《全国年节及纪念日放假办法》规定的节日（适逢周末的补假）计算，"
        "调休上班日未知，结果为暂定"
    )
    (tmp_path / "2030.toml").write_text(
        'year = 2030\nholidays = ["2030-01-01", "2030-10-01..2030-10-07 国庆节"]\n'
        'workdays = ["2030-09-29", "2030-10-12"]\n',
        encoding="utf-8",
    )
    after = compute(events, Calendar(dirs=[tmp_path]))
    # 9/29(1) 9/30(2) 10/8–11(3–6) 10/12(7) 10/14–18(8–12) 10/21–25(13–17) 10/28–30(18–20)
    assert (after.due, after.provisional) == (D("2030-10-30"), False)


def test_provisional_when_due_crosses_into_a_year_without_data(cal):
    deadline = compute([ev("received", "2026-12-15")], cal)
    assert deadline.provisional is True
    assert compute([ev("received", "2026-11-02")], cal).provisional is False


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([], "缺少“收到申请”事件"),
        ([ev("replied", "2024-10-01")], "第一条事件必须是“收到申请”"),
        ([ev("received", "2024-09-27"), ev("received", "2024-09-28")], "重复的“收到申请”事件"),
        ([ev("received", "2024-09-27"), ev("consultation_started", "2024-09-20")], "事件应按日期先后排列"),
        (
            [
                ev("received", "2024-09-27"),
                ev("extension_approved", "2024-10-20", days=10),
                ev("extension_approved", "2024-10-21", days=10),
            ],
            "只能延长一次",
        ),
        ([ev("received", "2024-09-27"), ev("extension_approved", "2024-10-20", days=21)], "1 至 20 个工作日"),
        ([ev("received", "2024-09-27"), ev("extension_approved", "2024-10-20")], "台账记为 None"),
        ([ev("received", "2024-09-27"), ev("consultation_ended", "2024-10-20")], "此前没有开始征求意见"),
        (
            [
                ev("received", "2024-09-27"),
                ev("consultation_started", "2024-10-08", party="agency"),
                ev("consultation_ended", "2024-10-20", party="third_party"),
            ],
            "此前没有开始征求意见",
        ),
        ([ev("received", "2024-09-27"), ev("fee_paid", "2024-10-20")], "此前没有收费通知"),
        ([ev("received", "2024-09-27"), ev("correction_received", "2024-10-20")], "此前没有告知补正"),
        (
            [
                ev("received", "2024-09-27"),
                ev("correction_requested", "2024-09-30"),
                ev("consultation_started", "2024-10-08"),
            ],
            "仍在等待申请人补正",
        ),
        (
            [
                ev("received", "2024-09-27"),
                ev("correction_requested", "2024-09-30"),
                ev("correction_received", "2024-10-08"),
                ev("correction_requested", "2024-10-09"),
            ],
            "补正应一次性告知",
        ),
        ([ev("received", "2024-09-27"), ev("replied", "2024-10-08"), ev("fee_notified", "2024-10-09")], "已作出答复"),
        ([ev("received", "2024-09-27", channel="pigeon")], "未知的收到渠道"),
        ([ev("received", "2024-09-27"), ev("replied", "2024-10-08", days=3)], "不带天数"),
    ],
)
def test_inconsistent_ledgers_raise(cal, events, message):
    with pytest.raises(LedgerError, match=message) as info:
        compute(events, cal)
    assert isinstance(info.value, ValueError)


def test_dates_outside_the_calendar_raise(cal):
    with pytest.raises(ValueError, match="超出日历范围"):
        compute([ev("received", "2003-05-01")], cal)


def test_deadline_is_immutable_and_serialisable(cal):
    deadline = deadline_from_cli(D("2024-09-27"), 20, [(D("2024-10-08"), D("2024-10-20"))], calendar=cal)
    assert isinstance(deadline, Deadline)
    with pytest.raises(AttributeError):
        deadline.due = D("2025-01-01")
    data = deadline.to_dict()
    assert data["due"] == "2024-12-11" and data["provisional"] is False
    assert "第40个工作日 2024-12-11" in data["steps"]
    json.dumps(data, ensure_ascii=False)


# --- CLI -------------------------------------------------------------------------------


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


@pytest.mark.parametrize(
    ("args", "due"),
    [
        (["--received", "2024-09-27"], "2024-10-30"),
        (["--received", "2024-09-27", "--channel", "当面"], "2024-10-30"),
        (["--received", "2024-09-27", "--extension", "20", "--pause", "2024-10-08:2024-10-20"], "2024-12-11"),
        (["--received", "2024-02-08"], "2024-03-13"),
    ],
)
def test_cli_deadline_json(run, args, due):
    result = run("deadline", *args, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["due"] == due and data["provisional"] is False


def test_cli_deadline_human(run):
    result = run("deadline", "--received", "2024-09-27", "--channel", "当面")
    assert result.exit_code == 0
    assert "答复期限：2024-10-30" in result.stdout
    assert "2024-09-27 收到（当面）；收到当日不计" in result.stdout


def test_cli_deadline_provisional(run):
    result = run("deadline", "--received", "2030-09-27")
    assert result.exit_code == 0
    assert "暂定" in result.stdout and "答复期限：2030-10-30" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--received", "2024-09-x"], "不是有效日期"),
        (["--received", "2024-09-27", "--extension", "25"], "延期天数应为 1 至 20 个工作日"),
        (["--received", "2024-09-27", "--pause", "2024-10-08"], "应写成 开始日期:结束日期"),
        (["--received", "2024-09-27", "--pause", "2024-10-20:2024-10-08"], "结束日期早于开始日期"),
        (["--received", "2024-09-27", "--channel", "信鸽"], "无法识别"),
    ],
)
def test_cli_deadline_errors(run, args, message):
    result = run("deadline", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_calendar_import(run, tmp_path):
    source = tmp_path / "2030.toml"
    source.write_text('year = 2030\nsource = "测试"\nholidays = ["2030-10-01..2030-10-07"]\n', encoding="utf-8")
    result = run("calendar", "import", str(source))
    assert result.exit_code == 0, result.output
    assert "已导入 2030 年节假日安排，依据 测试：放假 7 天，调休上班 0 天" in result.stdout
    assert (tmp_path / "calendar" / "2030.toml").exists()
    assert json.loads(run("deadline", "--received", "2030-09-27", "--json").stdout)["provisional"] is False


def test_cli_calendar_import_error(run, tmp_path):
    source = tmp_path / "2030.toml"
    source.write_text('year = 2030\nholidays = ["2030-10-01"]\nworkdays = ["2030-10-02"]\n', encoding="utf-8")
    result = run("calendar", "import", str(source))
    assert result.exit_code == 2
    assert "第3行" in result.stderr and "本来就是工作日" in result.stderr
    assert not (tmp_path / "calendar").exists()
