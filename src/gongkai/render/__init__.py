"""Report → bytes, one module per output format; ``layout`` holds the shared table layout."""

from __future__ import annotations

from importlib import import_module

from ..errors import GongkaiError
from ..report import Report
from .layout import default_title

FORMATS_OUT = ("md", "html", "docx", "xlsx", "json", "pdf")

__all__ = ["FORMATS_OUT", "default_title", "render"]


def render(report: Report, to: str) -> bytes:
    if to not in FORMATS_OUT:
        raise GongkaiError(f"不支持的输出格式：{to!r}，应为 {'、'.join(FORMATS_OUT)} 之一")
    return import_module(f".{to}", __name__).render(report)
