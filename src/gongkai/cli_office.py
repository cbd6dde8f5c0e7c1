"""Command line for the office's system: ``gongkai import``, ``gongkai report build|submit|close-expired``,
``gongkai agency add|list`` and ``gongkai office migrate|manage|digest``.

Each command configures Django (``gongkai.office.setup``), brings the schema up to date and
calls one service; user errors are Chinese messages with exit code 2. ``report build`` exits
with 1 when the built report has errors, like ``gongkai check``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gongkai.cli_help import ChineseCommand, ChineseGroup
from gongkai.errors import GongkaiError

EXIT_REPORT_ERRORS = 1
EXIT_BAD_INPUT = 2
CLI_USERNAME = "gongkai-cli"

_SEVERITY = {"error": ("错误", "bold red"), "warning": ("警告", "yellow"), "info": ("提示", "cyan")}


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True, emoji=False)


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def _fail(error: Exception, lines: list[str] = ()) -> None:
    err = _err()
    err.print("[bold red]错误[/]：", end="")
    err.print(str(error), markup=False)
    for line in lines:
        err.print(f"  {line}", markup=False)
    raise typer.Exit(EXIT_BAD_INPUT)


def _setup() -> None:
    from gongkai.office import setup

    setup(migrate=True)


def _actor(username: str | None):
    """The user the command acts as: ``--user``, or the local command-line account."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    if username:
        try:
            return users.get(username=username)
        except users.model.DoesNotExist:
            raise GongkaiError(f"没有用户“{username}”") from None
    user, created = users.get_or_create(
        username=CLI_USERNAME, defaults={"first_name": "命令行", "is_superuser": True, "is_staff": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def template_path() -> Path:
    return Path(__file__).resolve().parent / "data" / "templates" / "ledger.xlsx"


UserOption = Annotated[
    str | None, typer.Option("--user", help="以哪个用户的身份操作（默认：本机命令行账户）", show_default=False)
]


def import_ledger(
    ledger: Annotated[
        Path | None, typer.Argument(help="Excel 台账（.xlsx）", metavar="台账", show_default=False)
    ] = None,
    agency: Annotated[str | None, typer.Option("--agency", help="机关名称", show_default=False)] = None,
    template: Annotated[
        Path | None, typer.Option("--template", help="把空白台账模板写到此文件，不导入", show_default=False)
    ] = None,
    user: UserOption = None,
) -> None:
    """导入依申请公开台账（Excel）。先校验全部行，有任何错误则一件也不导入。"""
    if template is not None:
        try:
            template.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(template_path(), template)
        except OSError as e:
            _fail(GongkaiError(f"无法写入（{e.strerror}）", path=str(template)))
        _out().print(f"已写出台账模板 {template}", markup=False)
        return
    if ledger is None or not agency:
        _fail(GongkaiError("请指定台账文件和 --agency 机关名称，例如：gongkai import 台账.xlsx --agency 某县人民政府"))
    _setup()
    from gongkai.office.agencies.services import agency_by_name
    from gongkai.office.applications.ledger import LedgerRejected
    from gongkai.office.applications.services import LedgerInput
    from gongkai.office.applications.services import import_ledger as run_import

    try:
        target = agency_by_name(agency)
        result = run_import(_actor(user), LedgerInput(agency=target, path=str(ledger)))
    except LedgerRejected as e:
        _fail(e, [str(p) for p in e.problems])
    except GongkaiError as e:
        _fail(e)
    out = _out()
    for notice in result.notices:
        out.print("[cyan]提示[/]：", end="")
        out.print(str(notice), markup=False)
    out.print(f"已导入 {result.imported} 件申请到“{target}”", markup=False)


def report_build(
    agency: Annotated[str, typer.Option("--agency", help="机关名称", show_default=False)],
    year: Annotated[int, typer.Option("--year", help="报告年度", show_default=False)],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="把报告写成 JSON 文件", show_default=False)
    ] = None,
    new_draft: Annotated[
        bool,
        typer.Option(
            "--new-draft",
            help="已报送或已锁定的报告不能另存新草稿，须上级退回修改；退回后生成即为新版本，无须此项",
            hidden=True,
        ),
    ] = False,
    user: UserOption = None,
) -> None:
    """由台账生成年度报告草稿（表二、表三、表四和正文初稿），并检查。

    人工撰写过的正文部分保留不变；已报送或已锁定的报告须上级退回修改后，才生成新版本。
    """
    _setup()
    from gongkai.office.agencies.services import agency_by_name
    from gongkai.office.annual.sections import LABELS, offers
    from gongkai.office.annual.services import BuildInput, build_annual_report

    try:
        target = agency_by_name(agency)
        stored, report = build_annual_report(_actor(user), BuildInput(agency=target, year=year))
        if output is not None:
            from gongkai.fileio import write_atomic

            try:
                write_atomic(output, (report.to_json(indent=2) + "\n").encode("utf-8"))
            except OSError as e:
                raise GongkaiError(f"无法写入（{e.strerror}）", path=str(output)) from None
    except GongkaiError as e:
        _fail(e)
    out = _out()
    errors = report.errors()
    warnings = sum(i.severity == "warning" for i in report.issues)
    out.print(
        f"已生成{target}{year}年度报告第{stored.version}版草稿（{report.spec.name}，第{stored.pk}号）："
        f"本年新收申请 {report.get('t3.new.total')} 件，办结 {report.get('t3.total.total')} 件，"
        f"结转 {report.get('t3.carried_out.total')} 件；错误 {len(errors)} 个，警告 {warnings} 个",
        markup=False,
    )
    for issue in report.issues:
        name, style = _SEVERITY.get(issue.severity, (issue.severity, ""))
        out.print(f"[{style}]{name}[/] ", end="")
        out.print(f"{issue.where}：{issue.message}", markup=False)
    kept = offers(stored)
    if kept:
        names = "、".join(f"“{LABELS[k]}”" for k in kept)
        out.print(f"{names}保留了人工撰写的文本（新生成的文本可在网页的年度报告页对照采用）", markup=False)
    if output is not None:
        out.print(f"已写出 {output}", markup=False)
    if errors:
        raise typer.Exit(EXIT_REPORT_ERRORS)


def report_submit(
    agency: Annotated[str, typer.Option("--agency", help="机关名称", show_default=False)],
    year: Annotated[int, typer.Option("--year", help="报告年度", show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="不再询问，直接确认报送")] = False,
    user: UserOption = None,
) -> None:
    """报送年度报告草稿：先重新检查（有错误、“【待补充】”占位文字或空白部分的不能报送），确认后报送。"""
    _setup()
    from gongkai.office.agencies.services import agency_by_name
    from gongkai.office.annual.models import AnnualReport
    from gongkai.office.annual.services import SubmissionRefused, SubmitInput, submit_report
    from gongkai.office.annual.versions import submission_problems

    out = _out()
    try:
        target = agency_by_name(agency)
        draft = AnnualReport.objects.latest_for(target, year)
        if draft is None:
            raise GongkaiError(f"{target}{year}年度报告尚未生成，请先运行 gongkai report build")
        problems = submission_problems(draft) if draft.is_draft else []
        if problems:
            raise SubmissionRefused(problems)
        if draft.is_draft and not yes:
            out.print(
                f"将报送{target}{year}年度报告第{draft.version}版；报送后不能再修改（须上级退回修改）。", markup=False
            )
            if not typer.confirm("确认报送？", default=False):
                out.print("未报送。", markup=False)
                raise typer.Exit(EXIT_BAD_INPUT)
        submitted = submit_report(_actor(user), SubmitInput(report=draft, confirmed=True))
    except SubmissionRefused as e:
        _fail(GongkaiError(f"年度报告有 {len(e.problems)} 处需要修正，修正后才能报送："), e.problems)
    except GongkaiError as e:
        _fail(e)
    out.print(f"已报送{target}{year}年度报告第{submitted.version}版", markup=False)


def report_close_expired(
    agency: Annotated[str, typer.Option("--agency", help="机关名称", show_default=False)],
    year: Annotated[
        int | None, typer.Option("--year", help="办结该年度报告所列的申请（默认：到今天为止已届满的全部）")
    ] = None,
    number: Annotated[
        list[str] | None, typer.Option("--number", help="只办结这些申请编号（可重复）", show_default=False)
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只列出，不办结")] = False,
    user: UserOption = None,
) -> None:
    """办结补正期限或缴费期限已届满、申请人未补正或未缴费的申请（视为放弃申请），一次完成。"""
    _setup()
    from datetime import date

    from django.utils import timezone

    from gongkai.office.agencies.services import agency_by_name
    from gongkai.office.annual.expired import REASONS, CloseExpiredInput, close_expired, expired
    from gongkai.office.applications.vocabulary import OUTCOME_CHOICES

    out = _out()
    try:
        target = agency_by_name(agency)
        if dry_run:
            today = timezone.localdate()
            found = expired(target, min(date(year, 12, 31), today) if year else today)
            for e in found:
                out.print(f"{e.describe()}：{REASONS[e.reason].what}", markup=False)
            out.print(f"共 {len(found)} 件可视为放弃申请（未办结，去掉 --dry-run 即办结）", markup=False)
            return
        closed = close_expired(_actor(user), CloseExpiredInput(agency=target, year=year, numbers=tuple(number or ())))
    except GongkaiError as e:
        _fail(e)
    labels = dict(OUTCOME_CHOICES)
    for c in closed:
        out.print(
            f"{c.number}：{c.day.isoformat()} {labels.get(c.outcome, c.outcome)}（依据{c.grounds}）", markup=False
        )
    if closed:
        out.print(f"已办结 {len(closed)} 件申请（视为放弃申请）", markup=False)
    else:
        out.print("没有补正期限或缴费期限已届满而未办结的申请", markup=False)


def agency_add(
    name: Annotated[str, typer.Argument(help="机关名称", metavar="名称", show_default=False)],
    parent: Annotated[str | None, typer.Option("--parent", help="上级机关名称", show_default=False)] = None,
    user: UserOption = None,
) -> None:
    """添加机关（可指定上级机关）。"""
    _setup()
    from gongkai.office.agencies.services import AgencyInput, create_agency

    try:
        created = create_agency(_actor(user), AgencyInput(name=name, parent=parent))
    except GongkaiError as e:
        _fail(e)
    _out().print(f"已添加机关“{created}”" + (f"，上级机关“{created.parent}”" if created.parent else ""), markup=False)


def agency_list() -> None:
    """列出全部机关。"""
    _setup()
    from gongkai.office.agencies.models import Agency

    out = _out()
    agencies = list(Agency.objects.select_related("parent"))
    if not agencies:
        out.print("尚未添加机关。用 gongkai agency add 机关名称 添加。")
    for a in agencies:
        out.print(a.name + (f"（上级：{a.parent.name}）" if a.parent else ""), markup=False)


def office_migrate() -> None:
    """创建或升级办公室系统的数据库。"""
    from django.db import connection

    _setup()
    _out().print(f"数据库已是最新：{connection.settings_dict['NAME']}", markup=False)


def office_digest(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只列出各人将收到的提醒，不发送")] = False,
) -> None:
    """发送每日期限提醒（已逾期、3个工作日内到期、补正和征求意见期限将届满），供每天定时运行。

    通过 GONGKAI_NOTIFIER 设置的方式发送，默认电子邮件（GONGKAI_EMAIL_HOST 等）；没有需要提醒事项的人不发。
    """
    _setup()
    from gongkai.office.notify import send_digests

    try:
        sent = send_digests(dry_run=dry_run)
    except GongkaiError as e:
        _fail(e)
    out = _out()
    for s in sent:
        status = {None: "（未发送）", True: "已发送", False: "未发送：该用户没有可用的联系方式"}[s.delivered]
        out.print(f"{s.username}：{s.summary} — {status}", markup=False)
    delivered = sum(s.delivered is True for s in sent)
    if dry_run:
        out.print(f"共 {len(sent)} 人有提醒事项（未发送，去掉 --dry-run 即发送）", markup=False)
    else:
        out.print(f"已向 {delivered} 人发送提醒，{len(sent) - delivered} 人没有可用的联系方式", markup=False)


def office_manage(
    args: Annotated[
        list[str] | None, typer.Argument(help="Django 管理命令及其参数，如 createsuperuser", metavar="命令")
    ] = None,
) -> None:
    """运行 Django 管理命令（如 createsuperuser 创建管理员）。"""
    from gongkai.office import manage

    manage(list(args or ()))


def register(app: typer.Typer) -> None:
    """Add ``import``, ``report build``, ``agency`` and ``office`` to the main app."""
    app.command("import", cls=ChineseCommand)(import_ledger)
    report_app = typer.Typer(cls=ChineseGroup, help="年度报告：由办公室台账生成、报送。", no_args_is_help=True)
    report_app.command("build", cls=ChineseCommand)(report_build)
    report_app.command("close-expired", cls=ChineseCommand)(report_close_expired)
    report_app.command("submit", cls=ChineseCommand)(report_submit)
    app.add_typer(report_app, name="report")
    agency_app = typer.Typer(cls=ChineseGroup, help="机关（单位）管理。", no_args_is_help=True)
    agency_app.command("add", cls=ChineseCommand)(agency_add)
    agency_app.command("list", cls=ChineseCommand)(agency_list)
    app.add_typer(agency_app, name="agency")
    office_app = typer.Typer(cls=ChineseGroup, help="办公室系统的数据库与管理命令。", no_args_is_help=True)
    office_app.command("migrate", cls=ChineseCommand)(office_migrate)
    office_app.command(
        "manage", cls=ChineseCommand, context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
    )(office_manage)
    office_app.command("demo", cls=ChineseCommand)(office_demo)
    office_app.command("digest", cls=ChineseCommand)(office_digest)
    app.add_typer(office_app, name="office")
    app.command("serve", cls=ChineseCommand)(serve)


# ------------------------------------------------------------------ demo and the web server


def _print_logins(out: Console) -> None:
    from gongkai.office import demo

    out.print(f"演示账号（密码均为 {demo.PASSWORD}）：", markup=False)
    for login in demo.logins():
        out.print(f"  {login.username:<12} {login.agency} · {login.role}", markup=False)


def office_demo() -> None:
    """载入演示数据：某某县人民政府及三个部门、人员、一年的申请与年度报告（可重复运行）。"""
    try:
        _setup()
        from gongkai.office import demo

        result = demo.load()
    except GongkaiError as e:
        _fail(e)
    out = _out()
    out.print(f"演示数据已就绪：{result['year']}年度，本次新增申请 {result['created']} 件。", markup=False)
    _print_logins(out)


def serve(
    demo_data: Annotated[bool, typer.Option("--demo", help="先载入演示数据")] = False,
    port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
    host: Annotated[
        str,
        typer.Option(
            "--host", help="监听地址；让其他电脑访问时用 0.0.0.0，并在 GONGKAI_ALLOWED_HOSTS 中写上访问用的域名或地址"
        ),
    ] = "127.0.0.1",
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="工作进程数（默认：每个 CPU 核一个，至少两个）")
    ] = None,
) -> None:
    """启动办公室工作台：升级数据库，可选载入演示数据，然后运行网页服务（默认仅本机可访问）。"""
    from gongkai.office import server

    try:
        server.check_address(host, port)
        _setup()
        if demo_data:
            from gongkai.office import demo

            result = demo.load()
            _out().print(f"演示数据已就绪：{result['year']}年度。", markup=False)
    except GongkaiError as e:
        _fail(e)
    out = _out()
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    out.print(f"工作台地址：http://{shown}:{port}/", markup=False)
    if demo_data:
        _print_logins(out)
    out.print("按 Ctrl+C 停止。", markup=False)
    server.serve(host, port, workers or server.default_workers(), on_ready=lambda line: out.print(line, markup=False))
