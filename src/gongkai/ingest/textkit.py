"""Small text helpers shared by the readers: what a CJK character is, where a space belongs.

No reader imports another reader's helpers; what two readers both need lives here.
"""

from __future__ import annotations

import re

CJK_RE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
SPACE_RE = re.compile(r"\s+")


def is_cjk(ch: str) -> bool:
    """A CJK ideograph, CJK punctuation or a full-width form."""
    return bool(CJK_RE.match(ch))


def is_wide(ch: str) -> bool:
    """CJK, or the quotes and dashes set among CJK text (no space is kept next to them)."""
    return is_cjk(ch) or "\u2010" <= ch <= "\u206f"


def join_cjk(lines: list[str]) -> str:
    """Lines of markup text joined: a space unless both sides are CJK (HTML, DOCX)."""
    out = ""
    for line in lines:
        if out and not (is_cjk(out[-1]) and is_cjk(line[0])):
            out += " "
        out += line
    return out


def join_wrapped(lines: list[str]) -> str:
    """Lines wrapped in a paragraph or cell of a laid-out page (PDF, OCR): a space only
    between two Latin letters (a number or a CJK phrase broken by the wrap is one)."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and line[0].isascii() and line[0].isalpha():
            out += " "
        out += line
    return out


def tidy(text: str) -> str:
    """Collapse spaces; none next to a CJK character (justification and autospacing are not spaces)."""
    text = SPACE_RE.sub(" ", text.replace("\u3000", " ")).strip()
    if " " not in text:
        return text
    return "".join(ch for i, ch in enumerate(text) if ch != " " or not (is_wide(text[i - 1]) or is_wide(text[i + 1])))
