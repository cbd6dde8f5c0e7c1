"""PDF: the HTML rendering laid out by WeasyPrint on A4, with Noto CJK fonts so Chinese renders."""

from __future__ import annotations

from ..report import Report
from . import html

# Noto CJK comes first: the official 仿宋/黑体 are rarely installed on a server, and a missing
# CJK font would print empty boxes.
_PRINT_CSS = """
@page { size: A4; margin: 2.5cm 2.2cm; }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", 仿宋, FangSong, serif;
       font-size: 14pt; max-width: none; margin: 0; padding: 0; }
h1, h2 { font-family: "Noto Sans CJK SC", 黑体, SimHei, sans-serif; }
table { page-break-inside: auto; font-size: 9pt; }
tr { page-break-inside: avoid; }
"""


def render(report: Report) -> bytes:
    from weasyprint import CSS, HTML

    page = html.render(report).decode()
    return HTML(string=page).write_pdf(stylesheets=[CSS(string=_PRINT_CSS)])
