"""``collect``: from column pages to saved reports and their manifest.

First every column page is read, page after page (下一页, up to ``max_pages``), for the links
that look like an annual report; then each report is fetched: a detail page whose attachments
are the report (PDF, Word, WPS, images), or whose own text is, or a file linked from the column
directly. A report is saved under a folder named after its host; a re-run saves a new snapshot
only when the bytes changed (sha256). Nothing that goes wrong with one page stops the run: it
becomes a manifest row with a Chinese reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..fileio import write_atomic
from . import manifest as mf
from .fetch import Fetcher, Response, Settings, host_of
from .links import Link, attachments, is_report_title, read_page, text_suffix

CONTENT_TYPES = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/kswps": ".wps",
    "application/vnd.ms-works": ".wps",
    "application/wps-office.wps": ".wps",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tif",
    "image/bmp": ".bmp",
    "text/plain": ".txt",
    "text/html": ".html",
}
MAGIC = ((b"%PDF", ".pdf"), (b"PK\x03\x04", ".docx"), (b"\xd0\xcf\x11\xe0", ".doc"), (b"\xff\xd8", ".jpg"))
MAGIC += ((b"\x89PNG", ".png"),)


@dataclass
class Summary:
    out: Path
    pages: int = 0  # column pages read
    found: int = 0  # report links found on them
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: int = 0
    requests: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (url, Chinese reason) of this run

    def text(self) -> str:
        return (
            f"栏目页 {self.pages} 页，年度报告链接 {self.found} 个：新保存 {self.new} 份，"
            f"内容有变化（另存新快照）{self.changed} 份，未变化 {self.unchanged} 份，"
            f"跳过 {self.skipped} 个，失败 {self.errors} 个；共发出请求 {self.requests} 次。"
            f"清单：{self.out / mf.NAME}"
        )


class _Bar:
    """A Rich progress bar on stderr, or nothing."""

    def __init__(self, show: bool) -> None:
        self.show, self.bar, self.task = show, None, None

    def start(self, total: int) -> None:
        if not self.show or not total:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn("采集"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=Console(stderr=True)
        )
        self.bar.start()
        self.task = self.bar.add_task("采集", total=total)

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def collect(
    urls: Iterable[str],
    out: str | Path,
    settings: Settings | None = None,
    *,
    max_pages: int = 20,
    progress: bool = False,
    status: Callable[[str], None] | None = None,
    fetcher: Fetcher | None = None,
) -> Summary:
    """Collect the annual reports linked from the column pages ``urls`` into ``out``."""
    urls = [u.strip() for u in urls if u.strip()]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    own = fetcher is None
    fetcher = fetcher or Fetcher(settings or Settings(), hosts={host_of(u) for u in urls})
    run = _Run(out, fetcher, status or (lambda _: None))
    bar = _Bar(progress)
    try:
        targets: dict[str, tuple[Link, str]] = {}
        for url in urls:
            for link, page in run.column(url, max_pages):
                targets.setdefault(link.url, (link, page))
        run.summary.found = len(targets)
        bar.start(len(targets))
        for link, page in targets.values():
            run.report(link, page)
            bar.advance()
    finally:
        bar.stop()
        run.summary.requests = fetcher.requests
        if own:
            fetcher.close()
    return run.summary


class _Run:
    def __init__(self, out: Path, fetcher: Fetcher, status: Callable[[str], None]) -> None:
        self.out, self.fetcher, self.status = out, fetcher, status
        self.path = out / mf.NAME
        rows = mf.read(self.path)
        self.latest = mf.latest(rows)
        self.taken = {r["file"].lower() for r in mf.saved(rows)}
        self.summary = Summary(out)
        self.direct: dict[str, Response] = {}  # a given URL that is itself a report

    # ------------------------------------------------------------------ column pages

    def column(self, url: str, max_pages: int) -> list[tuple[Link, str]]:
        """The report links of a column page and the pages after it."""
        found: list[tuple[Link, str]] = []
        queue, seen = [url], set()
        while queue and len(seen) < max_pages:
            page_url = queue.pop(0)
            if page_url in seen:
                continue
            seen.add(page_url)
            self.status(f"读取栏目页 {page_url}")
            r = self.fetcher.fetch(page_url)
            if not r.ok:
                self._problem(page_url, "", "", r)
                continue
            self.summary.pages += 1
            if not r.is_html:  # a report given directly
                self.direct[page_url] = r
                found.append((Link(page_url, PurePosixPath(page_url).name), ""))
                continue
            page = read_page(r.body, r.url, _charset(r.content_type))
            nexts = set(page.next_pages)
            links = [link for link in page.links if link.url not in nexts and is_report_title(link.text)]
            if not links and page_url == url and is_report_title(page.title):  # a detail page given directly
                self.direct[page_url] = r
                links = [Link(page_url, page.title, page.published)]
            found += [(link, page_url) for link in links]
            queue += [n for n in page.next_pages if n not in seen]
        return found

    # ------------------------------------------------------------------ reports

    def report(self, link: Link, page_url: str) -> None:
        r = self.direct.pop(link.url, None) or self.fetcher.fetch(link.url, self._conditional(link.url))
        if r.not_modified:
            self.summary.unchanged += 1
            return
        if not r.ok:
            self._problem(link.url, link.text, page_url, r)
            return
        if not r.is_html:
            self._save(link.url, link.text, page_url, r, link.date, link.text)
            return
        detail = read_page(r.body, r.url, _charset(r.content_type))
        published = detail.published or link.date
        files = attachments(detail)
        if not files:
            self._save(link.url, link.text, page_url, r, published, link.text, ".html")
            return
        for f in files:
            a = self.fetcher.fetch(f.url, self._conditional(f.url))
            if a.not_modified:
                self.summary.unchanged += 1
            elif not a.ok:
                self._problem(f.url, f.text, link.url, a)
            else:
                titled = is_report_title(f.text)
                text = f.text if titled else f"{link.text}（附件：{f.text}）" if f.text else link.text
                stem = f.text if titled else f"{link.text}-{f.text or '附件'}" if len(files) > 1 else link.text
                self._save(f.url, text, link.url, a, published, stem)

    def _conditional(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since for a file saved before (not for pages: they are small)."""
        prev = self.latest.get(url)
        if not prev or "html" in prev.get("content_type", "") or not (self.out / prev["file"]).is_file():
            return {}
        headers = {}
        if prev.get("etag"):
            headers["If-None-Match"] = prev["etag"]
        if prev.get("last_modified"):
            headers["If-Modified-Since"] = prev["last_modified"]
        return headers

    def _save(self, url: str, text: str, page: str, r: Response, published: str, stem: str, suffix: str = "") -> None:
        suffix = suffix or _suffix(url, text, r)
        if not suffix:
            kind = r.content_type or "未知类型"
            reason = f"不是可读取的报告文件（{kind}），未保存"
            self._row(url, text, page, status="error", reason=reason)
            self.summary.problems.append((url, reason))
            self.summary.errors += 1
            return
        digest = mf.sha256(r.body)
        prev = self.latest.get(url)
        if prev and prev.get("sha256") == digest:
            current = self.out / prev["file"]
            if not current.is_file():  # deleted by hand: the same bytes again
                write_atomic(current, r.body)
            self.summary.unchanged += 1
            return
        if prev and PurePosixPath(prev["file"]).suffix == suffix:
            file = prev["file"]
        else:
            stem = mf.safe_name(stem[: -len(text_suffix(stem))] if text_suffix(stem) else stem)
            file = mf.unique_name(_folder(url), stem, suffix, self.taken)
        snapshot = mf.snapshot_name(file, digest)
        write_atomic(self.out / snapshot, r.body)
        write_atomic(self.out / file, r.body)
        row = self._row(
            url,
            text,
            page,
            published=published,
            sha256=digest,
            content_type=r.content_type,
            size=len(r.body),
            file=file,
            snapshot=snapshot,
            status="saved",
            change="changed" if prev else "new",
            etag=r.etag,
            last_modified=r.last_modified,
        )
        self.latest[url] = row
        if prev:
            self.summary.changed += 1
        else:
            self.summary.new += 1

    def _problem(self, url: str, text: str, page: str, r: Response) -> None:
        if r.skipped:
            self.summary.skipped += 1
        else:
            self.summary.errors += 1
        reason = r.error or "无法取得"
        self.summary.problems.append((url, reason))
        self._row(url, text, page, status="skipped" if r.skipped else "error", reason=reason)

    def _row(self, url: str, text: str, page: str, **values) -> dict:
        row = mf.row(url=url, link_text=text, page=page, fetched_at=mf.now(), **values)
        mf.append(self.path, [row])
        return row


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _suffix(url: str, text: str, r: Response) -> str:
    link = Link(url, text)
    if link.suffix:
        return link.suffix
    kind = r.content_type.split(";")[0].strip().lower()
    if kind in CONTENT_TYPES:
        return CONTENT_TYPES[kind]
    for magic, suffix in MAGIC:
        if r.body.startswith(magic):
            return suffix
    return ".html" if r.is_html else ""


def _folder(url: str) -> str:
    """The folder of a host's reports: its name, the port joined with an underscore."""
    return mf.safe_name(host_of(url).replace(":", "_"))
