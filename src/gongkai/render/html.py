"""HTML: a standalone UTF-8 page with the official tables (real rowspan/colspan)."""

from __future__ import annotations

from html import escape

from ..report import Report
from .layout import TableLayout, document

_CSS = """
body { font-family: 仿宋, FangSong, "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 1.8;
       max-width: 60em; margin: 2em auto; padding: 0 1em; }
h1, h2 { font-family: 黑体, SimHei, "Noto Sans CJK SC", sans-serif; font-weight: normal; }
h1 { font-size: 22pt; text-align: center; }
h2 { font-size: 16pt; }
p { text-indent: 2em; margin: 0.3em 0; }
table { border-collapse: collapse; margin: 1em 0; font-size: 10.5pt; line-height: 1.4; }
th, td { border: 1px solid #000; padding: 0.2em 0.4em; }
th { text-align: center; font-weight: normal; }
td.value { text-align: center; }
th.title { text-align: left; }
"""


def render(report: Report) -> bytes:
    body = []
    title = ""
    for kind, item in document(report):
        if kind == "title":
            title = str(item)
            body.append(f"<h1>{escape(title)}</h1>")
        elif kind == "h2":
            body.append(f"<h2>{escape(str(item))}</h2>")
        elif kind == "p":
            body.append(f"<p>{escape(str(item))}</p>")
        else:
            body.append(table(item))
    page = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
    return page.encode()


def table(layout: TableLayout) -> str:
    lines = [f'<table class="{escape(layout.key)}">']
    for row in layout.rows:
        cells = []
        for c in row:
            tag = "th" if c.is_header else "td"
            attrs = f' class="{c.kind}"'
            if c.cell_id:
                attrs += f' data-cell="{escape(c.cell_id)}"'
            if c.rowspan > 1:
                attrs += f' rowspan="{c.rowspan}"'
            if c.colspan > 1:
                attrs += f' colspan="{c.colspan}"'
            cells.append(f"<{tag}{attrs}>{escape(c.text)}</{tag}>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)
