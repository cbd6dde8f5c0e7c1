#!/usr/bin/env python3
"""Scanned reports: pages read per second on one core, and the cell F1 of what was read.

    python bench/ocr.py

Reads the scanned fixtures in tests/corpus/scan (render + straighten + table grid + OCR)
with OCR and OpenCV limited to one thread, maps them to cells and compares with the reports
they were made from. Speed is pages per CPU second of this process, so other load on the
machine does not distort it.
"""

from __future__ import annotations

import json
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_roundtrip import generated  # noqa: E402

from gongkai.extract import extract  # noqa: E402
from gongkai.ingest import scan  # noqa: E402
from gongkai.ingest.model import Document  # noqa: E402

SCANS = ROOT / "tests" / "corpus" / "scan"


def hongze() -> dict:
    cells = json.loads((SCANS / "hongze-2023.expected.json").read_text("utf-8"))["cells"]
    return {k: Decimal(v) if isinstance(v, str) else v for k, v in cells.items()}


CASES = [
    ("gb2021-scan.pdf", ["gb2021-scan.pdf"], lambda: generated("gb2021").cells),
    ("gb2019-*.jpg", ["gb2019-1.jpg", "gb2019-2.jpg", "gb2019-3.jpg"], lambda: generated("gb2019").cells),
    ("legacy-scan.tiff", ["legacy-scan.tiff"], lambda: generated("legacy").cells),
    ("hongze-2023-scan.pdf", ["hongze-2023-scan.pdf"], hongze),
]


def read(names: list[str]) -> Document:
    """A PDF, or image files as the pages of one report."""
    if names[0].endswith(".pdf"):
        return scan.read_scan_pdf((SCANS / names[0]).read_bytes(), names[0])
    return scan.read_images([((SCANS / n).read_bytes(), n) for n in names])


def score(expected: dict, got: dict) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for cid, want in expected.items():
        have = got.get(cid)
        if want is not None and have == want:
            tp += 1
            continue
        fp += have is not None
        fn += want is not None
    return tp, fp, fn


def main() -> None:
    if not scan.ocr_available():
        sys.exit('未安装OCR组件：pip install "gongkai[ocr]"')
    import cv2

    scan.THREADS = 1
    cv2.setNumThreads(1)
    scan._engine("")  # build the engine outside the timing
    pages = 0
    cpu = wall = 0.0
    total = [0, 0, 0]
    for label, names, expected in CASES:
        c0, w0 = time.process_time(), time.perf_counter()
        doc = read(names)
        c1, w1 = time.process_time(), time.perf_counter()
        n_pages = count_pages(names)
        report = extract(doc)
        tp, fp, fn = score(expected(), report.cells)
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
        uncertain = sum(1 for i in report.issues if i.code == "ocr-uncertain")
        print(
            f"{label:22} {n_pages} 页  {c1 - c0:6.1f} CPU秒  {w1 - w0:6.1f} 秒  "
            f"单元格F1 {f1:.4f}（对 {tp}，错读 {fp}，漏读 {fn}，存疑 {uncertain}）"
        )
        pages += n_pages
        cpu += c1 - c0
        wall += w1 - w0
    tp, fp, fn = total
    print(f"合计 {pages} 页：{pages / cpu:.3f} 页/秒/核（CPU时间），墙钟 {pages / wall:.3f} 页/秒")
    print(f"cell F1: {2 * tp / (2 * tp + fp + fn):.4f}")


def count_pages(names: list[str]) -> int:
    import pypdfium2 as pdfium
    from PIL import Image

    n = 0
    for name in names:
        path = SCANS / name
        if name.endswith(".pdf"):
            pdf = pdfium.PdfDocument(path.read_bytes())
            n += len(pdf)
            pdf.close()
        else:
            with Image.open(path) as im:
                n += getattr(im, "n_frames", 1)
    return n


if __name__ == "__main__":
    main()
