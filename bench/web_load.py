#!/usr/bin/env python3
"""Bounded load on the web workbench, on loopback only.

    python bench/web_load.py                      # SQLite in a new temp dir
    python bench/web_load.py --data-dir /tmp/wl    # SQLite there, reused when already loaded
    python bench/web_load.py --db postgres         # GONGKAI_DATABASE_URL or local postgres

Loads 100,000 applications (with their events) spread over the departments of one county,
starts the workbench the way ``gongkai serve`` does (gunicorn, one worker process per core)
on 127.0.0.1, logs in 20 clients (one staff user each, session cookies, stdlib only), then
sends a fixed number of requests per page (2,000; none started after ``--seconds``) with 20
concurrent clients and prints p50/p95/max for ``/`` (dashboard) and ``/applications/``, and
how much CPU the clients themselves used (they share the machine with the server).
When a page's p95 is over the target (150 ms), lists the queries of one request of that page
(``CaptureQueriesContext``), slowest first. Stops the server by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(SRC))

PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/gongkai_web_bench"
COUNTY = "某某县人民政府"
DEPARTMENTS = [f"某某县第{i + 1}局" for i in range(10)]
PASSWORD = "bench-password-2026"
TARGET_P95_MS = 150
PAGES = ("/", "/applications/")
APP_COLS = (
    "id",
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
EVENT_COLS = ("application_id", "kind", "actor_id", "at", "day", "data")


# ------------------------------------------------------------------ database


def configure(db: str, data_dir: str | None, fresh: bool) -> None:
    os.environ.setdefault("GONGKAI_SECRET_KEY", "bench-only-not-secret")
    os.environ["GONGKAI_DATA_DIR"] = data_dir or tempfile.mkdtemp(prefix="gongkai-webload-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.office.settings"
    if db == "sqlite":
        os.environ.pop("GONGKAI_DATABASE_URL", None)
        return
    url = os.environ.setdefault("GONGKAI_DATABASE_URL", PG_DEFAULT)
    import psycopg

    from gongkai.office.settings import database_from_url

    cfg = database_from_url(url)
    admin = {"dbname": "postgres", "user": cfg["USER"], "host": cfg["HOST"], "port": cfg["PORT"] or None}
    if cfg["PASSWORD"]:
        admin["password"] = cfg["PASSWORD"]
    with psycopg.connect(**admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (cfg["NAME"],)).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{cfg["NAME"]}"')
        if not exists or fresh:
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def make_people(n_clients: int) -> list[str]:
    """The county, its departments and one staff user per client (spread over the departments)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from gongkai.office.agencies.models import Agency, Membership, Role

    county, _ = Agency.objects.get_or_create(name=COUNTY)
    departments = [Agency.objects.get_or_create(name=n, defaults={"parent": county})[0] for n in DEPARTMENTS]
    users = get_user_model().objects
    hashed = make_password(PASSWORD)  # one hash for all: 20 PBKDF2 runs would take seconds
    names = []
    for i in range(n_clients):
        name = f"bench{i + 1:02d}"
        user, _ = users.get_or_create(username=name, defaults={"password": hashed, "first_name": f"测试{i + 1}"})
        Membership.objects.get_or_create(user=user, agency=departments[i % len(departments)], role=Role.STAFF)
        names.append(name)
    return names


def generate(n: int, agency_ids: list[int], actor_id: int, seed: int = 1):
    """(application row, its event rows): 2023-07 … today. About 175 open per department: most
    received in the last 20 days, some overdue (0.5 % of the older ones were never replied to)."""
    from gongkai.formats import GB2021
    from gongkai.office.applications.vocabulary import applicant_columns, outcome_rows

    rng = random.Random(seed)
    types = [c.key for c in applicant_columns()]
    outcomes = [r.key for r in outcome_rows(GB2021)]
    today = date.today()
    start = date(2023, 7, 1).toordinal()
    span = today.toordinal() - start
    now = datetime.now(UTC)
    for i in range(n):
        pk = i + 1
        received = date.fromordinal(start + rng.randrange(span))
        age = (today - received).days
        replied = None
        if rng.random() < (0.995 if age > 60 else 0.9 if age > 20 else 0.4):
            replied = min(received + timedelta(days=rng.randrange(1, 30)), today)
        due = received + timedelta(days=28)  # about 20 working days
        app = (
            pk,
            agency_ids[i % len(agency_ids)],
            f"W{pk:07d}",
            f"申请人{rng.randrange(10_000)}",
            rng.choice(types),
            "other",
            "关于某项政府信息的公开申请",
            received,
            rng.choice(outcomes) if replied else "",
            replied,
            "replied" if replied else "running",
            None if replied else due,
            False,
            now,
        )
        events = [
            (pk, "registered", actor_id, now, received, json.dumps({"number": app[2]})),
            (pk, "received", actor_id, now, received, "{}"),
        ]
        if replied:
            events.append((pk, "replied", actor_id, now, replied, json.dumps({"outcome": app[8]})))
        yield app, events


def load(db: str, n: int) -> float:
    from django.db import connection, transaction

    from gongkai.office.agencies.models import Agency, Membership

    agency_ids = list(Agency.objects.filter(name__in=DEPARTMENTS).order_by("id").values_list("id", flat=True))
    actor_id = Membership.objects.order_by("id").values_list("user_id", flat=True).first()
    app_sql = f"applications_application ({', '.join(APP_COLS)})"
    event_sql = f"applications_applicationevent ({', '.join(EVENT_COLS)})"
    t0 = time.perf_counter()
    if db == "postgres":
        with connection.cursor() as cur:
            raw = cur.cursor
            pending: list[tuple] = []
            with raw.copy(f"COPY {app_sql} FROM STDIN") as copy:
                for app, events in generate(n, agency_ids, actor_id):
                    copy.write_row(app)
                    pending += events
            with raw.copy(f"COPY {event_sql} FROM STDIN") as copy:
                for e in pending:
                    copy.write_row(e)
            for table in ("applications_application", "applications_applicationevent"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
                cur.execute(f"ANALYZE {table}")
    else:
        app_ins = f"INSERT INTO {app_sql} VALUES ({', '.join(['%s'] * len(APP_COLS))})"
        event_ins = f"INSERT INTO {event_sql} VALUES ({', '.join(['%s'] * len(EVENT_COLS))})"
        with connection.cursor() as cur:
            cur.execute("PRAGMA synchronous = OFF")
        apps, events = [], []
        with transaction.atomic(), connection.cursor() as cur:
            for app, evs in generate(n, agency_ids, actor_id):
                apps.append(app)
                events += evs
                if len(apps) == 20_000:
                    cur.executemany(app_ins, apps)
                    cur.executemany(event_ins, events)
                    apps, events = [], []
            if apps:
                cur.executemany(app_ins, apps)
                cur.executemany(event_ins, events)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return time.perf_counter() - t0


# ------------------------------------------------------------------ server and clients


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int | None, log: Path) -> subprocess.Popen:
    """``gongkai serve`` on 127.0.0.1:``port`` (same database, same data directory)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    cmd = [sys.executable, "-m", "gongkai", "serve", "--port", str(port)]
    if workers:
        cmd += ["--workers", str(workers)]
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, env=env, stdout=fh, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"服务器未能启动，见日志 {log}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2).close()
            return proc
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    stop_server(proc)
    raise SystemExit(f"服务器 60 秒内未就绪，见日志 {log}")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Client:
    """One logged-in user: its cookies, and a fresh loopback connection per request (as a
    browser without keep-alive; the stdlib's urllib costs several times more CPU per request,
    which on a shared two-core machine would be measured as server latency)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            head = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
            conn.request(method, path, body=body, headers=head)
            response = conn.getresponse()
            data = response.read()
            for value in response.headers.get_all("Set-Cookie") or ():
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, data
        finally:
            conn.close()

    def get(self, path: str) -> tuple[int, bytes]:
        return self.request("GET", path)

    def login(self, username: str) -> None:
        status, body = self.get("/accounts/login/")
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not m:
            raise SystemExit(f"登录页异常（HTTP {status}）")
        form = {"csrfmiddlewaretoken": m.group(1).decode(), "username": username, "password": PASSWORD}
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{self.port}/accounts/login/",
        }
        status, _ = self.request("POST", "/accounts/login/", urllib.parse.urlencode(form).encode(), headers)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"用户 {username} 登录失败（HTTP {status}）")


def hammer(clients: list[Client], path: str, total: int, seconds: float) -> tuple[list[float], int]:
    """``total`` GETs of ``path`` shared out over the clients, all at once, none started after
    ``seconds``; latencies in ms and errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    per_client = [total // len(clients) + (i < total % len(clients)) for i in range(len(clients))]
    barrier = threading.Barrier(len(clients))

    def run(client: Client, count: int) -> None:
        mine, bad = [], 0
        barrier.wait()
        stop = time.monotonic() + seconds
        for _ in range(count):
            if time.monotonic() > stop:
                break
            t0 = time.perf_counter()
            try:
                status, _ = client.get(path)
            except OSError:
                status = 0
            mine.append((time.perf_counter() - t0) * 1000)
            bad += status != 200
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=run, args=(c, n), daemon=True) for c, n in zip(clients, per_client, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def shape(sql: str) -> str:
    """A query without its column list and literals, so that repeated (N+1) queries group together."""
    sql = re.sub(r"^SELECT (DISTINCT )?.*? FROM", r"SELECT \1… FROM", " ".join(sql.split()))
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def show_queries(path: str, username: str) -> None:
    """The queries of one request of ``path`` (in this process, same database), grouped by shape,
    the costliest first; and how much of the request was not SQL. Timed with an execute wrapper
    (``CaptureQueriesContext`` keeps the SQL but rounds each time to the millisecond)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    client = DjangoClient(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    client.get(path)  # warm caches the way the server has them
    times: list[float] = []

    def timed(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            times.append((time.perf_counter() - t0) * 1000)

    with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timed):
        t0 = time.perf_counter()
        status = client.get(path).status_code
        took = (time.perf_counter() - t0) * 1000
    groups: dict[str, list[float]] = {}
    for q, ms in zip(ctx.captured_queries, times, strict=True):
        groups.setdefault(shape(q["sql"]), []).append(ms)
    spent = sum(sum(t) for t in groups.values())
    print(
        f"\n{path}（HTTP {status}）：单个请求 {took:.0f} ms，{len(ctx.captured_queries)} 条查询共 {spent:.0f} ms，"
        f"其余 {took - spent:.0f} ms 在 Python（视图、模板）。查询按耗时："
    )
    for sql, times in sorted(groups.items(), key=lambda kv: -sum(kv[1]))[:6]:
        print(f"  {sum(times):7.1f} ms  {len(times):4d} 次  {sql[:260]}")


# ------------------------------------------------------------------ main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--data-dir", help="SQLite 数据目录；已载入同样行数时直接复用")
    ap.add_argument("--fresh", action="store_true", help="PostgreSQL：删除并重建基准数据库")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--workers", type=int, help="服务器工作进程数（默认同 gongkai serve：每核一个，至少两个）")
    ap.add_argument("--requests", type=int, default=2_000, help="每个页面的请求数")
    ap.add_argument("--seconds", type=float, default=180, help="每个页面最多压测的秒数（到时不再发新请求）")
    args = ap.parse_args()

    configure(args.db, args.data_dir, args.fresh)
    from gongkai.office import setup

    setup(migrate=True)
    from gongkai.office.applications.models import Application

    users = make_people(args.clients)
    have = Application.objects.count()
    if have == 0:
        took = load(args.db, args.rows)
        print(f"{args.db}：载入 {args.rows:,} 件申请及其事件用时 {took:.1f} 秒")
    elif have == args.rows:
        print(f"{args.db}：复用已有的 {have:,} 件申请")
    else:
        print(f"数据库里已有 {have:,} 件申请，与 --rows {args.rows:,} 不符；请换一个目录或用 --fresh", file=sys.stderr)
        return 2

    from django.db import connections

    connections.close_all()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(os.environ["GONGKAI_DATA_DIR"]) / "serve.log"
    server = start_server(port, args.workers, log)
    results: dict[str, tuple[list[float], int]] = {}
    try:
        clients = [Client(port) for _ in users]
        for c, name in zip(clients, users, strict=True):
            c.login(name)
        lines = log.read_text(encoding="utf-8", errors="replace").split("\n")
        serving = next((line for line in lines if line.startswith("gunicorn")), "gongkai serve")
        print(f"服务器 {base}（{serving}），{len(clients)} 个已登录客户端，每页 {args.requests:,} 次请求")
        for path in PAGES:
            hammer(clients, path, len(clients), args.seconds)  # warm-up: one request per client
            t0, cpu0 = time.perf_counter(), time.process_time()
            results[path] = hammer(clients, path, args.requests, args.seconds)
            wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
            lat, errors = results[path]
            cut = f"（限时 {args.seconds:.0f} 秒，只完成 {len(lat):,} 次）" if len(lat) < args.requests else ""
            print(
                f"{path:<15} p50 {pct(lat, 50):7.1f} ms  p95 {pct(lat, 95):7.1f} ms  max {max(lat):7.1f} ms"
                f"  均值 {statistics.fmean(lat):6.1f} ms  {len(lat) / wall:6.1f} 次/秒  错误 {errors}{cut}"
                f"  客户端占用 {cpu / wall:.2f} 核",
                flush=True,
            )
    finally:
        stop_server(server)
    slow = [p for p, (lat, _) in results.items() if pct(lat, 95) > TARGET_P95_MS]
    failed = [p for p, (_, errors) in results.items() if errors]
    print(f"目标 p95 ≤ {TARGET_P95_MS} ms：{'达到' if not slow else '未达到（' + '、'.join(slow) + '）'}")
    for path in slow:
        show_queries(path, users[0])
    if failed:
        print(f"有请求失败的页面：{'、'.join(failed)}（见 {log}）", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
