#!/usr/bin/env python3
"""PDF pages read per second by ``read_pdf``, against bare pdfplumber ``extract_tables()``.

    python bench/pdf.py [SECONDS]

For each PDF fixture (tests/corpus/pdf, the encrypted one left out), runs each side
round-robin for about SECONDS (default 3) and prints pages/s and the ratio of the two
times per page (target ≤ 1.5×). Both sides open the file from bytes every time.
"""

from __future__ import annotations

import sys
import time
from io import BytesIO
from pathlib import Path

import pdfplumber

from gongkai.ingest.pdf import read_pdf

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [p for p in sorted((ROOT / "tests" / "corpus" / "pdf").glob("*.pdf")) if p.name != "encrypted.pdf"]


def bare(data: bytes) -> int:
    with pdfplumber.open(BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
        return len(pdf.pages)


def ours(data: bytes) -> None:
    read_pdf(data, "bench.pdf")


def rate(fn, data: bytes, pages: int, seconds: float) -> float:
    fn(data)  # warm up
    n = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds or n < 2:
        fn(data)
        n += 1
    return n * pages / elapsed


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    total_ours = total_bare = 0.0
    print(f"{'file':<20} {'pages':>5} {'read_pdf':>12} {'extract_tables':>15} {'ratio':>6}")
    for path in SAMPLES:
        data = path.read_bytes()
        pages = bare(data)
        r_ours = rate(ours, data, pages, seconds / 2)
        r_bare = rate(bare, data, pages, seconds / 2)
        total_ours += pages / r_ours
        total_bare += pages / r_bare
        print(f"{path.name:<20} {pages:>5} {r_ours:>8.1f} p/s {r_bare:>11.1f} p/s {r_bare / r_ours:>5.2f}×")
    print(f"overall: read_pdf takes {total_ours / total_bare:.2f}× the time of extract_tables (target ≤ 1.5×)")


if __name__ == "__main__":
    main()
