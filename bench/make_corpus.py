#!/usr/bin/env python3
"""Build a gold corpus for ``bench/accuracy.py``.

    python bench/make_corpus.py OUT_DIR [--no-pdf] [--dpi 100]

Generated reports (every cell a distinct non-zero number, a few blank cells, several per
format, varied agencies and years) are written in every carrier the renderers and tools
allow — ``.md``, ``.pipe.txt``, ``.tab.txt``, ``.html`` (GBK with a gb2312 meta, merged
headers), ``.docx``, ``.pdf`` (LibreOffice, when ``soffice`` is on PATH) and ``.scan.pdf``
(the PDF rasterised with pypdfium2, image only) — next to ``NAME.gold.json``, the truth in
``parse --cells`` shape. One report per 2019/2021 format also gets text copies with a
row-width defect (one value dropped from a row of table 三), with their own gold.

The real seed reports in tests/corpus/seeds are copied with gold converted from the
hand-checked expectations in tests/test_seeds.py (not re-derived from the parser).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gongkai.formats import FORMATS  # noqa: E402
from gongkai.render import render  # noqa: E402
from gongkai.report import Report  # noqa: E402

# (format, year, agency): several per format
REPORTS = (
    ("gb2021", 2021, "咸宁市交通运输局"),
    ("gb2021", 2023, "荆州市生态环境局"),
    ("gb2021", 2024, "武汉市江汉区人民政府办公室"),
    ("gb2019", 2019, "宜昌市自然资源和规划局"),
    ("gb2019", 2020, "黄石市市场监督管理局"),
    ("legacy", 2016, "东阳市教育局"),
    ("legacy", 2018, "义乌市卫生健康局"),
)
DEFECT_ROW = "t3.partial"  # the row that loses a value in the defect copies


def sections(year: int, agency: str) -> dict[str, str]:
    return {
        "s1": f"{year}年，{agency}坚持以公开为常态、不公开为例外。\n（一）健全制度。明确专人负责。",
        "s2": "全年主动公开政府信息情况见下表。",
        "s3": "本年度收到和处理政府信息公开申请情况见下表。",
        "s4": "因政府信息公开工作被申请行政复议、提起行政诉讼情况见下表。",
        "s5": "一是公开质量有待提高；二是队伍建设需加强。",
        "s6": "无。",
    }


def generate(k: int, fmt_id: str, year: int, agency: str) -> Report:
    """Every cell a distinct non-zero number (distinct across reports too), three blanks."""
    fmt = FORMATS[fmt_id]
    r = Report.empty(fmt_id, year=year, agency=agency)
    r.title = f"{agency}{year}年政府信息公开工作年度报告"
    ids = fmt.cell_ids(optional=True)
    for n, cid in enumerate(ids, start=1):
        v = 1000 * (k + 1) + n
        r.cells[cid] = Decimal(f"{v}.{k + 1}5") if cid in fmt.money else v
    if fmt_id == "legacy":
        r.sections = {key: "" for key in sections(year, agency)} | {"s1": f"{year}年，{agency}主动公开信息。"}
        blanks = (ids[3], ids[20])
    else:
        r.sections = sections(year, agency)
        t3 = [c for c in ids if c.startswith("t3.")]
        t4 = [c for c in ids if c.startswith("t4.")]
        blanks = (t3[0], t3[30 + k], t4[2 + k])
    for cid in blanks:
        r.cells[cid] = None
    if fmt_id == "gb2019":
        r.cells["t2.penalty.change"] = -(k + 3)
    return r


def gold(report: Report, issues: list[dict] | None = None) -> dict:
    d = report.to_dict()
    d["issues"] = issues or []
    return d


def tab_separated(md: str) -> str:
    """A Markdown copy with its pipe tables turned into tab-separated rows."""
    out = []
    for line in md.splitlines():
        s = line.strip()
        if s.startswith("|") and s.endswith("|"):
            cells = [c.strip() for c in s[1:-1].split("|")]
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                continue
            line = "\t".join(cells)
        out.append(line)
    return "\n".join(out) + "\n"


def drop_value(md: str, report: Report, row: str) -> str:
    """The Markdown copy with the last value of table 三's ``row`` removed."""
    last = report.cells[f"{row}.total"]
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.rstrip().endswith(f"| {last} |") and line.count("|") > 8:
            lines[i] = line.rstrip()[: -len(f" {last} |")]
            return "\n".join(lines) + "\n"
    raise SystemExit(f"无法在 Markdown 中找到 {row} 行")


def gbk_html(report: Report) -> bytes:
    page = render(report, "html").decode("utf-8")
    page = page.replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    )
    return page.encode("gbk", errors="xmlcharrefreplace")


def write_gold(out: Path, base: str, d: dict) -> None:
    (out / f"{base}.gold.json").write_text(json.dumps(d, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def seeds(out: Path) -> int:
    """Seed reports and gold from the hand-checked expectations of tests/test_seeds.py."""
    from tests.test_seeds import SEED_CASES

    for name, exp in sorted(SEED_CASES.items()):
        fmt = FORMATS[exp["format"]]
        ids = set(fmt.cell_ids())
        for prefix in exp["extra_rows"]:
            ids |= {c for c in fmt.cell_ids(optional=True) if c.startswith(prefix + ".")}
        blank = ids if exp["blank"] == "all" else set(exp["blank"])
        cells = {}
        for cid in fmt.cell_ids(optional=True):
            if cid in ids:
                cells[cid] = None if cid in blank else exp["nonzero"].get(cid, 0)
        base = Path(name).stem
        shutil.copy(ROOT / "tests" / "corpus" / "seeds" / name, out / name)
        d = {
            "format": exp["format"],
            "year": exp["year"],
            "agency": exp["agency"],
            "cells": {k: float(v) if isinstance(v, Decimal) else v for k, v in cells.items()},
            "issues": [{"code": c, "where": w} for c, w in sorted(exp["issues"])],
        }
        write_gold(out, base, d)
    return len(SEED_CASES)


def to_pdf(docx_files: list[Path], out: Path) -> list[Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("未找到 LibreOffice（soffice），跳过 PDF 和扫描件", file=sys.stderr)
        return []
    with tempfile.TemporaryDirectory() as profile:
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf"]
        subprocess.run([*cmd, "--outdir", str(out), *map(str, docx_files)], check=True, capture_output=True)
    return [out / f"{p.stem}.pdf" for p in docx_files if (out / f"{p.stem}.pdf").exists()]


def to_scan(pdf: Path, dpi: int) -> Path:
    """An image-only PDF: every page rasterised in grey."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    pages = [page.render(scale=dpi / 72).to_pil().convert("L") for page in doc]
    doc.close()
    target = pdf.with_name(f"{pdf.stem}.scan.pdf")
    pages[0].save(target, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return target


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="生成带标准答案（gold）的年度报告语料")
    ap.add_argument("out", type=Path, help="输出目录")
    ap.add_argument("--no-pdf", action="store_true", help="不生成 PDF 和扫描件")
    ap.add_argument("--dpi", type=int, default=100, help="扫描件分辨率（默认 100）")
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    docx_files = []
    defects = set()
    for k, (fmt_id, year, agency) in enumerate(REPORTS):
        report = generate(k, fmt_id, year, agency)
        base = f"{fmt_id}-{year}-{k}"
        write_gold(out, base, gold(report))
        md = render(report, "md").decode("utf-8")
        (out / f"{base}.md").write_text(md, encoding="utf-8")
        (out / f"{base}.pipe.txt").write_text(md, encoding="utf-8")
        (out / f"{base}.tab.txt").write_text(tab_separated(md), encoding="utf-8")
        (out / f"{base}.html").write_bytes(gbk_html(report))
        (out / f"{base}.docx").write_bytes(render(report, "docx"))
        docx_files.append(out / f"{base}.docx")
        if fmt_id != "legacy" and fmt_id not in defects:
            defects.add(fmt_id)
            bad = drop_value(md, report, DEFECT_ROW)
            broken = Report.from_dict(report.to_dict())
            for cid in list(broken.cells):
                if cid.startswith(DEFECT_ROW + "."):
                    broken.cells[cid] = None
            write_gold(out, f"{base}-defect", gold(broken, [{"code": "row-width", "where": DEFECT_ROW}]))
            (out / f"{base}-defect.pipe.txt").write_text(bad, encoding="utf-8")
            (out / f"{base}-defect.tab.txt").write_text(tab_separated(bad), encoding="utf-8")
    n_scan = 0
    if not args.no_pdf:
        for pdf in to_pdf(docx_files, out):
            to_scan(pdf, args.dpi)
            n_scan += 1
    n_seeds = seeds(out)
    print(f"已生成 {len(REPORTS)} 份报告（含 PDF/扫描件 {n_scan} 份）和 {n_seeds} 份真实样本的标准答案：{out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
