#!/usr/bin/env python3
"""Text reports parsed and checked per second on one core (target ≥ 500/s).

    python bench/throughput.py [SECONDS]

Reads the sample reports once into memory, then parses and checks them round-robin
in this one process for SECONDS (default 5) and prints the rate.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from gongkai.parse import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "tests" / "corpus" / "seeds").glob("*.txt")) + sorted(
    (ROOT / "tests" / "corpus" / "text").glob("*.md")
)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    data = [(p.read_bytes(), p.name, p.suffix) for p in SAMPLES]
    for d in data:  # warm up
        parse_bytes(*d)
    n = 0
    size = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        blob, name, suffix = data[n % len(data)]
        parse_bytes(blob, name, suffix)
        size += len(blob)
        n += 1
    print(f"样本 {len(data)} 份，{elapsed:.1f} 秒内解析并检查 {n} 份")
    print(f"throughput: {n / elapsed:.0f} reports/s, {size / elapsed / 1e6:.1f} MB/s (one core)")


if __name__ == "__main__":
    main()
