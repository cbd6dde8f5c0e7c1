"""Command line: ``gongkai parse | check | render``.

User errors are printed as Chinese messages with a non-zero exit code, never a traceback.
Exit codes: 0 fine, 1 the report has errors (check), 2 a file could not be read.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
import typer.core
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from . import cli_collect, cli_letters, cli_office, cli_review, cli_time, crash
from .cli_help import ChineseCommand, ChineseGroup
from .errors import GongkaiError
from .fileio import json_text, write_atomic
from .ingest import MAX_BYTES
from .office.api import cli as cli_api
from .parse import parse_page_images, parse_path
from .report import Report

app = typer.Typer(
    cls=ChineseGroup,
    help="gongkai：政府信息公开工作年度报告的解析、检查与生成。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
# Text from documents, paths and exceptions is printed as text: markup=False, or escape() into a
# string that has markup of ours; never an emoji code (:name:) turned into a picture.
out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

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
            if path.is_file() and path.stat().st_size > MAX_BYTES:
                raise GongkaiError(f"文件过大，超过 {MAX_BYTES // 1048576} MB 上限", path=str(path))
            return Report.from_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise GongkaiError("文件不存在", path=str(path)) from None
        except IsADirectoryError:
            raise GongkaiError("这是一个目录，不是文件", path=str(path)) from None
        except OSError as e:
            raise GongkaiError(f"无法读取文件（{e.strerror}）", path=str(path)) from None
        except RecursionError:
            raise GongkaiError("JSON 嵌套过深，不是 gongkai 报告 JSON", path=str(path)) from None
        except json.JSONDecodeError as e:
            raise GongkaiError(
                f"JSON 格式错误：{e.msg}", path=str(path), where=f"第{e.lineno}行第{e.colno}列"
            ) from None
        except UnicodeDecodeError as e:
            raise GongkaiError(f"JSON 文件应为 UTF-8 编码（第 {e.start} 字节处不是）", path=str(path)) from None
        except KeyError as e:
            raise GongkaiError(f"不是 gongkai 报告 JSON：缺少 {e}", path=str(path)) from None
        except (ValueError, TypeError) as e:
            raise GongkaiError(f"不是 gongkai 报告 JSON：{e}", path=str(path)) from None
    return _limited(parse_path, path, source=str(path))


def _limited(fn, *args, source: str):
    """``fn(*args)`` under review's default time and memory limits (gongkai.batch.pool.run_limited)."""
    from .batch.pool import run_limited

    return run_limited(fn, *args, source=source)


def _dumps(obj: dict, pretty: bool) -> str:
    return json_text(obj, indent=2 if pretty else None)  # strict: no NaN or Infinity, ever


PAGES_HELP = "把给出的多个图片文件当作同一份报告的各页（按给出的顺序）"


def _reports(files: list[Path], pages: bool) -> Iterator[tuple[Path, str, Report | GongkaiError]]:
    """Each report to show: (its file, how to name it, the report or why it could not be read).
    With ``pages`` the files are the page images of one report, named after the first."""
    if pages:
        label = f"{files[0]} 等 {len(files)} 个图片文件" if len(files) > 1 else str(files[0])
        try:
            yield files[0], label, _limited(parse_page_images, files, source=str(files[0]))
        except GongkaiError as e:
            yield files[0], label, e
        return
    for f in files:
        try:
            yield f, str(f), load_report(f)
        except GongkaiError as e:
            yield f, str(f), e


@app.command(cls=ChineseCommand)
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


@app.command(cls=ChineseCommand)
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
        out.print(f"[green]✓[/] {escape(head)}：未发现问题")
        return
    out.print(f"{head}：错误 {n_err} 个，警告 {n_warn} 个", markup=False)
    table = Table(show_lines=False, header_style="bold")
    for col in ("级别", "代码", "位置", "说明"):
        table.add_column(col, overflow="fold")
    for i in report.issues:
        name, style = _SEVERITY.get(i.severity, (i.severity, ""))
        place = " ".join(p for p in (i.where, i.place) if p)
        table.add_row(Text(name, style=style), Text(i.code), Text(place), Text(i.message))  # Text: never markup
    out.print(table)


@app.command(cls=ChineseCommand)
def render(
    source: Annotated[
        Path, typer.Argument(help="parse --cells 输出的 JSON，或年度报告文件", metavar="文件", show_default=False)
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件", show_default=False)],
    to: Annotated[
        str | None, typer.Option("--to", help="输出格式：docx、pdf、html、md、xlsx、json；默认按输出文件扩展名")
    ] = None,
) -> None:
    """按官方格式输出年度报告（Word、PDF、网页、Markdown、Excel 或 JSON）。"""
    from .render import FORMATS_OUT
    from .render import render as render_report
    from .render.pdf import warning as pdf_font_warning

    kind = (to or output.suffix.lstrip(".")).lower()
    if kind == "markdown":
        kind = "md"
    if kind not in FORMATS_OUT:
        _fail(GongkaiError(f"不支持的输出格式“{kind or '（未指定）'}”，可选：{'、'.join(FORMATS_OUT)}"))
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        report = load_report(source)
        if kind == "pdf" and (note := pdf_font_warning(report)):
            err.print(note, style="yellow", markup=False)
        data = render_report(report, kind)
        write_atomic(output, data)
    except GongkaiError as e:
        _fail(e)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except OSError as e:
        _fail(GongkaiError(f"无法写入（{e.strerror}）", path=str(output)))
        raise typer.Exit(EXIT_BAD_INPUT) from None
    err.print(f"已生成 {output}（{len(data)} 字节）", markup=False)


cli_review.register(app)
cli_office.register(app)
cli_api.register(app)
cli_time.register(app)
cli_letters.register(app)
cli_collect.register(app)


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


def _is_a(e: BaseException, name: str) -> bool:
    """Whether ``e`` is Click's exception ``name`` or a subclass of it. Typer bundles its own Click
    and exports only ``BadParameter`` of its usage errors, so the others are known by their
    documented class names, as Typer itself recognises ``NoArgsIsHelpError``."""
    return any(cls.__name__ == name for cls in type(e).__mro__)


def _usage_message(e: Exception) -> str:
    """Typer's usage errors, said in Chinese."""
    if _is_a(e, "MissingParameter") and e.param is not None:
        return f"缺少参数 {_param_name(e.param)}"
    if _is_a(e, "NoSuchOption"):
        return f"没有选项 {e.option_name}"
    if isinstance(e, typer.BadParameter):
        name = _param_name(e.param) if e.param is not None else "参数"
        errors = e.__cause__.errors() if hasattr(e.__cause__, "errors") else []
        if errors and errors[0]["type"] in VALUE_ERRORS:
            why = VALUE_ERRORS[errors[0]["type"]].format(**errors[0].get("ctx", {}))
            return f"{name} 的值“{errors[0]['input']}”无效：{why}"
        return f"{name} 的值无效"
    text = e.format_message()
    if _is_a(e, "BadOptionUsage"):
        if "does not take a value" in text:
            return f"选项 {e.option_name} 不带值"
        if "requires" in text:
            return f"选项 {e.option_name} 缺少值"
    if text.startswith("Got unexpected extra argument"):
        return "多余的参数：" + text.rsplit("(", 1)[-1].rstrip(")")  # "... argument(s) (a b)"
    if m := re.match(r"No such command '(.+?)'\.(?: Did you mean (.+)\?)?", text):
        suggestions = (m[2] or "").replace("'", "").replace(", ", "、")
        return f"没有这个命令：{m[1]}" + (f"（是不是 {suggestions}？）" if suggestions else "")
    if text.startswith("Missing command"):
        return "缺少命令"
    return f"参数有误（{text}）"


def _internal_error(e: BaseException) -> int:
    """Last resort for our own bugs: a crash report file, a Chinese message naming it, exit 70.
    Never a traceback on screen; the exception's text may quote a document, so it is shown as text."""
    try:
        report = crash.write_report(e)
    except Exception:  # the report is a courtesy: failing to write it must not hide the error
        report = None
    err.print("[bold red]内部错误[/]：", end="")
    where = f"错误报告已写入 {report}，请把它和所用的命令发给维护者" if report else "请把命令和输入文件报告给维护者"
    err.print(f"gongkai 自身出错（{type(e).__name__}），这不是输入文件的问题。{where}。", markup=False)
    return crash.EXIT_BUG


def main() -> None:
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        err.print("已中断")
        sys.exit(130)
    except KeyboardInterrupt:
        err.print("已中断")
        sys.exit(130)
    except Exception as e:
        if _is_a(e, "NoArgsIsHelpError"):  # its help screen is already shown
            sys.exit(2)
        if _is_a(e, "UsageError"):
            command = e.ctx.command_path if getattr(e, "ctx", None) else "gongkai"
            err.print("[bold red]用法错误[/]：", end="")
            err.print(f"{_usage_message(e)}。用“{command} -h”查看帮助。", markup=False)
            sys.exit(2)
        sys.exit(_internal_error(e))
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
