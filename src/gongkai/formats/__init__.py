"""The official report formats as data (see ``official.py``) and label normalisation."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .model import Alt, Block, Column, Format, Row, Sum, Table
from .official import FORMATS, GB2019, GB2021, LEGACY, SECTIONS, for_year

__all__ = [
    "FORMATS",
    "GB2019",
    "GB2021",
    "LEGACY",
    "SECTIONS",
    "Alt",
    "Block",
    "Column",
    "Format",
    "Row",
    "Sum",
    "Table",
    "for_year",
    "normalise_label",
]

_CN_NUM = "一二三四五六七八九十"
_ORDINAL = re.compile(rf"^(?:第?[{_CN_NUM}]+[、.．:：]|\([{_CN_NUM}]+\)[、.．]?|\d+[、.．)]|\(\d+\)|其中[:：]?|[①-⑳])")
_PAREN = re.compile(r"\([^()]*\)")
_DROP = re.compile(r"[\s\"'“”‘’「」『』《》〈〉:：;；,，。、.．·・_\-—–]")


@lru_cache(maxsize=65536)
def normalise_label(text: str) -> str:
    """A label reduced to what identifies it.

    Full-width forms are folded (NFKC), white space, quotes and punctuation dropped,
    leading ordinals (一、 （一） 1. 其中：) and parenthetical notes removed.
    """
    s = unicodedata.normalize("NFKC", text or "")
    s = s.replace("【", "(").replace("】", ")").replace("〔", "(").replace("〕", ")")
    s = re.sub(r"\s+", "", s)
    prev = None
    while prev != s:
        prev = s
        s = _ORDINAL.sub("", s)
    prev = None
    while prev != s:
        prev = s
        s = _PAREN.sub("", s)
    s = re.sub(r"\([^()]*$", "", s)  # a note whose closing bracket was lost
    return _DROP.sub("", s)
