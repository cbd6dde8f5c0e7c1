"""PDF: the HTML rendering laid out by WeasyPrint on A4, in the fonts that ship with the package.

The PDF never depends on the fonts installed on the machine: ``data/fonts`` holds subsets of
Noto Serif CJK SC (GB 2312, 通用规范汉字表 and their traditional forms; see ``make_fonts.py``
there) under the family name ``Gongkai Serif SC``, loaded by ``@font-face``. Characters outside
the subset would print as boxes, so ``missing_glyphs`` / ``warning`` name them beforehand: the
CLI and the web export show that warning to the person who asked for the PDF.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib.resources import files
from pathlib import Path

from ..report import Report
from . import html
from .layout import TableLayout, document

FONT_FAMILY = "Gongkai Serif SC"
FONT_FILES = {"normal": "GongkaiSerifSC-Regular.woff2", "bold": "GongkaiSerifSC-Bold.woff2"}

# GB/T 9704 in spirit: A4, margins 37/35/28/26 mm, title 二号 (22 pt) bold, headings 三号
# (16 pt) bold, body 三号 on 28 pt lines. The bundled serif stands in for 方正小标宋 (bold)
# and 仿宋 (regular). Tables keep the HTML's merged headers, in 五号 (10.5 pt) to fit A4.
_PRINT_CSS = """
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm;
        @bottom-center {{ content: "— " counter(page) " —"; font-family: "{family}"; font-size: 14pt; }} }}
html, body {{ font-family: "{family}", serif; }}
body {{ font-size: 16pt; line-height: 28pt; max-width: none; margin: 0; padding: 0; color: #000; }}
h1 {{ font-family: "{family}", serif; font-weight: bold; font-size: 22pt; line-height: 1.45;
      text-align: center; margin: 0 0 28pt; }}
h2 {{ font-family: "{family}", serif; font-weight: bold; font-size: 16pt; line-height: 28pt;
      margin: 0; text-indent: 2em; page-break-after: avoid; }}
p {{ text-indent: 2em; margin: 0; text-align: justify; }}
table {{ width: 100%; border-collapse: collapse; margin: 8pt 0 14pt; font-size: 10.5pt; line-height: 1.3;
         page-break-inside: auto; }}
th, td {{ border: 0.75pt solid #000; padding: 1.5pt 3pt; }}
td.value {{ white-space: nowrap; }}
th {{ font-weight: normal; }}
tr {{ break-inside: avoid; }}
/* Table 三 (and 四) on one page when it fits, its two-level header never torn from its rows. */
table.t3, table.t4 {{ break-inside: avoid; }}
"""

_WARNING = "警告：内置字体缺少以下字符，PDF 中将显示为方框：{chars}"
# Characters nobody sees as a glyph: controls, format characters, separators.
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Zs"}


def font_dir() -> Path:
    return Path(str(files("gongkai") / "data" / "fonts"))


def font_css() -> str:
    """The ``@font-face`` rules of the bundled family, by file URI."""
    rules = []
    for weight, name in FONT_FILES.items():
        uri = (font_dir() / name).resolve().as_uri()
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; font-style: normal; '
            f'src: url("{uri}") format("woff2"); }}'
        )
    return "\n".join(rules) + "\n" + _PRINT_CSS.format(family=FONT_FAMILY)


@cache
def covered() -> frozenset[int]:
    """The code points that every bundled font has (read once from their cmaps)."""
    from fontTools.ttLib import TTFont

    sets = []
    for name in FONT_FILES.values():
        with TTFont(font_dir() / name, lazy=True) as font:
            sets.append(frozenset(font.getBestCmap()))
    return frozenset.intersection(*sets)


def missing_glyphs(text: str) -> str:
    """The visible characters of ``text`` that the bundled fonts lack, each once, in order."""
    have = covered()
    seen: dict[str, None] = {}
    for char in text:
        if ord(char) not in have and unicodedata.category(char) not in _INVISIBLE:
            seen.setdefault(char)
    return "".join(seen)


def report_text(report: Report) -> str:
    """All the text that the PDF of ``report`` prints."""
    parts = []
    for kind, item in document(report):
        if kind == "table" and isinstance(item, TableLayout):
            parts += [c.text for c in item.cells]
        else:
            parts.append(str(item))
    return "\n".join(parts)


def warning(report: Report) -> str | None:
    """The Chinese warning naming the characters that would print as boxes, or None."""
    chars = missing_glyphs(report_text(report))
    return _WARNING.format(chars="、".join(chars)) if chars else None


def page(report: Report) -> str:
    """The HTML rendering with the print stylesheet after its own.

    In the page, not as a WeasyPrint "user" stylesheet: the page's author rules would beat
    those, and its system font names (仿宋, Noto …) would come first.
    """
    text = html.render(report).decode()
    head_end = text.index("</head>")
    return f"{text[:head_end]}<style>\n{font_css()}</style>\n{text[head_end:]}"


def render(report: Report) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    return HTML(string=page(report)).write_pdf(font_config=FontConfiguration())
