"""What a column page or a detail page links to, and what its links look like.

A column (栏目) page lists documents; the links whose text looks like an annual report
(``is_report_title``: 年度报告 or 年报 with a year, and not a notice about one) are followed.
Its next page is a 下一页 link or, on TRS-built sites, the ``createPageHTML(…)`` call that draws
the pager. A detail page carries the report as its own text or as attachments
(``ATTACHMENT_SUFFIXES``), and shows when it was published (``published_date``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
from lxml import etree

from ..ingest.charset import decode

ATTACHMENT_SUFFIXES = frozenset(
    {".pdf", ".docx", ".doc", ".wps", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".txt"}
)

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp"})

_YEAR = r"(?:(?<!\d)(?:19|20)\d{2}(?!\d)|[二][〇零○Ｏ0][一二三四五六七八九〇零○Ｏ0]{2})"
YEAR_RE = re.compile(_YEAR)
CHINESE_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")
REPORT_WORDS_RE = re.compile(r"年度报告|年报|年度工作报告")
DISCLOSURE_RE = re.compile(r"信息公开|政务公开")
# a notice, a reading aid or an event about the reports, not a report
NOTICE_RE = re.compile(
    r"通知|通告|公告|公示|征集|征求|意见|解读|图解|答记者问|培训|会议|座谈|招标|采购|评估|考核|排名|排行|"
    r"报送|督查|整改|周年"
)
# other kinds of annual report that share the words
OTHER_KIND_RE = re.compile(r"法治|企业|统计|财务|社会责任|环境|信用|预算|决算|审计|人大|政协|建议|提案|慈善|年检|工商")
NEXT_PAGE_RE = re.compile(r"^\s*(?:下一页|下页|后一页|下一頁)\s*[>»›]*\s*$")
PAGER_RE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
DATE = r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
DATE_RE = re.compile(DATE)
DATE_TIME = DATE + r"(?:\s*\d{1,2}\s*[:：时]\s*\d{1,2}(?:\s*[:：分]\s*\d{1,2}\s*秒?)?)?"
PUBLISHED_RE = re.compile(
    r"(?:发布日期|发布时间|发布于|发表日期|发表时间|公开日期|公开时间)\s*[:：]?\s*(" + DATE_TIME + ")"
)
PUBLISHED_META = ("pubdate", "publishdate", "firstpublishedtime", "dc.date", "article:published_time")
ROW_TAGS = frozenset({"li", "tr", "dd", "dt", "p", "div", "td"})


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    date: str = ""  # a date shown beside the link in a list, as shown

    @property
    def suffix(self) -> str:
        return url_suffix(self.url) or text_suffix(self.text)


@dataclass
class Page:
    url: str
    title: str
    text: str
    links: list[Link]
    published: str  # as the page shows it; empty when it does not
    next_pages: list[str]


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u3000", " ").replace("\xa0", " ")).strip()


def url_suffix(url: str) -> str:
    suffix = PurePosixPath(unquote(urlsplit(url).path)).suffix.lower()
    return suffix if suffix in ATTACHMENT_SUFFIXES else ""


def text_suffix(text: str) -> str:
    suffix = PurePosixPath(text.strip()).suffix.lower() if "/" not in text else ""
    return suffix if suffix in ATTACHMENT_SUFFIXES else ""


def is_report_title(text: str) -> bool:
    """Whether a link's text looks like a 政府信息公开工作年度报告 (of some year)."""
    text = clean(text)
    if not (YEAR_RE.search(text) and REPORT_WORDS_RE.search(text)) or NOTICE_RE.search(text):
        return False
    return bool(DISCLOSURE_RE.search(text)) or not OTHER_KIND_RE.search(text)


def report_year(text: str) -> int | None:
    """The year a report title names (2024, or 二〇二四), if any."""
    m = YEAR_RE.search(clean(text))
    if not m:
        return None
    return int(m.group(0).translate(CHINESE_DIGITS))


def read_page(body: bytes, url: str, charset: str | None = None) -> Page:
    """The links, title, text, published date and next pages of a web page."""
    text = decode(body, charset)
    try:
        doc = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return Page(url, "", "", [], "", [])
    for bad in doc.xpath("//script|//style|//noscript"):
        if bad.tag == "script" and PAGER_RE.search(bad.text or ""):
            continue
        bad.drop_tree()
    base = doc.xpath("string(//base/@href)").strip()
    base = urljoin(url, base) if base else url
    links = []
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        target = urljoin(base, href).split("#", 1)[0]
        label = _label(clean(a.text_content()), clean(a.get("title") or ""))
        links.append(Link(target, label, _date_beside(a)))
    body_text = clean(doc.text_content())
    title = clean(doc.findtext(".//title") or "")
    return Page(url, title, body_text, links, _published(doc, body_text), _next_pages(doc, links, base))


def _label(text: str, title: str) -> str:
    """A link's text, or its title attribute when that is the whole of a shortened text
    (列表中的“…年度报…” with title="…年度报告")."""
    shown = text.rstrip(".…。 ")
    if title and len(title) > len(text) and (not shown or shown in title):
        return title
    return text or title


def _date_beside(a) -> str:
    """A date in the list item (li, tr …) that holds the link, as shown."""
    node = a.getparent()
    for _ in range(3):
        if node is None or node.tag in ("ul", "ol", "table", "tbody", "body", "html"):
            return ""
        if node.tag in ROW_TAGS:
            m = DATE_RE.search(clean(node.text_content()))
            if m:
                return m.group(0)
        node = node.getparent()
    return ""


def _published(doc, text: str) -> str:
    m = PUBLISHED_RE.search(text)
    if m:
        return clean(m.group(1))
    for meta in doc.iter("meta"):
        if (meta.get("name") or meta.get("property") or "").lower() in PUBLISHED_META:
            value = clean(meta.get("content") or "")
            if DATE_RE.match(value):
                return value
    return ""


def _next_pages(doc, links: list[Link], base: str) -> list[str]:
    found = [link.url for link in links if NEXT_PAGE_RE.match(link.text)]
    for script in doc.iter("script"):
        m = PAGER_RE.search(script.text or "")
        if not m:
            continue
        numbers = [int(x) for x in re.findall(r"(?<![\w.])\d+(?![\w.])", m.group(1))]
        names = re.findall(r"[\"']([^\"']*)[\"']", m.group(1))
        names = [n for n in names if not n.endswith("_div")]
        if len(numbers) >= 2 and len(names) >= 2:
            count, current = numbers[0], numbers[1]
            if current + 1 < count:
                found.append(urljoin(base, f"{names[0]}_{current + 1}.{names[1]}"))
    return list(dict.fromkeys(found))


def attachments(page: Page) -> list[Link]:
    """The report files a detail page links to: documents and images; those whose text or
    name looks like a report when any does (not a form or a logo beside it)."""
    files = [link for link in page.links if link.suffix]
    files = list({link.url: link for link in files}.values())
    reportish = [f for f in files if is_report_title(f.text) or REPORT_WORDS_RE.search(f.text + unquote(f.url))]
    documents = [f for f in files if f.suffix not in IMAGE_SUFFIXES]
    return reportish or documents or files
