"""Polite, bounded HTTP for ``gongkai collect``.

One ``Fetcher`` per run. Every request it makes (robots.txt included) goes through the same
rules: only http and https; only the hosts given on the command line unless ``follow_offsite``;
what robots.txt allows our User-Agent (fetched once per host with :mod:`urllib.robotparser`,
its ``Crawl-delay`` honoured); at most ``rate`` requests a second per host; a timeout on every
request; retries with exponential back-off on 5xx, 429, timeouts and broken connections
(``Retry-After`` honoured up to a minute); redirects followed by hand (each hop checked the same
way); a size cap, checked on ``Content-Length`` and again while reading. A refusal or a failure
is a ``Response`` with a Chinese ``error``, never an exception.
"""

from __future__ import annotations

import random
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urljoin, urlsplit

import httpx

from ..ingest import MAX_BYTES

REDIRECTS = 5
REDIRECT_CODES = (301, 302, 303, 307, 308)
ROBOTS_MAX_BYTES = 512 * 1024
RETRY_AFTER_MAX = 60.0  # seconds: a longer Retry-After is not waited for in full
CRAWL_DELAY_MAX = 60.0  # seconds: a longer Crawl-delay is honoured as one request a minute

try:
    _VERSION = version("gongkai")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    _VERSION = "0"


def user_agent(contact: str = "") -> str:
    """Our User-Agent. HTTP headers are ASCII, so the note is in English; it names the tool and
    what it does (采集政府信息公开工作年度报告), and the contact the user gave, if any."""
    note = f"gongkai/{_VERSION} (government information disclosure annual reports collector"
    contact = contact.encode("ascii", "backslashreplace").decode("ascii").strip()
    return note + (f"; contact: {contact})" if contact else ")")


@dataclass
class Settings:
    rate: float = 1.0  # requests per second, per host
    timeout: float = 30.0  # seconds, for connecting and for each read
    retries: int = 3  # further attempts after the first
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    max_bytes: int = MAX_BYTES  # the size cap of one file
    follow_offsite: bool = False
    contact: str = ""  # an e-mail address or URL to reach whoever runs the collection
    trust_env: bool = True  # proxies from the environment (HTTPS_PROXY, NO_PROXY …)


@dataclass
class Response:
    url: str  # after redirects
    status: int = 0
    content_type: str = ""
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    disposition: str = ""
    location: str = ""  # of a redirect
    retry_after: str = ""  # of a 429 or 503
    error: str = ""  # Chinese; empty when the body is there
    skipped: bool = False  # refused by our own rules (robots.txt, off-site, scheme), not by the server

    @property
    def ok(self) -> bool:
        return not self.error and self.status == 200

    @property
    def not_modified(self) -> bool:
        return self.status == 304 and not self.error

    @property
    def is_html(self) -> bool:
        kind = self.content_type.split(";")[0].strip().lower()
        if kind in ("text/html", "application/xhtml+xml"):
            return True
        head = self.body[:512].lstrip().lower()
        return not kind.startswith(("application/", "image/")) and head.startswith((b"<!doctype html", b"<html"))


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


@dataclass
class Fetcher:
    settings: Settings = field(default_factory=Settings)
    hosts: set[str] = field(default_factory=set)  # the hosts we were given
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    requests: int = 0

    def __post_init__(self) -> None:
        headers = {"User-Agent": user_agent(self.settings.contact), "Accept-Language": "zh-CN,zh;q=0.9"}
        contact = self.settings.contact.strip()
        if "@" in contact and contact.isascii() and " " not in contact:
            headers["From"] = contact  # RFC 9110 §10.1.2: who to write to about this robot
        self.client = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(self.settings.timeout),
            follow_redirects=False,
            transport=self.transport,
            trust_env=self.settings.trust_env,
        )
        self._next: dict[str, float] = {}
        self._delays: dict[str, float] = {}
        self._robots: dict[str, tuple[urllib.robotparser.RobotFileParser, str]] = {}

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ rules

    def refusal(self, url: str) -> str:
        """Why ``url`` may not be fetched, in Chinese; empty when it may."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return f"只抓取 http 和 https 地址，不抓取 {parts.scheme or '无协议'} 地址"
        if not parts.hostname:
            return "地址中没有主机名"
        if not self._may_visit(url):
            return f"站外链接（{parts.netloc}），未跟随（需要时加 --follow-offsite）"
        robots, why = self._robots_for(url)
        if not robots.can_fetch(self.client.headers["User-Agent"], url):
            return why or "robots.txt 不允许抓取此地址"
        return ""

    def _robots_for(self, url: str) -> tuple[urllib.robotparser.RobotFileParser, str]:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        if key in self._robots:
            return self._robots[key]
        robots = urllib.robotparser.RobotFileParser(key + "/robots.txt")
        why = ""
        r = self._get(key + "/robots.txt", {}, ROBOTS_MAX_BYTES)
        for _ in range(REDIRECTS):  # RFC 9309 §2.3.1.2; only to hosts we may visit
            target = urljoin(r.url, r.location) if r.location else ""
            if not target or urlsplit(target).scheme not in ("http", "https") or not self._may_visit(target):
                break
            r = self._get(target, {}, ROBOTS_MAX_BYTES)
        if r.status in (401, 403):  # as urllib.robotparser: 401 and 403 forbid everything
            robots.disallow_all = True
            why = f"robots.txt 拒绝访问（HTTP {r.status}），按不允许抓取处理"
        elif r.status == 200 and not r.error:
            robots.parse(r.body.decode("utf-8", errors="replace").splitlines())
        elif 300 <= r.status < 500:  # none there (404 …), or elsewhere: no rules
            robots.allow_all = True
        else:  # 5xx after retries, no connection: a site that cannot say now is not crawled now
            robots.disallow_all = True
            why = f"无法取得 robots.txt（{r.error or r.status}），按不允许抓取处理"
        robots.modified()  # the parser answers "no" to everything until it has been read
        delay = robots.crawl_delay(self.client.headers["User-Agent"])
        if delay:
            self._delays[parts.netloc.lower()] = min(float(delay), CRAWL_DELAY_MAX)
        self._robots[key] = (robots, why)
        return robots, why

    def _may_visit(self, url: str) -> bool:
        return self.settings.follow_offsite or host_of(url) in self.hosts

    def _wait(self, host: str) -> None:
        """At most ``rate`` requests a second to ``host`` (or one per Crawl-delay, if longer)."""
        interval = max(1.0 / self.settings.rate, self._delays.get(host, 0.0))
        now = self.clock()
        due = self._next.get(host, now)
        if due > now:
            self.sleep(due - now)
            now = due
        self._next[host] = now + interval

    # ------------------------------------------------------------------ requests

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """GET ``url`` under every rule, following up to ``REDIRECTS`` redirects."""
        for _ in range(REDIRECTS + 1):
            why = self.refusal(url)
            if why:
                return Response(url, error=why, skipped=True)
            r = self._get(url, headers or {}, self.settings.max_bytes)
            if r.status in REDIRECT_CODES and not r.error:
                if not r.location:
                    return Response(url, r.status, error=f"重定向（HTTP {r.status}）缺少目标地址")
                url = urljoin(url, r.location).split("#", 1)[0]
                continue
            return r
        return Response(url, error=f"重定向超过 {REDIRECTS} 次")

    def _get(self, url: str, headers: dict[str, str], cap: int) -> Response:
        """One GET with retries; the body read up to ``cap`` bytes."""
        host = host_of(url)
        last = Response(url)
        for attempt in range(self.settings.retries + 1):
            if attempt:
                self.sleep(self._backoff(attempt, last.retry_after))
            self._wait(host)
            self.requests += 1
            try:
                last = self._once(url, headers, cap)
            except httpx.TimeoutException:
                last = Response(url, error=f"超时（{self.settings.timeout:g} 秒）")
                continue
            except httpx.UnsupportedProtocol:
                return Response(url, error="只抓取 http 和 https 地址")
            except httpx.TransportError as e:
                last = Response(url, error=f"连接失败（{type(e).__name__}）")
                continue
            except (httpx.HTTPError, httpx.InvalidURL, ValueError) as e:  # a malformed address: no retry
                return Response(url, error=f"地址无效（{type(e).__name__}）")
            if last.status >= 500 or last.status == 429:
                continue
            return last
        last.error += f"，已尝试 {self.settings.retries + 1} 次"
        return last

    def _backoff(self, attempt: int, retry_after: str) -> float:
        wait = self.settings.backoff * 2 ** (attempt - 1) * (1 + random.random() / 4)
        if retry_after.strip().isdigit():
            wait = max(wait, min(float(retry_after), RETRY_AFTER_MAX))
        return wait

    def _once(self, url: str, headers: dict[str, str], cap: int) -> Response:
        with self.client.stream("GET", url, headers=headers) as resp:
            status, h = resp.status_code, resp.headers
            if status in REDIRECT_CODES:
                return Response(url, status, location=h.get("location", ""))
            if status >= 500 or status == 429:
                return Response(url, status, retry_after=h.get("retry-after", ""), error=f"服务器错误（HTTP {status}）")
            if status == 304:
                return Response(url, status)
            if status != 200:
                return Response(url, status, error=http_reason(status))
            declared = h.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                return Response(url, status, error=too_big(cap))
            body = bytearray()
            for chunk in resp.iter_bytes():
                body += chunk
                if len(body) > cap:
                    return Response(url, status, error=too_big(cap))
            return Response(
                url,
                status,
                content_type=h.get("content-type", ""),
                body=bytes(body),
                etag=h.get("etag", ""),
                last_modified=h.get("last-modified", ""),
                disposition=h.get("content-disposition", ""),
            )


def too_big(cap: int) -> str:
    return f"文件过大，超过 {cap / 1048576:g} MB 上限，未保存"


HTTP_REASONS = {
    400: "请求无效",
    401: "需要登录",
    403: "禁止访问",
    404: "页面不存在",
    410: "页面已删除",
}


def http_reason(status: int) -> str:
    return f"{HTTP_REASONS.get(status, '无法取得')}（HTTP {status}）"
