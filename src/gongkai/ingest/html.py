"""Reader for reports published as web pages.

Turns the bytes of a saved government page into a ``Document``: the report body's text as
paragraphs (``<h1>``–``<h6>`` marked as headings) and every data table as a ``Grid`` with
rowspan/colspan expanded. Navigation, sidebars, footers and the like are left out.
"""

from __future__ import annotations

import codecs
import re

import lxml.html
from lxml import etree

from gongkai.errors import GongkaiError
from gongkai.ingest.model import Block, Document, Grid, Paragraph

SNIFF_BYTES = 8192
MAX_COLSPAN = 100
CONTAINER_SHARE = 0.85  # descend into a child holding this share of its parent's text
PREFERRED_SHARE = 0.7  # a TRS_Editor/article/content container must hold this share of the page
PROTECTED_SHARE = 0.4  # never drop an element holding this share of the page's text

BOMS = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
MAGIC = [
    (b"%PDF", "PDF文件"),
    (b"PK\x03\x04", "压缩包或Word（docx）文件"),
    (b"\xd0\xcf\x11\xe0", "旧版Office（doc/xls）文件"),
    (b"\x89PNG", "PNG图片"),
    (b"\xff\xd8\xff", "JPEG图片"),
    (b"GIF8", "GIF图片"),
]
CHARSET_RE = re.compile(rb"<(?:meta|\?xml)\b[^>]*?(?:charset|encoding)\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*>")
TAG_RE = re.compile(
    r"<(?:!doctype|html|head|body|meta|title|div|p|table|tr|td|br|span|font|center|a|ul|li|h[1-6])\b", re.I
)
WESTERN = {"ascii", "latin-1", "iso8859-1", "cp1252"}

# Elements that never hold report text.
DROP_TAGS = {
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
    "svg", "canvas", "select", "button", "input", "textarea", "map", "audio", "video", "head",
}  # fmt: skip
# Elements that are page furniture unless they hold most of the page's text.
NOISE_TAGS = {"nav", "header", "footer", "aside", "form"}
NOISE_RE = re.compile(
    r"nav|menu|crumb|footer|sidebar|copyright|share|jiathis|friendlink|related|qrcode|toolbar|pagination|pager"
)
NOISE_TOKENS = {
    "foot", "bottom", "side", "links", "link", "position", "location", "dqwz", "search", "login",
    "print", "tools", "ad", "ads", "xgxx", "xgwz", "yqlj", "banner", "topbar",
}  # fmt: skip
HIDDEN_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
PREFERRED_RE = re.compile(r"trs_editor|article|content|zoom|detail|zhengwen|zwnr|wznr")

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCK_TAGS = HEADINGS | {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "html",
    "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
SKIP_TAGS = DROP_TAGS | {"img", "option"}

WEIGHT_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff0-9]")
CJK_RE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
SPACE_RE = re.compile(r"\s+")
INVISIBLE_RE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
TITLE_SPLIT_RE = re.compile(r"[_|｜]|\s[-–—]\s|——|--")


def read_html(data: bytes, source: str = "", charset: str | None = None) -> Document:
    """Read a web page; ``charset`` (from HTTP headers) wins over the page's own declaration."""
    if not data.strip():
        raise GongkaiError("文件是空的，没有可读取的网页内容", path=source)
    for magic, kind in MAGIC:
        if data.startswith(magic):
            raise GongkaiError(f"文件不是HTML网页（看起来是{kind}），无法按网页读取", path=source)
    text = decode(data, charset)
    sample = text[:20000]
    bad = sum(1 for ch in sample if ch == "\ufffd") + len(CONTROL_RE.findall(sample))
    if bad > 0.02 * len(sample) or not TAG_RE.search(sample):
        raise GongkaiError("文件不是HTML网页，无法按网页读取", path=source)

    text = CONTROL_RE.sub("", XML_DECL_RE.sub("", text, count=1))
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise GongkaiError("网页内容无法解析", path=source) from e

    page_title = root.findtext(".//title") or ""
    # Keep every element proxy alive so elements can serve as dict keys.
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    order = {el: i for i, el in enumerate(elements)}
    titles = title_candidates(elements, order)

    for el in elements:
        if el.tag in DROP_TAGS:
            el.drop_tree()
    body = root.find("body")
    if body is None:
        body = root
    scores = text_scores(body)
    total = scores.get(body, 0)
    in_tables = {el for table in body.iter("table") if is_data_table(table) for el in table.iter()}
    for el in elements:
        if el is body or el in in_tables or scores.get(el, 0) >= PROTECTED_SHARE * total:
            continue
        if looks_like_noise(el):
            el.drop_tree()
    scores = text_scores(body)
    container = choose_container(body, scores)

    walker = Walker()
    walker.visit(container)
    walker.flush()
    blocks = walker.blocks
    title = document_title(blocks, container, body, titles, order, page_title)
    if title:
        blocks.insert(0, Paragraph(title, heading=True))
    return Document(blocks, source=source, carrier="html")


# --- decoding ---------------------------------------------------------------------------------


def decode(data: bytes, charset: str | None = None) -> str:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
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
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Last resort: the candidate that loses the fewest characters.
    return min((data.decode(e, errors="replace") for e in candidates), key=lambda t: t.count("\ufffd"))


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
        return codecs.lookup(name).name
    except LookupError:
        return None


# --- finding the report body ------------------------------------------------------------------


def weight(text: str) -> int:
    return len(WEIGHT_RE.findall(text))


def text_scores(root: etree._Element) -> dict[etree._Element, int]:
    """CJK characters and digits outside links held by each element (itself and descendants)."""
    scores: dict[etree._Element, int] = {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        n = weight((el.text or "") + "".join(child.tail or "" for child in el))
        if not n:
            continue
        chain = [el, *el.iterancestors()]
        if any(a.tag == "a" for a in chain):
            continue
        for a in chain:
            scores[a] = scores.get(a, 0) + n
    return scores


def id_class(el: etree._Element) -> str:
    return f"{el.get('id', '')} {el.get('class', '')}".lower()


def looks_like_noise(el: etree._Element) -> bool:
    if el.getparent() is None:
        return False
    if el.tag in NOISE_TAGS or el.get("hidden") is not None or HIDDEN_RE.search(el.get("style", "")):
        return True
    words = id_class(el)
    return bool(NOISE_RE.search(words)) or any(t in NOISE_TOKENS for t in re.split(r"[^a-z]+", words))


def is_data_table(el: etree._Element) -> bool:
    """A table with no nested table and more than one cell; other tables are layout."""
    if el.tag != "table" or any(t is not el for t in el.iter("table")):
        return False
    return sum(1 for _ in el.iter("td", "th")) > 1


def choose_container(body: etree._Element, scores: dict[etree._Element, int]) -> etree._Element:
    total = scores.get(body, 0)
    if not total:
        return body
    preferred = [
        el
        for el in body.iter()
        if isinstance(el.tag, str)
        and (el.tag in ("article", "main") or PREFERRED_RE.search(id_class(el)))
        and scores.get(el, 0) >= PREFERRED_SHARE * total
        and not any(is_data_table(a) for a in [el, *el.iterancestors()])
    ]
    if preferred:
        return min(preferred, key=lambda el: scores.get(el, 0))
    node = body
    while True:
        children = [c for c in node if isinstance(c.tag, str) and not is_data_table(c)]
        best = max(children, key=lambda c: scores.get(c, 0), default=None)
        if best is None or scores.get(best, 0) < CONTAINER_SHARE * scores.get(node, 0):
            return node
        node = best


def title_candidates(elements: list[etree._Element], order: dict) -> list[tuple[int, str, etree._Element]]:
    """Headings naming a report, read before any element is dropped."""
    out = []
    for el in elements:
        if el.tag not in ("h1", "h2", "h3") and "title" not in id_class(el):
            continue
        if any(a.tag in ("nav", "aside") or NOISE_RE.search(id_class(a)) for a in [el, *el.iterancestors()]):
            continue
        text = join_lines(text_lines(el))
        if "报告" in text and 6 <= len(text) <= 100:
            out.append((order[el], text, el))
    return out


def document_title(blocks, container, body, titles, order, page_title: str) -> str:
    """The report's title when the chosen container does not start with it."""
    first = [b for b in blocks[:3] if isinstance(b, Paragraph)]
    if container is body or any("报告" in b.text and len(b.text) <= 60 for b in first):
        return ""
    end = max(order.get(el, -1) for el in container.iter())
    for _, text, el in reversed([t for t in titles if t[0] <= end]):
        if container not in el.iterancestors():
            return text
    for part in TITLE_SPLIT_RE.split(page_title):
        part = clean_text(part)
        if "报告" in part:
            return part
    return ""


# --- text -------------------------------------------------------------------------------------


def is_cjk(ch: str) -> bool:
    return bool(CJK_RE.match(ch))


def clean_text(text: str) -> str:
    """Collapse whitespace; a source line break between CJK characters disappears."""
    text = INVISIBLE_RE.sub("", text.replace("\u00a0", " ").replace("\u3000", " "))

    def space(m: re.Match) -> str:
        s, a, b = m.group(), m.start(), m.end()
        if ("\n" in s or "\r" in s) and a > 0 and b < len(text) and is_cjk(text[a - 1]) and is_cjk(text[b]):
            return ""
        return " "

    return SPACE_RE.sub(space, text).strip()


def join_lines(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if out and not (is_cjk(out[-1]) and is_cjk(line[0])):
            out += " "
        out += line
    return out


def text_lines(el: etree._Element) -> list[str]:
    """The lines of an element's text, split at <br> and block elements."""
    lines: list[str] = []
    parts: list[str] = []

    def flush() -> None:
        text = clean_text("".join(parts))
        parts.clear()
        if text:
            lines.append(text)

    def walk(e: etree._Element) -> None:
        if e.tag == "br":
            flush()
            return
        if e.tag in SKIP_TAGS:
            return
        block = e.tag in BLOCK_TAGS
        if block:
            flush()
        parts.append(e.text or "")
        for child in e:
            if isinstance(child.tag, str):
                walk(child)
            parts.append(child.tail or "")
        if block:
            flush()

    walk(el)
    flush()
    return lines


# --- walking the body -------------------------------------------------------------------------


class Walker:
    """Collects blocks in document order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.tables = 0

    def flush(self) -> None:
        text = clean_text("".join(self.parts))
        self.parts = []
        if text:
            self.blocks.append(Paragraph(text))

    def visit(self, el: etree._Element) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in SKIP_TAGS:
            return
        if tag == "br":
            self.flush()
            return
        if tag in HEADINGS:
            self.flush()
            text = join_lines(text_lines(el))
            if text:
                self.blocks.append(Paragraph(text, heading=True))
            return
        if tag == "table":
            self.flush()
            self.table(el)
            return
        block = tag in BLOCK_TAGS
        if block:
            self.flush()
        self.parts.append(el.text or "")
        for child in el:
            self.visit(child)
            self.parts.append(child.tail or "")
        if block:
            self.flush()

    def table(self, el: etree._Element) -> None:
        for caption in el.findall("caption"):
            self.visit(caption)
        if not is_data_table(el):  # layout: its cells' content are blocks
            for section in table_sections(el):
                for tr in section:
                    for cell in row_cells(tr):
                        self.visit(cell)
                        self.flush()
            return
        self.tables += 1
        rows, copies = expand_table(el)
        grid = Grid(rows=[], exact=True)
        for i, row in enumerate(rows):
            if any(row):
                grid.copies.update((len(grid.rows), c) for r, c in copies if r == i)
                grid.rows.append(row)
                grid.where.append(f"第{self.tables}个表格第{i + 1}行")
        if grid.rows:
            self.blocks.append(grid)


# --- tables -----------------------------------------------------------------------------------


def table_sections(table: etree._Element) -> list[list[etree._Element]]:
    """Rows of a table grouped by section (thead/tbody/tfoot; loose rows form one section)."""
    sections: list[list[etree._Element]] = []
    loose: list[etree._Element] = []
    for child in table:
        if child.tag in ("thead", "tbody", "tfoot"):
            if loose:
                sections.append(loose)
                loose = []
            sections.append([tr for tr in child if tr.tag == "tr"])
        elif child.tag == "tr":
            loose.append(child)
    if loose:
        sections.append(loose)
    return sections


def row_cells(tr: etree._Element) -> list[etree._Element]:
    return [c for c in tr if c.tag in ("td", "th")]


def span(value: str | None, zero: int, cap: int) -> int:
    """A rowspan/colspan value as a browser reads it: leading digits, 0 has a meaning, capped."""
    m = re.match(r"\s*(\d+)", value or "")
    if not m:
        return 1
    n = int(m.group(1))
    return max(1, min(zero if n == 0 else n, cap))


def expand_table(table: etree._Element) -> tuple[list[list[str]], set[tuple[int, int]]]:
    """Rectangular rows with merged cells repeated, and the positions repeating a colspan to their left."""
    rows: list[dict[int, str]] = []
    copies: set[tuple[int, int]] = set()
    for section in table_sections(table):
        top = len(rows)
        taken: list[dict[int, str]] = [{} for _ in section]
        for r, tr in enumerate(section):
            c = 0
            left = len(section) - r
            for cell in row_cells(tr):
                while c in taken[r]:
                    c += 1
                rowspan = span(cell.get("rowspan"), zero=left, cap=left)
                colspan = span(cell.get("colspan"), zero=1, cap=MAX_COLSPAN)
                text = join_lines(text_lines(cell))
                for dr in range(rowspan):
                    for dc in range(colspan):
                        taken[r + dr][c + dc] = text
                        if dc:
                            copies.add((top + r + dr, c + dc))
                c += colspan
        rows.extend(taken)
    width = max((max(row) + 1 for row in rows if row), default=0)
    grid = [[row.get(c, "") for c in range(width)] for row in rows]
    return grid, copies
