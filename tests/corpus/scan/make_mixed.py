"""Rebuild the mixed PDFs in this folder: text PDFs with part of their content only as pictures.

    python tests/corpus/scan/make_mixed.py

mixed-scan-page.pdf: the generated gb2019 report as DOCX, table 三 moved to a page of its
own, converted to PDF by LibreOffice; that page is then replaced by a scan of it
(rasterised and degraded as in make_scans.py), with a stain of specks over one cell
(``STAINED``), which OCR must flag rather than guess.

mixed-table-image.pdf: the generated gb2021 report as DOCX, its table 三 replaced by a
picture of the table (the table alone laid out by WeasyPrint, rasterised at 150 dpi like a
screenshot, grayscale PNG), converted to PDF by LibreOffice. Tables 二 and 四 and the text
keep their text layer. Needs ``soffice`` on PATH.

The cells to expect are those of ``tests.test_roundtrip.generated``: the data rendered here.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import docx
import numpy as np
import pypdfium2 as pdfium
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, RGBColor
from PIL import Image

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from make_scans import degrade, docx_to_pdf, rasterise  # noqa: E402
from tests.test_roundtrip import generated  # noqa: E402

from gongkai.render import render  # noqa: E402

STAINED = "t3.refused.publication.business"
SCAN_DPI = 150
SHOT_DPI = 150
TABLE_CSS = """
@page { size: 170mm 400mm; margin: 3mm; }
body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 9pt; }
table { border-collapse: collapse; line-height: 1.25; }
th, td { border: 0.75pt solid #000; padding: 1.5pt 3pt; font-weight: normal; }
td.value { text-align: center; }
"""


def scan_page() -> None:
    report = generated("gb2019")
    d = docx.Document(io.BytesIO(render(report, "docx")))
    t3 = d.tables[1]
    assert "自然人" in t3._tbl.xml
    t3.rows[0].cells[0].paragraphs[0].paragraph_format.page_break_before = True  # table 三 alone on page 2
    d.sections[0].top_margin = d.sections[0].bottom_margin = Cm(2)  # room for all of it
    next(p for p in d.paragraphs if p.text.startswith("四、")).paragraph_format.page_break_before = True
    stained = str(report.cells[STAINED])
    for run in (r for cell in t3._cells if cell.text == stained for p in cell.paragraphs for r in p.runs):
        run.font.color.rgb = RGBColor(255, 0, 0)  # to find it on the page
    out = io.BytesIO()
    d.save(out)
    text = pdfium.PdfDocument(docx_to_pdf(out.getvalue()))
    assert len(text) == 3, len(text)
    page = stain(text[1].render(scale=SCAN_DPI / 72).to_pil().convert("RGB"))
    buf = io.BytesIO()
    degrade(page, 0.4, 3, 40, quality=50).save(buf, "PDF", resolution=SCAN_DPI, quality=50)
    scan = pdfium.PdfDocument(buf.getvalue())
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(text, [0, 2])  # together: their fonts are stored once
    mixed.import_pages(scan, [0], index=1)
    mixed.save(HERE / "mixed-scan-page.pdf")


def stain(page: Image.Image) -> Image.Image:
    """The page in gray, a blot of specks over the red digits (a stain on the paper)."""
    a = np.asarray(page).astype(int)
    red = (a[:, :, 0] > 150) & (a[:, :, 1] < 120)
    gray = np.asarray(page.convert("L")).copy()
    gray[red] = 0
    ys, xs = np.nonzero(red)
    blot = np.zeros_like(red)
    blot[ys.min() - 3 : ys.max() + 4, xs.min() - 3 : xs.max() + 4] = True
    gray[blot & (np.random.default_rng(1).random(red.shape) < 0.35)] = 0
    return Image.fromarray(gray, "L")


def table_picture(report) -> Image.Image:
    """Table 三 alone, as a screenshot would show it: cropped to its ink, grayscale."""
    from weasyprint import CSS, HTML

    page = render(report, "html").decode()
    table = re.search(r'<table class="t3">.*?</table>', page, re.S).group(0)
    pdf = HTML(string=f"<html><body>{table}</body></html>").write_pdf(stylesheets=[CSS(string=TABLE_CSS)])
    im = rasterise(pdf, SHOT_DPI)[0]
    ink = np.nonzero(np.asarray(im) < 200)
    top, bottom, left, right = ink[0].min(), ink[0].max(), ink[1].min(), ink[1].max()
    return im.crop((left - 6, top - 6, right + 7, bottom + 7))


def table_image() -> None:
    report = generated("gb2021")
    picture = table_picture(report)
    d = docx.Document(io.BytesIO(render(report, "docx")))
    t3 = d.tables[1]
    assert "自然人" in t3._tbl.xml
    buf = io.BytesIO()
    picture.save(buf, "PNG", optimize=True)
    width = min(15.6, 22.0 * picture.width / picture.height)  # fits the page's text area
    para = d.add_paragraph()
    para.paragraph_format.first_line_indent = Cm(0)
    para.paragraph_format.line_spacing = 1.0  # the body's exact line height would clip the picture
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run().add_picture(buf, width=Cm(width))
    t3._tbl.addprevious(para._p)
    t3._tbl.getparent().remove(t3._tbl)
    out = io.BytesIO()
    d.save(out)
    (HERE / "mixed-table-image.pdf").write_bytes(docx_to_pdf(out.getvalue()))


if __name__ == "__main__":
    scan_page()
    table_image()
