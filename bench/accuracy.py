#!/usr/bin/env python3
"""Parser accuracy against gold files, real documents apart from made ones.

    python bench/accuracy.py DIR [DIR ...] [--list-misses] [--only real|mangled|made] [--json]
    python bench/accuracy.py GOLD_DIR RAW_DIR        (old form: RAW_DIR holds no gold file)

A gold file ``NAME.gold.json`` (``parse --cells`` shape) is the truth for every raw file
``NAME.<carrier>`` beside it (``NAME.md``, ``NAME.tab.txt``, ``NAME.pdf``…); the carrier is
the part of the file name after ``NAME.``. Each raw file is parsed and scored:

- cells: a value equal to gold is a true positive; a value where gold is blank (null, or
  the cell not in gold at all) a false positive; a blank where gold has a value a false
  negative; a wrong value both. A file the parser refuses loses all its gold values;
- format, year and agency: right or wrong;
- issues: the share of gold issues (code + where) the parser reported.

Files are reported in three groups, never mixed:

- real: under a directory named ``real``, or with a ``NAME.source.json`` (its ``category``:
  complete / excerpt) — the headline, by carrier and by category;
- mangled: gold with a ``mangle`` field (tests/corpus/mangle.py), by mangle category;
- made: everything else (the rendered round-trip corpus and the seeds), by carrier.

``--list-misses`` prints, per file, every cell missed or wrong (id, gold, parsed).
Exit code 2 only for usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from gongkai.errors import GongkaiError
from gongkai.parse import parse_path

GOLD_SUFFIX = ".gold.json"
SOURCE_SUFFIX = ".source.json"
GROUPS = ("real", "mangled", "made")
TITLES = {
    "real": "真实报告（标题指标）",
    "mangled": "变形报告（由真实报告按类别变形，tests/corpus/mangle.py）",
    "made": "自制往返报告（项目自己渲染的报告与种子文本）",
}
CATEGORY_NAMES = {"complete": "完整", "excerpt": "摘录", "": "未标注"}


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
    misses: list[tuple[str, object, object]] = field(default_factory=list)  # one file's: (id, gold, parsed)

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


def cell_misses(gold: dict, predicted: dict) -> tuple[int, list[tuple[str, object, object]]]:
    """(true positives, [(id, gold, parsed)] for every cell missed, invented or wrong)."""
    tp, misses = 0, []
    for cid in sorted(gold.keys() | predicted.keys()):
        g, p = _num(gold.get(cid)), _num(predicted.get(cid))
        if g == p:
            tp += g is not None
        else:
            misses.append((cid, gold.get(cid), predicted.get(cid)))
    return tp, misses


def score_cells(gold: dict, predicted: dict) -> tuple[int, int, int]:
    tp, misses = cell_misses(gold, predicted)
    return tp, sum(p is not None for _, _, p in misses), sum(g is not None for _, g, _ in misses)


def score_file(gold: dict, raw: Path) -> Score:
    s = Score(files=1)
    wanted = {(i["code"], i["where"]) for i in gold.get("issues") or ()}
    s.issues_gold = len(wanted)
    try:
        report = parse_path(raw)
    except Exception as e:  # refused or crashed: all its gold values are lost, the run goes on
        s.failed = 1
        s.misses = [(k, v, None) for k, v in sorted(gold["cells"].items()) if v is not None]
        s.fn = len(s.misses)
        why = e.message if isinstance(e, GongkaiError) else f"内部错误 {type(e).__name__}: {e}"
        s.errors.append(f"{raw.name}：{why}")
        return s
    s.tp, s.misses = cell_misses(gold["cells"], report.cells)
    s.fp = sum(p is not None for _, _, p in s.misses)
    s.fn = sum(g is not None for _, g, _ in s.misses)
    for what, got in (("format", report.format), ("year", report.year), ("agency", report.agency)):
        ok = got == gold.get(what)
        setattr(s, f"{what}_ok", int(ok))
        if not ok:
            s.misses.insert(0, (what, gold.get(what), got))
    s.issues_found = len(wanted & {(i.code, i.where) for i in report.issues})
    return s


def pairs(gold_dir: Path, raw_dir: Path) -> list[tuple[Path, Path, str]]:
    """(gold file, raw file, carrier) for every raw file that has a gold file."""
    raws = _raws(raw_dir)
    out = []
    for gold in sorted(gold_dir.glob(f"*{GOLD_SUFFIX}")):
        base = gold.name[: -len(GOLD_SUFFIX)]
        for raw in raws:
            if raw.name.startswith(base + "."):
                out.append((gold, raw, raw.name[len(base) + 1 :].lower()))
    return out


def _raws(d: Path) -> list[Path]:
    return sorted(
        p for p in d.iterdir() if p.is_file() and not p.name.endswith((GOLD_SUFFIX, SOURCE_SUFFIX, "README.md"))
    )


@dataclass
class Item:
    gold_path: Path
    raw: Path
    carrier: str
    gold: dict
    group: str = "made"
    category: str = ""


def items(pairs_: list[tuple[Path, Path, str]]) -> list[Item]:
    golds: dict[Path, dict] = {}
    out = []
    for gold, raw, carrier in pairs_:
        if gold not in golds:
            golds[gold] = json.loads(gold.read_text(encoding="utf-8"), parse_float=Decimal)
        it = Item(gold, raw, carrier, golds[gold])
        source = gold.with_name(gold.name[: -len(GOLD_SUFFIX)] + SOURCE_SUFFIX)
        if "real" in gold.resolve().parts or source.exists():
            it.group = "real"
            if source.exists():
                it.category = json.loads(source.read_text(encoding="utf-8")).get("category") or ""
        elif "mangle" in it.gold or "mangled" in gold.resolve().parts:
            it.group = "mangled"
            it.category = (it.gold.get("mangle") or {}).get("category", "")
        out.append(it)
    return out


def evaluate(gold_dir: Path, raw_dir: Path) -> dict[str, Score]:
    """Scores by carrier, plus ``overall`` (all groups together)."""
    by_carrier: dict[str, Score] = defaultdict(Score)
    overall = Score()
    for it in items(pairs(gold_dir, raw_dir)):
        s = score_file(it.gold, it.raw)
        by_carrier[it.carrier].add(s)
        overall.add(s)
    return dict(sorted(by_carrier.items())) | {"overall": overall}


def group_rows(group: str, scored: list[tuple[Item, Score]]) -> dict[str, Score]:
    """Rows of one group's table: real by carrier and category, mangled by category, made by carrier."""
    rows: dict[str, Score] = defaultdict(Score)
    total = Score()
    for it, s in scored:
        if group == "real":
            rows[f"载体 {it.carrier}"].add(s)
            rows[f"类别 {CATEGORY_NAMES.get(it.category, it.category)}"].add(s)
        elif group == "mangled":
            rows[it.category or "?"].add(s)
        else:
            rows[it.carrier].add(s)
        total.add(s)
    order = sorted(rows, key=lambda k: (k.startswith("类别"), k))  # real: carriers first, then categories
    return {k: rows[k] for k in order} | {"overall": total}


def _pct(n: int, d: int) -> str:
    return f"{n / d:.4f}" if d else "—"


def table(scores: dict[str, Score], first: str = "载体") -> str:
    head = (first, "文件", "失败", "精确率", "召回率", "F1", "格式", "年度", "单位", "问题召回")
    rows = [head]
    for name, s in scores.items():
        rows.append(
            (
                "合计" if name == "overall" else name,
                str(s.files),
                str(s.failed),
                _pct(s.tp, s.tp + s.fp),
                _pct(s.tp, s.tp + s.fn),
                f"{s.f1:.4f}" if s.tp + s.fp + s.fn else "—",
                f"{s.share(s.format_ok):.2f}",
                f"{s.share(s.year_ok):.2f}",
                f"{s.share(s.agency_ok):.2f}",
                f"{s.issue_recall:.2f}" if s.issues_gold else "—",
            )
        )
    widths = [max(_width(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join(
        "  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def list_misses(scored: list[tuple[Item, Score]]) -> str:
    out = []
    for it, s in scored:
        if not s.misses:
            continue
        out.append(f"{os.path.relpath(it.raw)}（F1 {s.f1:.4f}，漏 {s.fn}，多或错 {s.fp}）")
        out += [f"  {cid}  标准={g!s:<10} 解析={p}" for cid, g, p in s.misses]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="对照标准答案（*.gold.json）评估解析准确率：真实、变形、自制分开报告")
    ap.add_argument(
        "dirs", type=Path, nargs="+", help="目录：标准答案与原始报告并排存放（旧用法：标准答案目录 原始报告目录）"
    )
    ap.add_argument("--list-misses", action="store_true", help="逐个文件列出漏掉或错误的单元格（编号、标准值、解析值）")
    ap.add_argument("--only", choices=GROUPS, help="只评估一组：real（真实）、mangled（变形）、made（自制）")
    ap.add_argument("--json", action="store_true", help="以 JSON 输出")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    for d in args.dirs:
        if not d.is_dir():
            print(f"错误：{d} 不是目录", file=sys.stderr)
            return 2
    dirs = list(dict.fromkeys(d.resolve() for d in args.dirs))
    has_gold = [any(d.glob(f"*{GOLD_SUFFIX}")) for d in dirs]
    if not any(has_gold):
        print(f"错误：{'、'.join(map(str, args.dirs))} 中没有 *{GOLD_SUFFIX} 标准答案文件", file=sys.stderr)
        return 2
    if len(dirs) == 2 and has_gold == [True, False]:  # old form: GOLD_DIR RAW_DIR
        found, raw_dirs = pairs(dirs[0], dirs[1]), dirs[1:]
    else:
        found, raw_dirs = [p for d in dirs for p in pairs(d, d)], dirs
    matched = {raw for _, raw, _ in found}
    unmatched = [p for d in raw_dirs for p in _raws(d) if p not in matched]
    groups: dict[str, list[tuple[Item, Score]]] = {g: [] for g in GROUPS}
    for it in items(found):
        if args.only in (None, it.group):
            groups[it.group].append((it, score_file(it.gold, it.raw)))
    tables = {g: group_rows(g, scored) for g, scored in groups.items() if scored}
    if args.json:
        print(
            json.dumps(
                {g: {k: s.to_dict() for k, s in t.items()} for g, t in tables.items()}, ensure_ascii=False, indent=1
            )
        )
        return 0
    firsts = {"real": "分组", "mangled": "变形类别", "made": "载体"}
    for g, t in tables.items():
        print(f"== {TITLES[g]} ==")
        print(table(t, firsts[g]))
        for err in t["overall"].errors:
            print(f"  无法解析：{err}")
        print()
    if unmatched:  # nothing is left out silently
        names = "、".join(os.path.relpath(p) for p in unmatched[:10]) + ("……" if len(unmatched) > 10 else "")
        print(f"没有标准答案、未评分的文件 {len(unmatched)} 个：{names}\n")
    if args.list_misses:
        for g in GROUPS:
            if text := list_misses(groups[g]):
                print(f"== 未命中的单元格：{TITLES[g]} ==")
                print(text)
                print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
