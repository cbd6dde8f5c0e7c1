"""Reader for reports published as web pages.

Turns the bytes of a saved government page into a ``Document``: the report body's text as
paragraphs (``<h1>``–``<h6>`` marked as headings) and every data table as a ``Grid`` with
rowspan/colspan expanded. Navigation, sidebars, footers and the like are left out.

Speed: the tree is walked once in Python (``Page``); every later step reads slices and prefix
sums of that walk, and lxml's C code (XPath, ``str`` methods) does the rest.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, chain, compress, repeat
from operator import attrgetter, eq

from lxml import etree

from gongkai.errors import GongkaiError
from gongkai.ingest.charset import decode_as
from gongkai.ingest.model import Block, Document, Grid, Paragraph
from gongkai.ingest.textkit import join_cjk

MAX_COLSPAN = 100
CONTAINER_SHARE = 0.85  # descend into a child holding this share of its parent's text
PREFERRED_SHARE = 0.7  # a TRS_Editor/article/content container must hold this share of the page
PROTECTED_SHARE = 0.4  # never drop an element holding this share of the page's text

MAGIC = [
    (b"%PDF", "PDF文件"), (b"PK\x03\x04", "压缩包或Word（docx）文件"), (b"\x89PNG", "PNG图片"),
    (b"\xd0\xcf\x11\xe0", "旧版Office（doc/xls）文件"), (b"\xff\xd8\xff", "JPEG图片"), (b"GIF8", "GIF图片"),
]  # fmt: skip
XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*>")
TAG_RE = re.compile(
    r"<(?:!doctype|html|head|body|meta|title|div|p|table|tr|td|br|span|font|center|a|ul|li|h[1-6])\b", re.I
)
# Codecs reading every byte below 0x80 as that ASCII character, never inside a longer sequence.
ASCII_SAFE = {"utf-8", "gb18030", "ascii", "iso8859-1", "cp1252"}

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
UNIT_TAGS = HEADINGS | {"table", "img", "option"}  # what the walker treats whole (or skips whole)
BREAK_TAGS = BLOCK_TAGS | {"br"}  # a line break where they start
SKIPPED_TAGS = SKIP_TAGS | {"br"}  # their content is never read
MUTED_TAGS = DROP_TAGS | {"a"}  # text in them does not count towards a score

# Compiled once; lxml locks each around its evaluation, so they are safe to share.
LAYOUT_FREE_TEST = "not(descendant::table) and count(descendant::td) + count(descendant::th) > 1"
LAYOUT_FREE = etree.XPath(LAYOUT_FREE_TEST)
DATA_TABLES = etree.XPath(f"descendant-or-self::table[{LAYOUT_FREE_TEST}]")

SEP = "\x00"  # a line break in the flattened text; the parser never yields NUL (it becomes U+FFFD)
NOT_WEIGHED_RE = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff0-9\x00]+")
CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
JOINED_RE = re.compile(rf"({CJK})\s*[\r\n]\s*(?={CJK})")  # a source line break between CJK characters
WORD_SPLIT_RE = re.compile(r"[^a-z]+")
SPAN_RE = re.compile(r"\s*(\d+)")
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
TITLE_SPLIT_RE = re.compile(r"[_|｜]|\s[-–—]\s|——|--")
# A line of page furniture naming who published the page, kept for metadata (not report text).
META_RE = re.compile(
    r"(?<!资金)(?<!收入)(?<!数据)(?:发文机关|发布机构|发布单位|公开主体|信息来源|文章来源|发布来源|来源)\s*(?:[:：]|$)"
)
MAX_META = 4
META_HINT_RE = re.compile(r"来\s*源|发\s*[文布]\s*[机单]\s*[关构位]|公\s*开\s*主\s*体")  # META_RE before cleaning


def read_html(data: bytes, source: str = "", charset: str | None = None) -> Document:
    """Read a web page; ``charset`` (from HTTP headers) wins over the page's own declaration."""
    if not data or data.isspace():
        raise GongkaiError("文件是空的，没有可读取的网页内容", path=source)
    for magic, kind in MAGIC:
        if data.startswith(magic):
            raise GongkaiError(f"文件不是HTML网页（看起来是{kind}），无法按网页读取", path=source)
    text, codec = decode_as(data, charset)
    # Control characters are ASCII: look for them as bytes (in the text's UTF-8 if need be).
    raw = data if codec in ASCII_SAFE else text.encode("utf-8", "surrogatepass")
    controls = len(raw.translate(None, CONTROL_BYTES)) != len(raw)
    sample = text[:20000]
    bad = sample.count("\ufffd") + (len(CONTROL_RE.findall(sample)) if controls else 0)
    if bad > 0.02 * len(sample) or not TAG_RE.search(sample):
        raise GongkaiError("文件不是HTML网页，无法按网页读取", path=source)

    text = XML_DECL_RE.sub("", text, count=1)
    if controls:
        text = CONTROL_RE.sub("", text)
    # No entity expansion or network access: lxml's HTML parser defaults (no_network=True).
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
    try:
        root = etree.fromstring(text, parser=parser)
        if root is None:
            raise etree.ParserError("Document is empty")
    except (etree.ParserError, ValueError) as e:
        raise GongkaiError("网页内容无法解析", path=source) from e

    page_title = root.findtext(".//title") or ""
    page = Page(root)
    unread = page.pieces[:]  # the text before anything is dropped, for the title (if need be)
    for i in page.skipped:
        if page.tags[i] in DROP_TAGS:
            page.drop(i)
    body = root.find("body")
    b = page.pos[body] if body is not None else 0  # the root is element 0
    meta = [clean_text(page_title)] if page_title.strip() else []
    meta += meta_lines(page, b)
    page.rescore()
    drop_noise(page, b)
    page.rescore()
    c = choose_container(page, b)

    blocks = Walker(page, c).blocks
    title = document_title(blocks, c, b, page, unread, page_title)
    if title:
        blocks.insert(0, Paragraph(title, heading=True))
    return Document(blocks, source=source, carrier="html", meta=meta)


# --- the page, flattened once -----------------------------------------------------------------


def normalize(text: str) -> str:
    """What cleaning a line does first (wherever lines are cut): plain spaces, no invisibles."""
    if "\u00a0" in text or "\u3000" in text:
        text = text.replace("\u00a0", " ").replace("\u3000", " ")
    if any(ch in text for ch in INVISIBLE):
        text = INVISIBLE_RE.sub("", text)
    return text


def weights(texts: list[str | None]) -> list[int]:
    """CJK characters and digits in each text, counted in one pass."""
    return [len(s) for s in NOT_WEIGHED_RE.sub("", SEP.join([t or "" for t in texts])).split(SEP)]


class Page:
    """The element tree walked once, in document order. Element ``i`` is ``els[i]``, its
    subtree ``i..last[i]``. ``pieces`` are the texts and tails in reading order with ``SEP``
    where a ``<br>`` or block element breaks the line; element ``i`` spans
    ``pieces[lo[i]:hi[i]]`` (its tail follows). Dropping an element detaches it and blanks its
    pieces, as ``drop_tree`` leaves the text; ``view`` blanks what a walk from one element
    skips. Scores (CJK characters and digits outside links, in an element and its
    descendants) are prefix sums over what each element owns: its text, its children's tails.
    """

    def __init__(self, root: etree._Element) -> None:
        els = list(root.iter())
        tags = list(map(attrgetter("tag"), els))
        if not all(isinstance(tag, str) for tag in set(tags)):  # none expected: no comments, no PIs
            els = [el for el in els if isinstance(el.tag, str)]
            tags = list(map(attrgetter("tag"), els))
        self.els, self.tags, n = els, tags, len(els)
        self.pos = pos = dict(zip(els, range(n), strict=True))
        self.parents = parents = list(map(pos.get, map(etree._Element.getparent, els), repeat(-1)))
        texts, tails = list(map(attrgetter("text"), els)), list(map(attrgetter("tail"), els))
        if SEP in "".join(filter(None, texts)) or SEP in "".join(filter(None, tails)):
            # A NUL (the line break) in the text: the parser itself makes it U+FFFD, but be safe.
            texts, tails = ([t and t.replace(SEP, "\ufffd") for t in ts] for ts in (texts, tails))

        self.opens = opens = list(map(BREAK_TAGS.__contains__, tags))
        self.closes = closes = list(map(BLOCK_TAGS.__contains__, tags))
        self.lo, self.hi, self.last = lo, hi, last = [0] * n, [0] * n, [0] * n
        self.pieces = pieces = []
        add = pieces.append
        stack = [-1]
        # Element i opens (a break, its text); each element ends (a break, its tail) before the
        # next element that is not its descendant; the root's parent -1 closes everything.
        for i, parent, opening, text in zip(
            range(n + 1), chain(parents, (-1,)), chain(opens, (False,)), chain(texts, (None,)), strict=True
        ):
            while stack[-1] != parent:
                j = stack.pop()
                last[j] = i - 1
                if closes[j]:
                    add(SEP)
                hi[j] = len(pieces)
                if tails[j]:
                    add(tails[j])
            if i == n:
                break
            lo[i] = len(pieces)
            if opening:
                add(SEP)
            if text:
                add(text)
            stack.append(i)

        # Weights: text inside links and elements never read (scripts, <head>…) does not count.
        for i in compress(range(n), map(MUTED_TAGS.__contains__, tags)):
            end = last[i] + 1
            texts[i:end], tails[i + 1 : end] = [None] * (end - i), [None] * (end - i - 1)
        self.wt, self.wl = weights(texts), weights(tails)
        self.gone = bytearray(n)  # 1 for elements dropped from the tree
        self.units = list(compress(range(n), map(UNIT_TAGS.__contains__, tags)))
        self.skipped = list(compress(range(n), map(SKIPPED_TAGS.__contains__, tags)))

    def id_class(self, i: int) -> str:
        el = self.els[i]
        return f"{el.get('id', '')} {el.get('class', '')}".lower()

    def span(self, i: int) -> tuple[int, int]:
        """The pieces inside element ``i``, without the breaks around it."""
        return self.lo[i] + self.opens[i], self.hi[i] - self.closes[i]

    def view(self, i: int, pieces: list[str] | None = None) -> list[str]:
        """The pieces (or ``pieces``, a copy of them) as a walk from element ``i`` reads them:
        what <br>, <img>, <option>… below ``i`` hold left out. Not to be changed."""
        pieces = self.pieces if pieces is None else pieces
        skipped = self.skipped
        inside = skipped[bisect_right(skipped, i) : bisect_right(skipped, self.last[i])]
        if not inside:
            return pieces
        pieces = pieces[:]
        for k in inside:
            a, b = self.span(k)
            pieces[a:b] = [""] * (b - a)
        return pieces

    def lines(self, i: int, pieces: list[str]) -> list[str]:
        """The cleaned lines of an element's text (in a ``view``)."""
        a, b = self.span(i)
        return [text for line in normalize("".join(pieces[a:b])).split(SEP) if line and (text := clean_line(line))]

    def children(self, i: int) -> list[int]:
        """Element ``i``'s children still in the tree."""
        out, j, end = [], i + 1, self.last[i]
        while j <= end:
            if not self.gone[j]:
                out.append(j)
            j = self.last[j] + 1
        return out

    def drop(self, i: int) -> None:
        """Detach element ``i``: its text is no longer read nor counted (its tail still is)."""
        el, end = self.els[i], self.last[i] + 1
        if (parent := el.getparent()) is None:
            return
        parent.remove(el)  # the text lives in ``pieces``: only the tree's shape still matters
        self.pieces[self.lo[i] : self.hi[i]] = [""] * (self.hi[i] - self.lo[i])
        self.wt[i:end], self.wl[i + 1 : end] = [0] * (end - i), [0] * (end - i - 1)
        self.gone[i:end] = b"\x01" * (end - i)

    def rescore(self) -> None:
        self.ts, self.ls = [0, *accumulate(self.wt)], [0, *accumulate(self.wl)]

    def score(self, i: int) -> int:
        """Weight of the text element ``i`` and its descendants hold, as of the last ``rescore``."""
        end = self.last[i] + 1
        return self.ts[end] - self.ts[i] + self.ls[end] - self.ls[i + 1]


def clean_line(line: str) -> str:
    """A normalized line (see ``normalize``) with whitespace collapsed and trimmed; a source
    line break between CJK characters disappears."""
    words = line.split()
    if len(words) > 1 and ("\n" in line or "\r" in line):
        words = JOINED_RE.sub(r"\1", line).split()
    return " ".join(words)


# --- finding the report body ------------------------------------------------------------------


def looks_like_noise(page: Page, i: int) -> bool:
    if page.tags[i] in NOISE_TAGS:
        return True
    el = page.els[i]
    if el.get("hidden") is not None or HIDDEN_RE.search(el.get("style", "")):
        return True
    words = f"{el.get('id', '')} {el.get('class', '')}".lower()
    return bool(NOISE_RE.search(words)) or any(t in NOISE_TOKENS for t in WORD_SPLIT_RE.split(words))


def is_data_table(el: etree._Element) -> bool:
    """A table with no nested table and more than one cell; other tables are layout."""
    return el.tag == "table" and LAYOUT_FREE(el)


def drop_noise(page: Page, body: int) -> None:
    """Drop page furniture outside data tables that holds little of the page's text."""
    limit = PROTECTED_SHARE * page.score(body)
    last, gone, ts, ls = page.last, page.gone, page.ts, page.ls
    tables = {page.pos[t] for t in DATA_TABLES(page.els[body])}
    i = body + 1
    while i <= last[body]:
        end = last[i] + 1
        if gone[i] or i in tables:  # dropped already, or a data table: never furniture
            i = end
        elif ts[end] - ts[i] + ls[end] - ls[i + 1] < limit and looks_like_noise(page, i):  # score(i)
            page.drop(i)
            i = end
        else:
            i += 1


def choose_container(page: Page, body: int) -> int:
    els, score = page.els, page.score
    total = score(body)
    if not total:
        return body
    # Elements holding PREFERRED_SHARE of the text form one chain down from the body.
    preferred, node = [], body
    while node is not None and not is_data_table(els[node]):
        if page.tags[node] in ("article", "main") or PREFERRED_RE.search(page.id_class(node)):
            preferred.append(node)
        node = next((k for k in page.children(node) if score(k) >= PREFERRED_SHARE * total), None)
    if preferred:
        return min(preferred, key=score)
    node = body
    while True:
        children = [k for k in page.children(node) if not is_data_table(els[k])]
        best = max(children, key=score, default=None)
        if best is None or score(best) < CONTAINER_SHARE * score(node):
            return node
        node = best


def title_candidates(page: Page, unread: list[str]) -> list[tuple[int, str]]:
    """Headings naming a report, read in the page as it was before any element was dropped."""
    tags, parents = page.tags, page.parents
    ids, classes = (map(etree._Element.get, page.els, repeat(name, len(tags))) for name in ("id", "class"))
    out = []
    for i, tag, id_, class_ in zip(range(len(tags)), tags, ids, classes, strict=True):
        if tag not in ("h1", "h2", "h3") and "title" not in f"{id_ or ''} {class_ or ''}".lower():
            continue
        a = i  # the element or an ancestor in navigation?
        while a >= 0 and not (tags[a] in ("nav", "aside") or NOISE_RE.search(page.id_class(a))):
            a = parents[a]
        if tag in SKIPPED_TAGS or a >= 0:
            continue
        text = join_cjk(page.lines(i, page.view(i, unread)))
        if "报告" in text and 6 <= len(text) <= 100:
            out.append((i, text))
    return out


def document_title(blocks, container: int, body: int, page: Page, unread: list[str], page_title: str) -> str:
    """The report's title when the chosen container does not start with it."""
    first = [b for b in blocks[:3] if isinstance(b, Paragraph)]
    if container == body or any("报告" in b.text and len(b.text) <= 60 for b in first):
        return ""
    end = page.last[container]
    while page.gone[end]:  # the last element left in the container
        end -= 1
    el = page.els[container]
    for i, text in reversed([t for t in title_candidates(page, unread) if t[0] <= end]):
        if el not in page.els[i].iterancestors():
            return text
    for part in TITLE_SPLIT_RE.split(page_title):
        part = clean_text(part)
        if "报告" in part:
            return part
    return ""


def meta_lines(page: Page, body: int) -> list[str]:
    """Short lines naming the publisher (来源：…, 发布机构：…), read before page furniture is
    dropped; a label and its value in two table cells are joined. Only lines holding a hint
    of a label are cleaned and read."""
    a, b = page.span(body)
    raw = normalize("".join(page.view(body)[a:b]))
    hints = [m.start() for m in META_HINT_RE.finditer(raw)]
    if not hints:
        return []
    segments = raw.split(SEP)
    starts = list(accumulate((len(seg) + 1 for seg in segments), initial=0))
    out: list[str] = []
    for k in sorted({bisect_right(starts, at) - 1 for at in hints}):
        line = clean_line(segments[k])
        m = META_RE.search(line)
        if not m or len(line) > 150:
            continue
        if m.end() == len(line):  # the label alone: its value is the next line
            following = (clean_line(seg) for seg in segments[k + 1 :] if seg)
            if value := next((text for text in following if text), ""):
                line = f"{line.rstrip(':：')}：{value}"
        out.append(line)
        if len(out) == MAX_META:
            break
    return out


# --- text -------------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Collapse whitespace; a source line break between CJK characters disappears."""
    return clean_line(normalize(text))


# --- walking the body -------------------------------------------------------------------------


class Walker:
    """Collects blocks in document order: paragraphs split at <br> and block elements; a
    heading is one paragraph, a table a grid (or its cells' blocks, for a layout table).
    The container's text is cut at every line break and cleaned once (``lines``); a block's
    lines are ``lines[rank[lo + 1] : rank[hi - 1] + 1]``, ``rank`` counting the breaks before
    each piece (every element walked is a block, so its ends are breaks)."""

    def __init__(self, page: Page, container: int) -> None:
        self.page = page
        self.base, end = page.span(container)
        window = page.view(container)[self.base : end]
        self.rank = list(accumulate(map(eq, window, repeat(SEP)), initial=0))
        self.lines = [clean_line(line) if line else "" for line in normalize("".join(window)).split(SEP)]
        self.units = [i for i in page.units if not page.gone[i]]
        self.blocks: list[Block] = []
        self.tables = 0
        self.walk(container)

    def text(self, a: int, b: int) -> list[str]:
        """The non-empty lines from piece ``a`` to piece ``b`` (each at a line break or an end)."""
        rank = self.rank
        return [line for line in self.lines[rank[a - self.base] : rank[b - self.base] + 1] if line]

    def walk(self, i: int) -> None:
        page = self.page
        tag = page.tags[i]
        if tag in SKIPPED_TAGS:
            return
        if tag in HEADINGS:
            text = join_cjk(self.text(*page.span(i)))
            if text:
                self.blocks.append(Paragraph(text, heading=True))
            return
        if tag == "table":
            self.table(i)
            return
        at, end = page.span(i)
        units = self.units
        inside = -1  # within a unit already handled
        for u in units[bisect_right(units, i) : bisect_right(units, page.last[i])]:
            if u <= inside:
                continue
            inside = page.last[u]
            if page.tags[u] in SKIP_TAGS:  # left out, without breaking the line
                continue
            self.blocks.extend(Paragraph(text) for text in self.text(at, page.lo[u]))
            self.walk(u)
            at = page.hi[u]
        self.blocks.extend(Paragraph(text) for text in self.text(at, end))

    def table(self, i: int) -> None:
        page = self.page
        for caption in page.children(i):
            if page.tags[caption] == "caption":
                self.walk(caption)
        if not is_data_table(page.els[i]):  # layout: its cells' content are blocks
            for tr in chain.from_iterable(table_sections(page, i)):
                for cell in page.children(tr):
                    if page.tags[cell] in ("td", "th"):
                        self.walk(cell)
            return
        self.tables += 1
        rows, copies = self.expand(i)
        kept = {r: k for k, r in enumerate(r for r, row in enumerate(rows) if any(row))}  # rows not empty
        where = [f"第{self.tables}个表格第{r + 1}行" for r in kept]
        if kept:
            copies = {(kept[r], c) for r, c in copies if r in kept}
            self.blocks.append(Grid(rows=[rows[r] for r in kept], exact=True, where=where, copies=copies))

    def expand(self, table: int) -> tuple[list[list[str]], set[tuple[int, int]]]:
        """The table's rows, rectangular, with merged cells repeated; and the positions repeating
        a colspan to their left. One loop over each row's cells (the hot path of a report)."""
        page, rank, base, lines = self.page, self.rank, self.base, self.lines
        els, tags, last, gone, lo, hi = page.els, page.tags, page.last, page.gone, page.lo, page.hi
        rows: list[dict[int, str]] = []
        copies: set[tuple[int, int]] = set()
        for section in table_sections(page, table):
            top = len(rows)
            taken: list[dict[int, str]] = [{} for _ in section]
            for r, tr in enumerate(section):
                c = 0
                left = len(section) - r
                row = taken[r]
                cell, end = tr + 1, last[tr]
                while cell <= end:  # the row's children: its td/th cells
                    if gone[cell] or tags[cell] not in ("td", "th"):
                        cell = last[cell] + 1
                        continue
                    a, b = rank[lo[cell] + 1 - base], rank[hi[cell] - 1 - base]  # the cell's lines
                    text = lines[a] if a == b else join_cjk([line for line in lines[a : b + 1] if line])
                    while c in row:
                        c += 1
                    rowspan, colspan = els[cell].get("rowspan"), els[cell].get("colspan")
                    cell = last[cell] + 1
                    if rowspan is None and colspan is None:
                        row[c] = text
                        c += 1
                        continue
                    rowspan = span(rowspan, zero=left, cap=left)
                    colspan = span(colspan, zero=1, cap=MAX_COLSPAN)
                    for dr in range(rowspan):
                        for dc in range(colspan):
                            taken[r + dr][c + dc] = text
                            if dc:
                                copies.add((top + r + dr, c + dc))
                    c += colspan
            rows.extend(taken)
        width = max((max(row) + 1 for row in rows if row), default=0)
        return [list(map(row.get, range(width), repeat(""))) for row in rows], copies


# --- tables -----------------------------------------------------------------------------------


def table_sections(page: Page, table: int) -> list[list[int]]:
    """Rows of a table grouped by section (thead/tbody/tfoot; loose rows form one section)."""
    sections: list[list[int]] = []
    loose: list[int] = []
    for child in page.children(table):
        tag = page.tags[child]
        if tag in ("thead", "tbody", "tfoot"):
            if loose:
                sections.append(loose)
                loose = []
            sections.append([tr for tr in page.children(child) if page.tags[tr] == "tr"])
        elif tag == "tr":
            loose.append(child)
    if loose:
        sections.append(loose)
    return sections


def span(value: str | None, zero: int, cap: int) -> int:
    """A rowspan/colspan value as a browser reads it: leading digits, 0 has a meaning, capped."""
    m = SPAN_RE.match(value) if value else None
    if not m:
        return 1
    digits = m.group(1).lstrip("0") or "0"
    n = int(digits) if len(digits) <= 6 else cap  # a thousand-digit span is just "as many as allowed"
    return max(1, min(zero if n == 0 else n, cap))
