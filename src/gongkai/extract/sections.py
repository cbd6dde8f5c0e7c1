"""The six sections of a report, found by their headings' meaning."""

from __future__ import annotations

import re

from ..formats import FORMATS, normalise_label
from ..ingest.model import Paragraph
from ..report import SECTION_KEYS
from .meta import clean_line

# ------------------------------------------------------------------ sections

_SECTION_HEADING = re.compile(r"^\s*(?:第?[一二三四五六七八九十]+\s*[、.．]|第[一二三四五六七八九十]+部分)")
_SECTION_KEYWORDS = (
    ("s6", ("其他需要报告", "其他需报告", "其他需要说明", "其他事项")),
    ("s5", ("问题", "改进", "不足", "整改")),
    ("s4", ("行政复议", "行政诉讼")),
    ("s3", ("收到和处理", "依申请", "申请情况", "申请公开")),
    ("s2", ("主动公开",)),
    ("s1", ("总体情况", "概述", "基本情况")),
)


def _section_of(heading: str) -> str | None:
    s = normalise_label(heading)
    for key, words in _SECTION_KEYWORDS:
        if any(w in s for w in words):
            return key
    return None


_WEAK_HEADING = re.compile(r"^\s*(?:\d{1,2}\s*[、.．]\s*)?[\u4e00-\u9fff]")
_WEAK_WORDS = ("情况", "事项", "问题", "改进", "措施")


def _is_section_heading(p: Paragraph) -> bool:
    """A heading with a Chinese ordinal (一、 / 第一部分)."""
    s = clean_line(p.text[:60])
    return bool(_SECTION_HEADING.match(s)) and len(s) <= 40 and not s.endswith(("。", "；"))


def _is_weak_heading(p: Paragraph) -> bool:
    """A heading without a Chinese ordinal (1. 总体情况, a bare 总体情况, a Markdown/Word heading):
    taken only when it names one of the six sections."""
    s = clean_line(p.text[:40])
    if len(s) > 25 or s.endswith(("。", "；", "，", ",", "：", ":")):
        return False
    return p.heading or (bool(_WEAK_HEADING.match(s)) and any(w in s for w in _WEAK_WORDS))


_TABLE_TITLES = frozenset(normalise_label(t.title) for f in FORMATS.values() for t in f.tables)


def split_sections(paras: list[Paragraph]) -> tuple[dict[str, str], str]:
    """Sections s1–s6 by their headings' meaning, and the text before the first one.

    Headings that name none of the six (a regional extra such as 政务新媒体监管情况)
    stay, with their text, inside the section before them; nothing is dropped.
    """
    out: dict[str, list[str]] = {k: [] for k in SECTION_KEYS}
    preamble: list[str] = []
    current: str | None = None
    for p in paras:
        text = p.text.strip()  # kept as written: full-width punctuation is the author's
        if not text:
            continue
        short = len(text) <= 120  # a heading is short; skip the checks for body paragraphs
        strong = short and _is_section_heading(p)
        if strong or (short and _is_weak_heading(p)):
            key = _section_of(text)
            if key and not out[key] and (current is None or SECTION_KEYS.index(key) > SECTION_KEYS.index(current)):
                current = key
                continue
            if strong and current is None:
                current = key or "s1"
                if key:
                    continue
        if p.heading and normalise_label(text) in _TABLE_TITLES:
            continue  # a table's caption, not section text
        (out[current] if current else preamble).append(text)
    return {k: "\n".join(v) for k, v in out.items()}, "\n".join(preamble)
