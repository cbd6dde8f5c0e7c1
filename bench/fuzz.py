#!/usr/bin/env python3
"""Mutation fuzzing of every reader, ``check`` and the CLI: counts of clean runs, crashes, hangs, memory blow-ups.

    python bench/fuzz.py [--cases 2000] [--seed 0] [--jobs 2] [--carriers text,html,…] [--keep DIR]

Each case (``bench/mutate.py``: a corpus file of one carrier, damaged one way) is run in a
forked child of a process that has imported the readers once: read it (``parse_path``, or
``load_report`` + ``check`` for a report JSON, ``load_year_file`` for a calendar TOML), then
write its report as strict JSON and render it to every output but PDF. A case is *clean* when it ends in
a report or in a ``GongkaiError`` with a Chinese message; a *crash* is any other exception
(what the CLI would end with exit 70), a *hang* a case over ``--timeout`` seconds of CPU
(default 20; or 4× that of wall clock, as the machine may be shared), a *memory blow-up* a
child over ``--max-memory`` MB (default 2048) resident, or killed at its address-space limit.
Crashes are grouped into classes by exception type and the innermost frames (ours and the
library's). Every ``--cli-every``-th case also goes through ``gongkai check --json`` in a
subprocess (exit 0/1/2, no traceback, strict JSON), and at the end one ``gongkai review``
runs over a folder of mutated files (exit 0, every file a row).

``evaluate`` is also used by ``tests/test_fuzz.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import selectors
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import mutate  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
RENDERED = ("md", "html", "docx", "xlsx", "json")  # every output but PDF (WeasyPrint takes a second or two)
WALL = 4  # a case is killed after WALL × --timeout seconds of wall clock (a loaded machine is slow)


@dataclass
class Outcome:
    kind: str  # report | refused | crash | hang | memory
    detail: str = ""  # the Chinese reason, or the crash class
    where: str = ""  # crash: the innermost frames
    seconds: float = 0.0
    rss_mb: float = 0.0


def _no_constant(name: str):
    raise ValueError(f"not strict JSON: {name}")


def strict(text: str) -> None:
    """Raise unless ``text`` is strict JSON (no NaN, Infinity)."""
    json.loads(text, parse_constant=_no_constant)


def crash_class(e: BaseException) -> tuple[str, str]:
    """(exception type, innermost gongkai frame → innermost frame): the class of a crash."""
    frames = traceback.extract_tb(e.__traceback__)
    ours = [f for f in frames if "/gongkai/" in f.filename]
    last = frames[-1] if frames else None

    def at(f) -> str:
        return f"{Path(f.filename).name}:{f.lineno} {f.name}" if f else "?"

    return type(e).__name__, f"{at(ours[-1] if ours else None)} → {at(last)}"


def evaluate(carrier: str, path: Path) -> Outcome:
    """Read one file as the CLI would and check that it ends cleanly."""
    from gongkai.errors import GongkaiError

    try:
        if carrier == "toml":
            from gongkai.workdays import load_year_file

            load_year_file(path)
            return Outcome("report")
        if carrier == "json":
            from gongkai.checks import check
            from gongkai.cli import load_report

            report = check(load_report(path))
        else:
            from gongkai.parse import parse_path

            report = parse_path(path)
        from gongkai.values import is_bounded

        wild = [cid for cid, v in report.cells.items() if v is not None and not is_bounded(v)]
        if wild:
            return Outcome("crash", "unbounded cell value", ", ".join(wild[:3]))
        strict(report.to_json())
        from gongkai.render import render

        for kind in RENDERED:
            render(report, kind)
        return Outcome("report")
    except GongkaiError as e:
        text = str(e)
        if not CJK.search(text) or "Traceback" in text:
            return Outcome("crash", "GongkaiError without a Chinese message", text[:200])
        return Outcome("refused", text[:300])
    except MemoryError:
        return Outcome("memory", "MemoryError")
    except RecursionError as e:
        kind, where = crash_class(e)
        return Outcome("crash", kind, where)
    except Exception as e:
        kind, where = crash_class(e)
        return Outcome("crash", kind, where)


# ------------------------------------------------------------------ the forked runner


def _child(carrier: str, path: Path, fd: int, max_as: int, cpu: float) -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (max_as, max_as))
        resource.setrlimit(resource.RLIMIT_CPU, (int(cpu), int(cpu) + 5))  # SIGXCPU: a hang, whatever the load
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        out = evaluate(carrier, path)
        data = json.dumps(out.__dict__).encode()
    except BaseException as e:
        data = json.dumps({"kind": "crash", "detail": type(e).__name__, "where": "runner"}).encode()
    os.write(fd, data)
    os.close(fd)
    os._exit(0)


def run_cases(cases: list[tuple[mutate.Case, Path]], jobs: int, timeout: float, max_mb: int) -> list[Outcome]:
    """Each case in a forked child, ``jobs`` at a time, with a time and a memory limit."""
    results: list[Outcome | None] = [None] * len(cases)
    sel = selectors.DefaultSelector()
    running: dict[int, tuple[int, int, float, bytearray]] = {}  # pid → (index, fd, start, buffer)
    todo = list(range(len(cases)))
    max_as = max(4 * max_mb, 6144) * 1024 * 1024
    while todo or running:
        while todo and len(running) < jobs:
            i = todo.pop(0)
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(r)
                _child(cases[i][0].carrier, cases[i][1], w, max_as, timeout)
            os.close(w)
            os.set_blocking(r, False)
            running[pid] = (i, r, time.monotonic(), bytearray())
            sel.register(r, selectors.EVENT_READ, pid)
        for key, _ in sel.select(timeout=0.2):
            pid = key.data
            chunk = os.read(key.fd, 1 << 16)
            if chunk:
                running[pid][3].extend(chunk)
                continue
            sel.unregister(key.fd)
        for pid, (i, fd, start, buf) in list(running.items()):
            done, status, usage = _reap(pid)
            late = time.monotonic() - start > WALL * timeout  # the CPU limit ends most hangs first
            if not done and not late:
                continue
            if not done:
                os.kill(pid, signal.SIGKILL)
                _, status, usage = os.wait4(pid, 0)
            try:
                while chunk := os.read(fd, 1 << 16):
                    buf.extend(chunk)
            except (BlockingIOError, OSError):
                pass
            if fd in sel.get_map():
                sel.unregister(fd)
            os.close(fd)
            del running[pid]
            rss_mb = usage.ru_maxrss / 1024
            took = time.monotonic() - start
            cpu = usage.ru_utime + usage.ru_stime
            if not done:
                results[i] = Outcome("hang", f"> {WALL * timeout:.0f} s wall clock")
            elif os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
                results[i] = Outcome("hang", f"> {timeout:.0f} s CPU", seconds=took)
            elif rss_mb > max_mb:
                results[i] = Outcome("memory", f"{rss_mb:.0f} MB resident")
            elif buf:
                results[i] = Outcome(**json.loads(buf) | {"seconds": cpu, "rss_mb": rss_mb})
            else:
                sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
                results[i] = Outcome("crash", f"child died (signal {sig}, status {status})", "native")
    return [r or Outcome("crash", "no result") for r in results]


def _reap(pid: int):
    got, status, usage = os.wait4(pid, os.WNOHANG)
    return got != 0, status, usage


# ------------------------------------------------------------------ the CLI


def cli_case(carrier: str, path: Path, timeout: float) -> Outcome:
    """``gongkai check --json`` (``calendar import`` for TOML) in a subprocess: exit 0/1/2,
    no traceback, every stdout line strict JSON."""
    env = os.environ | {"GONGKAI_DATA_DIR": str(path.parent / "data")}
    args = ["calendar", "import", str(path)] if carrier == "toml" else ["check", "--json", str(path)]
    try:
        p = subprocess.run(
            [sys.executable, "-m", "gongkai", *args], capture_output=True, text=True, timeout=timeout, env=env
        )
    except subprocess.TimeoutExpired:
        return Outcome("hang", f"CLI > {timeout:.0f} s")
    if p.returncode not in (0, 1, 2) or "Traceback" in p.stderr:
        return Outcome("crash", f"CLI exit {p.returncode}", p.stderr.strip().splitlines()[-1][:200] if p.stderr else "")
    try:
        for line in p.stdout.splitlines():
            if line.strip() and carrier != "toml":
                strict(line)
    except ValueError as e:
        return Outcome("crash", "CLI printed invalid JSON", str(e)[:200])
    return Outcome("report" if p.returncode in (0, 1) else "refused")


def review_run(files: list[Path], workdir: Path, timeout: float) -> str:
    """One ``gongkai review`` over ``files``: its exit code and whether every file is a row."""
    folder = workdir / "review"
    folder.mkdir()
    for n, f in enumerate(files):
        (folder / f"{n:04d}-{f.name}").write_bytes(f.read_bytes())
    out = workdir / "review.jsonl"
    t = time.monotonic()
    p = subprocess.run(
        [sys.executable, "-m", "gongkai", "review", str(folder), "--out", str(out), "-j", "2"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    rows = (
        [json.loads(line, parse_constant=_no_constant) for line in out.read_text().splitlines()] if out.exists() else []
    )
    statuses = Counter(r["status"] for r in rows)
    return (
        f"review of {len(files)} mutated files: exit {p.returncode}, {len(rows)} rows "
        f"({dict(statuses)}), {time.monotonic() - t:.0f} s"
        + (f"; stderr: {p.stderr.strip()[-300:]}" if p.returncode else "")
    )


# ------------------------------------------------------------------ main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--max-memory", type=int, default=2048, help="MB resident per case")
    ap.add_argument("--carriers", default=",".join((*mutate.FAST, "doc")), help="comma-separated")
    ap.add_argument("--image", type=int, default=40, help="further cases of page images, read by OCR (slow)")
    ap.add_argument("--cli-every", type=int, default=20)
    ap.add_argument("--review", type=int, default=200, help="files in the final review run (0: none)")
    ap.add_argument("--keep", type=Path, help="keep the mutated files here")
    args = ap.parse_args()

    import gongkai.cli
    import gongkai.ingest.docx
    import gongkai.ingest.html
    import gongkai.ingest.pdf
    import gongkai.parse
    import gongkai.render.md  # noqa: F401
    from gongkai.ingest import scan

    scan.THREADS = 1  # OCR of a damaged PDF's pages: one thread per case, as the jobs run side by side

    carriers = tuple(args.carriers.split(","))
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="gongkai-fuzz-"))
    workdir.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    cases = []
    images = list(mutate.cases(args.image, args.seed, ("image",))) if args.image else []
    for n, case in enumerate([*mutate.cases(args.cases, args.seed, carriers), *images]):
        path = workdir / f"{n:05d}-{case.name}"
        path.write_bytes(case.data)
        cases.append((case, path))
    print(f"{len(cases)} cases written to {workdir} in {time.monotonic() - t0:.0f} s", flush=True)
    outcomes = run_cases(cases, args.jobs, args.timeout, args.max_memory)
    print(f"in-process runs done in {time.monotonic() - t0:.0f} s", flush=True)
    cli = [
        (c, p, cli_case(c.carrier, p, 3 * args.timeout)) for n, (c, p) in enumerate(cases) if n % args.cli_every == 0
    ]
    print(f"CLI runs done in {time.monotonic() - t0:.0f} s", flush=True)
    _print(cases, outcomes, cli)
    if args.review:
        docs = [p for c, p in cases if c.carrier not in ("json", "toml")][: args.review]
        print(review_run(docs, workdir, 30 * args.timeout))
    print(f"total {time.monotonic() - t0:.0f} s")


def _print(cases, outcomes: list[Outcome], cli) -> None:
    by: dict[str, Counter] = defaultdict(Counter)
    classes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (case, path), out in zip(cases, outcomes, strict=True):
        kind = "clean" if out.kind in ("report", "refused") else out.kind
        by[case.carrier][kind] += 1
        by[case.carrier]["cases"] += 1
        if kind != "clean":
            classes[(out.kind, f"{out.detail} @ {out.where}")].append(f"{case.carrier}/{case.mutation}: {path.name}")
    cols = ("cases", "clean", "crash", "hang", "memory")
    print("\n| carrier | " + " | ".join(cols) + " |\n| --- |" + " --- |" * len(cols))
    total: Counter = Counter()
    for carrier in sorted(by):
        total.update(by[carrier])
        print(f"| {carrier} | " + " | ".join(str(by[carrier][c]) for c in cols) + " |")
    print("| **all** | " + " | ".join(str(total[c]) for c in cols) + " |")
    bad_cli = [(c, p, o) for c, p, o in cli if o.kind not in ("report", "refused")]
    print(f"\nCLI runs: {len(cli)}, not clean: {len(bad_cli)}")
    for c, p, o in bad_cli:
        print(f"  CLI {o.kind}: {o.detail} {o.where} — {c.carrier}/{c.mutation}: {p.name}")
    slow = sorted(zip(outcomes, cases, strict=True), key=lambda x: -x[0].seconds)[:5]
    print("\nslowest: " + "; ".join(f"{c.carrier}/{c.mutation} {o.seconds:.1f} s" for o, (c, _) in slow))
    big = max(outcomes, key=lambda o: o.rss_mb)
    print(f"largest resident memory: {big.rss_mb:.0f} MB")
    print(f"\nfailure classes: {len(classes)}")
    for (kind, what), files in sorted(classes.items(), key=lambda x: -len(x[1])):
        print(f"  [{kind}] ×{len(files)} {what}\n      e.g. {files[0]}")


if __name__ == "__main__":
    main()
