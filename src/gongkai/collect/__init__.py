"""Collect published annual reports from government websites (``gongkai collect``) and check
how they were published (``compliance``: 第四十九条's dates, who has not published, edits after
publication)."""

from .crawl import Summary, collect
from .fetch import Fetcher, Settings, user_agent

__all__ = ["Fetcher", "Settings", "Summary", "collect", "user_agent"]
