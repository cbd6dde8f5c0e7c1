"""The command line, in-process: exit codes, output, and bad input without tracebacks."""

import json

import pytest
from typer.testing import CliRunner

from gongkai.cli import app

from .conftest import SEEDS
from .test_ingest_scan import SCANS, needs_ocr

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_parse_cells_single_file_is_the_spec_json():
    result = invoke("parse", SEEDS / "000_5ac34f26426a2d27.txt", "--cells")
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert d["format"] == "gb2019" and d["year"] == 2020 and d["agency"] == "咸宁市司法局"
    assert d["cells"]["t2.procurement.amount_wan"] == 216.35
    assert d["cells"]["t3.unable.not_held.natural"] is None
    assert set(d["sections"]) == {"s1", "s2", "s3", "s4", "s5", "s6"}
    assert d["issues"][0]["code"] == "row-width"


def test_parse_cells_many_files_one_line_each():
    files = sorted(SEEDS.glob("*.txt"))
    result = invoke("parse", *files, "--cells")
    assert result.exit_code == 0
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert [d["file"] for d in lines] == [str(f) for f in files]
    assert [d["format"] for d in lines] == ["gb2019", "gb2019", "gb2019", "gb2019", "legacy"]


def test_check_exit_codes():
    ok = invoke("check", SEEDS / "000_5ac34f26426a2d27.txt")
    assert ok.exit_code == 0  # a warning only
    assert "row-width" in ok.stdout
    bad = invoke("check", SEEDS / "002_8b31c2dd8fc8d049.txt")
    assert bad.exit_code == 1
    assert "missing-table" in bad.stdout


def test_check_json():
    result = invoke("check", SEEDS / "003_39116a97556fef52.txt", "--json")
    d = json.loads(result.stdout)
    assert sum(i["code"] == "row-width" for i in d["issues"]) == 8


def test_check_a_json_report_runs_the_checks(tmp_path):
    result = invoke("parse", SEEDS / "004_482dbf59b3589eb0.txt", "--cells")
    d = json.loads(result.stdout)
    d["cells"]["legacy.apply.received"] = 5
    d["issues"] = []
    path = tmp_path / "r.json"
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 1
    assert "legacy-sum" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        (b"\x00\x01\x02binary\x00", "二进制文件"),
        (b"%PDF-1.4\n%...", "PDF"),
        (b"PK\x03\x04....", "Word"),
        ("随便写的一段话，与年报无关。".encode(), "没有找到政府信息公开工作年度报告的内容"),
        (b"abc\xff\xff\xff" * 10, "无法识别文件编码"),
    ],
)
def test_bad_inputs_get_a_chinese_message(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    for command in ("parse", "check"):
        result = invoke(command, path)
        assert result.exit_code == 2
        assert message in result.stderr
        assert str(path) in result.stderr
        assert "Traceback" not in result.output


def test_missing_file_and_directory(tmp_path):
    assert "文件不存在" in invoke("check", tmp_path / "nope.txt").stderr
    assert "目录" in invoke("check", tmp_path).stderr


def test_huge_file_is_refused(tmp_path, monkeypatch):
    import gongkai.ingest as ingest

    monkeypatch.setattr(ingest, "MAX_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text("一、总体情况\n" + "很长" * 1000, encoding="utf-8")
    result = invoke("parse", path)
    assert result.exit_code == 2
    assert "文件过大" in result.stderr


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = invoke("parse", bad, SEEDS / "001_1091e914623cb50c.txt")
    assert result.exit_code == 2
    assert "荆门市司法局" in result.stdout


# --- several page images as one report (--pages) ---------------------------------------------


@pytest.fixture
def pages(tmp_path):
    """The three pages of the gb2019 scan, copied under the names an office gives them."""
    out = []
    for n in (1, 2, 3):
        out.append(tmp_path / f"某局2020年报-{n}.jpg")
        out[-1].write_bytes((SCANS / f"gb2019-{n}.jpg").read_bytes())
    return out


@needs_ocr
def test_pages_make_one_report_named_after_the_first_file(pages, ocr_once):
    result = invoke("parse", *pages, "--pages", "--cells")
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)  # one object, not one per file
    assert d["file"] == str(pages[0]) and d["pages"] == [str(p) for p in pages]
    assert d["format"] == "gb2019"
    assert d["cells"]["t3.new.total"] == 32  # table 三 goes on from the first image to the second
    summary = invoke("parse", *pages, "--pages").stdout
    assert summary.startswith(f"{pages[0]} 等 3 个图片文件：") and len(summary.splitlines()) == 1
    checked = invoke("check", *pages, "--pages", "--json")
    (line,) = checked.stdout.splitlines()
    c = json.loads(line)
    assert (c["file"], c["pages"]) == (d["file"], d["pages"])
    has_errors = any(i["severity"] == "error" for i in c["issues"])
    assert checked.exit_code == (1 if has_errors else 0)
    assert invoke("check", *pages, "--pages").stdout.startswith(f"{pages[0]} 等 3 个图片文件（")


@pytest.mark.parametrize("command", ["parse", "check"])
def test_pages_refuse_a_file_that_is_not_an_image(pages, tmp_path, command):
    notes = tmp_path / "说明.txt"
    notes.write_bytes((SEEDS / "000_5ac34f26426a2d27.txt").read_bytes())
    result = invoke(command, pages[0], notes, pages[1], "--pages")
    assert result.exit_code == 2
    assert f"文件 {notes}：这是文本文件，不是图片" in result.stderr
    assert result.stdout == "" and "Traceback" not in result.output


@needs_ocr
def test_pages_name_a_truncated_image(pages):
    data = pages[1].read_bytes()
    pages[1].write_bytes(data[: len(data) // 2])
    result = invoke("check", *pages, "--pages")
    assert result.exit_code == 2
    assert f"文件 {pages[1]}：图片文件已损坏或不完整" in result.stderr


def test_pages_without_ocr_give_the_install_hint(pages, without_ocr):
    result = invoke("parse", *pages, "--pages")
    assert result.exit_code == 2
    assert f"文件 {pages[0]}：这是扫描件（图片），" in result.stderr
    assert 'pip install "gongkai[ocr]"' in result.stderr


@pytest.mark.parametrize("kind", ["md", "html", "docx", "xlsx", "json", "pdf"])
def test_render_every_output(tmp_path, kind):
    out = tmp_path / f"r.{kind}"
    result = invoke("render", SEEDS / "001_1091e914623cb50c.txt", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 100
    assert not list(tmp_path.glob(".*.tmp"))


def test_render_unknown_format_writes_nothing(tmp_path):
    out = tmp_path / "r.odt"
    result = invoke("render", SEEDS / "001_1091e914623cb50c.txt", "-o", out)
    assert result.exit_code == 2
    assert "不支持的输出格式" in result.stderr
    assert not out.exists()


def test_render_bad_json(tmp_path):
    src = tmp_path / "r.json"
    src.write_text('{"format": "gb2021", "cells": {', encoding="utf-8")
    result = invoke("render", src, "-o", tmp_path / "o.md")
    assert result.exit_code == 2
    assert "JSON 格式错误" in result.stderr and "第1行" in result.stderr
    src.write_text('{"format": "gb2030"}', encoding="utf-8")
    assert "未知的报告格式" in invoke("render", src, "-o", tmp_path / "o.md").stderr
    src.write_text('{"format": "gb2021", "cells": {"t3.new.total": "三"}}', encoding="utf-8")
    assert "不是数字" in invoke("render", src, "-o", tmp_path / "o.md").stderr


def test_main_catches_unexpected_errors(monkeypatch, capsys, tmp_path):
    import gongkai.cli as cli

    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))  # the crash report goes there

    def boom(**_kw):
        raise RuntimeError("意外")

    monkeypatch.setattr(cli, "app", boom)
    with pytest.raises(SystemExit) as e:
        cli.main()
    assert e.value.code == 70
    assert "内部错误" in capsys.readouterr().err
    assert list((tmp_path / "crash-reports").glob("gongkai-crash-*.txt"))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check"], "缺少参数 文件"),
        (["check", "--bogus", "x"], "没有选项 --bogus"),
        (["frob"], "没有这个命令：frob"),
        (["render", "x.json"], "缺少参数 -o"),
        (["fee", "--count", "三十"], "--count 的值“三十”无效：应为整数"),
        (["serve", "--workers", "0"], "--workers 的值“0”无效：应不小于 1"),
        (["review", "d", "-o", "x.xlsx", "--jobs", "1.5"], "--jobs 的值“1.5”无效：应为整数"),
        (["render", "x.json", "-o"], "选项 -o 缺少值"),
        (["check", "x", "--json=3"], "选项 --json 不带值"),
        (["calendar", "import", "a", "b"], "多余的参数：b。"),
        (["chek"], "没有这个命令：chek（是不是 check？）"),
        (["office", "frob"], "没有这个命令：frob"),
    ],
)
def test_usage_errors_in_chinese(monkeypatch, capsys, argv, message):
    import sys

    import gongkai.cli as cli

    monkeypatch.setattr(sys, "argv", ["gongkai", *argv])
    with pytest.raises(SystemExit) as e:
        cli.main()
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "用法错误" in err


def test_no_command_shows_the_help(monkeypatch, capsys):
    import sys

    import gongkai.cli as cli

    monkeypatch.setattr(sys, "argv", ["gongkai", "office"])
    with pytest.raises(SystemExit) as e:
        cli.main()
    assert e.value.code == 2
    shown = capsys.readouterr()
    assert "office [选项] 命令 [参数]..." in shown.out and "migrate" in shown.out
    assert shown.err == ""


def test_main_exit_codes(monkeypatch):
    import sys

    import gongkai.cli as cli

    monkeypatch.setattr(sys, "argv", ["gongkai", "check", str(SEEDS / "002_8b31c2dd8fc8d049.txt")])
    with pytest.raises(SystemExit) as e:
        cli.main()
    assert e.value.code == 1


def _command_paths(command, path=()):
    yield list(path)
    for name, sub in getattr(command, "commands", {}).items():
        yield from _command_paths(sub, (*path, name))


def test_every_help_screen_is_in_chinese():
    """Typer's own words (usage line, help option, required/default notes, type names) are
    Chinese on every command's help screen; what stays Latin is names: options, values, formats."""
    import re

    import typer.main

    english = re.compile(
        r"Usage|OPTIONS|COMMAND|ARGS|Show this|required|default|<(?:bool|int|str|path|float)|Arguments"
    )
    paths = list(_command_paths(typer.main.get_command(app)))
    assert len(paths) >= 20
    for path in paths:
        result = runner.invoke(app, [*path, "-h"], terminal_width=200)
        assert result.exit_code == 0, path
        assert "用法：" in result.output and "显示本帮助并退出" in result.output, path
        assert english.findall(result.output) == [], (path, result.output)


def test_no_private_typer_or_click_modules():
    """The CLI uses Typer's and Click's public API only, so Typer can move within its pinned range."""
    import re
    from pathlib import Path

    import gongkai.cli

    private = re.compile(r"\b(?:typer|click)\._|from\s+(?:typer|click)\s+import\s+_")
    src = Path(gongkai.cli.__file__).parent
    found = [
        f"{p}:{n}"
        for p in src.rglob("*.py")
        for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
        if private.search(line)
    ]
    assert found == []
