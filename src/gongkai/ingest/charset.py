"""Bytes of a web page or text file to text: BOMs, declared charsets (every GB name read as
GB18030, a Western label on a Chinese page tried last), strict decoding before lossy."""

from __future__ import annotations

import codecs
import re

SNIFF_BYTES = 8192
BOMS = [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]  # fmt: skip
CHARSET_RE = re.compile(rb"<(?:meta|\?xml)\b[^>]*?(?:charset|encoding)\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
WESTERN = {"ascii", "latin-1", "iso8859-1", "cp1252"}


def decode(data: bytes, charset: str | None = None) -> str:
    return decode_as(data, charset)[0]


def decode_as(data: bytes, charset: str | None = None) -> tuple[str, str]:
    """The text and how it was read: a codec name when strictly decoded."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), "bom"
    declared = normalize_charset(charset)
    if not declared:
        found = CHARSET_RE.search(data[:SNIFF_BYTES])
        declared = normalize_charset(found.group(1).decode("ascii")) if found else None
    candidates = ["utf-8", "gb18030"]
    if declared in WESTERN:  # often a wrong label on a Chinese page: try it last
        candidates.append(declared)
    elif declared:
        candidates.insert(0, declared)
    candidates = list(dict.fromkeys(candidates))
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    # Last resort: the candidate that loses the fewest characters.
    texts = (data.decode(e, errors="replace") for e in candidates)
    return min(texts, key=lambda t: t.count("\ufffd")), "replace"


def normalize_charset(name: str | None) -> str | None:
    """Codec name for a declared charset; every GB family name reads as gb18030."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if re.fullmatch(r"(x-)?(cs)?(gb.*|cp936|ms936|windows-936|euc-cn)", name):
        return "gb18030"
    if name.startswith(("utf-16", "utf-32", "unicode")):  # a page that can carry this tag is not UTF-16
        return "utf-8"
    try:
        codec = codecs.lookup(name).name
        "".encode(codec)  # base64, rot13, zlib…: codecs, but no text encodings (LookupError)
    except LookupError:
        return None
    return codec


__all__ = ["decode", "decode_as", "normalize_charset"]
