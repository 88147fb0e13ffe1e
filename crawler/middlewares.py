"""Downloader middlewares: retries that back off."""

from __future__ import annotations

import random

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries (5xx, timeouts, connection errors), each one later than the last.

    A struggling provincial server gets ``ARCHIVE_RETRY_BACKOFF_BASE`` seconds before
    the first retry, doubled for each further one (with ±25 % jitter), capped at
    ``ARCHIVE_RETRY_BACKOFF_MAX``. The wait happens before the retry is downloaded,
    without holding a download slot.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("ARCHIVE_RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("ARCHIVE_RETRY_BACKOFF_MAX", 30.0)
        self.timeout_retries = settings.getint("ARCHIVE_TIMEOUT_RETRIES", 1)

    def process_exception(self, request: Request, exception, spider=None):
        # a server that let one request time out (a dripping page) gets fewer tries: each
        # costs a whole DOWNLOAD_TIMEOUT while the site's one download slot waits
        # (and so does one that refused the connection or whose name did not resolve:
        # a site that is down stays down for the seconds retries would wait)
        from twisted.internet.error import ConnectionRefusedError, DNSLookupError
        from twisted.internet.error import TimeoutError as TwistedTimeout

        timeouts: tuple[type[BaseException], ...] = (
            TwistedTimeout, TimeoutError, ConnectionRefusedError, DNSLookupError)
        try:
            from scrapy.exceptions import DownloadConnectionRefusedError, DownloadTimeoutError

            timeouts = (*timeouts, DownloadTimeoutError, DownloadConnectionRefusedError)
        except ImportError:  # older Scrapy
            pass
        if isinstance(exception, timeouts) and request.meta.get("retry_times", 0) >= self.timeout_retries:
            return None
        return super().process_exception(request, exception)

    def _retry(self, request: Request, reason):
        retry = super()._retry(request, reason)
        if retry is not None and self.base > 0:
            attempt = retry.meta.get("retry_times", 1)
            delay = min(self.cap, self.base * 2 ** (attempt - 1))
            retry.meta["retry_backoff"] = delay * random.uniform(0.75, 1.25)
        return retry

    async def process_request(self, request: Request) -> None:
        delay = request.meta.pop("retry_backoff", 0)
        if delay > 0:
            from twisted.internet import reactor

            await maybe_deferred_to_future(task.deferLater(reactor, delay, lambda: None))
        return None
