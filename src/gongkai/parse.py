"""Parse a published report: read it, map it, check it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .checks import check
from .errors import GongkaiError
from .extract import extract
from .ingest import Document, read_bytes, read_image_pages, read_page_images, read_path
from .report import Report


def parse_document(doc: Document) -> Report:
    report = extract(doc)
    if not any(v is not None for v in report.cells.values()) and not any(report.sections.values()):
        raise GongkaiError(
            "没有找到政府信息公开工作年度报告的内容：既没有统计表格，也没有“一、总体情况”等章节",
            path=doc.source or None,
        )
    return check(report)


def parse_path(path: str | Path) -> Report:
    return parse_document(read_path(path))


def parse_page_images(paths: Sequence[str | Path]) -> Report:
    """Image files as the pages of one report, in the order given."""
    return parse_document(read_page_images(paths))


def parse_bytes(data: bytes, source: str = "", suffix: str = "") -> Report:
    return parse_document(read_bytes(data, source, suffix))


def parse_image_pages(files: Sequence[tuple[bytes, str]]) -> Report:
    """Images (bytes, file name) as the pages of one report, in the order given."""
    return parse_document(read_image_pages(files))
