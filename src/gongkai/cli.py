"""Command line: ``gongkai parse | check | render``.

User errors are printed as Chinese messages with a non-zero exit code, never a traceback.
Exit codes: 0 fine, 1 the report has errors (check), 2 a file could not be read.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
import typer.core
import typer.rich_utils
from rich.console import Console
from rich.table import Table
from typer._click import core as click_core
from typer._click import exceptions as click_errors

from . import cli_letters, cli_office, cli_review, cli_time
from .errors import GongkaiError
from .office.api import cli as cli_api
from .parse import parse_page_images, parse_path
from .report import Report

# Typer's own words on its help screens, in Chinese. Its panel titles and notes are module
# constants; the usage line, the help option's text and the type column come from its classes,
# which have no setting for them (tests/test_cli.py reads every help screen for English).
USAGE_WORDS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}
TYPE_WORDS = {
    "int": "整数",
    "integer": "整数",
    "float": "数",
    "str": "文本",
    "text": "文本",
    "path": "路径",
    "Path": "路径",
}


def _type_label(label: str | None) -> str | None:
    """``<int>`` → ``<整数>``, ``<list[str]>`` → ``<文本…>``; none for on/off switches."""
    m = re.fullmatch(r"<(?:list\[)?(\w+)(\]| range)?>", label or "")
    if m is None:
        return label  # choices are shown as their values
    if m[1] == "bool":
        return None
    return f"<{TYPE_WORDS.get(m[1], m[1])}{'…' if m[2] == ']' else ''}>"


def _help_in_chinese() -> None:
    words = typer.rich_utils
    words.ARGUMENTS_PANEL_TITLE = "参数"
    words.OPTIONS_PANEL_TITLE = "选项"
    words.COMMANDS_PANEL_TITLE = "命令"
    words.ERRORS_PANEL_TITLE = "错误"
    words.RICH_HELP = "用“{command_path} {help_option}”查看帮助。"
    words.DEFAULT_STRING = "[默认：{}]"
    words.ENVVAR_STRING = "[环境变量：{}]"
    words.REQUIRED_LONG_STRING = "[必填]"
    words.DEPRECATED_STRING = "（已停用）"
    words.ABORTED_TEXT = "已中断。"

    command = click_core.Command  # TyperCommand and TyperGroup both
    plain_help_option = command.get_help_option

    def format_usage(self, ctx, formatter) -> None:
        pieces = [USAGE_WORDS.get(p, p) for p in self.collect_usage_pieces(ctx)]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法：")

    def get_help_option(self, ctx):
        option = plain_help_option(self, ctx)
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option

    command.format_usage = format_usage
    command.get_help_option = get_help_option
    for param in (typer.core.TyperOption, typer.core.TyperArgument):
        plain_type = param.display_type_rich
        param.display_type_rich = lambda self, ctx, plain_type=plain_type: _type_label(plain_type(self, ctx))


_help_in_chinese()

app = typer.Typer(
    help="gongkai：政府信息公开工作年度报告的解析、检查与生成。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_REPORT_ERRORS = 1
EXIT_BAD_INPUT = 2

_SEVERITY = {"error": ("错误", "bold red"), "warning": ("警告", "yellow"), "info": ("提示", "cyan")}


def _fail(e: Exception) -> None:
    err.print("[bold red]错误[/]：", end="")
    err.print(str(e), markup=False)


def load_report(path: Path) -> Report:
    """A report from a JSON file written by ``parse --cells``, or parsed from a published report."""
    if path.suffix.lower() == ".json":
        try:
            return Report.from_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise GongkaiError("文件不存在", path=str(path)) from None
        except json.JSONDecodeError as e:
            raise GongkaiError(
                f"JSON 格式错误：{e.msg}", path=str(path), where=f"第{e.lineno}行第{e.colno}列"
            ) from None
        except (ValueError, KeyError, TypeError) as e:
            raise GongkaiError(f"不是 gongkai 报告 JSON：{e}", path=str(path)) from None
        except UnicodeDecodeError:
            raise GongkaiError("JSON 文件应为 UTF-8 编码", path=str(path)) from None
    return parse_path(path)


def _dumps(obj: dict, pretty: bool) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2 if pretty else None, default=_json_default)


def _json_default(v):
    if isinstance(v, Decimal):
        return float(v)
    raise TypeError(type(v).__name__)


PAGES_HELP = "把给出的多个图片文件当作同一份报告的各页（按给出的顺序）"


def _reports(files: list[Path], pages: bool) -> Iterator[tuple[Path, str, Report | GongkaiError]]:
    """Each report to show: (its file, how to name it, the report or why it could not be read).
    With ``pages`` the files are the page images of one report, named after the first."""
    if pages:
        label = f"{files[0]} 等 {len(files)} 个图片文件" if len(files) > 1 else str(files[0])
        try:
            yield files[0], label, parse_page_images(files)
        except GongkaiError as e:
            yield files[0], label, e
        return
    for f in files:
        try:
            yield f, str(f), load_report(f)
        except GongkaiError as e:
            yield f, str(f), e


@app.command()
def parse(
    files: Annotated[
        list[Path],
        typer.Argument(help="年度报告文件（文本、网页、Word、PDF、扫描件）", metavar="文件", show_default=False),
    ],
    cells: Annotated[
        bool, typer.Option("--cells", help="输出单元格 JSON（格式、年度、单位、各单元格、章节、问题）")
    ] = False,
    pages: Annotated[bool, typer.Option("--pages", help=PAGES_HELP)] = False,
) -> None:
    """解析年度报告，输出其格式、年度、单位和全部统计数字。多个文件时每行一个 JSON 对象；--pages 时合为一份。"""
    failed = False
    several = len(files) > 1 and not pages
    for f, label, report in _reports(files, pages):
        if isinstance(report, GongkaiError):
            _fail(report)
            failed = True
            continue
        if cells:
            d = report.to_dict()
            if pages:
                d = {"file": str(f), "pages": [str(p) for p in files], **d}
            elif several:
                d = {"file": str(f), **d}
            out.print(_dumps(d, pretty=not several), markup=False)
        else:
            filled = sum(v is not None for v in report.cells.values())
            out.print(
                f"{label}：{report.agency or '（单位不详）'} {report.year or '（年度不详）'}年，"
                f"{report.spec.name}，读出 {filled}/{len(report.cells)} 个单元格，"
                f"问题 {len(report.issues)} 个",
                markup=False,
            )
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def check(
    files: Annotated[
        list[Path],
        typer.Argument(help="年度报告文件，或 parse --cells 输出的 JSON", metavar="文件", show_default=False),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出问题清单")] = False,
    pages: Annotated[bool, typer.Option("--pages", help=PAGES_HELP)] = False,
) -> None:
    """检查年度报告：表内勾稽关系、表格与章节是否齐全、正文与表格是否一致。发现错误时退出码为 1。"""
    any_error = failed = False
    for f, label, report in _reports(files, pages):
        if isinstance(report, GongkaiError):
            _fail(report)
            failed = True
            continue
        if not pages and f.suffix.lower() == ".json":
            from .checks import check as run_checks

            report = run_checks(report)
        any_error = any_error or bool(report.errors())
        if as_json:
            d = {"file": str(f), **({"pages": [str(p) for p in files]} if pages else {})}
            d["issues"] = [i.to_dict() for i in report.issues]
            out.print(_dumps(d, pretty=False), markup=False)
            continue
        _print_issues(label, report)
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)
    if any_error:
        raise typer.Exit(EXIT_REPORT_ERRORS)


def _print_issues(path: Path | str, report: Report) -> None:
    n_err = len(report.errors())
    n_warn = sum(i.severity == "warning" for i in report.issues)
    head = f"{path}（{report.agency or '单位不详'}，{report.year or '年度不详'}年，{report.spec.name}）"
    if not report.issues:
        out.print(f"[green]✓[/] {head}：未发现问题")
        return
    out.print(f"{head}：错误 {n_err} 个，警告 {n_warn} 个")
    table = Table(show_lines=False, header_style="bold")
    for col in ("级别", "代码", "位置", "说明"):
        table.add_column(col, overflow="fold")
    for i in report.issues:
        name, style = _SEVERITY.get(i.severity, (i.severity, ""))
        place = " ".join(p for p in (i.where, i.place) if p)
        table.add_row(f"[{style}]{name}[/]", i.code, place, i.message)
    out.print(table)


@app.command()
def render(
    source: Annotated[
        Path, typer.Argument(help="parse --cells 输出的 JSON，或年度报告文件", metavar="文件", show_default=False)
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件", show_default=False)],
    to: Annotated[
        str | None, typer.Option("--to", help="输出格式：docx、html、md、xlsx、json；默认按输出文件扩展名")
    ] = None,
) -> None:
    """按官方格式输出年度报告（Word、网页、Markdown、Excel 或 JSON）。"""
    from .render import FORMATS_OUT
    from .render import render as render_report

    kind = (to or output.suffix.lstrip(".")).lower()
    if kind == "markdown":
        kind = "md"
    if kind not in FORMATS_OUT:
        _fail(GongkaiError(f"不支持的输出格式“{kind or '（未指定）'}”，可选：{'、'.join(FORMATS_OUT)}"))
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        report = load_report(source)
        data = render_report(report, kind)
        write_atomic(output, data)
    except GongkaiError as e:
        _fail(e)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except OSError as e:
        _fail(GongkaiError(f"无法写入（{e.strerror}）", path=str(output)))
        raise typer.Exit(EXIT_BAD_INPUT) from None
    err.print(f"已生成 {output}（{len(data)} 字节）")


def write_atomic(path: Path, data: bytes) -> None:
    """Write all of ``data`` or nothing: a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


cli_review.register(app)
cli_office.register(app)
cli_api.register(app)
cli_time.register(app)
cli_letters.register(app)


# Why Typer (pydantic) refused a value, by error type.
VALUE_ERRORS = {
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应不大于 {le}",
    "less_than": "应小于 {lt}",
    "literal_error": "应为 {expected} 之一",
    "enum": "应为 {expected} 之一",
}


def _param_name(param) -> str:
    if isinstance(param, typer.core.TyperArgument):
        return param.metavar or param.name.upper()
    return "、".join(getattr(param, "opts", None) or [str(param.name)])


def _usage_message(e: click_errors.UsageError) -> str:
    """Typer's usage errors, said in Chinese."""
    if isinstance(e, click_errors.MissingParameter) and e.param is not None:
        return f"缺少参数 {_param_name(e.param)}"
    if isinstance(e, click_errors.NoSuchOption):
        return f"没有选项 {e.option_name}"
    if isinstance(e, click_errors.BadParameter):
        name = _param_name(e.param) if e.param is not None else "参数"
        errors = e.__cause__.errors() if hasattr(e.__cause__, "errors") else []
        if errors and errors[0]["type"] in VALUE_ERRORS:
            why = VALUE_ERRORS[errors[0]["type"]].format(**errors[0].get("ctx", {}))
            return f"{name} 的值“{errors[0]['input']}”无效：{why}"
        return f"{name} 的值无效"
    text = e.format_message()
    if text.startswith("Got unexpected extra argument"):
        return "多余的参数：" + text.split("(", 1)[-1].rstrip(")")
    if text.startswith("No such command"):
        return "没有这个命令：" + text.split(" ", 3)[-1].strip("'.")
    return text


def main() -> None:
    try:
        code = app(standalone_mode=False)
    except click_errors.UsageError as e:
        command = e.ctx.command_path if e.ctx else "gongkai"
        err.print(f"[bold red]用法错误[/]：{_usage_message(e)}。用“{command} -h”查看帮助。")
        sys.exit(2)
    except typer.Abort:
        err.print("已中断")
        sys.exit(130)
    except KeyboardInterrupt:
        err.print("已中断")
        sys.exit(130)
    except Exception as e:  # last resort: never show a traceback to a user
        err.print(f"[bold red]内部错误[/]：{type(e).__name__}: {e}。请把命令和输入文件报告给维护者。")
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
