"""The statutory calendar: which days are working days (工作日).

Holidays and 调休 make-up workdays come from two sources:

- the ``chinese_calendar`` package, for the years its data covers (2004–2026 in 1.11);
- year files ``YYYY.toml`` that the administrator adds when the State Council publishes the
  next year's arrangement (国务院办公厅关于某年部分节假日安排的通知). A file for a year
  replaces ``chinese_calendar``'s data for that year.

A year file looks like::

    year = 2027
    source = "国办发明电〔2026〕X号"          # optional
    holidays = ["2027-01-01", "2027-02-06..2027-02-12 春节"]   # a name after a space is optional
    workdays = ["2027-02-14"]                   # make-up Saturdays/Sundays (调休上班)

Entries for the last days of December of the previous year are allowed, because the
notice for a year sometimes arranges 元旦 across the year boundary.

A year without data (no notice yet) still keeps the holidays fixed by law — 《全国年节及纪念日
放假办法》第二条 (元旦, 春节 from 除夕 to 初三, 清明, 劳动节 5月1—2日, 端午, 中秋, 国庆 10月1—3日),
with 第六条's 补假 on the next working days for those that fall on a weekend — and is otherwise
counted Monday–Friday, without the 调休 a notice would add. ``statutory_holidays`` computes
them (lunar dates from ``lunardate``, 清明 from the solar term); ``has_data`` and
``provisional_years`` make the missing notice visible: results over such a year are 暂定.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from chinese_calendar import constants as _cc
from chinese_calendar import get_solar_terms
from lunardate import LunarDate

from gongkai.errors import GongkaiError
from gongkai.law import HOLIDAY_MEASURES, STATUTORY_HOLIDAYS, FixedHoliday
from gongkai.paths import data_dir

__all__ = [
    "Calendar",
    "CalendarRangeError",
    "YearData",
    "default_calendar",
    "import_year_file",
    "load_year_file",
    "package_calendar_dir",
    "statutory_holidays",
    "user_calendar_dir",
]

FIRST_YEAR = 2004
LAST_YEAR = 2050
WEEKDAY_NAMES = "一二三四五六日"
ENV_DIR = "GONGKAI_CALENDAR_DIR"
_FILE_NAME = re.compile(r"^\d{4}\.toml$")
_ALLOWED_KEYS = {"year", "holidays", "workdays", "source"}


class CalendarRangeError(GongkaiError, ValueError):
    """A date outside the range the working-day index covers."""


def weekday_name(d: date) -> str:
    return "星期" + WEEKDAY_NAMES[d.weekday()]


def package_calendar_dir() -> Path:
    return Path(__file__).parent / "data" / "calendar"


def user_calendar_dir() -> Path:
    """Where the administrator's year files live: ``$GONGKAI_CALENDAR_DIR`` or ``calendar/`` in the data dir."""
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env)
    return data_dir() / "calendar"


# --- year files -------------------------------------------------------------------------


@dataclass(frozen=True)
class YearData:
    """One year's holidays (date → name) and make-up workdays, with where they came from."""

    year: int
    holidays: dict[date, str] = field(default_factory=dict)
    workdays: frozenset[date] = frozenset()
    source: str = ""


def _line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


def _where(text: str, key: str, index: int | None = None, needle: str | None = None) -> str:
    line = _line_of(text, needle) if needle else _line_of(text, key)
    place = f"{key} 第{index + 1}项" if index is not None else f"键 {key}"
    return f"第{line}行（{place}）" if line else place


def _parse_day(raw: str, *, year: int, err) -> date:
    try:
        d = date.fromisoformat(raw)
    except ValueError:
        raise err(f"“{raw}”不是有效日期，应写成 YYYY-MM-DD") from None
    if d.year == year or (d.year == year - 1 and d.month == 12):
        return d
    raise err(f"日期 {d.isoformat()} 不在 {year} 年内")


def _deepest(text: str, limit: int = 100) -> str | None:
    """Where brackets first nest deeper than ``limit`` (第N行第M列), quotes not minded."""
    depth = 0
    line, col = 1, 0
    for ch in text:
        col += 1
        if ch == "\n":
            line, col = line + 1, 0
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return f"第{line}行第{col}列"
        elif ch in "]}":
            depth = max(depth - 1, 0)
    return None


def load_year_file(path: str | Path) -> YearData:
    """Read and validate one ``YYYY.toml`` year file; problems raise ``GongkaiError`` in Chinese."""
    path = Path(path)
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GongkaiError(f"无法读取日历文件（{exc.strerror or exc}）", path=shown) from exc
    except UnicodeDecodeError as exc:
        raise GongkaiError(f"日历文件应为 UTF-8 编码（第 {exc.start} 字节处不是）", path=shown) from None
    try:
        raw = tomllib.loads(text)
    except RecursionError:
        raise GongkaiError("TOML 中的数组或表嵌套过深，无法解析", path=shown, where=_deepest(text)) from None
    except tomllib.TOMLDecodeError as exc:
        reason, _, place = str(exc).partition(" (at ")
        m = re.search(r"line (\d+), column (\d+)", place)
        where = f"第{m.group(1)}行第{m.group(2)}列" if m else ("文件末尾" if "end of document" in place else None)
        raise GongkaiError(f"TOML 格式错误，无法解析（{reason}）", path=shown, where=where) from exc
    except ValueError:  # tomllib: an integer past Python's digit limit (year = 111…1)
        raise GongkaiError("TOML 中有位数过多的数字，无法解析", path=shown) from None

    unknown = sorted(set(raw) - _ALLOWED_KEYS)
    if unknown:
        raise GongkaiError(
            f"未知的键 {unknown[0]}，只能使用 year、holidays、workdays、source",
            path=shown,
            where=_where(text, unknown[0]),
        )
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise GongkaiError(
            f"year 必须是 {FIRST_YEAR} 至 {LAST_YEAR} 之间的整数年份", path=shown, where=_where(text, "year")
        )
    if _FILE_NAME.match(path.name) and path.stem != str(year):
        raise GongkaiError(f"文件名 {path.name} 与 year = {year} 不一致", path=shown, where=_where(text, "year"))
    source = raw.get("source", "")
    if not isinstance(source, str):
        raise GongkaiError("source 必须是字符串（通知文号）", path=shown, where=_where(text, "source"))

    def entries(key: str, required: bool) -> list[str]:
        value = raw.get(key)
        if value is None:
            if required:
                raise GongkaiError(f"缺少 {key}（节假日列表）", path=shown)
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise GongkaiError(f"{key} 必须是日期字符串的列表", path=shown, where=_where(text, key))
        return value

    holidays: dict[date, str] = {}
    for i, item in enumerate(entries("holidays", required=True)):

        def err(message: str, i: int = i, item: str = item) -> GongkaiError:
            return GongkaiError(message, path=shown, where=_where(text, "holidays", i, f'"{item}"'))

        spec, _, name = item.strip().partition(" ")
        first, sep, last = spec.partition("..")
        start = _parse_day(first, year=year, err=err)
        end = _parse_day(last, year=year, err=err) if sep else start
        if end < start:
            raise err(f"区间 {spec} 的结束日期早于开始日期")
        if (end - start).days > 31:
            raise err(f"区间 {spec} 超过 31 天，请检查")
        d = start
        while d <= end:
            holidays[d] = name.strip() or "节假日"
            d += timedelta(days=1)

    workdays: set[date] = set()
    for i, item in enumerate(entries("workdays", required=False)):

        def err(message: str, i: int = i, item: str = item) -> GongkaiError:
            return GongkaiError(message, path=shown, where=_where(text, "workdays", i, f'"{item}"'))

        d = _parse_day(item.strip(), year=year, err=err)
        if d.weekday() < 5:
            raise err(f"{d.isoformat()} 是{weekday_name(d)}，本来就是工作日，调休上班日只能是星期六或星期日")
        if d in holidays:
            raise err(f"{d.isoformat()} 同时列在 holidays 和 workdays 中")
        workdays.add(d)

    return YearData(year=year, holidays=holidays, workdays=frozenset(workdays), source=source)


def import_year_file(path: str | Path, dest_dir: str | Path | None = None) -> Path:
    """Validate a year file and copy it into the user calendar dir as ``YYYY.toml``."""
    data = load_year_file(path)
    target_dir = Path(dest_dir) if dest_dir is not None else user_calendar_dir()
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / f"{data.year}.toml"
        shutil.copyfile(path, target)
    except OSError as exc:
        raise GongkaiError(f"无法写入日历目录 {target_dir}（{exc.strerror or exc}）", path=str(path)) from exc
    return target


def _builtin_years() -> dict[int, YearData]:
    holidays: dict[int, dict[date, str]] = {}
    for d, english in _cc.holidays.items():
        holidays.setdefault(d.year, {})[d] = _cc.Holiday(english).chinese
    workdays: dict[int, set[date]] = {}
    for d in _cc.workdays:
        workdays.setdefault(d.year, set()).add(d)
    return {
        y: YearData(year=y, holidays=h, workdays=frozenset(workdays.get(y, ())), source="chinese_calendar")
        for y, h in holidays.items()
    }


# --- the holidays fixed by law (years without a notice) ---------------------------------


def _first_day(h: FixedHoliday, year: int) -> date:
    if h.kind == "solar":
        return date(year, h.month, h.day)
    if h.kind == "lunar":
        if h.day == 0:  # 除夕: the day before the first day of ``month``
            return LunarDate(year, h.month, 1).to_solar_date() - timedelta(days=1)
        return LunarDate(year, h.month, h.day).to_solar_date()
    if h.kind == "term":
        name = h.name.removesuffix("节")
        month = h.month
        return next(d for d, term in get_solar_terms(date(year, month, 1), date(year, month, 28)) if term == name)
    raise ValueError(f"unknown holiday kind {h.kind!r}")


def statutory_holidays(year: int) -> dict[date, str]:
    """The holidays of 《全国年节及纪念日放假办法》 in ``year`` (date → name): 第二条's days, and for
    each of them that falls on a Saturday or Sunday a 补假 day (第六条) on the next weekday that is
    not already a holiday, the festival's name kept. No 调休: only a notice can say those."""
    days: dict[date, str] = {}
    for h in STATUTORY_HOLIDAYS:
        start = _first_day(h, year)
        for i in range(h.days):
            days.setdefault(start + timedelta(days=i), h.name)
    out = dict(days)
    for d in sorted(days):
        if d.weekday() < 5:
            continue
        sub = d + timedelta(days=1)
        while sub.weekday() >= 5 or sub in out:
            sub += timedelta(days=1)
        out[sub] = days[d]
    return out


# --- the calendar -----------------------------------------------------------------------


class Calendar:
    """Working days from 2004 to 2050, answered from a sorted array of workday ordinals."""

    first_year = FIRST_YEAR
    last_year = LAST_YEAR

    def __init__(self, dirs: list[Path] | None = None, *, builtin: bool = True):
        """``dirs``: directories of year files, later ones winning; default: package dir, then user dir."""
        years = _builtin_years() if builtin else {}
        if dirs is None:
            dirs = [package_calendar_dir(), user_calendar_dir()]
        for directory in dirs:
            directory = Path(directory)
            if not directory.is_dir():
                continue
            for path in sorted(directory.glob("*.toml")):
                data = load_year_file(path)
                years[data.year] = data
        self.years: dict[int, YearData] = years
        self._holidays: dict[date, str] = {}
        self._workdays: set[date] = set()
        for y in range(max(FIRST_YEAR, HOLIDAY_MEASURES.in_force.year), LAST_YEAR + 1):
            if y not in years:  # no notice: the holidays the law fixes (the version in force since 2025)
                self._holidays.update(statutory_holidays(y))
        for y in sorted(years):
            data = years[y]
            for d in [d for d in self._holidays if d.year == y]:
                del self._holidays[d]
            self._workdays -= {d for d in self._workdays if d.year == y}
            self._holidays.update(data.holidays)
            self._workdays |= data.workdays
        self._ords: list[int] | None = None
        self._lo = date(FIRST_YEAR, 1, 1).toordinal()
        self._hi = date(LAST_YEAR, 12, 31).toordinal()
        self.bounds = (self._lo, self._hi)

    # plain questions

    def has_data(self, year: int) -> bool:
        return year in self.years

    def provisional_years(self, a: date, b: date) -> list[int]:
        """Years between ``a`` and ``b`` (inclusive) counted on weekdays only, for lack of data."""
        return [y for y in range(min(a, b).year, max(a, b).year + 1) if y not in self.years]

    def source(self, year: int) -> str | None:
        data = self.years.get(year)
        return data.source if data else None

    def is_workday(self, d: date) -> bool:
        if d in self._workdays:
            return True
        return d.weekday() < 5 and d not in self._holidays

    def is_makeup_workday(self, d: date) -> bool:
        return d in self._workdays

    def holiday_name(self, d: date) -> str | None:
        return self._holidays.get(d)

    def holiday_runs(self, a: date, b: date) -> list[tuple[date, date, str]]:
        """Runs of consecutive holidays touching ``a``..``b`` that take away at least one weekday."""
        runs: list[tuple[date, date, str]] = []
        d = a
        while d <= b:
            if d in self._holidays:
                start = d
                while start - timedelta(days=1) in self._holidays:
                    start -= timedelta(days=1)
                end = d
                while end + timedelta(days=1) in self._holidays:
                    end += timedelta(days=1)
                names = list(dict.fromkeys(self._holidays[x] for x in _days(start, end)))
                if any(x.weekday() < 5 for x in _days(start, end)):
                    runs.append((start, end, "、".join(names)))
                d = end
            d += timedelta(days=1)
        return runs

    # the index

    @property
    def ordinals(self) -> list[int]:
        """Sorted ordinals of every working day in range; built once, on first use."""
        if self._ords is None:
            self._ords = [o for o in range(self._lo, self._hi + 1) if self.is_workday(date.fromordinal(o))]
        return self._ords

    def check_range(self, d: date) -> int:
        """``d``'s ordinal; raises ``CalendarRangeError`` outside the index."""
        o = d.toordinal()
        if not self._lo <= o <= self._hi:
            raise CalendarRangeError(f"日期 {d.isoformat()} 超出日历范围（{FIRST_YEAR}—{LAST_YEAR} 年）")
        return o

    def add_workdays(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (``start`` itself not counted); ``n = 0`` gives ``start``."""
        if n < 0:
            raise ValueError("n 不能为负数")
        if n == 0:
            return start
        ords = self.ordinals
        i = bisect_right(ords, self.check_range(start)) + n - 1
        if i >= len(ords):
            raise CalendarRangeError(f"{start.isoformat()} 之后第{n}个工作日超出日历范围（至 {LAST_YEAR} 年）")
        return date.fromordinal(ords[i])

    def workdays_between(self, a: date, b: date) -> int:
        """Working days in ``(a, b]``: ``workdays_between(a, add_workdays(a, n)) == n``; negative if b < a."""
        ords = self.ordinals
        return bisect_right(ords, self.check_range(b)) - bisect_right(ords, self.check_range(a))


def _days(a: date, b: date):
    d = a
    while d <= b:
        yield d
        d += timedelta(days=1)


_default: Calendar | None = None


def default_calendar() -> Calendar:
    """The calendar from the package and user dirs, loaded once per process."""
    global _default
    if _default is None:
        _default = Calendar()
    return _default
