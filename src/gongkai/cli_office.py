"""Command line for the office's system: ``gongkai import``, ``gongkai report build``,
``gongkai agency add|list`` and ``gongkai office migrate|manage``.

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

from gongkai.errors import GongkaiError

EXIT_REPORT_ERRORS = 1
EXIT_BAD_INPUT = 2
CLI_USERNAME = "gongkai-cli"

_SEVERITY = {"error": ("错误", "bold red"), "warning": ("警告", "yellow"), "info": ("提示", "cyan")}


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


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
        out.print(f"[cyan]提示[/]：{notice}")
    out.print(f"已导入 {result.imported} 件申请到“{target}”", markup=False)


def report_build(
    agency: Annotated[str, typer.Option("--agency", help="机关名称", show_default=False)],
    year: Annotated[int, typer.Option("--year", help="报告年度", show_default=False)],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="把报告写成 JSON 文件", show_default=False)
    ] = None,
    new_draft: Annotated[bool, typer.Option("--new-draft", help="已报送或已锁定时，另存为新草稿")] = False,
    user: UserOption = None,
) -> None:
    """由台账生成年度报告草稿（表二、表三、表四和正文初稿），并检查。"""
    _setup()
    from gongkai.office.agencies.services import agency_by_name
    from gongkai.office.annual.services import BuildInput, build_annual_report

    try:
        target = agency_by_name(agency)
        stored, report = build_annual_report(_actor(user), BuildInput(agency=target, year=year, new_draft=new_draft))
        if output is not None:
            from gongkai.cli import write_atomic

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
        f"已生成{target}{year}年度报告草稿（{report.spec.name}，第{stored.pk}号）："
        f"本年新收申请 {report.get('t3.new.total')} 件，办结 {report.get('t3.total.total')} 件，"
        f"结转 {report.get('t3.carried_out.total')} 件；错误 {len(errors)} 个，警告 {warnings} 个",
        markup=False,
    )
    for issue in report.issues:
        name, style = _SEVERITY.get(issue.severity, (issue.severity, ""))
        out.print(f"[{style}]{name}[/] {issue.where}：", end="")
        out.print(issue.message, markup=False)
    if output is not None:
        out.print(f"已写出 {output}", markup=False)
    if errors:
        raise typer.Exit(EXIT_REPORT_ERRORS)


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
    app.command("import")(import_ledger)
    report_app = typer.Typer(help="由办公室台账生成年度报告。", no_args_is_help=True)
    report_app.command("build")(report_build)
    app.add_typer(report_app, name="report")
    agency_app = typer.Typer(help="机关（单位）管理。", no_args_is_help=True)
    agency_app.command("add")(agency_add)
    agency_app.command("list")(agency_list)
    app.add_typer(agency_app, name="agency")
    office_app = typer.Typer(help="办公室系统的数据库与管理命令。", no_args_is_help=True)
    office_app.command("migrate")(office_migrate)
    office_app.command("manage", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(
        office_manage
    )
    office_app.command("demo")(office_demo)
    app.add_typer(office_app, name="office")
    app.command("serve")(serve)


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
