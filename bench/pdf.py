#!/usr/bin/env python3
"""Time per PDF page: ``read_pdf`` against bare pypdfium2 text extraction of the same pages.

    python bench/pdf.py [ROUNDS] [PDF ...]

By default reads the text PDFs of tests/corpus/pdf (the real reports hongze-*.pdf and the
LibreOffice ones; the encrypted one left out). Each round runs both sides once on every
file, in turns (the order reversed every other round, so that machine noise hits both
alike), ROUNDS times (default 7) after one warm-up; both open the file from bytes every
time, in this one process. Prints per file the median ms/page of each side and their
ratio: read_pdf / pypdfium2 (``PdfDocument`` → each page ``get_textpage().get_text_range()``:
text only, no boxes, layout or tables, the practical floor; target ≤ 5×).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium

from gongkai.ingest.pdf import read_pdf

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [p for p in sorted((ROOT / "tests" / "corpus" / "pdf").glob("*.pdf")) if p.name != "encrypted.pdf"]
TARGET = 5.0


def ours(data: bytes) -> None:
    read_pdf(data, "bench.pdf")


def pdfium_text(data: bytes) -> None:
    doc = pdfium.PdfDocument(data)
    try:
        for page in doc:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
    finally:
        doc.close()


SIDES = [("read_pdf", ours), ("pypdfium2 纯文本", pdfium_text)]


def page_count(data: bytes) -> int:
    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    paths = [Path(a) for a in sys.argv[2:]] or SAMPLES
    files = [(p.name, p.read_bytes()) for p in paths]
    for _, data in files:  # warm up
        for _, fn in SIDES:
            fn(data)
    times: dict[tuple[str, str], list[float]] = {(f, s): [] for f, _ in files for s, _ in SIDES}
    for r in range(rounds):
        for name, data in files:
            for side, fn in SIDES if r % 2 == 0 else SIDES[::-1]:
                t0 = time.perf_counter()
                fn(data)
                times[name, side].append(time.perf_counter() - t0)
    print(f"每页毫秒数（ms/页），{rounds} 轮轮流运行的中位数：")
    names = [s for s, _ in SIDES]
    total = dict.fromkeys(names, 0.0)
    n_pages = 0
    for name, data in files:
        pages = page_count(data)
        n_pages += pages
        med = {s: statistics.median(times[name, s]) for s in names}
        for s in names:
            total[s] += med[s]
        a, c = (med[s] * 1000 / pages for s in names)
        print(f"  {name}（{pages} 页）：read_pdf {a:.1f}，pypdfium2 {c:.2f}；比下限 {a / c:.1f}×")
    a, c = (total[s] * 1000 / n_pages for s in names)
    verdict = "达到" if a / c <= TARGET else "未达到"
    print(f"合计 {len(files)} 个文件 {n_pages} 页：read_pdf {a:.1f}，pypdfium2 纯文本 {c:.2f} ms/页")
    print(f"read_pdf / pypdfium2 纯文本（实际下限）= {a / c:.1f}×（目标 ≤ {TARGET:g}×）：{verdict}")


if __name__ == "__main__":
    main()
