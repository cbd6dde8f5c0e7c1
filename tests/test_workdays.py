"""The statutory calendar. Expected dates were counted by hand on the State Council's
holiday notices (2024 春节 2/10–2/17, make-up 2/4 and 2/18; 2024 国庆 10/1–10/7, make-up
9/29 and 10/12; 2025 春节 1/28–2/4, make-up 1/26 and 2/8; 2026 春节 2/15–2/23, make-up
2/14 and 2/28)."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.errors import GongkaiError
from gongkai.workdays import Calendar, CalendarRangeError, import_year_file, load_year_file

D = date.fromisoformat


@pytest.fixture(scope="module")
def cal() -> Calendar:
    return Calendar(dirs=[])  # chinese_calendar only: independent of the machine's calendar dir


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2024-02-04", True),  # Sunday, make-up workday for 春节
        ("2024-02-12", False),  # Monday in 春节
        ("2024-02-18", True),  # Sunday, make-up workday
        ("2024-09-29", True),  # Sunday, make-up workday for 国庆
        ("2024-10-01", False),
        ("2024-10-07", False),  # Monday in 国庆
        ("2024-10-12", True),  # Saturday, make-up workday
        ("2024-10-13", False),  # ordinary Sunday
        ("2025-10-08", False),  # 国庆+中秋 2025 ran to 10-08
        ("2025-10-11", True),  # Saturday, make-up workday
        ("2026-02-23", False),  # Monday, last day of 春节 2026
        ("2026-02-28", True),  # Saturday, make-up workday
        ("2030-10-01", False),  # no notice: 国庆 is still a holiday by law (放假办法第二条)
        ("2030-10-08", True),  # no notice: a Tuesday after the statutory 10/1–3 is a workday
        ("2030-10-05", False),  # no data: Saturday
    ],
)
def test_is_workday(cal, day, expected):
    assert cal.is_workday(D(day)) is expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2024-09-27", 0, "2024-09-27"),
        ("2024-09-27", 1, "2024-09-29"),
        ("2024-09-27", 2, "2024-09-30"),
        ("2024-09-27", 3, "2024-10-08"),
        ("2024-09-27", 7, "2024-10-12"),
        ("2024-09-27", 20, "2024-10-30"),
        ("2024-10-05", 1, "2024-10-08"),  # start on a holiday
        ("2024-02-02", 1, "2024-02-04"),
        ("2024-02-08", 2, "2024-02-18"),
        ("2024-02-08", 20, "2024-03-13"),
        ("2025-01-24", 20, "2025-02-27"),
        ("2025-09-26", 20, "2025-10-30"),
        ("2026-02-09", 7, "2026-02-25"),
        ("2030-09-27", 20, "2030-10-30"),  # no notice: weekdays less 国庆 10/1–3 fixed by law
    ],
)
def test_add_workdays(cal, start, n, expected):
    assert cal.add_workdays(D(start), n) == D(expected)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2024-09-27", "2024-10-30", 20),
        ("2024-09-30", "2024-10-08", 1),
        ("2024-10-08", "2024-10-20", 9),  # (a, b]: 10-09..10-12, 10-14..10-18
        ("2024-10-30", "2024-09-27", -20),
        ("2024-10-01", "2024-10-07", 0),
    ],
)
def test_workdays_between(cal, a, b, expected):
    assert cal.workdays_between(D(a), D(b)) == expected


def test_data_years_and_provisional_years(cal):
    assert cal.has_data(2004) and cal.has_data(2024) and cal.has_data(2026)
    assert not cal.has_data(2027)
    assert cal.provisional_years(D("2026-12-01"), D("2028-01-10")) == [2027, 2028]
    assert cal.provisional_years(D("2024-01-01"), D("2026-12-31")) == []


@pytest.mark.parametrize(("start", "n"), [("2003-12-31", 1), ("2050-12-20", 20)])
def test_out_of_range_raises_in_chinese(cal, start, n):
    with pytest.raises(CalendarRangeError, match="超出日历范围"):
        cal.add_workdays(D(start), n)


def test_holiday_runs_are_named(cal):
    assert cal.holiday_runs(D("2024-09-28"), D("2024-10-30")) == [(D("2024-10-01"), D("2024-10-07"), "国庆节")]
    assert cal.holiday_runs(D("2025-09-27"), D("2025-10-30")) == [(D("2025-10-01"), D("2025-10-08"), "国庆节、中秋")]


YEAR_2030 = """\
year = 2030
source = "国办发明电〔2029〕1号（测试用）"
holidays = [
  "2030-01-01 元旦",
  "2030-10-01..2030-10-07 国庆节",
]
workdays = ["2030-09-29", "2030-10-12"]
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_year_file_makes_a_year_known(tmp_path):
    write(tmp_path, "2030.toml", YEAR_2030)
    cal = Calendar(dirs=[tmp_path])
    assert cal.has_data(2030)
    assert cal.source(2030) == "国办发明电〔2029〕1号（测试用）"
    assert cal.is_workday(D("2030-09-29")) and not cal.is_workday(D("2030-10-01"))
    # 9/29(1) 9/30(2) 10/8–10/11(3–6) 10/12(7) 10/14–18(8–12) 10/21–25(13–17) 10/28–30(18–20)
    assert cal.add_workdays(D("2030-09-27"), 20) == D("2030-10-30")
    assert cal.holiday_name(D("2030-10-03")) == "国庆节"


def test_year_file_replaces_chinese_calendar_for_that_year(tmp_path):
    write(tmp_path, "2024.toml", 'year = 2024\nholidays = ["2024-01-01"]\n')
    cal = Calendar(dirs=[tmp_path])
    assert cal.is_workday(D("2024-10-01"))  # 国庆 no longer listed
    assert not cal.is_workday(D("2024-09-29"))  # nor its make-up Sunday
    assert not cal.is_workday(D("2025-01-01"))  # other years untouched


def test_later_dir_wins(tmp_path):
    first, second = tmp_path / "pkg", tmp_path / "user"
    first.mkdir()
    second.mkdir()
    write(first, "2030.toml", YEAR_2030)
    write(second, "2030.toml", 'year = 2030\nholidays = ["2030-01-01"]\n')
    assert Calendar(dirs=[first, second]).is_workday(D("2030-10-01"))


def test_previous_december_allowed_for_new_year_holiday(tmp_path):
    path = write(tmp_path, "2030.toml", 'year = 2030\nholidays = ["2029-12-30..2030-01-01 元旦"]\n')
    data = load_year_file(path)
    assert D("2029-12-31") in data.holidays


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("2030.toml", 'year = 2030\nholidays = ["2030-01-01"', ["文件末尾", "TOML 格式错误"]),
        ("2030.toml", 'year = 2030\nholidays = ["2030-01-01"]\nsource = \n', ["第3行第10列", "TOML 格式错误"]),
        (
            "2030.toml",
            'year = 2030\nholidays = ["2030-02-30"]\n',
            ["“2030-02-30”不是有效日期", "第2行", "holidays 第1项"],
        ),
        (
            "2030.toml",
            'year = 2030\nholidays = ["2030-01-01",\n  "2031-01-01"]\n',
            ["2031-01-01 不在 2030 年内", "第3行"],
        ),
        (
            "2030.toml",
            'year = 2030\nholidays = ["2030-10-01..2030-10-07"]\nworkdays = ["2030-10-05"]\n',
            ["2030-10-05 同时列在 holidays 和 workdays 中", "第3行"],
        ),
        (
            "2030.toml",
            'year = 2030\nholidays = ["2030-01-01"]\nworkdays = ["2030-10-08"]\n',
            ["2030-10-08 是星期二，本来就是工作日", "workdays 第1项"],
        ),
        ("2030.toml", 'year = 2030\nholiday = ["2030-01-01"]\n', ["未知的键 holiday", "第2行"]),
        ("2031.toml", 'year = 2030\nholidays = ["2030-01-01"]\n', ["文件名 2031.toml 与 year = 2030 不一致"]),
        ("2030.toml", "year = 2030\n", ["缺少 holidays"]),
        ("2030.toml", 'year = "2030"\nholidays = ["2030-01-01"]\n', ["year 必须是", "第1行"]),
        ("2030.toml", 'year = 2030\nholidays = ["2030-10-07..2030-10-01"]\n', ["结束日期早于开始日期"]),
        ("2030.toml", "year = 2030\nholidays = [20300101]\n", ["holidays 必须是日期字符串的列表"]),
    ],
)
def test_bad_year_files_give_chinese_errors(tmp_path, name, text, expected):
    path = write(tmp_path, name, text)
    with pytest.raises(GongkaiError) as info:
        load_year_file(path)
    message = str(info.value)
    assert message.startswith(f"文件 {path}")
    for part in expected:
        assert part in message


def test_bad_file_in_calendar_dir_is_reported(tmp_path):
    write(tmp_path, "2030.toml", 'year = 2030\nholidays = ["2030-13-01"]\n')
    with pytest.raises(GongkaiError, match="不是有效日期"):
        Calendar(dirs=[tmp_path])


def test_import_year_file_copies_into_user_dir(tmp_path, monkeypatch):
    user_dir = tmp_path / "calendar"
    monkeypatch.setenv("GONGKAI_CALENDAR_DIR", str(user_dir))
    source = write(tmp_path, "notice.toml", YEAR_2030)
    target = import_year_file(source)
    assert target == user_dir / "2030.toml"
    assert target.read_text(encoding="utf-8") == YEAR_2030
    assert Calendar().has_data(2030)


def test_import_rejects_bad_file_and_writes_nothing(tmp_path):
    source = write(tmp_path, "bad.toml", 'year = 2030\nholidays = ["2030-01-01"]\nworkdays = ["2030-01-02"]\n')
    with pytest.raises(GongkaiError, match="本来就是工作日"):
        import_year_file(source, tmp_path / "dest")
    assert not (tmp_path / "dest").exists()


def test_calendar_files_live_in_the_data_dir(monkeypatch, tmp_path):
    from gongkai.workdays import user_calendar_dir

    monkeypatch.delenv("GONGKAI_CALENDAR_DIR", raising=False)
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))
    assert user_calendar_dir() == tmp_path / "calendar"
    monkeypatch.setenv("GONGKAI_CALENDAR_DIR", str(tmp_path / "elsewhere"))
    assert user_calendar_dir() == tmp_path / "elsewhere"
