"""A spider middleware that breaks the crawl on purpose (the ``failed`` outcome test):
``-s 'SPIDER_MIDDLEWARES={"tests.broken_crawl.Explode": 10}'``."""

from __future__ import annotations


class Explode:
    def process_spider_output(self, response, result):
        raise RuntimeError("a bug in the crawler (test)")

    async def process_spider_output_async(self, response, result):
        raise RuntimeError("a bug in the crawler (test)")
        yield  # pragma: no cover
