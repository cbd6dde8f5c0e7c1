"""The limits each file is read under (``gongkai review --timeout --max-memory``; the
single-file commands take the defaults). How they are enforced: ``pool``."""

from __future__ import annotations

import contextlib
import math
import sys
from dataclasses import dataclass

from ..errors import GongkaiError

DEFAULT_TIMEOUT = 120.0  # seconds
DEFAULT_MAX_MEMORY = 2 << 30  # bytes
MIN_MEMORY = 256 << 20  # a worker takes about 100 MB to start
MEMORY_LIMITED = sys.platform.startswith("linux")


@dataclass(frozen=True)
class Limits:
    """The limits one file is read under; ``None`` (or 0) for none."""

    timeout: float | None = DEFAULT_TIMEOUT
    max_memory: int | None = DEFAULT_MAX_MEMORY

    @property
    def any(self) -> bool:
        return bool(self.timeout) or bool(self.max_memory and MEMORY_LIMITED)

    def timeout_reason(self) -> str:
        return f"超时：读取超过 {_seconds(self.timeout or 0)} 秒仍未完成（上限可用 --timeout 调整），已中止"

    def memory_reason(self) -> str:
        if not self.max_memory:
            return "内存不足：读取该文件需要的内存超过了本机可用的内存"
        limit = memory_words(self.max_memory)
        return f"内存超限：读取该文件需要的内存超过每个进程 {limit} 的上限（可用 --max-memory 调整）"


NO_LIMITS = Limits(None, None)
DEFAULT_LIMITS = Limits()


def _seconds(s: float) -> str:
    return f"{s:g}"


def memory_words(n: int) -> str:
    """Bytes in words: 2 GB, 512 MB."""
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} 字节"


def parse_memory(text: str) -> int | None:
    """A memory size as given on the command line: 2G, 1.5GB, 512M, 800MB, a number of bytes;
    0 for none. Raises GongkaiError with a Chinese message otherwise."""
    s = text.strip().upper().removesuffix("B").removesuffix("I")
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}.get(s[-1:], 1)
    number = s[:-1] if scale > 1 else s
    try:
        value = float(number)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or value * scale >= 1 << 50:
        raise GongkaiError(f"内存上限应写作 2G、512M 之类（0 表示不限），而不是“{text}”")
    if value and value * scale < MIN_MEMORY:
        raise GongkaiError(f"内存上限 {text} 太小：至少 256M，一个工作进程启动就要 100M 左右（0 表示不限）")
    return int(value * scale) or None


def limit_memory(max_memory: int | None, on_top: bool = False) -> None:
    """Limit this process's own memory (RLIMIT_DATA, on Linux; see ``pool``); ``on_top``: on top
    of what it holds now (a forked child, whose parent's heap is counted but not its doing)."""
    if not max_memory or not MEMORY_LIMITED:
        return
    import resource

    if on_top:
        max_memory += _data_now()
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    limit = max_memory if hard == resource.RLIM_INFINITY else min(max_memory, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def _data_now() -> int:
    """This process's data size now (VmData), in bytes; 0 when unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0
