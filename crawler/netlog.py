"""Quiet, useful crawl logs: no network for the public suffix list, one line per unreachable host.

* Scrapy 2.19's cookie middleware splits domains with ``tldextract`` (is a cookie's
  domain a public suffix?), and tldextract's default is to download the public suffix
  list on first use — a traceback per attempt when there is no internet. Importing
  this module points that extractor at the snapshot that ships with tldextract, with
  no cache directory and no URL to fetch.
* A DNS failure, a refused connection or a connect timeout is not a bug: Scrapy
  reports it up to three times per request (the retry middleware's "Gave up", the
  robots.txt middleware's and the scraper's "Error downloading", with tracebacks).
  :class:`NetworkErrors` turns the first report for a host into one WARNING line
  naming the host and the cause, and drops the rest.

The ``QuietNetworkLogs`` extension (crawler/settings.py EXTENSIONS) installs both in
every crawl process.
"""

from __future__ import annotations

import logging
import re
import threading

log = logging.getLogger(__name__)


def offline_suffix_list() -> None:
    """Make Scrapy's cookie middleware use tldextract's bundled suffix snapshot, offline."""
    from tldextract import TLDExtract

    try:
        from scrapy.downloadermiddlewares import cookies
    except ImportError:  # pragma: no cover - Scrapy without the cookie middleware
        return
    current = getattr(cookies, "_split_domain", None)
    if current is not None and tuple(getattr(current, "suffix_list_urls", ()) or ()) == ():
        return
    cookies._split_domain = TLDExtract(cache_dir=None, suffix_list_urls=(),
                                       fallback_to_snapshot=True,
                                       include_psl_private_domains=True)


offline_suffix_list()

# (exception class name, what to say)
_CAUSES = (
    ("DNSLookupError", "DNS lookup failed (no such host, or no network)"),
    ("ConnectionRefusedError", "connection refused"),
    ("TCPTimedOutError", "connection timed out"),
    ("TimeoutError", "timed out"),
    ("NoRouteError", "no route to host"),
    ("ConnectionLost", "connection lost"),
    ("ConnectError", "cannot connect"),
)
_URL = re.compile(r"https?://([^/\s>?#]+)")


def _cause(record: logging.LogRecord) -> str | None:
    names = []
    if record.exc_info and record.exc_info[1] is not None:
        exc: BaseException | None = record.exc_info[1]
        while exc is not None and len(names) < 5:
            names.append(type(exc).__name__)
            exc = exc.__cause__ or exc.__context__
    text = record.getMessage()
    for name, what in _CAUSES:
        if name in names or name in text or (name == "DNSLookupError" and "DNS lookup failed" in text):
            return what
    if "Connection was refused" in text:
        return "connection refused"
    if "User timeout caused connection failure" in text or "took longer than" in text:
        return "timed out"
    return None


class NetworkErrors(logging.Filter):
    """One WARNING per host and cause for network failures, no traceback; the rest pass."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        cause = _cause(record)
        if cause is None:
            return True
        match = _URL.search(record.getMessage())
        host = match.group(1) if match else "a host"
        with self._lock:
            if (host, cause) in self.seen:
                return False
            self.seen.add((host, cause))
        if not record.name.startswith("scrapy"):
            return True  # our own first word on it stays as it is
        record.msg, record.args = "%s: %s", (host, cause)
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = record.stack_info = None
        return True


_installed = NetworkErrors()


def install() -> None:
    """Add the filter to every handler of the root logger (once each)."""
    for handler in logging.getLogger().handlers:
        if _installed not in handler.filters:
            handler.addFilter(_installed)


class QuietNetworkLogs:
    """Scrapy extension: offline suffix list and one-line network errors in this crawl."""

    @classmethod
    def from_crawler(cls, crawler):
        offline_suffix_list()
        install()
        return cls()
