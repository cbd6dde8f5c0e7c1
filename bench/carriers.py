#!/usr/bin/env python3
"""Parsing throughput per carrier, on one core, with the one-off start-up costs on their own lines.

    python bench/carriers.py DIR

First imports ``gongkai.parse``, every reader and the libraries the readers load lazily
(lxml, python-docx, pdfplumber, pypdfium2, Pillow, and the OCR extra when installed), timed
together; then, if the OCR extra is installed, builds the OCR engine (loads its models, one
thread), timed on its own. Then parses every report in DIR (.json and .py files skipped) once,
in this one process, and prints per carrier (the part of the file name after the first dot: ``md``,
``tab.txt``, ``scan.pdf``…) the files, failures, reports per second and, for PDFs, pages
per second (pages counted with pypdfium2, outside the timing). Caches filled on first use
(e.g. pdfminer's CJK character maps) still count against the first file that needs them.
"""

from __future__ import annotations

import importlib
import sys
import time
from collections import defaultdict
from pathlib import Path

LIBRARIES = ("lxml.html", "docx", "pdfplumber", "pypdfium2", "PIL.Image")
READERS = ("gongkai.parse", "gongkai.ingest.html", "gongkai.ingest.docx", "gongkai.ingest.pdf", "gongkai.ingest.scan")
OCR = ("numpy", "cv2", "rapidocr_onnxruntime")
SKIP = (".json", ".py")  # gold answers, expectations, fixture scripts


def pages(path: Path) -> int:
    if path.suffix.lower() != ".pdf":
        return 0
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return 0
    try:
        return len(doc)
    finally:
        doc.close()


def carrier(path: Path) -> str:
    return path.name.split(".", 1)[1].lower() if "." in path.name else "（无扩展名）"


def start_up() -> None:
    """Import everything up front and build the OCR engine, printing the time of each."""
    start = time.perf_counter()
    for name in LIBRARIES + READERS:
        importlib.import_module(name)
    from gongkai.ingest.scan import ocr_available

    ocr = ocr_available()  # imports the OCR extra when it is installed
    if ocr:
        for name in OCR:
            importlib.import_module(name)
    print(f"导入解析器与依赖库：{time.perf_counter() - start:.2f} 秒（一次性，不计入下表）")
    if not ocr:
        print("未安装 OCR 扩展：扫描件将解析失败")
        return
    from gongkai.ingest import scan

    scan.THREADS = 1  # one core, like the rest
    start = time.perf_counter()
    scan._engine("")
    print(f"创建 OCR 引擎（载入模型）：{time.perf_counter() - start:.2f} 秒（一次性，不计入下表）")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("用法：python bench/carriers.py DIR（DIR 为报告所在目录）", file=sys.stderr)
        return 2
    files = sorted(p for p in Path(args[0]).iterdir() if p.is_file() and not p.name.endswith(SKIP))
    start_up()
    from gongkai.parse import parse_path

    stats: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0.0])  # files, failed, pages, seconds
    for p in files:
        s = stats[carrier(p)]
        n_pages = pages(p)
        start = time.perf_counter()
        try:
            parse_path(p)
        except Exception:  # a refusal is timed too: it is part of the batch's cost
            s[1] += 1
        s[3] += time.perf_counter() - start
        s[0] += 1
        s[2] += n_pages
    print(f"{'载体':<10}{'文件':>6}{'失败':>6}{'页数':>6}{'份/秒':>10}{'页/秒':>10}")
    for name, (n, failed, n_pages, secs) in sorted(stats.items()):
        rate = n / secs if secs else float("inf")
        page_rate = f"{n_pages / secs:.3g}" if n_pages and secs else "-"
        print(f"{name:<12}{n:>6}{failed:>6}{n_pages:>6}{rate:>12.3g}{page_rate:>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
