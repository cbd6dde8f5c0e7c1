"""Command line: ``gongkai review DIR --out review.xlsx`` — a folder of reports into one table."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .batch.limits import DEFAULT_TIMEOUT
from .cli_help import ChineseCommand
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
        typer.Option(
            "-j",
            "--jobs",
            help="并行进程数，默认为 CPU 核数；0 表示在本进程中逐个解析（不设时间和内存上限，供排查问题用）",
            show_default=False,
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="续做：读取中断时留下的进度记录（结果文件名加 .journal.jsonl）和已有的结果文件，"
            "跳过其中已处理且未改动的文件（结果文件中上次无法读取的会重试）",
        ),
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            help="每个文件的读取时间上限（秒），超过即中止该文件、记为“超时”并继续；"
            "扫描件每识别一页重新计时；0 表示不限",
            min=0,
        ),
    ] = DEFAULT_TIMEOUT,
    max_memory: Annotated[
        str,
        typer.Option(
            "--max-memory",
            help="每个工作进程的内存上限，如 2G、512M，超过即中止该文件、记为“内存超限”并继续；"
            "0 表示不限（仅在 Linux 上有效）",
        ),
    ] = "2G",
    units_file: Annotated[
        Path | None,
        typer.Option(
            "--units",
            help="单位名单文件（每行一个单位名称）：名单中没有报告的单位列为“未发布”",
            metavar="文件",
            show_default=False,
        ),
    ] = None,
) -> None:
    """批量审阅：解析目录中的全部年度报告，检查后汇总为一个表格（报告、问题、汇总）。

    同一目录中名称只差末尾页码的图片（如 报告-1.jpg、报告-2.jpg）作为同一份报告的各页读取。
    指向目录之外的符号链接、符号链接循环、命名管道和设备文件不读取，记为“已跳过”。
    每份完成即记入进度记录；中断（Ctrl-C、kill）后加 --resume 重新运行即从中断处继续。
    """
    from .batch import MEMORY_LIMITED, Interrupted, Limits, journal_path, parse_memory, read_journal
    from .batch.review import review as run_review
    from .collect.compliance import read_units

    err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
    try:
        memory = parse_memory(max_memory)
        if memory and not MEMORY_LIMITED:
            err.print("注意：本系统不支持限制进程内存（仅 Linux 支持），--max-memory 未生效", markup=False)
        limits = Limits(timeout or None, memory)
        if not resume and journal_path(out).exists():
            err.print(f"注意：{journal_path(out)} 是上次中断时的进度记录；未加 --resume，将从头开始。", markup=False)
        workers = jobs if jobs is not None else os.cpu_count()
        units = read_units(units_file) if units_file else None
        result = run_review(directory, out, jobs=workers, resume=resume, limits=limits, units=units)
    except KeyboardInterrupt as e:
        done = len(read_journal(out))
        kept = f"已完成的 {done} 份记在 {journal_path(out)}，" if done else ""
        err.print(f"已中断。{kept}用同样的命令加 --resume 即可从中断处继续。", markup=False)
        raise typer.Exit(128 + e.signum if isinstance(e, Interrupted) else 130) from None
    except GongkaiError as e:
        err.print("[bold red]错误[/]：", end="")
        err.print(str(e), markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except OSError as e:
        err.print("[bold red]错误[/]：", end="")
        err.print(f"无法写入 {out}（{e.strerror}）", markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    reused = sum(e.status != "skipped" for e in result.entries) - len(result.parsed)  # not the folder's skipped rows
    note = f"（续做：跳过已处理的 {reused} 份" if resume and reused else ""
    note += f"，重试上次无法读取的 {len(result.retried)} 份" if note and result.retried else ""
    note += "）" if note else ""
    Console(highlight=False, soft_wrap=True, emoji=False).print(
        f"{result.summary()}{note}。结果已写入 {out}", markup=False
    )


def register(app: typer.Typer) -> None:
    """Add ``review`` to the main app."""
    app.command("review", cls=ChineseCommand)(review)
