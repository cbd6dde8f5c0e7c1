#!/usr/bin/env python3
"""Parser accuracy against gold files.

    python bench/accuracy.py GOLD_DIR RAW_DIR [--json]

A gold file ``NAME.gold.json`` (``parse --cells`` shape) is the truth for every raw file
``NAME.<carrier>`` in RAW_DIR (``NAME.md``, ``NAME.tab.txt``, ``NAME.scan.pdf``…); the
carrier is the part of the file name after ``NAME.``. Each raw file is parsed and scored:

- cells: a value equal to gold is a true positive; a value where gold is blank (null) a
  false positive; a blank where gold has a value a false negative; a wrong value both;
- format, year and agency: right or wrong;
- issues: the share of gold issues (code + where) the parser reported.

Prints one table per carrier and overall. Exit code 2 only for usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from gongkai.errors import GongkaiError
from gongkai.parse import parse_path

GOLD_SUFFIX = ".gold.json"


@dataclass
class Score:
    files: int = 0
    failed: int = 0  # files the parser refused
    tp: int = 0
    fp: int = 0
    fn: int = 0
    format_ok: int = 0
    year_ok: int = 0
    agency_ok: int = 0
    issues_found: int = 0
    issues_gold: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for k in ("files", "failed", "tp", "fp", "fn", "format_ok", "year_ok", "agency_ok"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.issues_found += other.issues_found
        self.issues_gold += other.issues_gold
        self.errors += other.errors

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def issue_recall(self) -> float:
        return self.issues_found / self.issues_gold if self.issues_gold else 1.0

    def share(self, n: int) -> float:
        return n / self.files if self.files else 1.0

    def to_dict(self) -> dict:
        return {
            "files": self.files,
            "failed": self.failed,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "format": self.share(self.format_ok),
            "year": self.share(self.year_ok),
            "agency": self.share(self.agency_ok),
            "issue_recall": self.issue_recall,
            "errors": self.errors,
        }


def _num(v) -> Decimal | None:
    return None if v is None else Decimal(str(v))


def score_cells(gold: dict, predicted: dict) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for cid in gold.keys() | predicted.keys():
        g, p = _num(gold.get(cid)), _num(predicted.get(cid))
        if g is None and p is None:
            continue
        if g == p:
            tp += 1
            continue
        fp += p is not None
        fn += g is not None
    return tp, fp, fn


def score_file(gold: dict, raw: Path) -> Score:
    s = Score(files=1)
    wanted = {(i["code"], i["where"]) for i in gold.get("issues") or ()}
    s.issues_gold = len(wanted)
    try:
        report = parse_path(raw)
    except GongkaiError as e:
        s.failed = 1
        s.fn = sum(v is not None for v in gold["cells"].values())
        s.errors.append(f"{raw.name}：{e.message}")
        return s
    except Exception as e:  # a parser bug counts against the parser, it does not stop the run
        s.failed = 1
        s.fn = sum(v is not None for v in gold["cells"].values())
        s.errors.append(f"{raw.name}：内部错误 {type(e).__name__}: {e}")
        return s
    s.tp, s.fp, s.fn = score_cells(gold["cells"], report.cells)
    s.format_ok = int(report.format == gold.get("format"))
    s.year_ok = int(report.year == gold.get("year"))
    s.agency_ok = int(report.agency == gold.get("agency"))
    s.issues_found = len(wanted & {(i.code, i.where) for i in report.issues})
    return s


def pairs(gold_dir: Path, raw_dir: Path) -> list[tuple[Path, Path, str]]:
    """(gold file, raw file, carrier) for every raw file that has a gold file."""
    raws = sorted(p for p in raw_dir.iterdir() if p.is_file() and not p.name.endswith(GOLD_SUFFIX))
    out = []
    for gold in sorted(gold_dir.glob(f"*{GOLD_SUFFIX}")):
        base = gold.name[: -len(GOLD_SUFFIX)]
        for raw in raws:
            if raw.name.startswith(base + "."):
                out.append((gold, raw, raw.name[len(base) + 1 :].lower()))
    return out


def evaluate(gold_dir: Path, raw_dir: Path) -> dict[str, Score]:
    """Scores by carrier, plus ``overall``."""
    by_carrier: dict[str, Score] = defaultdict(Score)
    overall = Score()
    golds: dict[Path, dict] = {}
    for gold, raw, carrier in pairs(gold_dir, raw_dir):
        if gold not in golds:
            golds[gold] = json.loads(gold.read_text(encoding="utf-8"), parse_float=Decimal)
        s = score_file(golds[gold], raw)
        by_carrier[carrier].add(s)
        overall.add(s)
    return dict(sorted(by_carrier.items())) | {"overall": overall}


def table(scores: dict[str, Score]) -> str:
    head = ("载体", "文件", "失败", "精确率", "召回率", "F1", "格式", "年度", "单位", "问题召回")
    rows = [head]
    for name, s in scores.items():
        rows.append(
            (
                "合计" if name == "overall" else name,
                str(s.files),
                str(s.failed),
                f"{s.precision:.4f}",
                f"{s.recall:.4f}",
                f"{s.f1:.4f}",
                f"{s.share(s.format_ok):.2f}",
                f"{s.share(s.year_ok):.2f}",
                f"{s.share(s.agency_ok):.2f}",
                f"{s.issue_recall:.2f}",
            )
        )
    widths = [max(_width(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join(
        "  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="对照标准答案（*.gold.json）评估解析准确率")
    ap.add_argument("gold_dir", type=Path, help="标准答案目录")
    ap.add_argument("raw_dir", type=Path, help="原始报告目录")
    ap.add_argument("--json", action="store_true", help="以 JSON 输出")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    for d in (args.gold_dir, args.raw_dir):
        if not d.is_dir():
            print(f"错误：{d} 不是目录", file=sys.stderr)
            return 2
    if not any(args.gold_dir.glob(f"*{GOLD_SUFFIX}")):
        print(f"错误：{args.gold_dir} 中没有 *{GOLD_SUFFIX} 标准答案文件", file=sys.stderr)
        return 2
    scores = evaluate(args.gold_dir, args.raw_dir)
    if args.json:
        print(json.dumps({k: s.to_dict() for k, s in scores.items()}, ensure_ascii=False, indent=1))
        return 0
    print(table(scores))
    for err in scores["overall"].errors:
        print(f"  无法解析：{err}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
