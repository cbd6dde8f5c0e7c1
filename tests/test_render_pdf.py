"""PDF output: Chinese text in the bundled fonts, whatever fonts the machine has, and a warning
that names the characters those fonts lack instead of printing boxes silently."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pdfplumber
import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.render import pdf
from gongkai.report import Report

from .conftest import SEEDS

runner = CliRunner()
SEED = SEEDS / "000_5ac34f26426a2d27.txt"  # 咸宁市司法局 2020
BUNDLED = re.compile(r"^(?:[A-Z]{6}\+)?Gongkai-?Serif-?SC(?:-Bold)?$")
RARE = "\U0002a6a5"  # 𪚥 (CJK Extension B): neither in GB 2312 nor in 通用规范汉字表
WARNING = "警告：内置字体缺少以下字符，PDF 中将显示为方框："


def render_cli(source: Path, output: Path):
    return runner.invoke(app, ["render", str(source), "-o", str(output)])


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("pdf") / "report.pdf"
    return out, render_cli(SEED, out)


@pytest.fixture(scope="module")
def seed_chars(seed_pdf) -> list[dict]:
    out, _result = seed_pdf
    with pdfplumber.open(out) as doc:
        return [c for page in doc.pages for c in page.chars]


def test_bundled_fonts_are_small_and_cover_the_standard_sets():
    files = [pdf.font_dir() / name for name in pdf.FONT_FILES.values()]
    assert sum(f.stat().st_size for f in files) < 6_000_000
    assert (pdf.font_dir() / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") == 1
    have = pdf.covered()
    gb2312 = [bytes((hi, lo)).decode("gb2312", "ignore") for hi in range(0xB0, 0xF8) for lo in range(0xA1, 0xFF)]
    assert all(ord(c) in have for c in "".join(gb2312))  # all 6763 GB 2312 hanzi
    assert all(ord(c) in have for c in "〔〕【】《》“”‘’、。，；：？！（）—…·①⑳㈠％０９ＡＺ℃№Ⅻ")
    assert ord(RARE) not in have


def test_missing_glyphs_are_named_once_and_ignore_invisible_characters():
    assert pdf.missing_glyphs("政府信息公开 2024年\n\t\u3000\u200b（一）①") == ""
    assert pdf.missing_glyphs(f"甲{RARE}乙{RARE}✘") == f"{RARE}✘"


def test_cli_pdf_has_the_chinese_text_and_numbers(seed_pdf, seed_chars):
    out, result = seed_pdf
    assert result.exit_code == 0, result.output
    assert WARNING not in result.stderr
    with pdfplumber.open(out) as doc:
        assert len(doc.pages) > 5
        text = "".join(page.extract_text() or "" for page in doc.pages).replace("\n", "")
    for phrase in (
        "咸宁市司法局2020年政府信息公开工作年度报告",
        "一、总体情况",
        "推动重点领域立法",
        "三、收到和处理政府信息公开申请情况",
        "申请人情况",
        "法人或其他组织",
        "四、结转下年度继续办理",
        "联系电话:0715—8260860",
    ):
        assert phrase in text, phrase
    for number in ("216.35万元", "2737", "1396.09万元", "63.1%"):
        assert number in text, number
    assert "\ufffd" not in text


def test_cli_pdf_embeds_only_the_bundled_fonts(seed_chars):
    names = {c["fontname"] for c in seed_chars}
    assert names and all(BUNDLED.match(n) for n in names), names
    assert any(n.endswith("Bold") for n in names)  # the title and headings
    cjk = [c for c in seed_chars if "\u4e00" <= c["text"] <= "\u9fff"]
    assert len(cjk) > 5000
    title = [c for c in cjk if c["size"] > 20]  # the 22 pt title, in bold
    assert title and all(c["fontname"].endswith("Bold") for c in title)
    body = [c for c in cjk if 15.5 < c["size"] < 16.5 and not c["fontname"].endswith("Bold")]
    assert len(body) > 3000  # 三号 body text


def test_cli_warns_about_characters_the_fonts_lack(tmp_path):
    report = Report.empty("gb2021", year=2024, agency="某某县人民政府办公室")
    report.sections["s1"] = f"本年度共接待申请人{RARE}某某等来访3次。"
    source = tmp_path / "report.json"
    source.write_text(report.to_json(), encoding="utf-8")
    result = render_cli(source, tmp_path / "report.pdf")
    assert result.exit_code == 0, result.output
    assert f"{WARNING}{RARE}" in result.stderr
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert pdf.warning(report) == f"{WARNING}{RARE}"


def test_no_system_font_names_before_the_bundled_family():
    css = pdf.font_css()
    families = re.findall(r"font-family:\s*([^;]+);", css)
    assert families and all(f.strip().startswith(f'"{pdf.FONT_FAMILY}"') for f in families)
    urls = re.findall(r'url\("([^"]+)"\)', css)
    assert len(urls) == 2 and all(Path(unquote(urlparse(u).path)).is_file() for u in urls)
