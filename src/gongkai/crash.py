"""Our own bugs: a crash report file the user can send to the maintainers (exit code 70).

Exit code 70 means a bug in gongkai, never a problem with the user's input (that is 2, with a
Chinese reason naming the file and the place). A crash report holds what a maintainer needs and
nothing from the documents: the version, the platform, the command line and the traceback's
frames (file, line, function, source line of our code and the libraries). Exception messages
are left out, since they may quote a document ("KeyError: '某某局'"); only their types are kept.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path

EXIT_BUG = 70


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("gongkai")
    except Exception:  # not installed as a distribution (running from a source tree)
        return "unknown"


def _frames(exc: BaseException) -> list[str]:
    """The traceback of ``exc`` and its causes, innermost last, without exception messages."""
    te = traceback.TracebackException.from_exception(exc, capture_locals=False)
    chain: list[traceback.TracebackException] = []
    seen = set()
    while te is not None and id(te) not in seen:
        seen.add(id(te))
        chain.append(te)
        te = te.__cause__ or (te.__context__ if not te.__suppress_context__ else None)
    lines: list[str] = []
    for n, part in enumerate(reversed(chain)):
        if n:
            lines.append("\n在处理上面的异常时又发生了下面的异常（During handling …）：\n")
        lines.append("Traceback (most recent call last):\n")
        lines += part.stack.format()
        name = getattr(part, "exc_type_str", None) or getattr(getattr(part, "exc_type", None), "__qualname__", "?")
        lines.append(f"{name}（异常说明已略去）\n")
    return lines


def report_text(exc: BaseException, argv: list[str] | None = None) -> str:
    argv = sys.argv if argv is None else argv
    head = [
        "gongkai 错误报告（请发给维护者；不含任何文件内容）",
        f"时间：{time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"版本：gongkai {_version()}，Python {platform.python_version()}，{platform.platform()}",
        f"命令行：{' '.join(argv)}",
        f"异常：{type(exc).__module__}.{type(exc).__qualname__}",
        "",
    ]
    return "\n".join(head) + "\n" + "".join(_frames(exc))


def _places() -> list[Path]:
    from .paths import data_dir

    return [data_dir() / "crash-reports", Path(tempfile.gettempdir())]


def write_report(exc: BaseException, argv: list[str] | None = None) -> Path | None:
    """Write the crash report of ``exc``; its path, or None when no place could be written."""
    text = report_text(exc, argv)
    name = f"gongkai-crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt"
    for folder in _places():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None
