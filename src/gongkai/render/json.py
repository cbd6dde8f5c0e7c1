"""JSON: the report's cells, sections and issues (``--cells`` output)."""

from __future__ import annotations

from ..report import Report


def render(report: Report) -> bytes:
    return report.to_json(indent=2).encode()
