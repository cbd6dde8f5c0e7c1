"""``gongkai collect`` against a site served from 127.0.0.1, and the compliance findings
(late-publication, not-published, edited-after-publication) it makes possible in ``review``.

Nothing here contacts any address but 127.0.0.1: the site is an http.server on an ephemeral
port, the other tests use httpx.MockTransport (no network at all)."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import typer
from typer.testing import CliRunner

from gongkai.cli_collect import register
from gongkai.collect import Fetcher, Settings, collect, user_agent
from gongkai.collect import compliance as cp
from gongkai.collect import manifest as mf
from gongkai.collect.links import is_report_title, read_page, report_year
from gongkai.review import review

from .conftest import CORPUS

HTML_REPORT = CORPUS / "gold" / "gb2021-2023-1.html"  # 荆州市生态环境局 2023 (a department)
PDF_REPORT = CORPUS / "pdf" / "hongze-2024.pdf"  # 淮安市洪泽区人民政府 2024 (a government)
DOCX_REPORT = CORPUS / "gold" / "gb2021-2024-2.docx"  # 武汉市江汉区人民政府办公室 2024 (a department)

JINGZHOU = "荆州市生态环境局2023年政府信息公开工作年度报告"
HONGZE = "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"
JIANGHAN = "武汉市江汉区人民政府办公室2024年政府信息公开工作年度报告"
NOTICE = "关于做好2024年度政府信息公开工作年度报告编制发布工作的通知"


def template(title: str, content: str, info: str = "") -> bytes:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="nav"><a href="/">首页</a> | <a href="/xxgk/">政府信息公开</a> | <a href="index.html">年度报告</a></div>
<div class="article"><h1>{title}</h1><div class="info">{info}</div>{content}</div>
<div class="footer">主办单位：某某市人民政府办公室 网站标识码 备案号</div></body></html>""".encode()


def report_page(published: str, replace: tuple[str, str] | None = None) -> bytes:
    """The 荆州 report as a detail page of the site: its text and tables inside the article."""
    src = HTML_REPORT.read_bytes().decode("gb18030")
    style = re.search(r"<style>.*?</style>", src, re.S).group(0)
    body = re.search(r"<body>(.*)</body>", src, re.S).group(1)
    if replace:
        assert replace[0] in body
        body = body.replace(*replace, 1)
    page = template(JINGZHOU, body, f"发布日期：{published} 来源：荆州市生态环境局").decode()
    return page.replace("</head>", style + "</head>").encode()


def column(links: list[tuple[str, str, str]], extra: str = "") -> bytes:
    items = "".join(
        # a long title shortened in the list, whole in the title attribute (as many sites do)
        f'<li><a href="{href}" title="{text}">{text[:20] + "…" if len(text) > 24 else text}</a><span>{day}</span></li>'
        for href, text, day in links
    )
    return template("年度报告", f'<ul class="list">{items}</ul>{extra}')


class Site:
    """A government site: pages by path, and every request it got (path, headers)."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.requests: list[tuple[str, dict]] = []
        self.pages: dict[str, tuple[str, bytes]] = {}
        html = "text/html; charset=utf-8"
        self.pages["/robots.txt"] = ("text/plain", b"User-agent: *\nDisallow: /private/\n")
        self.pages["/xxgk/nb/index.html"] = (
            html,
            column(
                [
                    ("art_1.html", JINGZHOU, "2024-01-20"),
                    ("/xxgk/nb/art_2.html", HONGZE, "2025-03-20"),
                    ("/xxgk/tz/art_9.html", NOTICE, "2024-12-01"),
                    ("/private/art_4.html", "某某县财政局2024年政府信息公开工作年度报告", "2025-01-10"),
                    (f"http://localhost:{port}/art_5.html", "某某县民政局2024年政府信息公开工作年度报告", ""),
                    ("/xxgk/nb/gone.html", "某某县教育局2024年政府信息公开工作年度报告", "2025-01-11"),
                ],
                '<div class="pager"><a href="index_1.html">下一页</a></div>',
            ),
        )
        self.pages["/xxgk/nb/index_1.html"] = (html, column([("art_3.html", JIANGHAN, "2025-02-15")]))
        self.pages["/xxgk/nb/art_1.html"] = (html, report_page("2024-01-20"))
        self.pages["/xxgk/nb/art_2.html"] = (
            html,
            template(
                HONGZE,
                '<p>附件：<a href="/files/hongze-2024.pdf">洪泽区2024年政府信息公开工作年度报告.pdf</a></p>',
                "发布时间：2025-03-20 09:30 来源：区政府办",
            ),
        )
        self.pages["/xxgk/nb/art_3.html"] = (
            html,
            template(
                JIANGHAN, '<p>附件：<a href="/files/jianghan-2024.docx">点击下载</a></p>', "发布日期：2025年02月15日"
            ),
        )
        self.pages["/xxgk/tz/art_9.html"] = (html, template(NOTICE, "<p>各单位：请于1月31日前发布。</p>"))
        self.pages["/files/hongze-2024.pdf"] = ("application/pdf", PDF_REPORT.read_bytes())
        self.pages["/files/jianghan-2024.docx"] = ("application/octet-stream", DOCX_REPORT.read_bytes())

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]


def make_handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append((self.path, dict(self.headers)))
            if self.path not in site.pages:
                self.send_error(404)
                return
            kind, body = site.pages[self.path]
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if not kind.startswith("text/html"):
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    return Handler


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)
    s = Site(server.server_address[1])
    server.RequestHandlerClass = make_handler(s)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield s
    finally:
        server.shutdown()
        server.server_close()


FAST = Settings(rate=1000, timeout=5, retries=1, backoff=0, trust_env=False, contact="office@example.org")


def run(site: Site, out: Path, **kw):
    return collect([site.url("/xxgk/nb/index.html")], out, FAST, **kw)


def reviewed(out: Path, units=()):
    return review(out, None, jobs=0, progress=False, units=units)  # review applies the compliance checks


def issues_of(result, code: str) -> list:
    found = [(e.file, i) for e, i in result.cross if i.code == code]
    for e in result.entries:
        found += [(e.file, i) for i in (e.report or {}).get("issues", ()) if i["code"] == code]
    return found


# --------------------------------------------------------------------- the site


def test_collect_saves_exactly_the_reports(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    summary = run(site, out)
    assert (summary.pages, summary.found, summary.new) == (2, 6, 3)
    assert (summary.skipped, summary.errors) == (2, 1)  # robots.txt and off-site; the 404

    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and ".snapshots" not in p.parts)
    folder = f"127.0.0.1_{site.base.rsplit(':', 1)[1]}"
    assert files == sorted(
        [
            f"{folder}/{JINGZHOU}.html",
            f"{folder}/洪泽区2024年政府信息公开工作年度报告.pdf",
            f"{folder}/{JIANGHAN}.docx",
            "manifest.jsonl",
        ]
    )
    # the notice and the disallowed page were never asked for; robots.txt was, once
    assert "/xxgk/tz/art_9.html" not in site.paths()
    assert not any(p.startswith("/private/") for p in site.paths())
    assert site.paths().count("/robots.txt") == 1
    assert all(h["User-Agent"] == user_agent("office@example.org") for _, h in site.requests)
    assert all(h["From"] == "office@example.org" for _, h in site.requests)

    rows = mf.read(out / mf.NAME)
    saved = {r["url"]: r for r in rows if r["status"] == "saved"}
    assert set(saved) == {
        site.url("/xxgk/nb/art_1.html"),
        site.url("/files/hongze-2024.pdf"),
        site.url("/files/jianghan-2024.docx"),
    }
    pdf = saved[site.url("/files/hongze-2024.pdf")]
    assert pdf["sha256"] == hashlib.sha256(PDF_REPORT.read_bytes()).hexdigest()
    assert pdf["size"] == PDF_REPORT.stat().st_size
    assert pdf["content_type"] == "application/pdf"
    assert pdf["published"] == "2025-03-20 09:30"
    assert pdf["page"] == site.url("/xxgk/nb/art_2.html")
    assert pdf["change"] == "new" and pdf["fetched_at"]
    assert (out / pdf["snapshot"]).read_bytes() == PDF_REPORT.read_bytes()
    docx = saved[site.url("/files/jianghan-2024.docx")]
    assert docx["published"] == "2025年02月15日" and docx["file"].endswith(f"{JIANGHAN}.docx")  # named by the page link
    assert docx["link_text"] == f"{JIANGHAN}（附件：点击下载）"
    assert saved[site.url("/xxgk/nb/art_1.html")]["published"] == "2024-01-20"
    assert saved[site.url("/xxgk/nb/art_1.html")]["link_text"] == JINGZHOU
    problems = {r["url"]: r for r in rows if r["status"] != "saved"}
    assert problems[site.url("/private/art_4.html")]["reason"] == "robots.txt 不允许抓取此地址"
    assert "站外链接" in problems[site.url("/art_5.html").replace("127.0.0.1", "localhost")]["reason"]
    assert problems[site.url("/xxgk/nb/gone.html")]["reason"] == "页面不存在（HTTP 404）"
    assert all(set(r) == set(mf.FIELDS) for r in rows)

    result = reviewed(out)
    agencies = {e.report["agency"] for e in result.entries if e.report}
    assert agencies == {"荆州市生态环境局", "淮安市洪泽区人民政府", "武汉市江汉区人民政府办公室"}
    assert all(e.status != "error" for e in result.entries)


def test_rerun_records_a_new_snapshot_only_when_the_content_changed(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    run(site, out)
    again = run(site, out)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 3)
    assert len(mf.saved(mf.read(out / mf.NAME))) == 3
    assert any(h.get("If-None-Match") for p, h in site.requests if p == "/files/hongze-2024.pdf")
    assert not issues_of(reviewed(out), "edited-after-publication")

    # the 荆州 page's words change, not its numbers: a new snapshot, no finding
    kind, page = site.pages["/xxgk/nb/art_1.html"]
    site.pages["/xxgk/nb/art_1.html"] = (kind, page.replace("来源：荆州市生态环境局".encode(), "来源：本局".encode()))
    second = run(site, out)
    assert (second.new, second.changed, second.unchanged) == (0, 1, 2)
    assert not issues_of(reviewed(out), "edited-after-publication")

    # then one number of table 三 changes
    old = 'data-cell="t3.new.business">'
    value = re.search(r'data-cell="t3\.new\.business">(\d+)<', page.decode()).group(1)
    edited = report_page("2024-01-20", (f"{old}{value}<", f"{old}{int(value) + 7}<"))
    site.pages["/xxgk/nb/art_1.html"] = (kind, edited)
    third = run(site, out)
    assert (third.new, third.changed, third.unchanged) == (0, 1, 2)
    rows = [r for r in mf.saved(mf.read(out / mf.NAME)) if r["url"] == site.url("/xxgk/nb/art_1.html")]
    assert [r["change"] for r in rows] == ["new", "changed", "changed"]
    assert len({r["sha256"] for r in rows}) == 3 and len({r["file"] for r in rows}) == 1
    assert all((out / r["snapshot"]).is_file() for r in rows)
    assert (out / rows[2]["file"]).read_bytes() == (out / rows[2]["snapshot"]).read_bytes() == edited

    edits = issues_of(reviewed(out), "edited-after-publication")
    assert len(edits) == 1
    file, issue = edits[0]
    assert file == rows[2]["file"]
    assert issue.cells == ("t3.new.business",)
    assert f"t3.new.business {value}→{int(value) + 7}" in issue.message
    assert rows[1]["snapshot"] in issue.message and rows[2]["snapshot"] in issue.message


def test_late_publication(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    run(site, out)
    late = issues_of(reviewed(out), "late-publication")
    # 江汉区人民政府办公室 is a department: due 2025-01-31, shown 2025年02月15日
    assert [(f.rsplit("/", 1)[1], i.severity) for f, i in late] == [(f"{JIANGHAN}.docx", "warning")]
    assert "2025年1月31日前" in late[0][1].message and "晚 15 天" in late[0][1].message
    assert "第四十九条" in late[0][1].message
    # 洪泽区人民政府 (a government, due 3月31日) on 2025-03-20 and 荆州 on 2024-01-20 are on time


def test_not_published(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    run(site, out)
    units = ["淮安市洪泽区人民政府", "武汉市江汉区人民政府办公室", "荆州市生态环境局", "某某县财政局", ""]
    result = reviewed(out, units)
    missing = issues_of(result, "not-published")
    # 某某县财政局's page is closed by robots.txt; 荆州 has only its 2023 report, the batch is 2024's
    assert sorted(f for f, _ in missing) == ["（未发布）某某县财政局", "（未发布）荆州市生态环境局"]
    assert all("2024年度" in i["message"] for _, i in missing)
    assert not issues_of(reviewed(out, ["淮安市洪泽区人民政府", "武汉市江汉区人民政府办公室"]), "not-published")
    listed = tmp_path / "units.txt"
    listed.write_text("# 2024 年应发布的单位\n淮安市洪泽区人民政府\n\n 某某县财政局 \n", encoding="utf-8")
    assert cp.read_units(listed) == ["淮安市洪泽区人民政府", "某某县财政局"]


def test_review_writes_the_findings(site: Site, tmp_path: Path) -> None:
    try:
        from gongkai.review import write
    except ImportError:  # review.py is being split into gongkai.batch
        from gongkai.batch.outputs import write

    out = tmp_path / "reports"
    run(site, out)
    result = reviewed(out, ["某某县财政局"])
    write(result, tmp_path / "review.jsonl")
    lines = [json.loads(x) for x in (tmp_path / "review.jsonl").read_text(encoding="utf-8").splitlines()]
    codes = {i["code"] for line in lines for i in line["cross_year"] + line["issues"]}
    assert {"late-publication", "not-published"} <= codes


def test_cli(site: Site, tmp_path: Path, monkeypatch) -> None:
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# 栏目\n{site.url('/xxgk/nb/index.html')}\n\n", encoding="utf-8")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)  # the command trusts the environment: never a proxy here
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    out = tmp_path / "c"
    r = CliRunner().invoke(app, ["collect", "--urls", str(urls), "--out", str(out), "--rate", "1000"])
    assert r.exit_code == 0, r.output
    assert "新保存 3 份" in r.output
    assert "未保存：" in r.output and "robots.txt 不允许抓取此地址" in r.output
    assert len(mf.saved(mf.read(out / mf.NAME))) == 3
    r = CliRunner().invoke(app, ["collect", "--out", str(out)])
    assert r.exit_code == 2 and "没有给出网址" in r.output


# --------------------------------------------------------------------- politeness, without a network


class Clock:
    def __init__(self) -> None:
        self.now, self.slept = 0.0, []

    def sleep(self, s: float) -> None:
        self.slept.append(s)
        self.now += s


def fetcher(handler, clock: Clock | None = None, **settings) -> Fetcher:
    clock = clock or Clock()
    base = {"rate": 1.0, "backoff": 1.0, "retries": 2, "trust_env": False} | settings
    return Fetcher(
        Settings(**base),
        hosts={"gov.test"},
        transport=httpx.MockTransport(handler),
        sleep=clock.sleep,
        clock=lambda: clock.now,
    )


def test_rate_limit_per_host() -> None:
    clock = Clock()
    with fetcher(lambda req: httpx.Response(200, text="x"), clock) as f:
        for _ in range(3):
            assert f.fetch("http://gov.test/a.html").ok
    # robots.txt, then three pages: one second apart
    assert f.requests == 4 and sum(clock.slept) == pytest.approx(3.0)


def test_crawl_delay_from_robots() -> None:
    clock = Clock()

    def handler(req):
        return httpx.Response(
            200, text="User-agent: gongkai\nCrawl-delay: 5\n" if req.url.path == "/robots.txt" else "x"
        )

    with fetcher(handler, clock) as f:
        f.fetch("http://gov.test/a.html")
        f.fetch("http://gov.test/b.html")
    assert clock.slept[-1] == pytest.approx(5.0)


def test_retries_with_backoff_then_success() -> None:
    clock, calls = Clock(), []

    def handler(req):
        if req.url.path == "/robots.txt":
            return httpx.Response(404)
        calls.append(1)
        return httpx.Response(503) if len(calls) < 3 else httpx.Response(200, content=b"%PDF-1.4")

    with fetcher(handler, clock, rate=1000) as f:
        r = f.fetch("http://gov.test/r.pdf")
    assert r.ok and len(calls) == 3
    backoffs = [s for s in clock.slept if s >= 0.9]
    assert len(backoffs) == 2 and backoffs[1] > backoffs[0]


def test_timeouts_give_a_reason() -> None:
    def handler(req):
        if req.url.path == "/robots.txt":
            return httpx.Response(404)
        raise httpx.ReadTimeout("slow", request=req)

    with fetcher(handler, rate=1000, retries=1) as f:
        r = f.fetch("http://gov.test/r.pdf")
    assert not r.ok and r.error.startswith("超时") and "已尝试 2 次" in r.error


def test_size_cap() -> None:
    def handler(req):
        if req.url.path == "/robots.txt":
            return httpx.Response(404)
        if req.url.path == "/declared.pdf":
            return httpx.Response(200, headers={"Content-Length": "5000"}, content=b"x" * 5000)
        return httpx.Response(200, content=iter([b"x" * 600, b"x" * 600]))  # no length: counted while read

    with fetcher(handler, rate=1000, max_bytes=1000) as f:
        for path in ("/declared.pdf", "/streamed.pdf"):
            r = f.fetch("http://gov.test" + path)
            assert not r.ok and "文件过大" in r.error and not r.body


def test_only_http_on_the_given_hosts() -> None:
    seen = []

    def handler(req):
        seen.append(str(req.url))
        if req.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(302, headers={"Location": "http://elsewhere.test/x.pdf"})

    with fetcher(handler, rate=1000) as f:
        assert "只抓取 http 和 https" in f.fetch("ftp://gov.test/a.pdf").error
        assert "站外链接" in f.fetch("http://other.test/a.pdf").error
        r = f.fetch("http://gov.test/moved.pdf")  # a redirect off the site is not followed
        assert r.skipped and "站外链接（elsewhere.test）" in r.error
    assert not any("other.test" in u or "elsewhere.test" in u for u in seen)
    with fetcher(lambda req: httpx.Response(200, text="x"), rate=1000, follow_offsite=True) as f:
        assert f.fetch("http://other.test/a.pdf").ok  # when asked to


@pytest.mark.parametrize(
    ("status", "allowed"),
    [(404, True), (403, False), (500, False)],
)
def test_robots_txt_unavailable(status: int, allowed: bool) -> None:
    def handler(req):
        return httpx.Response(status) if req.url.path == "/robots.txt" else httpx.Response(200, text="x")

    with fetcher(handler, rate=1000, retries=0) as f:
        r = f.fetch("http://gov.test/a.html")
    assert r.ok is allowed
    if not allowed:
        assert r.skipped and "robots.txt" in r.error


# --------------------------------------------------------------------- links and dates


@pytest.mark.parametrize(
    ("text", "is_report"),
    [
        (JINGZHOU, True),
        ("2024年政府信息公开工作年度报告", True),
        ("某某区2023年度政务公开年报", True),
        ("二〇二四年政府信息公开工作年度报告", True),
        ("2024年年度报告", True),
        (NOTICE, False),
        ("《2024年政府信息公开工作年度报告》解读", False),
        ("某某市2024年法治政府建设年度报告", False),
        ("关于开展2024年度企业年报公示工作的通告", False),
        ("政府信息公开工作年度报告", False),  # no year: the column's own menu entry
        ("2024年政府信息公开指南", False),
    ],
)
def test_report_titles(text: str, is_report: bool) -> None:
    assert is_report_title(text) is is_report


def test_report_year() -> None:
    assert report_year("二〇二四年政府信息公开工作年度报告") == 2024
    assert report_year(JINGZHOU) == 2023


def test_page_dates_and_pager() -> None:
    html = """<html><head><meta name="PubDate" content="2025-01-28 10:00"></head><body>
    <ul><li><a href="a.html">2024年政府信息公开工作年度报告</a> <span>2025-01-27</span></li></ul>
    <script>createPageHTML(5, 0, "index", "html");</script></body></html>""".encode()
    page = read_page(html, "http://gov.test/col/index.html")
    assert page.published == "2025-01-28 10:00"
    assert page.links[0].date == "2025-01-27" and page.links[0].url == "http://gov.test/col/a.html"
    assert page.next_pages == ["http://gov.test/col/index_1.html"]
    shown = read_page("<p>发布时间：2025年3月2日 09:15 来源：区政府</p>".encode(), "http://gov.test/")
    assert shown.published == "2025年3月2日 09:15"


def test_due_dates() -> None:
    from datetime import date

    assert cp.due_date(2024, government=False) == date(2025, 1, 31)
    assert cp.due_date(2024, government=True) == date(2025, 3, 31)
    assert cp.is_government("淮安市洪泽区人民政府") and not cp.is_government("武汉市江汉区人民政府办公室")
    assert cp.published_on("2025年02月15日") == date(2025, 2, 15) and cp.published_on("不详") is None


def test_review_with_a_unit_list_names_the_units_that_published_nothing(tmp_path):
    """`gongkai review --units`: the office's list against the reports in the folder."""
    import shutil

    from typer.testing import CliRunner

    from gongkai.cli import app

    folder = tmp_path / "reports"
    folder.mkdir()
    seeds = Path(__file__).parent / "corpus" / "seeds"
    shutil.copy(seeds / "001_1091e914623cb50c.txt", folder / "a.txt")
    units = tmp_path / "units.txt"
    units.write_text("荆门市司法局\n某某县不存在局\n", encoding="utf-8")
    out = tmp_path / "review.jsonl"
    result = CliRunner().invoke(app, ["review", str(folder), "-o", str(out), "--jobs", "0", "--units", str(units)])
    assert result.exit_code in (0, 1), result.output
    text = out.read_text(encoding="utf-8")
    assert "某某县不存在局" in text and "not-published" in text
    assert "（未发布）荆门市司法局" not in text
