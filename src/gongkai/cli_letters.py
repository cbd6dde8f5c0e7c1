"""Command line for replies: ``gongkai fee`` (信息处理费) and ``gongkai letter`` (答复书、告知书).

Errors are printed as Chinese messages on stderr with exit code 2, never a traceback. A notice
dated later than the law allows (``notices.timing_warnings``) is still written, with a warning
on stderr.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gongkai import fees, letters, notices
from gongkai.cli_help import ChineseCommand
from gongkai.errors import GongkaiError
from gongkai.fileio import json_text

EXIT_BAD_INPUT = 2


def _fail(error: Exception) -> None:
    err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
    err.print("[bold red]错误[/]：", end="")
    err.print(str(error), markup=False)  # paths and values the user gave are text, never markup
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
        out.print(json_text(q.to_dict(), indent=2), markup=False)
        return
    for step in q.steps:
        out.print(step, markup=False)
    out.print(f"依据：{q.basis}", markup=False)
    out.print(fees.payment_note(), markup=False)


# The option that gives each piece of letter content (``letters.FIELDS`` keys), for error messages.
OPTIONS = {
    "provide_by": "--provide-by",
    "provide_at": "--provide-at",
    "provide_date": "--provide-date",
    "not_held_reason": "--not-held-reason",
    "responsible_agency": "--responsible-agency",
    "responsible_contact": "--responsible-contact",
    "withheld": "--withheld",
    "procedure": "--procedure",
    "basis": "--basis",
    "third_party": "--third-party",
    "pay_how": "--pay-how",
    "details": "--details",
}
NOTICE_KINDS = ("correction", "extension", "consultation", "fee")


def _with_options(error: letters.LetterError) -> GongkaiError:
    if not error.missing:
        return error
    given = "、".join(OPTIONS[m] for m in error.missing if m in OPTIONS)
    return GongkaiError(f"{error}（请用 {given} 给出）" if given else str(error))


def _notice(kind: str, ctx: letters.LetterContext, o: dict) -> bytes:
    if kind == "consultation":
        return notices.render_consultation(ctx, third_party=o["third_party"], served=o["served"])
    if kind == "fee":
        quote = fees.quote(count=o["count"], prior=o["prior"], pages=o["pages"], delivery=o["delivery"])
        return notices.render_fee_notice(ctx, quote, pay_how=o["pay_how"], served=o["served"])
    if o["days"] is None:
        raise GongkaiError("告知书需要 --days")
    return notices.render_notice(kind, ctx, days=o["days"], until=o["until"])


def letter(
    outcome: Annotated[
        str,
        typer.Argument(
            help="办理结果（如 granted、denied.third_party）或告知书：correction、extension、consultation、fee",
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
    reply_date: Annotated[str | None, typer.Option("--date", help="答复（告知）日期，默认今天")] = None,
    doc_number: Annotated[str, typer.Option("--doc-number", help="文号")] = "",
    details: Annotated[
        str, typer.Option("--details", help="补充说明（理由、补正事项、延期理由、涉及第三方的情况）")
    ] = "",
    basis: Annotated[str, typer.Option("--basis", help="改引的条款（如 第三十九条第一款）或常用依据")] = "",
    review_body: Annotated[str, typer.Option("--review-body", help="行政复议机关，如 某某县人民政府")] = "",
    court: Annotated[str, typer.Option("--court", help="人民法院")] = "",
    contact: Annotated[str, typer.Option("--contact", help="联系方式")] = "",
    published: Annotated[
        bool, typer.Option("--published", help="予以公开：信息已主动公开（第三十六条（一））")
    ] = False,
    provide_by: Annotated[str, typer.Option("--provide-by", help="予以公开：提供方式，如 电子邮件、纸质件")] = "",
    provide_at: Annotated[str, typer.Option("--provide-at", help="予以公开：获取途径或地点")] = "",
    provide_date: Annotated[str | None, typer.Option("--provide-date", help="予以公开：提供时间，YYYY-MM-DD")] = None,
    not_held_reason: Annotated[
        str,
        typer.Option(
            "--not-held-reason", help="本机关不掌握：absent（信息不存在）或 elsewhere（不属于本机关负责公开）"
        ),
    ] = "",
    responsible_agency: Annotated[str, typer.Option("--responsible-agency", help="负责公开该信息的机关")] = "",
    responsible_contact: Annotated[str, typer.Option("--responsible-contact", help="该机关的联系方式")] = "",
    withheld: Annotated[str, typer.Option("--withheld", help="部分公开：不予公开部分的理由，如 third_party")] = "",
    procedure: Annotated[str, typer.Option("--procedure", help="行政查询事项：应依照的规定及办理途径")] = "",
    days: Annotated[int | None, typer.Option("--days", help="告知书：补正期限或延长的工作日数")] = None,
    until: Annotated[str | None, typer.Option("--until", help="告知书：补正截止或延长后的答复期限")] = None,
    due: Annotated[
        str | None, typer.Option("--due", help="延期、收费告知书：台账算出的答复期限（默认收到后第20个工作日）")
    ] = None,
    third_party: Annotated[str, typer.Option("--third-party", help="征求意见书：第三方名称")] = "",
    served: Annotated[str | None, typer.Option("--served", help="征求意见书、收费通知书：对方收到之日")] = None,
    count: Annotated[int | None, typer.Option("--count", help="收费通知书：按件计收的件数")] = None,
    prior: Annotated[int, typer.Option("--prior", help="收费通知书：本自然月此前已申请件数")] = 0,
    pages: Annotated[int | None, typer.Option("--pages", help="收费通知书：按量计收的页数")] = None,
    delivery: Annotated[str, typer.Option("--delivery", help="收费通知书：按量计收的提供方式")] = "paper",
    pay_how: Annotated[str, typer.Option("--pay-how", help="收费通知书：缴纳方式")] = "",
) -> None:
    """生成政府信息公开申请答复书，或补正、延期、征求第三方意见、收费告知书（DOCX）。"""
    warn = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
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
            doc_number=doc_number,
            published=published,
            provide_by=provide_by,
            provide_at=provide_at,
            provide_date=_date(provide_date, "--provide-date "),
            not_held_reason=not_held_reason,
            responsible_agency=responsible_agency,
            responsible_contact=responsible_contact,
            withheld=withheld,
            procedure=procedure,
        )
        if outcome in NOTICE_KINDS:
            extra = {"days": days, "until": _date(until, "--until "), "third_party": third_party}
            extra |= {"served": _date(served, "--served "), "count": count, "prior": prior, "pages": pages}
            extra |= {"delivery": delivery, "pay_how": pay_how}
            data = _notice(outcome, ctx, extra)
            flags = notices.timing_warnings(outcome, ctx, due=_date(due, "--due "))
        else:
            data = letters.render_letter(outcome, fmt, ctx)
            flags = []
    except letters.LetterError as e:
        _fail(_with_options(e))
    except (GongkaiError, ValueError) as e:
        _fail(e)
    try:
        output.write_bytes(data)
    except OSError as e:
        _fail(GongkaiError(f"无法写入（{e.strerror}）", path=str(output)))
    for flag in flags:
        warn.print("[bold yellow]警告[/]：", end="")
        warn.print(flag, markup=False)
    warn.print(f"已生成 {output}", markup=False)


def register(app: typer.Typer) -> None:
    """Add ``fee`` and ``letter`` to the main app."""
    app.command("fee", cls=ChineseCommand)(fee)
    app.command("letter", cls=ChineseCommand)(letter)
