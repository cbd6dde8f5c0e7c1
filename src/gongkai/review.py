"""Review a folder of published reports: parse them all, check them, write one table.

``review(root, out)`` walks ``root``, parses every report-like file in worker processes
(one bad file never stops the batch: it becomes a row with status ``error`` and a Chinese
reason), runs the cross-year checks over the batch and writes the result atomically as
``.xlsx`` (报告, 问题, 汇总, 单元格说明), ``.csv`` / ``.parquet`` (the 报告 table) or
``.jsonl`` (one ``parse --cells`` object per file). Rows are ordered by relative path.

Page images: image files of one folder whose names differ only by a trailing page number
(``PAGE_MARK_RE``: 报告-1.jpg, 报告_2.jpg, 报告 3.png, 报告（第4页）.jpg) are the pages of one
report, read as one document in numeric page order (``page_groups``). Its row is named
after the first page; the other pages are listed in the column 其余各页 (and, with their
sizes and mtimes, in the hidden column ``pages``).

With ``resume=True`` the existing output is read back and files whose relative path, size
and mtime match a row in it are not parsed again (for a group of page images: every page's
size and mtime) — unless they could not be read then (a missing OCR engine or LibreOffice,
a crashed worker): those are tried again.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .crossyear import cross_year
from .errors import GongkaiError
from .formats import FORMATS
from .parse import parse_page_images, parse_path
from .report import Issue, Report

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"})
SUFFIXES = frozenset({".txt", ".md", ".htm", ".html", ".docx", ".doc", ".wps", ".pdf", ""} | IMAGE_SUFFIXES)

# The page number ending an image file's name (before the suffix): 1 to 3 digits after a
# hyphen, an underscore or a space (报告-1, 报告_02, 报告 3), or 第N页, in brackets or not
# (报告（第4页）, 报告(第4页), 报告第4页, 报告-第4页). Half- and full-width forms alike.
PAGE_MARK_RE = re.compile(
    r"(?:\s*[-_－＿]\s*|\s+)(?P<n>\d{1,3})$"
    r"|\s*[-_－＿]?\s*[（(]?\s*第\s*(?P<nth>\d{1,3})\s*页\s*[）)]?$"
)
STEM_TRIM = " \t\u3000-_－＿"
OUTPUTS = (".xlsx", ".csv", ".jsonl", ".parquet")

CARRIERS = {
    ".txt": "text",
    "": "text",
    ".md": "markdown",
    ".htm": "html",
    ".html": "html",
    ".docx": "docx",
    ".doc": "doc",
    ".wps": "wps",
    ".pdf": "pdf",
}
CARRIER_WORDS = {
    "text": "文本",
    "markdown": "Markdown",
    "html": "网页",
    "docx": "Word",
    "doc": "旧版Word",
    "wps": "WPS",
    "pdf": "PDF",
    "image": "图片",
}
STATUS_WORDS = {"ok": "正常", "warnings": "有警告", "errors": "有错误", "error": "无法读取"}
SEVERITY_WORDS = {"error": "错误", "warning": "警告", "info": "提示"}
FORMAT_WORDS = {"gb2021": "2021年版", "gb2019": "2019年版", "legacy": "2008—2018年版"}

# every cell id of every format, in official order (gb2021, gb2019, legacy)
CELL_IDS: tuple[str, ...] = tuple(dict.fromkeys(c for f in FORMATS.values() for c in f.cell_ids(optional=True)))

HEAD = ("文件", "单位", "年度", "格式", "载体", "状态", "错误数", "警告数", "跨年问题数", "原因", "其余各页")
MACHINE = ("status", "format", "carrier", "size", "mtime_ns", "pages")
HIDDEN = ("format", "carrier", "size", "mtime_ns", "pages")
COLUMNS = HEAD + CELL_IDS + MACHINE
REPORT_KEYS = ("format", "year", "agency", "title", "cells", "sections", "preamble", "issues")
ISSUE_COLUMNS = ("文件", "单位", "年度", "代码", "级别", "位置", "原文位置", "说明", "severity", "cells")

Parse = Callable[[str], Report]
ParsePages = Callable[[Sequence[str]], Report]
Stamp = tuple[str, int, int]  # relative path, size, mtime_ns


@dataclass
class Entry:
    """One report of the batch: where it is, what became of it, and its report as a dict.
    A report given as page images is named after its first page; ``pages`` are the others."""

    file: str  # relative path, with /
    size: int
    mtime_ns: int
    carrier: str
    status: str  # ok | warnings | errors | error
    error: str = ""  # Chinese reason when status is error
    report: dict | None = None  # Report.to_dict(); None when unreadable
    n_errors: int = 0
    n_warnings: int = 0
    pages: list[Stamp] = field(default_factory=list)  # the pages after the first, in order

    @property
    def key(self) -> tuple[str, int, int, tuple[Stamp, ...]]:
        return self.file, self.size, self.mtime_ns, tuple(self.pages)


class Task(NamedTuple):
    """A report to parse: its (first) file, the relative path, and any further pages."""

    path: str
    rel: str
    pages: tuple[tuple[str, str], ...] = ()  # (path, relative path) of the pages after the first


@dataclass
class Result:
    entries: list[Entry]
    cross: list[tuple[Entry, Issue]] = field(default_factory=list)
    parsed: list[str] = field(default_factory=list)  # files parsed in this run (not resumed)
    retried: list[str] = field(default_factory=list)  # of those, unchanged but unreadable last time
    seconds: float = 0.0

    def counts(self) -> Counter:
        return Counter(e.status for e in self.entries)

    def summary(self) -> str:
        c = self.counts()
        return (
            f"{len(self.entries)} 份，正常 {c['ok']}，有问题 {c['errors'] + c['warnings']}，"
            f"无法读取 {c['error']}，用时 {self.seconds:.1f} 秒"
        )


# ------------------------------------------------------------------ finding and parsing


def carrier_of(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    return CARRIERS.get(suffix, "image" if suffix in SUFFIXES else suffix.lstrip("."))


def find_reports(root: Path) -> list[Path]:
    """Report-like files under ``root``, hidden files and folders skipped, sorted by path."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            p = Path(dirpath, name)
            if not name.startswith(".") and p.suffix.lower() in SUFFIXES:
                found.append(p)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def page_groups(files: Iterable[Path]) -> list[list[Path]]:
    """The reports among ``files``: each file alone, except image files (``IMAGE_SUFFIXES``)
    in one folder whose names, without the suffix, are one stem followed by a page number
    (``PAGE_MARK_RE``): those are one report, its pages in numeric order (2 before 10).
    A group needs at least two files and a non-empty stem (trailing hyphens, underscores and
    spaces left out; the suffixes may differ); a page number found twice (报告-1.jpg and
    报告_1.png) makes no group: those files are read one by one. Ordered as ``files``, each
    group where its first page is."""
    files = list(files)
    pages: dict[tuple[Path, str], list[tuple[int, Path]]] = {}
    for p in files:
        if p.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        m = PAGE_MARK_RE.search(p.stem)
        stem = p.stem[: m.start()].rstrip(STEM_TRIM) if m else ""
        if stem:
            pages.setdefault((p.parent, stem), []).append((int(m["n"] or m["nth"]), p))
    first: dict[Path, list[Path]] = {}
    grouped: set[Path] = set()
    for members in pages.values():
        numbers = [n for n, _ in members]
        if len(members) >= 2 and len(set(numbers)) == len(numbers):
            group = [p for _, p in sorted(members, key=lambda m: m[0])]
            first[group[0]] = group
            grouped.update(group)
    return [first.get(p, [p]) for p in files if p in first or p not in grouped]


def _stamp(path: str | Path) -> tuple[int, int]:
    """Size and mtime (ns) of a file; zeros when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return 0, 0
    return st.st_size, st.st_mtime_ns


def status_of(issues: Iterable[dict]) -> tuple[str, int, int]:
    sev = Counter(i["severity"] for i in issues)
    status = "errors" if sev["error"] else "warnings" if sev["warning"] else "ok"
    return status, sev["error"], sev["warning"]


def _base(path: str, rel: str, pages: Sequence[tuple[str, str]]) -> dict:
    size, mtime = _stamp(path)
    stamps = [(r, *_stamp(p)) for p, r in pages]
    return dict(file=rel, size=size, mtime_ns=mtime, carrier=carrier_of(path), pages=stamps)


def parse_one(
    path: str,
    rel: str,
    parse: Parse = parse_path,
    pages: Sequence[tuple[str, str]] = (),
    parse_pages: ParsePages = parse_page_images,
) -> Entry:
    """Parse one report: a file, or with ``pages`` (path, relative path) the page images
    after the first; never raises for a problem with the files themselves."""
    base = _base(path, rel, pages)
    try:
        report = parse_pages([path, *(p for p, _ in pages)]) if pages else parse(path)
    except GongkaiError as e:
        reason = "：".join(p for p in (e.where, e.message) if p)
        return Entry(**base, status="error", error=reason)
    except Exception as e:
        return Entry(**base, status="error", error=f"内部错误：{type(e).__name__}: {e}")
    d = report.to_dict()
    status, n_err, n_warn = status_of(d["issues"])
    return Entry(**base, status=status, report=d, n_errors=n_err, n_warnings=n_warn)


def _crashed(task: Task) -> Entry:
    return Entry(
        **_base(*task),
        status="error",
        error="内部错误：读取该文件时工作进程意外退出（BrokenProcessPool），文件可能已损坏",
    )


def _failed(task: Task, e: Exception) -> Entry:
    return Entry(task.rel, 0, 0, carrier_of(task.path), "error", f"内部错误：{type(e).__name__}: {e}")


def _submit(pool: ProcessPoolExecutor, task: Task, parse: Parse, parse_pages: ParsePages):
    return pool.submit(parse_one, task.path, task.rel, parse, task.pages, parse_pages)


def _isolated(task: Task, parse: Parse, parse_pages: ParsePages) -> Entry:
    """Parse one report alone in a fresh worker, to tell a crashing file from its neighbours."""
    with ProcessPoolExecutor(1) as pool:
        try:
            return _submit(pool, task, parse, parse_pages).result()
        except BrokenProcessPool:
            return _crashed(task)
        except Exception as e:
            return _failed(task, e)


def run_pool(
    tasks: list[Task],
    jobs: int,
    parse: Parse,
    done: Callable[[Entry], None],
    parse_pages: ParsePages = parse_page_images,
) -> None:
    """Parse ``tasks`` in ``jobs`` worker processes, calling ``done`` for each entry.
    A worker crash breaks the pool: finished entries are kept, the reports that were in
    flight are retried one by one in fresh workers (the culprit becomes an error row), and
    a new pool takes the rest."""
    pending = deque(tasks)
    while pending:
        suspects: list[Task] = []
        with ProcessPoolExecutor(jobs) as pool:
            running: dict = {}
            while (pending or running) and not suspects:
                while pending and len(running) < 2 * jobs:
                    task = pending.popleft()
                    running[_submit(pool, task, parse, parse_pages)] = task
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in finished:
                    task = running.pop(fut)
                    try:
                        done(fut.result())
                    except BrokenProcessPool:
                        suspects.append(task)
                    except Exception as e:
                        done(_failed(task, e))
            if suspects:
                wait(running)
                for fut, task in running.items():
                    if fut.exception() is None:
                        done(fut.result())
                    else:
                        suspects.append(task)
        for task in sorted(suspects, key=lambda t: t.rel):
            done(_isolated(task, parse, parse_pages))


def review(
    root: str | Path,
    out: str | Path | None = None,
    *,
    jobs: int | None = None,
    resume: bool = False,
    parse: Parse = parse_path,
    progress: bool = True,
    parse_pages: ParsePages = parse_page_images,
) -> Result:
    """Parse every report under ``root`` and write the table to ``out`` (if given).

    ``jobs`` worker processes (default: one per CPU); ``jobs=0`` parses in this process.
    ``parse`` (one file) and ``parse_pages`` (the page images of one report) must be
    picklable (module-level functions) when ``jobs`` > 0.
    """
    start = time.perf_counter()
    root = Path(root)
    if not root.is_dir():
        raise GongkaiError("不是一个存在的目录", path=str(root))
    if out is not None:
        out = Path(out)
        output_kind(out)
    if jobs is None:
        jobs = os.cpu_count() or 1
    if jobs < 0:
        raise GongkaiError(f"--jobs 应为 0 或正整数，而不是 {jobs}")

    old = {}
    if resume and out is not None and out.exists():
        old = {e.file: e for e in read_entries(out)}
    entries: dict[str, Entry] = {}
    tasks: list[Task] = []
    retried: list[str] = []
    for files in page_groups(find_reports(root)):
        rels = [p.relative_to(root).as_posix() for p in files]
        task = Task(str(files[0]), rels[0], tuple(zip(map(str, files[1:]), rels[1:], strict=True)))
        try:
            now = [(r, st.st_size, st.st_mtime_ns) for r, st in zip(rels, map(os.stat, files), strict=True)]
        except OSError:
            now = None
        prev = old.get(task.rel)
        unchanged = prev is not None and now == [(prev.file, prev.size, prev.mtime_ns), *prev.pages]
        if unchanged and prev.status != "error":
            entries[task.rel] = prev
        else:
            tasks.append(task)
            if unchanged:  # unreadable last time: maybe OCR or LibreOffice is there now
                retried.append(task.rel)

    with _progress(progress, len(tasks)) as advance:

        def done(entry: Entry) -> None:
            entries[entry.file] = entry
            advance()

        if jobs == 0 or not tasks:
            for task in tasks:
                done(parse_one(task.path, task.rel, parse, task.pages, parse_pages))
        else:
            run_pool(tasks, min(jobs, len(tasks)), parse, done, parse_pages)

    result = Result([entries[k] for k in sorted(entries)], parsed=sorted(t.rel for t in tasks), retried=retried)
    result.cross = cross_issues(result.entries)
    if out is not None:
        write(result, out)
    result.seconds = time.perf_counter() - start
    return result


class _progress:
    """A rich progress bar on stderr, or nothing."""

    def __init__(self, show: bool, total: int):
        self.show, self.total = show and total > 0, total

    def __enter__(self) -> Callable[[], None]:
        if not self.show:
            return lambda: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn("解析"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        )
        self.bar.__enter__()
        task = self.bar.add_task("解析", total=self.total)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc) -> None:
        if self.show:
            self.bar.__exit__(*exc)


def report_of(entry: Entry) -> Report | None:
    if not entry.report or entry.report.get("format") not in FORMATS:
        return None
    try:
        return Report.from_dict(entry.report)
    except (ValueError, KeyError, TypeError):
        return None


def cross_issues(entries: list[Entry]) -> list[tuple[Entry, Issue]]:
    found = cross_year([report_of(e) for e in entries])
    return sorted(((entries[i], issue) for i, issue in found), key=lambda x: x[0].file)


# ------------------------------------------------------------------ tables


def report_row(entry: Entry, n_cross: int = 0) -> dict:
    r = entry.report or {}
    cells = r.get("cells") or {}
    row = {
        "文件": entry.file,
        "单位": r.get("agency"),
        "年度": r.get("year"),
        "格式": FORMAT_WORDS.get(r.get("format"), r.get("format")),
        "载体": CARRIER_WORDS.get(entry.carrier, entry.carrier),
        "状态": STATUS_WORDS[entry.status],
        "错误数": entry.n_errors,
        "警告数": entry.n_warnings,
        "跨年问题数": n_cross,
        "原因": entry.error or None,
        "其余各页": "、".join(p[0] for p in entry.pages) or None,
    }
    row |= {cid: cells.get(cid) for cid in CELL_IDS}
    row |= {
        "status": entry.status,
        "format": r.get("format"),
        "carrier": entry.carrier,
        "size": entry.size,
        "mtime_ns": str(entry.mtime_ns),
        "pages": json.dumps(pages_json(entry), ensure_ascii=False) if entry.pages else None,
    }
    return row


def pages_json(entry: Entry) -> list[dict]:
    """The pages after the first, as written to the outputs (to tell on resume whether any changed)."""
    return [{"file": f, "size": size, "mtime_ns": mtime} for f, size, mtime in entry.pages]


def _pages(v) -> list[Stamp]:
    """Pages read back: JSON text (a table's cell) or a list (JSONL); none in older outputs."""
    if v is None or v == "":
        return []
    items = json.loads(v) if isinstance(v, str) else v
    return [(str(p["file"]), int(p["size"]), int(p["mtime_ns"])) for p in items]


def _int(v) -> int | None:
    if v is None or v == "":
        return None
    return int(float(v)) if isinstance(v, float | str) and "." in str(v) else int(v)


def _number(v):
    if v is None or v == "":
        return None
    if isinstance(v, str):
        v = float(v) if any(c in v for c in ".eE") else int(v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _text(v) -> str | None:
    return None if v is None or v == "" else str(v)


def entry_from_row(row: dict, issues: list[dict] | None = None) -> Entry:
    """An entry from a row of the 报告 table (as read back from any output)."""
    fmt = _text(row.get("format"))
    report = None
    if fmt in FORMATS:
        cells = {cid: _number(row.get(cid)) for cid in CELL_IDS}
        known = set(FORMATS[fmt].cell_ids())
        cells = {k: v for k, v in cells.items() if k in known or v is not None}
        report = {
            "format": fmt,
            "year": _int(row.get("年度")),
            "agency": _text(row.get("单位")),
            "cells": cells,
            "issues": issues or [],
        }
    return Entry(
        file=str(row["文件"]),
        size=_int(row.get("size")) or 0,
        mtime_ns=_int(row.get("mtime_ns")) or 0,
        carrier=_text(row.get("carrier")) or "",
        status=str(row["status"]),
        error=_text(row.get("原因")) or "",
        report=report,
        n_errors=_int(row.get("错误数")) or 0,
        n_warnings=_int(row.get("警告数")) or 0,
        pages=_pages(row.get("pages")),
    )


def issue_rows(result: Result) -> list[dict]:
    cross: dict[str, list[Issue]] = {}
    for entry, issue in result.cross:
        cross.setdefault(entry.file, []).append(issue)
    rows = []
    for e in result.entries:
        r = e.report or {}
        issues = [Issue.from_dict(i) for i in r.get("issues") or ()] + cross.get(e.file, [])
        for i in issues:
            rows.append(
                {
                    "文件": e.file,
                    "单位": r.get("agency"),
                    "年度": r.get("year"),
                    "代码": i.code,
                    "级别": SEVERITY_WORDS.get(i.severity, i.severity),
                    "位置": i.where,
                    "原文位置": i.place or None,
                    "说明": i.message,
                    "severity": i.severity,
                    "cells": " ".join(i.cells) or None,
                }
            )
    return rows


def _issue_from_row(row: dict) -> dict:
    return Issue(
        str(row["代码"]),
        str(row["severity"]),
        _text(row.get("位置")) or "",
        _text(row.get("说明")) or "",
        tuple((_text(row.get("cells")) or "").split()),
        _text(row.get("原文位置")) or "",
    ).to_dict()


def table_rows(result: Result) -> list[dict]:
    n_cross = Counter(e.file for e, _ in result.cross)
    return [report_row(e, n_cross[e.file]) for e in result.entries]


# ------------------------------------------------------------------ writing


def output_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in OUTPUTS:
        raise GongkaiError(f"不支持的输出格式“{suffix or '（无扩展名）'}”，可选：{'、'.join(OUTPUTS)}", path=str(path))
    return suffix


def write(result: Result, path: Path) -> None:
    """Write all of the output or nothing: a temporary file renamed into place."""
    kind = output_kind(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        {".xlsx": _write_xlsx, ".csv": _write_csv, ".jsonl": _write_jsonl, ".parquet": _write_parquet}[kind](
            result, Path(tmp)
        )
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_csv(result: Result, path: Path) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for row in table_rows(result):
        w.writerow("" if row[c] is None else row[c] for c in COLUMNS)
    path.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")


def _write_jsonl(result: Result, path: Path) -> None:
    cross: dict[str, list[dict]] = {}
    for entry, issue in result.cross:
        cross.setdefault(entry.file, []).append(issue.to_dict())
    with path.open("w", encoding="utf-8") as fh:
        for e in result.entries:
            obj = {"file": e.file, "status": e.status, "carrier": e.carrier, "error": e.error or None}
            obj |= e.report or {"format": None, "year": None, "agency": None, "cells": {}, "issues": []}
            obj |= {
                "cross_year": cross.get(e.file, []),
                "size": e.size,
                "mtime_ns": e.mtime_ns,
                "pages": pages_json(e),
                "errors": e.n_errors,
                "warnings": e.n_warnings,
            }
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _write_parquet(result: Result, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = table_rows(result)
    ints = {"年度", "错误数", "警告数", "跨年问题数", "size"}
    money = set().union(*(f.money for f in FORMATS.values()))
    arrays = {}
    for c in COLUMNS:
        values = [r[c] for r in rows]
        if c in ints:
            kind = pa.int64()
        elif c in CELL_IDS:
            kind = pa.float64() if c in money or any(isinstance(v, float) for v in values) else pa.int64()
        else:
            kind = pa.string()
        arrays[c] = pa.array(values, type=kind)
    pq.write_table(pa.table(arrays), path)


def summary_rows(result: Result) -> list[list]:
    """The 汇总 sheet: blocks of (heading, count) rows."""
    out: list[list] = [["共计", len(result.entries)], [], ["按状态", "份数"]]
    counts = result.counts()
    out += [[word, counts[s]] for s, word in STATUS_WORDS.items()]
    out += [[], ["按格式", "份数"]]
    fmts = Counter(FORMAT_WORDS.get((e.report or {}).get("format"), "（无法读取）") for e in result.entries)
    out += [[k, v] for k, v in sorted(fmts.items())]
    out += [[], ["按年度", "份数"]]
    years = Counter((e.report or {}).get("year") for e in result.entries)
    out += [
        [y if y is not None else "（年度不详）", n]
        for y, n in sorted(years.items(), key=lambda x: (x[0] is None, x[0] or 0))
    ]
    out += [[], ["最常见的问题", "次数", "级别", "示例"]]
    issues = issue_rows(result)
    codes = Counter(r["代码"] for r in issues)
    example = {}
    for r in issues:
        example.setdefault(r["代码"], r)
    for code, n in codes.most_common(15):
        out.append([code, n, example[code]["级别"], f"{example[code]['文件']}：{example[code]['说明']}"])
    out += [[], ["跨年问题", "文件", "单位", "年度", "位置", "说明"]]
    if not result.cross:
        out.append(["（无）"])
    for entry, issue in result.cross:
        r = entry.report or {}
        out.append([issue.code, entry.file, r.get("agency"), r.get("year"), issue.where, issue.message])
    return out


def _write_xlsx(result: Result, path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    bold = wb.add_format({"bold": True})

    def sheet(name: str, columns: tuple[str, ...], rows: list[dict], hidden=(), widths=None):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, columns, bold)
        for i, row in enumerate(rows, start=1):
            ws.write_row(i, 0, [row[c] for c in columns])
        ws.freeze_panes(1, 1)
        ws.autofilter(0, 0, len(rows), len(columns) - 1)
        for j, c in enumerate(columns):
            ws.set_column(j, j, (widths or {}).get(c, 10), None, {"hidden": c in hidden})
        return ws

    sheet(
        "报告",
        COLUMNS,
        table_rows(result),
        HIDDEN,
        {"文件": 36, "单位": 24, "格式": 14, "原因": 40, "其余各页": 36},
    )
    sheet(
        "问题",
        ISSUE_COLUMNS,
        issue_rows(result),
        ("severity", "cells"),
        {"文件": 36, "单位": 24, "代码": 20, "位置": 28, "说明": 80},
    )
    ws = wb.add_worksheet("汇总")
    for i, row in enumerate(summary_rows(result)):
        ws.write_row(i, 0, row, bold if len(row) > 1 and row[1] in ("份数", "次数", "文件") else None)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 36)
    ws.set_column(5, 5, 80)
    ws = wb.add_worksheet("单元格说明")
    ws.write_row(0, 0, ("单元格", "格式", "含义"), bold)
    n = 1
    for cid in CELL_IDS:
        for f in FORMATS.values():
            if cid in f.cell_ids(optional=True):
                ws.write_row(n, 0, (cid, FORMAT_WORDS[f.id], f.label_of(cid)))
                n += 1
    ws.set_column(0, 0, 36)
    ws.set_column(2, 2, 80)
    wb.close()


# ------------------------------------------------------------------ reading back


def read_entries(path: Path) -> list[Entry]:
    """The entries of an output written by ``write`` (to resume from it)."""
    kind = output_kind(path)
    try:
        return {".xlsx": _read_xlsx, ".csv": _read_csv, ".jsonl": _read_jsonl, ".parquet": _read_parquet}[kind](path)
    except GongkaiError:
        raise
    except Exception as e:
        raise GongkaiError(f"无法读取已有的结果文件以便续做（{type(e).__name__}: {e}）", path=str(path)) from None


def _check_columns(header: Iterable, path: Path) -> None:
    missing = [c for c in ("文件", "status", "size", "mtime_ns") if c not in set(header)]
    if missing:
        raise GongkaiError(f"不是 gongkai review 的结果文件：缺少列 {'、'.join(missing)}", path=str(path))


def _read_csv(path: Path) -> list[Entry]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        _check_columns(reader.fieldnames or (), path)
        return [entry_from_row(row) for row in reader]


def _read_parquet(path: Path) -> list[Entry]:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    _check_columns(table.column_names, path)
    return [entry_from_row(row) for row in table.to_pylist()]


def _read_jsonl(path: Path) -> list[Entry]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                report = None
                if d.get("format") in FORMATS:
                    report = {
                        k: d[k] for k in ("format", "year", "agency", "title", "cells", "sections", "issues") if k in d
                    }
                    if "preamble" in d:
                        report["preamble"] = d["preamble"]
                out.append(
                    Entry(
                        d["file"],
                        int(d["size"]),
                        int(d["mtime_ns"]),
                        d.get("carrier") or "",
                        d["status"],
                        d.get("error") or "",
                        report,
                        int(d.get("errors") or 0),
                        int(d.get("warnings") or 0),
                        _pages(d.get("pages")),
                    )
                )
            except (KeyError, TypeError, ValueError) as e:
                raise GongkaiError(f"不是 gongkai review 的结果：{e}", path=str(path), where=f"第{n}行") from None
    return out


def _read_xlsx(path: Path) -> list[Entry]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        if "报告" not in wb.sheetnames:
            raise GongkaiError("不是 gongkai review 的结果文件：没有“报告”工作表", path=str(path))

        def rows(name: str) -> list[dict]:
            if name not in wb.sheetnames:
                return []
            it = wb[name].iter_rows(values_only=True)
            header = next(it, ())
            if name == "报告":
                _check_columns(header, path)
            return [dict(zip(header, r, strict=False)) for r in it if any(v is not None for v in r)]

        issues: dict[str, list[dict]] = {}
        for r in rows("问题"):
            if not str(r["代码"]).startswith("cross-year-"):  # recomputed over the merged batch
                issues.setdefault(str(r["文件"]), []).append(_issue_from_row(r))
        return [entry_from_row(r, issues.get(str(r["文件"]))) for r in rows("报告")]
    finally:
        wb.close()
