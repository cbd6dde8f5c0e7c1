"""Markdown: headings, paragraphs and pipe tables.

Markdown has no merged cells: a merged header or label is repeated in every position it
covers, so each data row carries its full label; a value or block title is written once.
"""

from __future__ import annotations

from ..report import Report
from .layout import TableLayout, document


def render(report: Report) -> bytes:
    parts: list[str] = []
    for kind, item in document(report):
        if kind == "title":
            parts.append(f"# {item}")
        elif kind == "h2":
            parts.append(f"## {item}")
        elif kind == "p":
            parts.append(str(item))
        else:
            parts.append(table(item))
    return ("\n\n".join(parts) + "\n").encode()


def table(layout: TableLayout) -> str:
    lines = []
    for r, row in enumerate(layout.grid()):
        texts = []
        for k, cell in enumerate(row):
            if cell is None:
                texts.append("")
            elif (cell.row, cell.col) == (r, k) or cell.kind in ("head", "label"):
                texts.append(_escape(cell.text))
            else:
                texts.append("")
        lines.append("| " + " | ".join(texts) + " |")
        if r == 0:
            lines.append("|" + " --- |" * len(row))
    return "\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
