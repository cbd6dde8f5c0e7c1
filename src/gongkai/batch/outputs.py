"""The batch's outputs: the tables, written all or nothing, and read back to resume.

``.xlsx`` (报告, 问题, 汇总, 单元格说明), ``.csv`` / ``.parquet`` (the 报告 table) or ``.jsonl``
(one ``parse --cells`` object per file). Text is written as text, never a formula
(``gongkai.fileio``). An output is written to a temporary file beside it and renamed into
place, with the permissions a new file gets under the user's umask (0644 under the usual
022), not the 0600 of ``mkstemp``.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ..crossyear import cross_year
from ..errors import GongkaiError
from ..fileio import csv_text, from_csv_text, json_text, workbook, write_atomic, write_cells
from ..formats import FORMATS
from ..report import Issue, Report
from .model import Entry, Result, Stamp

OUTPUTS = (".xlsx", ".csv", ".jsonl", ".parquet")

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
STATUS_WORDS = {"ok": "正常", "warnings": "有警告", "errors": "有错误", "error": "无法读取", "skipped": "已跳过"}
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
    """Write all of the output or nothing (``fileio.write_atomic``)."""
    writer = {".xlsx": _write_xlsx, ".csv": _write_csv, ".jsonl": _write_jsonl, ".parquet": _write_parquet}
    kind = writer[output_kind(path)]
    write_atomic(path, lambda tmp: kind(result, tmp))


def _write_csv(result: Result, path: Path) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for row in table_rows(result):
        w.writerow("" if row[c] is None else csv_text(row[c]) for c in COLUMNS)  # text never a formula
    path.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")


def entry_json(e: Entry, cross: list[dict] | None = None) -> dict:
    """An entry as one line of the ``.jsonl`` output (and of the journal): the file, what
    became of it, its report as ``parse --cells`` gives it, and what resuming needs."""
    obj = {"file": e.file, "status": e.status, "carrier": e.carrier, "error": e.error or None}
    obj |= e.report or {"format": None, "year": None, "agency": None, "cells": {}, "issues": []}
    if cross is not None:
        obj["cross_year"] = cross
    obj |= {
        "size": e.size,
        "mtime_ns": e.mtime_ns,
        "pages": pages_json(e),
        "errors": e.n_errors,
        "warnings": e.n_warnings,
    }
    return obj


def entry_from_json(d: dict) -> Entry:
    """The entry of an ``entry_json`` object; KeyError, TypeError or ValueError if it is not one."""
    report = None
    if d.get("format") in FORMATS:
        report = {k: d[k] for k in ("format", "year", "agency", "title", "cells", "sections", "issues") if k in d}
        if "preamble" in d:
            report["preamble"] = d["preamble"]
    return Entry(
        str(d["file"]),
        int(d["size"]),
        int(d["mtime_ns"]),
        d.get("carrier") or "",
        str(d["status"]),
        d.get("error") or "",
        report,
        int(d.get("errors") or 0),
        int(d.get("warnings") or 0),
        _pages(d.get("pages")),
    )


def _write_jsonl(result: Result, path: Path) -> None:
    cross: dict[str, list[dict]] = {}
    for entry, issue in result.cross:
        cross.setdefault(entry.file, []).append(issue.to_dict())
    with path.open("w", encoding="utf-8") as fh:
        for e in result.entries:
            fh.write(json_text(entry_json(e, cross.get(e.file, []))) + "\n")


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
    wb = workbook(str(path))
    bold = wb.add_format({"bold": True})

    def sheet(name: str, columns: tuple[str, ...], rows: list[dict], hidden=(), widths=None):
        ws = wb.add_worksheet(name)
        write_cells(ws, 0, 0, columns, bold)
        for i, row in enumerate(rows, start=1):
            write_cells(ws, i, 0, [row[c] for c in columns])
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
        write_cells(ws, i, 0, row, bold if len(row) > 1 and row[1] in ("份数", "次数", "文件") else None)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 36)
    ws.set_column(5, 5, 80)
    ws = wb.add_worksheet("单元格说明")
    write_cells(ws, 0, 0, ("单元格", "格式", "含义"), bold)
    n = 1
    for cid in CELL_IDS:
        for f in FORMATS.values():
            if cid in f.cell_ids(optional=True):
                write_cells(ws, n, 0, (cid, FORMAT_WORDS[f.id], f.label_of(cid)))
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
        return [
            entry_from_row({k: from_csv_text(v) if isinstance(v, str) else v for k, v in row.items()}) for row in reader
        ]


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
                out.append(entry_from_json(json.loads(line)))
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
