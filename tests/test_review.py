"""``gongkai review``: a folder of reports into one table, whatever goes wrong with a file."""

import csv
import json
import os
import shutil
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from gongkai import review as rv
from gongkai.batch import outputs as batch_outputs
from gongkai.batch import review as batch_review
from gongkai.cli_review import register
from gongkai.errors import GongkaiError
from gongkai.ingest import MAX_BYTES
from gongkai.parse import parse_path
from gongkai.render import render
from gongkai.report import Report

from .conftest import CORPUS, SEEDS
from .test_crossyear import two_years
from .test_ingest_scan import CONTINUED, SCANS, cell_scores, needs_ocr, uncertain_ids
from .test_roundtrip import generated

OUTPUTS = (".xlsx", ".csv", ".jsonl", ".parquet")


def exploding_parse(path: str):
    """A parser with a bug that one file triggers (module level: workers must import it)."""
    if Path(path).name.startswith("boom"):
        raise ZeroDivisionError("division by zero")
    return parse_path(path)


def crashing_parse(path: str):
    """A reader that takes its worker process down, as a segfault in a C library would."""
    if Path(path).name.startswith("crash"):
        os._exit(3)
    return parse_path(path)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "reports"
    (d / "sub").mkdir(parents=True)
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, d / seed.name)
    shutil.copy(CORPUS / "html" / "gov_gb2312.html", d / "sub" / "gov_gb2312.html")
    (d / "empty.txt").write_bytes(b"")
    (d / "garbage.docx").write_bytes(bytes(range(256)) * 40)
    (d / "garbage.txt").write_bytes(b"\x00\xff\xfe\x01" * 1000)
    (d / ".hidden.txt").write_bytes((SEEDS / "000_5ac34f26426a2d27.txt").read_bytes())
    (d / "notes.xyz").write_text("不是报告")
    return d


def by_file(result) -> dict:
    return {e.file: e for e in result.entries}


def test_bad_files_become_error_rows_and_the_batch_goes_on(folder):
    with (folder / "huge.txt").open("wb") as fh:  # sparse: instant, and really over the limit
        fh.truncate(MAX_BYTES + 1)
    result = rv.review(folder, jobs=2, progress=False)
    rows = by_file(result)
    assert list(rows) == sorted(rows)
    assert ".hidden.txt" not in rows and "notes.xyz" not in rows
    assert set(rows) >= {p.name for p in SEEDS.glob("*.txt")} | {"sub/gov_gb2312.html"}
    for name, words in [
        ("empty.txt", "文件是空的"),
        ("garbage.txt", "二进制"),
        ("huge.txt", "文件过大"),
        ("garbage.docx", ""),
    ]:
        assert rows[name].status == "error", name
        assert words in rows[name].error and not rows[name].error.isascii(), rows[name].error
    html = rows["sub/gov_gb2312.html"]
    assert html.status in ("ok", "warnings") and html.carrier == "html" and html.report["agency"]
    assert rows["004_482dbf59b3589eb0.txt"].report["format"] == "legacy"
    assert result.counts()["error"] == 4
    assert "无法读取 4" in result.summary() and "份" in result.summary()


def test_a_real_file_of_fifty_megabytes(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"a" * (MAX_BYTES + 1))
    (rows,) = rv.review(tmp_path, jobs=0, progress=False).entries
    assert rows.status == "error" and "50 MB" in rows.error


@pytest.mark.parametrize("jobs", [0, 2])
def test_unexpected_exception_is_an_internal_error_row(folder, jobs):
    (folder / "boom.txt").write_bytes((SEEDS / "000_5ac34f26426a2d27.txt").read_bytes())
    result = rv.review(folder, jobs=jobs, parse=exploding_parse, progress=False)
    rows = by_file(result)
    assert rows["boom.txt"].status == "error"
    assert rows["boom.txt"].error.startswith("内部错误：ZeroDivisionError")
    assert rows["000_5ac34f26426a2d27.txt"].status == "warnings"


def test_in_process_parse_can_be_monkeypatched(folder, monkeypatch):
    def broken(path):
        raise RuntimeError("reader bug")

    monkeypatch.setattr(rv, "parse_path", broken)
    result = rv.review(folder, jobs=0, parse=rv.parse_path, progress=False)
    assert {e.status for e in result.entries} == {"error"}
    assert all(e.error.startswith("内部错误：") for e in result.entries)


def test_worker_crash_keeps_finished_rows_and_blames_the_culprit(folder):
    (folder / "crash.txt").write_bytes(b"whatever")
    result = rv.review(folder, jobs=2, parse=crashing_parse, progress=False)
    rows = by_file(result)
    assert rows["crash.txt"].status == "error" and "工作进程意外退出" in rows["crash.txt"].error
    good = rv.review(folder, jobs=0, progress=False)
    for e in good.entries:
        if e.file != "crash.txt":
            assert rows[e.file].status == e.status, e.file
            assert rows[e.file].report == e.report, e.file


def test_order_is_by_path_whatever_the_completion_order(folder, tmp_path):
    a = rv.review(folder, tmp_path / "a.jsonl", jobs=2, progress=False)
    rv.review(folder, tmp_path / "b.jsonl", jobs=0, progress=False)
    assert [e.file for e in a.entries] == sorted(e.file for e in a.entries)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def comparable(entry: rv.Entry, with_issues: bool) -> tuple:
    r = entry.report or {}
    cells = {k: v for k, v in (r.get("cells") or {}).items() if v is not None}
    issues = sorted((i["code"], i["where"], i["message"]) for i in r.get("issues") or ()) if with_issues else ()
    return (
        entry.file,
        entry.size,
        entry.mtime_ns,
        entry.carrier,
        entry.status,
        entry.error,
        entry.n_errors,
        entry.n_warnings,
        r.get("format"),
        r.get("year"),
        r.get("agency"),
        cells,
        issues,
    )


@pytest.mark.parametrize("suffix", OUTPUTS)
def test_every_output_reads_back(folder, tmp_path, suffix):
    out = tmp_path / f"review{suffix}"
    result = rv.review(folder, out, jobs=0, progress=False)
    back = rv.read_entries(out)
    full = suffix in (".xlsx", ".jsonl")
    assert [comparable(e, full) for e in back] == [comparable(e, full) for e in result.entries]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_csv_opens_in_excel(folder, tmp_path):
    out = tmp_path / "r.csv"
    rv.review(folder, out, jobs=0, progress=False)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header = data[3:].decode("utf-8").splitlines()[0].split(",")
    assert header[:8] == ["文件", "单位", "年度", "格式", "载体", "状态", "错误数", "警告数"]
    assert "t3.new.natural" in header and "legacy.active.total" in header


def test_xlsx_sheets(folder, tmp_path):
    out = tmp_path / "r.xlsx"
    rv.review(folder, out, jobs=0, progress=False)
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames[:3] == ["报告", "问题", "汇总"]
    rows = list(wb["报告"].iter_rows(values_only=True))
    head = rows[0]
    seed = dict(zip(head, next(r for r in rows if r[0] == "001_1091e914623cb50c.txt"), strict=True))
    assert seed["状态"] == "有警告" and seed["status"] == "warnings" and seed["单位"] == "荆门市司法局"
    assert seed["t2.licensing.decisions"] == 142 and isinstance(seed["t2.licensing.decisions"], int)
    assert seed["t2.procurement.amount_wan"] == pytest.approx(3474675.89)
    empty = dict(zip(head, next(r for r in rows if r[0] == "empty.txt"), strict=True))
    assert (empty["状态"], empty["原因"]) == ("无法读取", "文件是空的")
    issues = list(wb["问题"].iter_rows(values_only=True))
    assert issues[0][:8] == ("文件", "单位", "年度", "代码", "级别", "位置", "原文位置", "说明")
    assert ("000_5ac34f26426a2d27.txt", "row-width", "警告", "t3.unable.not_held") in {
        (r[0], r[3], r[4], r[5]) for r in issues
    }
    summary = [r[:2] for r in wb["汇总"].iter_rows(values_only=True)]
    assert ("无法读取", 3) in summary and ("row-width", 9) in summary
    wb.close()


@pytest.mark.parametrize("suffix", OUTPUTS)
def test_resume_skips_files_already_done(folder, tmp_path, suffix):
    out = tmp_path / f"review{suffix}"
    first = rv.review(folder, out, jobs=0, progress=False)
    calls: list[str] = []

    def counting(path):
        calls.append(Path(path).name)
        return parse_path(path)

    changed = folder / "000_5ac34f26426a2d27.txt"
    changed.write_bytes(changed.read_bytes() + b"\n")
    shutil.copy(SEEDS / "004_482dbf59b3589eb0.txt", folder / "sub" / "new.txt")
    again = rv.review(folder, out, jobs=0, resume=True, parse=counting, progress=False)
    unreadable = sorted(e.file for e in first.entries if e.status == "error")  # tried again
    assert len(unreadable) == 3
    assert sorted(calls) == sorted(["000_5ac34f26426a2d27.txt", "new.txt", *(Path(f).name for f in unreadable)])
    assert again.parsed == sorted(["000_5ac34f26426a2d27.txt", "sub/new.txt", *unreadable])
    assert again.retried == unreadable
    old = {e.file: comparable(e, suffix in (".xlsx", ".jsonl")) for e in first.entries}
    back = {e.file: comparable(e, suffix in (".xlsx", ".jsonl")) for e in rv.read_entries(out)}
    assert set(back) == set(old) | {"sub/new.txt"}
    for name in set(old) - {"000_5ac34f26426a2d27.txt"}:
        assert back[name] == old[name], name
    calls.clear()
    rv.review(folder, out, jobs=0, resume=True, parse=counting, progress=False)
    assert sorted(calls) == sorted(Path(f).name for f in unreadable)


def test_resume_refuses_a_file_that_is_not_a_review(folder, tmp_path):
    out = tmp_path / "other.csv"
    out.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(GongkaiError, match="不是 gongkai review 的结果文件"):
        rv.review(folder, out, jobs=0, resume=True, progress=False)


def test_a_failed_write_leaves_the_old_output_alone(folder, tmp_path, monkeypatch):
    out = tmp_path / "r.csv"
    out.write_text("旧结果", encoding="utf-8")

    def failing(result, path):
        path.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch_outputs, "_write_csv", failing)
    with pytest.raises(OSError):
        rv.review(folder, out, jobs=0, progress=False)
    assert out.read_text(encoding="utf-8") == "旧结果"
    # no temporary file left; the journal keeps the work for --resume
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "r.csv.journal.jsonl", "reports"]
    monkeypatch.undo()
    out.unlink()  # not a review's output: the journal alone is resumed
    calls: list[str] = []

    def counting(path):
        calls.append(path)
        return parse_path(path)

    again = rv.review(folder, out, jobs=0, resume=True, parse=counting, progress=False)
    assert calls == [] and again.journaled == len(again.entries) == 9
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "reports"]


def test_cross_year_issues_reach_the_issue_sheet(tmp_path):
    prev, cur = two_years()
    cur.cells["t3.carried_in.natural"] = prev.cells["t3.carried_out.natural"] + 5
    d = tmp_path / "in"
    d.mkdir()
    (d / "2022.md").write_bytes(render(prev, "md"))
    (d / "2023.html").write_bytes(render(cur, "html"))
    out = tmp_path / "r.xlsx"
    result = rv.review(d, out, jobs=0, progress=False)
    assert [(e.file, i.code, i.where) for e, i in result.cross] == [
        ("2023.html", "cross-year-carry", "t3.carried_in.natural")
    ]
    wb = load_workbook(out, read_only=True)
    issues = [r for r in wb["问题"].iter_rows(values_only=True) if r[3] == "cross-year-carry"]
    assert len(issues) == 1 and issues[0][0] == "2023.html" and "2022年" in issues[0][7]
    report = list(wb["报告"].iter_rows(values_only=True))
    assert [r[8] for r in report[1:]] == [0, 1]  # 跨年问题数
    wb.close()
    again = rv.review(d, out, jobs=0, resume=True, progress=False)  # not doubled on resume
    assert again.parsed == [] and len(again.cross) == 1
    jl = tmp_path / "r.jsonl"
    rv.review(d, jl, jobs=0, progress=False)
    lines = [json.loads(x) for x in jl.read_text(encoding="utf-8").splitlines()]
    assert [len(x["cross_year"]) for x in lines] == [0, 1]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["/nonexistent/dir", "--out", "x.xlsx"], "不是一个存在的目录"),
        (["{dir}", "--out", "x.ods"], "不支持的输出格式"),
    ],
)
def test_cli_bad_input(folder, tmp_path, args, words):
    app = typer.Typer()
    register(app)
    app.command("other")(lambda: None)  # two commands: review is a sub-command, as in gongkai
    args = [a.replace("{dir}", str(folder)) for a in args]
    r = CliRunner().invoke(app, ["review", *args])
    assert r.exit_code == 2
    assert words in r.output


def test_cli_review(folder, tmp_path):
    app = typer.Typer()
    register(app)
    app.command("other")(lambda: None)
    out = tmp_path / "r.xlsx"
    r = CliRunner().invoke(app, ["review", str(folder), "--out", str(out), "--jobs", "2"])
    assert r.exit_code == 0, r.output
    assert "9 份，正常 2，有问题 4，无法读取 3，用时" in r.output
    assert out.exists()
    r = CliRunner().invoke(app, ["review", str(folder), "--out", str(out), "--resume"])
    assert r.exit_code == 0 and "跳过已处理的 6 份，重试上次无法读取的 3 份" in r.output


# ------------------------------------------------------------------ page images of one report


def test_page_groups_rule(tmp_path):
    names = [
        "报告-1.jpg",
        "报告_2.jpg",
        "报告 3.png",
        "报告（第4页）.jpg",
        "报告-10.jpg",
        "报告.jpg",  # no page number: a report of its own
        "年报-2020.jpg",  # four digits: a year, not a page
        "年报-2021.jpg",
        "单页-1.jpg",  # one page alone
        "1.jpg",  # no stem
        "2.jpg",
        "重复-1.jpg",  # page 1 twice: no group
        "重复-1.png",
        "重复-2.jpg",
        "正文-1.txt",  # not images
        "正文-2.txt",
        "sub/报告-5.jpg",  # another folder
        "sub/附件 第1页.tif",
        "sub/附件(第2页).TIF",
    ]
    files = sorted((tmp_path / n for n in names), key=lambda p: p.relative_to(tmp_path).as_posix())
    groups = [[p.relative_to(tmp_path).as_posix() for p in g] for g in rv.page_groups(files)]
    assert [g for g in groups if len(g) > 1] == [
        ["sub/附件 第1页.tif", "sub/附件(第2页).TIF"],
        ["报告-1.jpg", "报告_2.jpg", "报告 3.png", "报告（第4页）.jpg", "报告-10.jpg"],
    ]
    singles = sorted(g[0] for g in groups if len(g) == 1)
    assert singles == sorted(set(names) - {n for g in groups if len(g) > 1 for n in g})
    assert len(groups) == len(names) - 5


@pytest.fixture
def paged(tmp_path: Path) -> Path:
    """A folder with one report as three page images, one single image and a text report."""
    d = tmp_path / "paged"
    d.mkdir()
    for n in (1, 2, 3):
        shutil.copy(SCANS / f"gb2019-{n}.jpg", d / f"某局2020年报-{n}.jpg")
    shutil.copy(SCANS / "no-table.png", d / "某局2020年报.png")
    shutil.copy(SEEDS / "000_5ac34f26426a2d27.txt", d / "000.txt")
    return d


GROUP = "某局2020年报-1.jpg"
OTHER_PAGES = ["某局2020年报-2.jpg", "某局2020年报-3.jpg"]


@needs_ocr
@pytest.mark.parametrize("suffix", OUTPUTS)
def test_page_images_are_one_report(paged, tmp_path, suffix, ocr_once):
    out = tmp_path / f"review{suffix}"
    calls: list[list[str]] = []

    def counting(paths):
        calls.append([Path(p).name for p in paths])
        return rv.parse_page_images(paths)

    first = rv.review(paged, out, jobs=0, progress=False, parse_pages=counting)
    assert calls == [[GROUP, *OTHER_PAGES]]
    rows = by_file(first)
    assert sorted(rows) == ["000.txt", GROUP, "某局2020年报.png"]
    group = rows[GROUP]
    assert (group.carrier, group.report["format"]) == ("image", "gb2019")
    stamps = [(n, (paged / n).stat().st_size, (paged / n).stat().st_mtime_ns) for n in OTHER_PAGES]
    assert group.pages == stamps
    assert rows["某局2020年报.png"].pages == [] and rows["000.txt"].pages == []
    report = Report.from_dict(group.report)
    f1, unflagged = cell_scores(generated("gb2019").cells, report, uncertain_ids(None, report))
    assert f1 >= 0.98 and not unflagged, (f1, unflagged)
    assert all(report.cells[cid] == want for cid, want in CONTINUED.items())

    back = {e.file: e for e in rv.read_entries(out)}
    assert [comparable(e, suffix in (".xlsx", ".jsonl")) for e in back.values()] == [
        comparable(e, suffix in (".xlsx", ".jsonl")) for e in first.entries
    ]
    assert back[GROUP].pages == stamps and back["000.txt"].pages == []
    if suffix == ".csv":  # the other pages are shown, not only kept for --resume
        with out.open(encoding="utf-8-sig", newline="") as fh:
            shown = {r["文件"]: r["其余各页"] for r in csv.DictReader(fh)}
        assert shown == {"000.txt": "", GROUP: "、".join(OTHER_PAGES), "某局2020年报.png": ""}

    calls.clear()
    again = rv.review(paged, out, jobs=0, resume=True, progress=False, parse_pages=counting)
    assert again.parsed == [] and calls == []

    page2 = paged / OTHER_PAGES[0]
    st = page2.stat()
    os.utime(page2, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    third = rv.review(paged, out, jobs=0, resume=True, progress=False, parse_pages=counting)
    assert third.parsed == [GROUP] and calls == [[GROUP, *OTHER_PAGES]]
    assert by_file(third)[GROUP].pages[0] == (OTHER_PAGES[0], st.st_size, st.st_mtime_ns + 5_000_000_000)
    assert by_file(third)[GROUP].report["cells"] == group.report["cells"]
    assert {e.file: e.pages for e in rv.read_entries(out)}[GROUP] == by_file(third)[GROUP].pages


def stub_parse(path: str):
    """Any file parses as the same text report (module level: picklable for workers)."""
    return parse_path(SEEDS / "001_1091e914623cb50c.txt")


def stub_parse_pages(paths):
    return parse_path(SEEDS / "004_482dbf59b3589eb0.txt")


@pytest.mark.parametrize("jobs", [0, 2])
def test_page_group_resume_and_size_change_without_ocr(tmp_path, jobs):
    """Resume over page groups, with stand-in readers: a page that changes size makes its
    group be read again; the other rows stay."""
    d = tmp_path / "in"
    d.mkdir()
    for n in (1, 2, 3):
        (d / f"甲-{n}.png").write_bytes(b"page %d" % n)
    (d / "乙.txt").write_bytes((SEEDS / "001_1091e914623cb50c.txt").read_bytes())
    out = tmp_path / "r.parquet"
    kw = dict(jobs=jobs, progress=False, parse=stub_parse, parse_pages=stub_parse_pages)
    first = by_file(rv.review(d, out, **kw))
    assert sorted(first) == ["乙.txt", "甲-1.png"]
    assert first["甲-1.png"].report["format"] == "legacy" and first["乙.txt"].report["format"] == "gb2019"
    assert rv.review(d, out, resume=True, **kw).parsed == []
    (d / "甲-3.png").write_bytes(b"page three, scanned again")
    assert rv.review(d, out, resume=True, **kw).parsed == ["甲-1.png"]
    (d / "甲-3.png").unlink()  # two pages left: still a group, but not the same one
    result = rv.review(d, out, resume=True, **kw)
    assert result.parsed == ["甲-1.png"] and by_file(result)["甲-1.png"].pages[0][0] == "甲-2.png"
    (d / "甲-2.png").unlink()  # one page left: a report of its own
    result = rv.review(d, out, resume=True, **kw)
    assert result.parsed == ["甲-1.png"] and by_file(result)["甲-1.png"].pages == []
    assert by_file(result)["甲-1.png"].report["format"] == "gb2019"  # read by ``parse``, alone


def test_rows_of_pages_read_alone_before_make_way_for_the_group(tmp_path, monkeypatch):
    """An output written before pages were grouped has a row per page image: on resume the
    group is read and the rows of its other pages go."""
    d = tmp_path / "in"
    d.mkdir()
    for n in (1, 2):
        (d / f"甲-{n}.png").write_bytes(b"page %d" % n)
    out = tmp_path / "r.jsonl"
    kw = dict(jobs=0, progress=False, parse=stub_parse, parse_pages=stub_parse_pages)
    with monkeypatch.context() as m:
        m.setattr(batch_review, "page_groups", lambda files: [[p] for p in files])
        assert sorted(by_file(rv.review(d, out, **kw))) == ["甲-1.png", "甲-2.png"]
    result = rv.review(d, out, resume=True, **kw)
    assert result.parsed == ["甲-1.png"] and [e.file for e in result.entries] == ["甲-1.png"]
    assert [e["file"] for e in map(json.loads, out.read_text(encoding="utf-8").splitlines())] == ["甲-1.png"]


@pytest.mark.parametrize("suffix", OUTPUTS)
def test_resume_from_an_output_without_page_columns(folder, tmp_path, suffix):
    """Outputs written before the 其余各页 / pages columns existed still resume."""
    out = tmp_path / f"review{suffix}"
    rv.review(folder, out, jobs=0, progress=False)
    drop = {"其余各页", "pages"}
    if suffix == ".csv":
        with out.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.DictWriter(fh, [c for c in rows[0] if c not in drop])
            w.writeheader()
            w.writerows({k: v for k, v in r.items() if k not in drop} for r in rows)
    elif suffix == ".jsonl":
        lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        out.write_text("".join(json.dumps({k: v for k, v in x.items() if k not in drop}) + "\n" for x in lines))
    elif suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(out)
        pq.write_table(table.drop_columns(sorted(drop)), out)
    else:
        wb = load_workbook(out)
        ws = wb["报告"]
        for j in sorted((j for j, c in enumerate(ws[1], start=1) if c.value in drop), reverse=True):
            ws.delete_cols(j)
        wb.save(out)
    assert not drop & set(_header(out, suffix))
    calls: list[str] = []

    def counting(path):
        calls.append(Path(path).name)
        return parse_path(path)

    again = rv.review(folder, out, jobs=0, resume=True, parse=counting, progress=False)
    assert sorted(calls) == sorted(Path(f).name for f in again.retried) and len(again.retried) == 3
    assert all(e.pages == [] for e in again.entries)


def _header(out: Path, suffix: str) -> list[str]:
    if suffix == ".csv":
        return out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    if suffix == ".jsonl":
        return list(json.loads(out.read_text(encoding="utf-8").splitlines()[0]))
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_schema(out).names
    wb = load_workbook(out, read_only=True)
    try:
        return [c.value for c in next(wb["报告"].iter_rows(max_row=1))]
    finally:
        wb.close()


# ------------------------------------------------------------------ gold corpus (bench/accuracy.py)

GOLD = CORPUS / "gold"


def _accuracy():
    import importlib.util
    import sys

    if "bench_accuracy" not in sys.modules:
        path = CORPUS.parent.parent / "bench" / "accuracy.py"
        spec = importlib.util.spec_from_file_location("bench_accuracy", path)
        sys.modules["bench_accuracy"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules["bench_accuracy"])
    return sys.modules["bench_accuracy"]


@pytest.fixture(scope="module")
def scores():
    return _accuracy().evaluate(GOLD, GOLD)


@pytest.mark.parametrize("carrier", ["md", "pipe.txt", "txt", "html"])
def test_gold_corpus_text_and_html_are_read_perfectly(scores, carrier):
    s = scores[carrier]
    assert s.files >= 5 and s.failed == 0, s.errors
    assert (s.f1, s.format_ok, s.year_ok, s.agency_ok) == (1.0, s.files, s.files, s.files)
    assert s.issue_recall == 1.0


def test_gold_corpus_tab_separated_blanks(scores):
    # A blank in the LAST column of a text copy cannot be told from a trailing separator:
    # that row is reported as row-width with nulls, never guessed, so recall is a little
    # below 1 while precision stays exact.
    s = scores["tab.txt"]
    assert s.precision == 1.0
    assert 0.995 <= s.f1 < 1.0


def test_gold_corpus_docx(scores):
    s = scores["docx"]
    assert s.failed == 0 and s.f1 >= 0.995


def test_gold_corpus_seeds_use_hand_checked_values():
    gold = json.loads((GOLD / "001_1091e914623cb50c.gold.json").read_text(encoding="utf-8"))
    assert gold["cells"]["t2.licensing.decisions"] == 142
    assert gold["cells"]["t2.penalty.change"] == -3
    assert {"code": "unit-unstated", "where": "t2.procurement.amount_wan"} in gold["issues"]


def test_accuracy_scores_wrong_and_missing_values(tmp_path):
    acc = _accuracy()
    assert acc.score_cells({"a": 1, "b": None, "c": 3, "d": 4}, {"a": 1, "b": 2, "c": None, "d": 5}) == (1, 2, 2)
    shutil.copy(GOLD / "gb2021-2021-0.gold.json", tmp_path / "x.gold.json")
    shutil.copy(GOLD / "gb2019-2019-3.md", tmp_path / "x.md")  # the wrong report for this gold
    s = acc.evaluate(tmp_path, tmp_path)["overall"]
    assert s.files == 1 and s.f1 < 0.1 and s.format_ok == 0
    assert acc.main([str(tmp_path / "missing"), str(tmp_path)]) == 2
    assert acc.main([str(tmp_path), str(tmp_path)]) == 0
