"""Progress on the terminal for long crawls: one line every few seconds, and a summary."""

from __future__ import annotations

import logging

from scrapy import signals
from twisted.internet import task

from archive.outcomes import judge

log = logging.getLogger("crawler.progress")

_FIELDS = (
    ("pages", "response_received_count"),
    ("new", "archive/new"),
    ("changed", "archive/changed"),
    ("unchanged", "archive/unchanged"),
    ("not modified", "archive/not_modified"),
    ("failed", "archive/failed"),
)


class CrawlProgress:
    """Log ``pages N, new N, changed N, unchanged N, not modified N, failed N`` periodically.

    ``ARCHIVE_PROGRESS_INTERVAL`` seconds apart (0 turns the periodic line off; the
    closing summary is always logged).
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.interval = crawler.settings.getfloat("ARCHIVE_PROGRESS_INTERVAL", 10.0)
        self.task: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler) -> CrawlProgress:
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def line(self) -> str:
        stats = self.crawler.stats
        parts = [f"{label} {int(stats.get_value(key, 0))}" for label, key in _FIELDS]
        return ", ".join(parts)

    def opened(self, spider) -> None:
        if self.interval > 0:
            self.task = task.LoopingCall(self.report, spider)
            self.task.start(self.interval, now=False)

    def report(self, spider) -> None:
        log.info("%s: %s", getattr(spider, "site_key", spider.name), self.line())

    def closed(self, spider, reason) -> None:
        """The closing line names the run's outcome (``unreachable``, ``empty``…: what the
        summary and the exit code say), not Scrapy's close reason, which is ``finished``
        for a site that never answered too."""
        if self.task is not None and self.task.running:
            self.task.stop()
        name = getattr(spider, "site_key", spider.name)
        facts = getattr(spider, "run_facts", None)
        if callable(facts):
            outcome, why = judge(facts(reason))
            log.info("%s: %s%s: %s", name, outcome, f" ({why})" if why else "", self.line())
        else:
            log.info("%s: closed (%s): %s", name, reason, self.line())
