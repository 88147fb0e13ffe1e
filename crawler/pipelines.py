"""The item pipeline: every page the spider hands over is written to the archive.

One transaction per article (see :meth:`archive.storage.store.Archive.record_page`), so a
crawl stopped at any moment — SIGTERM, kill -9, a crash — leaves every article either
fully archived or not at all, and the next run picks up from the archive's state.
"""

from __future__ import annotations

import logging
from typing import Any

from crawler.ingest import ingest
from crawler.items import ArticlePage, ListingPage, NotModified

log = logging.getLogger(__name__)


class ArchivePipeline:
    """Write ArticlePage / NotModified / ListingPage items through the spider's archive."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.enabled = crawler.settings.getbool("ARCHIVE_ENABLED", True)

    @classmethod
    def from_crawler(cls, crawler) -> ArchivePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not self.enabled:
            return item
        spider = self.crawler.spider
        archive, site, run_id = spider.archive, spider.site, spider.run_id
        if isinstance(item, ArticlePage):
            result = ingest(
                archive, site, item.fetch, run_id=run_id, profile=spider.profile,
                extracted=item.extracted, next_check_at=item.next_check_at, article_key=item.key,
                derived=item.derived,
            )
            status = result.outcome.status
            self.stats.inc_value(f"archive/{status}")
            if status == "new":
                log.debug("new: %s", item.extracted.title if item.extracted else item.fetch.url)
            elif status == "changed":
                log.debug("changed: %s", item.extracted.title if item.extracted else item.fetch.url)
            elif status == "rejected" and item.fetch.status == 200:
                log.debug("not archived: %s (%s)", item.fetch.url, result.outcome.reason)
        elif isinstance(item, NotModified):
            archive.record_not_modified(
                site.key, item.key, item.fetched_at, run_id=run_id, next_check_at=item.next_check_at
            )
            self.stats.inc_value("archive/not_modified")
        elif isinstance(item, ListingPage):
            archive.record_snapshot(site.key, item.fetch, run_id=run_id)
            self.stats.inc_value("archive/listing_pages")
        return item
