#!/usr/bin/env python3
"""Text and HTML reports parsed and checked per second on one core (target for text ≥ 1000/s).

    python bench/throughput.py [SECONDS] [ROUNDS]

Reads the sample reports once into memory: text (tests/corpus/seeds/*.txt,
tests/corpus/text/*.md) and HTML (tests/corpus/gold/*.html, tests/corpus/html/gov_gb2312.html).
Each round runs four sides in turns, each for SECONDS (default 2) going round its samples
in this one process: ``parse_bytes`` on the text reports, ``parse_bytes`` on the HTML
reports, the HTML reader alone (``read_html``: bytes to ``Document``, without the mapping
to cells), and the HTML baseline, lxml's own ``lxml.html.fromstring`` + ``text_content()``
on the same HTML bytes. ROUNDS rounds (default 5), the order reversed every other round.
The headline is each side's median round; the best round follows. The HTML ratios are of
medians (target for the reader: at most 3 times the baseline's time).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import lxml.html

from gongkai.ingest.html import read_html
from gongkai.parse import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
TEXT = sorted((CORPUS / "seeds").glob("*.txt")) + sorted((CORPUS / "text").glob("*.md"))
HTML = sorted((CORPUS / "gold").glob("*.html")) + [CORPUS / "html" / "gov_gb2312.html"]


def ours(item: tuple[bytes, str, str]) -> None:
    parse_bytes(*item)


def reader(item: tuple[bytes, str, str]) -> None:
    read_html(item[0], item[1])


def lxml_text(item: tuple[bytes, str, str]) -> None:
    lxml.html.fromstring(item[0]).text_content()


def one_round(fn, data: list, seconds: float) -> float:
    n = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        fn(data[n % len(data)])
        n += 1
    return n / elapsed


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    text = [(p.read_bytes(), p.name, p.suffix) for p in TEXT]
    html = [(p.read_bytes(), p.name, p.suffix) for p in HTML]
    sides = [
        ("文本报告 parse_bytes", ours, text),
        ("HTML 报告 parse_bytes", ours, html),
        ("HTML 读取 read_html", reader, html),
        ("HTML 基线 lxml", lxml_text, html),
    ]
    for _, fn, data in sides:  # warm up
        for item in data:
            fn(item)
    rates: dict[str, list[float]] = {name: [] for name, _, _ in sides}
    for r in range(rounds):
        for name, fn, data in sides if r % 2 == 0 else sides[::-1]:
            rates[name].append(one_round(fn, data, seconds))
    print(f"文本样本 {len(text)} 份，HTML 样本 {len(html)} 份；每轮每项 {seconds:g} 秒，轮流运行 {rounds} 轮")
    med = {}
    for name, _, _ in sides:
        med[name] = statistics.median(rates[name])
        each = "、".join(f"{x:.0f}" for x in rates[name])
        print(f"  {name}：中位 {med[name]:.0f} 份/秒，最好 {max(rates[name]):.0f} 份/秒（各轮 {each}）")
    for name, what in (("HTML 报告 parse_bytes", "parse_bytes"), ("HTML 读取 read_html", "read_html")):
        ratio = med["HTML 基线 lxml"] / med[name]
        print(f"HTML：{what} 每份用时是 lxml 解析加 text_content() 的 {ratio:.1f} 倍（中位数之比）")
    verdict = "达到" if med["文本报告 parse_bytes"] >= 1000 else "未达到"
    print(f"文本报告中位 {med['文本报告 parse_bytes']:.0f} 份/秒（单核，目标 ≥ 1000）：{verdict}")


if __name__ == "__main__":
    main()
