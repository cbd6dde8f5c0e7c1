"""Command line for replies: ``gongkai fee`` (信息处理费) and ``gongkai letter`` (答复书、告知书).

Errors are printed as Chinese messages on stderr with exit code 2, never a traceback.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gongkai import fees, letters
from gongkai.errors import GongkaiError

EXIT_BAD_INPUT = 2


def _fail(error: Exception) -> None:
    Console(stderr=True, highlight=False, soft_wrap=True).print(f"[bold red]错误[/]：{error}")
    raise typer.Exit(EXIT_BAD_INPUT)


def _date(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise GongkaiError(f"{what}“{text}”不是有效日期，应写成 YYYY-MM-DD") from None


def fee(
    count: Annotated[int | None, typer.Option("--count", help="按件计收：本次申请件数（按一事一申请拆分后）")] = None,
    prior: Annotated[int, typer.Option("--prior", help="按件计收：同一申请人本自然月此前已申请件数")] = 0,
    pages: Annotated[int | None, typer.Option("--pages", help="按量计收：本次提供的页数")] = None,
    delivery: Annotated[str, typer.Option("--delivery", help="按量计收的提供方式：paper、email、data_copy")] = "paper",
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """计算政府信息公开信息处理费（国办函〔2020〕109号），按件或按量二选一。"""
    try:
        q = fees.quote(count=count, prior=prior, pages=pages, delivery=delivery)
    except ValueError as e:
        _fail(e)
    out = Console(highlight=False, soft_wrap=True)
    if as_json:
        out.print(json.dumps(q.to_dict(), ensure_ascii=False, indent=2))
        return
    for step in q.steps:
        out.print(step)
    out.print(f"依据：{q.basis}")
    out.print(fees.payment_note())


def letter(
    outcome: Annotated[
        str,
        typer.Argument(
            help="办理结果（如 granted、denied.third_party）或 correction、extension",
            metavar="种类",
            show_default=False,
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出的 .docx 文件", show_default=False)],
    agency: Annotated[str, typer.Option("--agency", help="答复机关", show_default=False)],
    applicant: Annotated[str, typer.Option("--applicant", help="申请人", show_default=False)],
    number: Annotated[str, typer.Option("--number", help="申请编号", show_default=False)],
    received: Annotated[str, typer.Option("--received", help="收到申请之日，YYYY-MM-DD", show_default=False)],
    content: Annotated[str, typer.Option("--content", help="申请获取的信息", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", help="办理结果所依据的报表格式")] = "gb2021",
    reply_date: Annotated[str | None, typer.Option("--date", help="答复日期，默认今天")] = None,
    details: Annotated[str, typer.Option("--details", help="补充说明（提供方式、理由、补正事项、延期理由）")] = "",
    basis: Annotated[str, typer.Option("--basis", help="改引的条款，如 第三十九条第一款")] = "",
    review_body: Annotated[str, typer.Option("--review-body", help="行政复议机关")] = "",
    court: Annotated[str, typer.Option("--court", help="人民法院")] = "",
    contact: Annotated[str, typer.Option("--contact", help="联系方式")] = "",
    days: Annotated[int | None, typer.Option("--days", help="告知书：补正期限或延长的工作日数")] = None,
    until: Annotated[str | None, typer.Option("--until", help="告知书：补正截止或延长后的答复期限")] = None,
) -> None:
    """生成政府信息公开申请答复书或补正、延期告知书（DOCX）。"""
    try:
        ctx = letters.LetterContext(
            agency=agency,
            applicant=applicant,
            number=number,
            received=_date(received, "--received "),
            content=content,
            reply_date=_date(reply_date, "--date ") or date.today(),
            review_body=review_body,
            court=court,
            contact=contact,
            details=details,
            basis=basis,
        )
        if outcome in letters.NOTICES:
            if days is None:
                raise GongkaiError("告知书需要 --days")
            data = letters.render_notice(outcome, ctx, days=days, until=_date(until, "--until "))
        else:
            data = letters.render_letter(outcome, fmt, ctx)
    except (GongkaiError, ValueError) as e:
        _fail(e)
    try:
        output.write_bytes(data)
    except OSError as e:
        _fail(GongkaiError(f"无法写入（{e.strerror}）", path=str(output)))
    Console(stderr=True, highlight=False).print(f"已生成 {output}")


def register(app: typer.Typer) -> None:
    """Add ``fee`` and ``letter`` to the main app."""
    app.command("fee")(fee)
    app.command("letter")(letter)
