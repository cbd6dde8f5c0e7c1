"""Command line for time: ``gongkai deadline`` and ``gongkai calendar import``.

Errors are printed as Chinese messages on stderr with exit code 2, never a traceback.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gongkai.cli_help import ChineseCommand, ChineseGroup
from gongkai.deadlines import CHANNEL_WORDS, Channel, deadline_from_cli
from gongkai.errors import GongkaiError
from gongkai.fileio import json_text
from gongkai.workdays import Calendar, import_year_file, load_year_file

EXIT_BAD_INPUT = 2


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True, emoji=False)


def _fail(error: Exception) -> None:
    err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
    err.print("[bold red]错误[/]：", end="")
    err.print(str(error), markup=False)  # paths and values the user gave are text, never markup
    raise typer.Exit(EXIT_BAD_INPUT)


def _parse_date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise GongkaiError(f"{what}“{text}”不是有效日期，应写成 YYYY-MM-DD") from None


def _parse_pause(text: str) -> tuple[date, date]:
    start, sep, end = text.partition(":")
    if not sep:
        raise GongkaiError(f"--pause“{text}”应写成 开始日期:结束日期，例如 2024-10-08:2024-10-20")
    return _parse_date(start, "--pause 的开始日期"), _parse_date(end, "--pause 的结束日期")


def _parse_channel(text: str | None) -> str | None:
    if text is None:
        return None
    if text in CHANNEL_WORDS:
        return CHANNEL_WORDS[text].value
    if text in {c.value for c in Channel}:
        return text
    known = "、".join([*CHANNEL_WORDS, *(c.value for c in Channel)])
    raise GongkaiError(f"--channel“{text}”无法识别，可用：{known}")


def deadline(
    received: Annotated[
        str, typer.Option("--received", help="收到申请之日（第三十一条），YYYY-MM-DD", show_default=False)
    ],
    extension: Annotated[
        int | None, typer.Option("--extension", help="经负责人同意延长的工作日数（最多20，第三十三条）")
    ] = None,
    pause: Annotated[
        list[str] | None,
        typer.Option(
            "--pause",
            help="征求意见的区间，开始:结束，可重复；不计入期限，但每次至多到被征求方的15个工作日期满（第三十三条第三款）",
        ),
    ] = None,
    channel: Annotated[
        str | None, typer.Option("--channel", help="收到渠道：当面、邮寄、信函、网络、传真", show_default=False)
    ] = None,
    confirmed: Annotated[
        str | None,
        typer.Option(
            "--confirmed",
            help="信函、网络、传真：与申请人确认之日，YYYY-MM-DD；此时 --received 为提交之日（第三十一条）",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """计算依申请公开的答复期限，并列出推算过程。"""
    try:
        result = deadline_from_cli(
            _parse_date(received, "--received"),
            extension,
            [_parse_pause(p) for p in pause or ()],
            _parse_channel(channel),
            Calendar(),
            confirmed=_parse_date(confirmed, "--confirmed") if confirmed else None,
        )
        data = result.to_dict()
    except GongkaiError as e:
        _fail(e)
    out = _out()
    if as_json:
        out.print(json_text(data, indent=2), markup=False)
        return
    out.print(f"[bold]答复期限：{data['due'] or '暂不计算'}[/]")
    if result.correction_due is not None:
        out.print(f"补正告知期限：{result.correction_due.isoformat()}（第三十条）")
    if result.provisional:
        out.print("[yellow]暂定：所涉年份尚无国务院节假日安排通知，只计入放假办法规定的节日，调休未知[/]")
    for alert in result.alerts:
        out.print(f"注意：{alert.message}", style="yellow", markup=False)
    for number, step in enumerate(data["steps"], start=1):
        out.print(f"{number:>2}. {step}", markup=False)


def calendar_import(
    path: Annotated[Path, typer.Argument(help="年度节假日安排文件 YYYY.toml", metavar="文件", show_default=False)],
) -> None:
    """导入国务院公布的某年节假日安排（TOML 文件），校验后保存到日历目录。"""
    try:
        data = load_year_file(path)
        target = import_year_file(path)
    except GongkaiError as e:
        _fail(e)
    source = f"，依据 {data.source}" if data.source else ""
    _out().print(
        f"已导入 {data.year} 年节假日安排{source}：放假 {len(data.holidays)} 天，"
        f"调休上班 {len(data.workdays)} 天。保存为 {target}",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``deadline`` and ``calendar import`` to the main app."""
    app.command("deadline", cls=ChineseCommand)(deadline)
    calendar_app = typer.Typer(cls=ChineseGroup, help="法定节假日与调休日历。", no_args_is_help=True)
    calendar_app.command("import", cls=ChineseCommand)(calendar_import)
    app.add_typer(calendar_app, name="calendar")
