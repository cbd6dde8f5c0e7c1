"""Command line: ``gongkai collect URL… --out DIR`` — annual reports from government column pages.

Errors are printed as Chinese messages on stderr with exit code 2, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .cli_help import ChineseCommand

EXIT_BAD_INPUT = 2
SHOWN_PROBLEMS = 20  # pages not saved, listed after the run; all are in the manifest


def _read_urls(path: Path) -> list[str]:
    """One URL a line; blank lines and lines starting with # are left out."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValueError(f"网址清单不存在：{path}") from None
    except UnicodeDecodeError:
        raise ValueError(f"网址清单应为 UTF-8 编码：{path}") from None
    except OSError as e:
        raise ValueError(f"无法读取网址清单 {path}（{e.strerror}）") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def collect(
    out: Annotated[Path, typer.Option("-o", "--out", help="保存目录（报告文件和 manifest.jsonl）", show_default=False)],
    urls: Annotated[
        list[str] | None,
        typer.Argument(help="栏目页（信息公开年报栏目、列表页）的网址，可给多个", metavar="网址", show_default=False),
    ] = None,
    urls_file: Annotated[
        Path | None, typer.Option("--urls", help="网址清单文件：每行一个网址（# 开头的行为注释）", show_default=False)
    ] = None,
    rate: Annotated[
        float,
        typer.Option("--rate", help="每个网站每秒最多请求几次（robots.txt 的 Crawl-delay 更长时从其规定）", min=0.01),
    ] = 1.0,
    max_pages: Annotated[int, typer.Option("--max-pages", help="每个栏目最多翻几页（“下一页”）", min=1)] = 20,
    timeout: Annotated[float, typer.Option("--timeout", help="每次请求的超时秒数", min=1)] = 30.0,
    retries: Annotated[int, typer.Option("--retries", help="服务器出错或超时时重试几次（间隔逐次加倍）", min=0)] = 3,
    max_mb: Annotated[float, typer.Option("--max-mb", help="单个文件的大小上限（MB），超过的不保存", min=0.1)] = 50.0,
    follow_offsite: Annotated[
        bool, typer.Option("--follow-offsite", help="也跟随指向其他网站的链接（默认只抓取所给网址的网站）")
    ] = False,
    contact: Annotated[
        str,
        typer.Option("--contact", help="联系方式（电子邮箱或网址），写入 User-Agent，便于网站管理者联系采集者"),
    ] = "",
) -> None:
    """采集年度报告：从栏目页找出标题像年度报告的链接（含年份的“年度报告”“年报”，跳过通知、解读等），
    下载详情页及其附件（PDF、Word、WPS、图片），连同清单 manifest.jsonl 保存到目录中。

    遵守 robots.txt，每个网站默认每秒至多 1 次请求，出错重试并逐次延长间隔，只抓取 http(s)，不离开所给网站。
    User-Agent 注明 gongkai 及用途（采集政府信息公开工作年度报告），可用 --contact 附上联系方式。
    再次运行时只在内容变化时保存新快照，旧快照保留在 .snapshots/ 中；之后可用 gongkai review 审阅该目录。
    """
    from .collect import Settings
    from .collect import collect as run_collect

    err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
    given = list(urls or [])
    try:
        if urls_file is not None:
            given += _read_urls(urls_file)
    except ValueError as e:
        err.print("[bold red]错误[/]：", end="")
        err.print(str(e), markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if not given:
        err.print("[bold red]错误[/]：没有给出网址（在命令后写网址，或用 --urls 给出网址清单文件）")
        raise typer.Exit(EXIT_BAD_INPUT)
    settings = Settings(
        rate=rate,
        timeout=timeout,
        retries=retries,
        max_bytes=int(max_mb * 1048576),
        follow_offsite=follow_offsite,
        contact=contact,
    )
    try:
        summary = run_collect(
            given, out, settings, max_pages=max_pages, progress=True, status=lambda text: err.print(text, markup=False)
        )
    except OSError as e:
        err.print("[bold red]错误[/]：", end="")
        err.print(f"无法写入 {out}（{e.strerror}）", markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    for url, reason in summary.problems[:SHOWN_PROBLEMS]:
        err.print(f"未保存：{url}（{reason}）", markup=False)
    if len(summary.problems) > SHOWN_PROBLEMS:
        err.print(f"……另有 {len(summary.problems) - SHOWN_PROBLEMS} 个，见清单", markup=False)
    Console(highlight=False, soft_wrap=True, emoji=False).print(summary.text(), markup=False)
    if summary.pages == 0:
        err.print("所给的栏目页都无法取得，原因见清单。", markup=False)
        raise typer.Exit(EXIT_BAD_INPUT)


def register(app: typer.Typer) -> None:
    """Add ``collect`` to the main app."""
    app.command("collect", cls=ChineseCommand)(collect)
