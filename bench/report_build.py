#!/usr/bin/env python3
"""Time building a year's report from N applications against a bare GROUP BY on the same table.

    python bench/report_build.py --db sqlite --rows 1000000
    python bench/report_build.py --db postgres --rows 1000000   # GONGKAI_DATABASE_URL or local postgres

Rows are bulk-loaded (executemany in batches on SQLite, COPY on PostgreSQL) into a fresh
database, spread over 2023-07 … 2026-06 so that the report year has carried-in, new, closed
and carried-out applications. The report build is ``gongkai.office.annual.build.build_report``
(table 三 in one grouped query, tables 二 and 四, the draft text, every check); the baseline is
``SELECT outcome, applicant_type, COUNT(*) FROM … GROUP BY outcome, applicant_type``.
Target: build ≤ 1.5 × baseline.
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


def load(db: str, n: int, agency_id: int) -> float:
    from django.db import connection, transaction

    t0 = time.perf_counter()
    if db == "postgres":
        with connection.cursor() as cur:
            raw = cur.cursor
            with raw.copy(f"COPY {TABLE} ({', '.join(COLS)}) FROM STDIN") as copy:
                for r in rows(n, agency_id):
                    copy.write_row(r)
            cur.execute(f"ANALYZE {TABLE}")
    else:
        sql = f"INSERT INTO {TABLE} ({', '.join(COLS)}) VALUES ({', '.join(['%s'] * len(COLS))})"
        batch: list[tuple] = []
        with connection.cursor() as cur:
            cur.execute("PRAGMA cache_size = -500000")  # 500 MB: keep the index pages in memory while loading
            cur.execute("PRAGMA synchronous = OFF")
        with transaction.atomic(), connection.cursor() as cur:
            for r in rows(n, agency_id):
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
    loaded = load(args.db, args.rows, agency.pk)
    print(f"{args.db}: 载入 {args.rows:,} 件申请用时 {loaded:.1f} 秒")

    def bare():
        with connection.cursor() as cur:
            cur.execute(f"SELECT outcome, applicant_type, COUNT(*) FROM {TABLE} GROUP BY outcome, applicant_type")
            return cur.fetchall()

    report = build_report(agency, args.year)  # warm caches (calendar, formats) once
    assert not report.errors(), report.errors()
    (b_min, b_med), (q_min, q_med), (r_min, r_med) = interleaved(
        [bare, lambda: t3_counts(agency, args.year), lambda: build_report(agency, args.year)], args.repeat
    )
    print(f"裸 GROUP BY：        最快 {b_min * 1000:8.1f} ms，中位 {b_med * 1000:8.1f} ms")
    print(f"表三分组查询：       最快 {q_min * 1000:8.1f} ms，中位 {q_med * 1000:8.1f} ms（{q_min / b_min:.2f}×）")
    print(f"生成完整报告（含检查）：最快 {r_min * 1000:8.1f} ms，中位 {r_med * 1000:8.1f} ms（{r_min / b_min:.2f}×）")
    print(f"本年新收 {report.get('t3.new.total'):,} 件，办结 {report.get('t3.total.total'):,} 件")
    ratio = r_min / b_min
    print(f"比值 {ratio:.2f}（目标 ≤ 1.5）：{'达到' if ratio <= 1.5 else '未达到'}")


if __name__ == "__main__":
    main()
