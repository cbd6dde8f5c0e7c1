"""``gongkai token issue --user NAME --name NAME [--days N]``: issue an API token and print its key once.

The key alone goes to standard output (so a script can capture it); the notice that it is
shown only once goes to standard error.
"""

from __future__ import annotations

from typing import Annotated

import typer

from gongkai.cli_help import ChineseCommand, ChineseGroup
from gongkai.errors import GongkaiError


def token_command(
    user: Annotated[str, typer.Option("--user", help="令牌所属用户的用户名", show_default=False)],
    name: Annotated[str, typer.Option("--name", help="令牌名称（用途说明）", show_default=False)],
    days: Annotated[int, typer.Option("--days", help="有效天数，到期后令牌失效（最长 1095 天）")] = 365,
) -> None:
    """为用户签发接口令牌；密钥只显示这一次。"""
    from gongkai.cli_office import _err, _fail, _setup

    _setup()
    from django.contrib.auth import get_user_model

    from .tokens import issue_token

    users = get_user_model().objects
    try:
        owner = users.filter(username=user).first()
        if owner is None:
            raise GongkaiError(f"没有用户“{user}”，请先用 gongkai office manage createsuperuser 等命令创建")
        key = issue_token(owner, name, days)
    except GongkaiError as e:
        _fail(e)
    _err().print(
        f"已为用户“{owner.username}”签发令牌“{name.strip()}”（{days} 天后失效），密钥只显示这一次，请立即保存：",
        markup=False,
    )
    typer.echo(key)


def register(app: typer.Typer) -> None:
    """Add ``token issue`` to the main app."""
    token_app = typer.Typer(cls=ChineseGroup, help="接口令牌管理。", no_args_is_help=True)
    token_app.command("issue", cls=ChineseCommand)(token_command)
    app.add_typer(token_app, name="token")
