"""Command line: ``gongkai review DIR --out review.xlsx`` — a folder of reports into one table."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .errors import GongkaiError

EXIT_BAD_INPUT = 2


def review(
    directory: Annotated[
        Path, typer.Argument(help="存放各单位年度报告的目录（含子目录）", metavar="目录", show_default=False)
    ],
    out: Annotated[
        Path,
        typer.Option("-o", "--out", help="结果文件：.xlsx、.csv、.jsonl 或 .parquet", show_default=False),
    ],
    jobs: Annotated[
        int | None,
        typer.Option("-j", "--jobs", help="并行进程数，默认为 CPU 核数；0 表示在本进程中逐个解析", show_default=False),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="续做：读取已有的结果文件，跳过其中已处理且未改动的文件（上次无法读取的会重试）"),
    ] = False,
) -> None:
    """批量审阅：解析目录中的全部年度报告，检查后汇总为一个表格（报告、问题、汇总）。

    同一目录中名称只差末尾页码的图片（如 报告-1.jpg、报告-2.jpg）作为同一份报告的各页读取。
    """
    from .review import review as run_review

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        result = run_review(directory, out, jobs=jobs if jobs is not None else os.cpu_count(), resume=resume)
    except GongkaiError as e:
        err.print("[bold red]错误[/]：", end="")
        err.print(str(e), markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except OSError as e:
        err.print(f"[bold red]错误[/]：无法写入 {out}（{e.strerror}）", markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    skipped = len(result.entries) - len(result.parsed)
    note = f"（续做：跳过已处理的 {skipped} 份" if resume and skipped else ""
    note += f"，重试上次无法读取的 {len(result.retried)} 份" if note and result.retried else ""
    note += "）" if note else ""
    Console(highlight=False, soft_wrap=True).print(f"{result.summary()}{note}。结果已写入 {out}", markup=False)


def register(app: typer.Typer) -> None:
    """Add ``review`` to the main app."""
    app.command("review")(review)
