#!/usr/bin/env python3
"""Time building a year's report from N applications against one hand-written query counting the same rows.

    python bench/report_build.py --db sqlite --rows 1000000
    python bench/report_build.py --db postgres --rows 1000000   # GONGKAI_DATABASE_URL or local postgres

Rows are bulk-loaded (executemany in batches on SQLite, COPY on PostgreSQL) into a fresh
database, spread over 2023-07 … 2026-06 so that the report year has carried-in, new, closed
and carried-out applications, plus a tenth as many for a second agency that the filter must
leave out. The report build is ``gongkai.office.annual.build.build_report``
(table 三 in one grouped query, tables 二 and 四, the draft text, every check). The baseline is
the least SQL that yields table 三's counts: one raw ``SELECT … COUNT(*) FILTER (WHERE …) …
GROUP BY applicant_type, outcome`` with the same agency and year filter. The script exits
with status 1 if the baseline's counts differ from ``t3_counts`` or from the built report.
The three run in turns, ``--repeat`` times; ratios are of medians. Target: build ≤ 1.5 × baseline.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/gongkai_bench"
TABLE = "applications_application"
COLS = (
    "agency_id",
    "number",
    "applicant_name",
    "applicant_type",
    "channel",
    "content",
    "received_on",
    "outcome",
    "replied_on",
    "state",
    "due_on",
    "provisional",
    "created_at",
)


def configure(db: str) -> None:
    os.environ.setdefault("GONGKAI_SECRET_KEY", "bench-only")
    if db == "sqlite":
        os.environ.pop("GONGKAI_DATABASE_URL", None)
        os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-bench-")
        return
    url = os.environ.setdefault("GONGKAI_DATABASE_URL", PG_DEFAULT)
    os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
    import psycopg

    from gongkai.office.settings import database_from_url

    cfg = database_from_url(url)
    admin = {"dbname": "postgres", "user": cfg["USER"], "host": cfg["HOST"], "port": cfg["PORT"] or None}
    if cfg["PASSWORD"]:
        admin["password"] = cfg["PASSWORD"]
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}"')
        conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def rows(n: int, agency_id: int, seed: int = 1):
    from gongkai.formats import GB2021
    from gongkai.office.applications.vocabulary import applicant_columns, outcome_rows

    rng = random.Random(seed)
    types = [c.key for c in applicant_columns()]
    outcomes = [r.key for r in outcome_rows(GB2021)]
    start = date(2023, 7, 1).toordinal()
    span = date(2026, 6, 30).toordinal() - start
    now = datetime.now(UTC)
    for i in range(n):
        received = date.fromordinal(start + rng.randrange(span))
        if rng.random() < 0.85:
            replied = received + timedelta(days=rng.randrange(1, 60))
            outcome, state = rng.choice(outcomes), "replied"
        else:
            replied, outcome, state = None, "", "running"
        yield (
            agency_id,
            f"B{i:08d}",
            "",
            rng.choice(types),
            "other",
            "",
            received,
            outcome,
            replied,
            state,
            None,
            False,
            now,
        )


def load(db: str, n: int, agency_id: int, seed: int = 1) -> float:
    from django.db import connection, transaction

    t0 = time.perf_counter()
    if db == "postgres":
        with connection.cursor() as cur:
            raw = cur.cursor
            with raw.copy(f"COPY {TABLE} ({', '.join(COLS)}) FROM STDIN") as copy:
                for r in rows(n, agency_id, seed):
                    copy.write_row(r)
            cur.execute(f"ANALYZE {TABLE}")
    else:
        sql = f"INSERT INTO {TABLE} ({', '.join(COLS)}) VALUES ({', '.join(['%s'] * len(COLS))})"
        batch: list[tuple] = []
        with connection.cursor() as cur:
            cur.execute("PRAGMA cache_size = -500000")  # 500 MB: keep the index pages in memory while loading
            cur.execute("PRAGMA synchronous = OFF")
        with transaction.atomic(), connection.cursor() as cur:
            for r in rows(n, agency_id, seed):
                batch.append(r)
                if len(batch) == 50_000:
                    cur.executemany(sql, batch)
                    batch.clear()
            if batch:
                cur.executemany(sql, batch)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return time.perf_counter() - t0


def interleaved(fns: list, repeat: int) -> list[tuple[float, float]]:
    """(fastest, median) seconds of each function, run in turns so that machine noise hits all alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - t0)
    return [(min(t), statistics.median(t)) for t in times]


BASELINE_SQL = f"""
SELECT applicant_type, outcome,
       COUNT(*) FILTER (WHERE received_on >= %(start)s) AS new,
       COUNT(*) FILTER (WHERE received_on < %(start)s) AS carried_in,
       COUNT(*) FILTER (WHERE replied_on <= %(end)s) AS closed,
       COUNT(*) FILTER (WHERE replied_on IS NULL OR replied_on > %(end)s) AS carried_out
FROM {TABLE}
WHERE agency_id = %(agency)s AND received_on <= %(end)s AND (replied_on IS NULL OR replied_on >= %(start)s)
GROUP BY applicant_type, outcome
"""
COUNTS = ("new", "carried_in", "closed", "carried_out")


def mismatches(base: list[tuple], groups: list[dict], report) -> list[str]:
    """Where the baseline's counts differ from ``t3_counts`` or from the report's table 三 cells."""
    from gongkai.office.annual.build import T3_COUNTS

    mine = {(r[0], r[1]): r[2:] for r in base}
    theirs = {(g["applicant_type"], g["outcome"]): tuple(g[k] for k in COUNTS) for g in groups}
    out = [f"t3_counts {k}：{theirs.get(k)} ≠ 基线 {v}" for k, v in mine.items() if theirs.get(k) != v]
    out += [f"t3_counts 多出分组 {k}" for k in theirs.keys() - mine.keys()]
    cells: dict[str, int] = {}
    for (col, outcome), (new, carried_in, closed, carried_out) in mine.items():
        for key, n in zip(T3_COUNTS, (new, carried_in, carried_out), strict=True):
            cells[f"t3.{key}.{col}"] = cells.get(f"t3.{key}.{col}", 0) + n
        if closed:
            cells[f"t3.{outcome}.{col}"] = cells.get(f"t3.{outcome}.{col}", 0) + closed
    out += [f"报告 {c} = {report.get(c)} ≠ 基线 {n}" for c, n in cells.items() if report.get(c) != n]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()

    configure(args.db)
    from gongkai.office import setup

    setup(migrate=True)
    from django.db import connection

    from gongkai.office.agencies.models import Agency
    from gongkai.office.annual.build import build_report, t3_counts
    from gongkai.office.proactive.models import Article20Figures, DocumentFigures

    agency = Agency.objects.create(name="基准测试机关")
    for kind in ("rules", "normative"):
        DocumentFigures.objects.create(agency=agency, year=args.year, kind=kind, made=1, repealed=0, in_force=5)
    Article20Figures.objects.create(agency=agency, year=args.year, licensing=10, penalty=2, coercion=0, fees_wan=0)
    other = Agency.objects.create(name="另一机关")  # rows the agency filter must leave out
    extra = args.rows // 10
    loaded = load(args.db, args.rows, agency.pk) + load(args.db, extra, other.pk, seed=2)
    print(f"{args.db}：载入 {args.rows + extra:,} 件申请（其中另一机关 {extra:,} 件）用时 {loaded:.1f} 秒")

    params = {"agency": agency.pk, "start": date(args.year, 1, 1), "end": date(args.year, 12, 31)}

    def baseline():
        with connection.cursor() as cur:
            cur.execute(BASELINE_SQL, params)
            return cur.fetchall()

    report = build_report(agency, args.year)  # also warms caches (calendar, formats) once
    assert not report.errors(), report.errors()
    wrong = mismatches(baseline(), t3_counts(agency, args.year), report)
    if wrong:
        more = f"\n  ……另有 {len(wrong) - 10} 处" if len(wrong) > 10 else ""
        print("计数不一致，比较无效：\n  " + "\n  ".join(wrong[:10]) + more, file=sys.stderr)
        sys.exit(1)
    (b_min, b_med), (q_min, q_med), (r_min, r_med) = interleaved(
        [baseline, lambda: t3_counts(agency, args.year), lambda: build_report(agency, args.year)], args.repeat
    )
    print(f"计数一致：本年新收 {report.get('t3.new.total'):,} 件，上年结转 {report.get('t3.carried_in.total'):,} 件，")
    print(f"          办结 {report.get('t3.total.total'):,} 件，结转下年 {report.get('t3.carried_out.total'):,} 件")
    print(f"轮流各运行 {args.repeat} 次（中位 / 最快，与基线中位之比）：")
    for name, med, low in (
        ("基线（同样筛选与计数的一条 SQL）", b_med, b_min),
        ("表三分组查询 t3_counts", q_med, q_min),
        ("生成完整报告（含检查）", r_med, r_min),
    ):
        print(f"  {med * 1000:8.1f} ms / {low * 1000:8.1f} ms  {med / b_med:4.2f}×  {name}")
    ratio = r_med / b_med
    verdict = "达到" if ratio <= 1.5 else "未达到"
    print(f"完整报告 / 基线：中位数之比 {ratio:.2f}×，最快之比 {r_min / b_min:.2f}×（目标 ≤ 1.5）：{verdict}")


if __name__ == "__main__":
    main()
