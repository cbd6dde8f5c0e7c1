#!/usr/bin/env python3
"""Text reports parsed and checked per second on one core (target ≥ 500/s).

    python bench/throughput.py [SECONDS] [ROUNDS]

Reads the sample reports once into memory, then parses and checks them round-robin in
this one process, ROUNDS times (default 5) for SECONDS each (default 2), and prints the
rate of every round, the median and the best.  The machine is shared, so rounds vary;
the best round is what one core does undisturbed.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from gongkai.parse import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "tests" / "corpus" / "seeds").glob("*.txt")) + sorted(
    (ROOT / "tests" / "corpus" / "text").glob("*.md")
)


def one_round(data: list[tuple[bytes, str, str]], seconds: float) -> float:
    n = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        parse_bytes(*data[n % len(data)])
        n += 1
    return n / elapsed


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    data = [(p.read_bytes(), p.name, p.suffix) for p in SAMPLES]
    for d in data:  # warm up
        parse_bytes(*d)
    rates = [one_round(data, seconds) for _ in range(rounds)]
    print(f"样本 {len(data)} 份；每轮 {seconds:g} 秒，共 {rounds} 轮：" + "、".join(f"{r:.0f}" for r in rates))
    print(f"throughput: median {statistics.median(rates):.0f} reports/s, best {max(rates):.0f} reports/s (one core)")


if __name__ == "__main__":
    main()
