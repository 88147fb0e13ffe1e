"""The one generic spider: ``scrapy crawl news -a site=KEY`` / ``sct-archive crawl KEY``.

What it fetches is planned from the archive:

* **known articles that are due** for a look (:class:`crawler.revisit.RevisitPolicy`)
  are requested conditionally (If-None-Match / If-Modified-Since from the stored
  validators); a 304 stores nothing new, a 200 goes through extraction and the
  content hash decides;
* **listings** are walked newest first through the site's CMS profile; an
  incremental crawl stops a listing chain after ``ARCHIVE_STOP_AFTER_KNOWN``
  already-archived articles in a row, once some earlier run has walked the whole
  site (until then, and with ``-a full=1`` / ``--full``, every page is walked);
* every chain is bounded by ``ARCHIVE_MAX_LISTING_PAGES`` (endless pagination,
  calendars), the whole run by ``ARCHIVE_MAX_PAGES``.

Arguments (``-a NAME=VALUE``): ``site`` (registry key), ``url`` (a site not in the
registry: its key is the host, its CMS is recognized from its pages), ``urls``
(extra article URLs to fetch unconditionally, comma-separated), ``full``,
``trigger`` (manual | schedule | recrawl).
"""

from __future__ import annotations

import logging
import time as _time
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import JsonRequest, Request, Response
from scrapy.spidermiddlewares.httperror import HttpError

from archive.errors import ArchiveError, InputError
from archive.storage.records import AttachmentText, Extracted, Fetch
from archive.storage.store import Archive, KnownArticle
from archive.vietnamese.textnorm import content_hash
from crawler.extraction import extract
from crawler.extraction.attachments import read_attachment
from crawler.items import ArticlePage, ListingPage, NotModified
from crawler.profiles import Page, Profile, RequestSpec, get_profile, recognize
from crawler.profiles.base import is_discovery
from crawler.registry import Site, adhoc_site, load_registry
from crawler.revisit import RevisitPolicy

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


class NewsSpider(scrapy.Spider):
    name = "news"
    # Scrapy starts CONCURRENT_ITEMS (default 100) asyncio tasks for the output of every
    # response; ours yield one item (plus requests) to a synchronous pipeline, so 100
    # idle workers per page were pure overhead (~9 % of a crawl's CPU in
    # bench/crawl_bench.py). `-s CONCURRENT_ITEMS=…` still overrides this.
    custom_settings: ClassVar[dict[str, Any]] = {"CONCURRENT_ITEMS": 8}

    def __init__(
        self,
        site: str | None = None,
        url: str | None = None,
        urls: str | Iterable[str] | None = None,
        full: Any = False,
        trigger: str = "manual",
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not site and not url:
            raise InputError("give a site (-a site=KEY) or a URL (-a url=URL)")
        self.site_key = site
        self.start_url = url
        if isinstance(urls, str):
            urls = [u for u in urls.split(",") if u.strip()]
        self.extra_urls = list(urls or ())
        self.full = _truthy(full)
        self.trigger = trigger
        self.site: Site
        self.profile: Profile
        self.archive: Archive
        self.run_id: int | None = None
        self.known: dict[str, KnownArticle] = {}
        self.planned: set[str] = set()  # article keys requested in this run
        self.incremental = False
        self.truncated = False  # some listing chain was cut short (known run, bound)
        self.listing_failed = False
        self.health: Counter[str] = Counter()
        self.requests_made = 0

    # -- set-up --------------------------------------------------------------------------

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        registry = load_registry(settings.get("ARCHIVE_SITES_FILE"))
        if spider.site_key:
            spider.site = registry.get(spider.site_key)
        else:
            spider.site = registry.for_url(spider.start_url) or adhoc_site(spider.start_url)
            spider.site_key = spider.site.key
        # The site's own politeness overrides; `-s NAME=VALUE` (cmdline priority) still wins.
        for name, value in spider.site.settings.items():
            settings.set(name, value, priority="spider")
        spider.profile = get_profile(spider.site.profile)
        spider.allowed_domains = [spider.site.host] if spider.site.host else []
        spider.archive = Archive.open(
            settings.get("ARCHIVE_DATABASE_URL"),
            min_text_chars=settings.getint("ARCHIVE_MIN_TEXT_CHARS", 200),
        )
        spider.policy = RevisitPolicy.from_settings(settings)
        spider.stop_after_known = settings.getint("ARCHIVE_STOP_AFTER_KNOWN", 10)
        spider.max_listing_pages = settings.getint("ARCHIVE_MAX_LISTING_PAGES", 200)
        spider.max_pages = settings.getint("ARCHIVE_MAX_PAGES", 20000)
        spider.attachments_enabled = settings.getbool("ARCHIVE_ATTACHMENTS_ENABLED", True)
        spider.attachment_maxsize = settings.getint("ARCHIVE_ATTACHMENT_MAXSIZE", 30 * 2**20)
        spider.max_attachments = settings.getint("ARCHIVE_MAX_ATTACHMENTS", 10)
        clock = settings.get("ARCHIVE_NOW")
        spider._clock_base = datetime.fromisoformat(clock) if clock else None
        if spider._clock_base is not None and spider._clock_base.tzinfo is None:
            spider._clock_base = spider._clock_base.replace(tzinfo=UTC)
        spider._started = _time.monotonic()
        return spider

    def now(self) -> datetime:
        """The crawl's clock: real time, or ``ARCHIVE_NOW`` plus the time elapsed since start."""
        if self._clock_base is None:
            return datetime.now(UTC)
        return self._clock_base + timedelta(seconds=_time.monotonic() - self._started)

    # -- planning ------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        archive, site = self.archive, self.site
        archive.site_id(site.key, name=site.name, base_url=site.base_url, profile=site.profile)
        closed = archive.close_stale_runs(site.key)
        if closed:
            log.warning("%s: %d earlier run(s) were interrupted (process gone)", site.key, closed)
        self.run_id = archive.start_run(site.key, trigger=self.trigger, full=self.full)
        self.known = archive.known_articles(site.key)
        self.incremental = not self.full and archive.has_complete_run(site.key)
        log.info(
            "%s: %s crawl, %d articles already archived (profile %s)",
            site.key, "incremental" if self.incremental else "full", len(self.known),
            self.profile.name,
        )
        for url in self.extra_urls:
            req = self._article_request(url, conditional=False)
            if req is not None:
                yield req
        if not self.extra_urls or self.start_url:
            for req in self._revisits():
                yield req
            if self.start_url:
                starts: list[str] = [self.start_url]
            else:
                starts = list(site.start_urls)
            # An unregistered site's URL is read as a listing first: only its page tells
            # its CMS, and with it whether the URL is an article (see parse_listing).
            if (self.start_url and self.profile.name != "auto"
                    and self.profile.is_article_url(self.start_url)):
                req = self._article_request(self.start_url, conditional=False)
                if req is not None:
                    yield req
                return
            for spec in self.profile.start_requests(starts):
                req = self._listing_request(spec)
                req.meta["start_url"] = bool(self.start_url)
                yield req
            # Feeds and sitemaps find the whole archive: a first or --full crawl reads
            # them; an incremental crawl of a known CMS walks its listings newest-first.
            discover = getattr(self.profile, "discovery_requests", None)
            if discover is not None and not (self.incremental and self.profile.name != "auto"):
                for spec in discover(site.base_url):
                    yield self._listing_request(spec, optional=True)

    def _revisits(self) -> Iterable[Request]:
        now = self.now()
        due = [
            k for k in self.known.values()
            if not k.gone and k.next_check_at is not None and k.next_check_at <= now
        ]
        due.sort(key=lambda k: k.next_check_at)
        if due:
            log.info("%s: %d archived articles due for a revisit", self.site.key, len(due))
        for k in due:
            req = self._article_request(k.url, conditional=True)
            if req is not None:
                req.meta["revisit"] = True
                yield req

    def _budget(self) -> bool:
        if self.requests_made >= self.max_pages:
            if not self.truncated:
                log.warning("%s: ARCHIVE_MAX_PAGES=%d reached", self.site.key, self.max_pages)
            self.truncated = True
            return False
        self.requests_made += 1
        return True

    def _listing_request(self, spec: RequestSpec, *, known_run: int = 0, optional: bool = False):
        meta = {"spec": spec, "known_run": known_run, "optional": optional}
        headers = dict(spec.headers)
        if spec.json_body is not None:
            return JsonRequest(
                spec.url, data=spec.json_body, method=spec.method, headers=headers or None,
                callback=self.parse_listing, errback=self.listing_failed_cb, meta=meta,
                dont_filter=True, priority=-spec.page,
            )
        if spec.formdata is not None:
            return scrapy.FormRequest(
                spec.url, formdata=list(spec.formdata), method=spec.method,
                headers=headers or None, callback=self.parse_listing,
                errback=self.listing_failed_cb, meta=meta, dont_filter=True, priority=-spec.page,
            )
        return Request(
            spec.url, method=spec.method, headers=headers or None, callback=self.parse_listing,
            errback=self.listing_failed_cb, meta=meta, priority=-spec.page,
        )

    def _article_request(self, url: str, *, conditional: bool) -> Request | None:
        canonical = self.profile.canonical_url(url)
        key = self.profile.article_key(canonical)
        if key in self.planned:
            return None
        if not self._budget():
            return None
        self.planned.add(key)
        headers: dict[str, str] = {}
        known = self.known.get(key)
        if conditional and known is not None:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        return Request(
            canonical,
            headers=headers or None,
            callback=self.parse_article,
            errback=self.article_failed,
            meta={"key": key, "handle_httpstatus_list": [304, 404, 410]},
            dont_filter=True,
            priority=10,  # finish articles before walking further listing pages
        )

    # -- listings ------------------------------------------------------------------------

    def parse_listing(self, response: Response):
        spec: RequestSpec = response.meta["spec"]
        fetch = self._fetch(response)
        content_type = (fetch.content_type or "text/html").lower()
        text = response.text if hasattr(response, "text") else fetch.body.decode("utf-8", "replace")
        if self.site.profile == "auto" and self.profile.name == "auto" and content_type in _HTML_TYPES:
            found = recognize(text, response.url)
            if found.name != "auto":
                log.info("%s: looks like %s; using that profile", self.site.key, found.name)
                self.profile = found
                discover = getattr(found, "discovery_requests", None)
                if discover is not None and not self.incremental:  # its own feeds and sitemaps
                    for extra in discover(self.site.base_url):
                        yield self._listing_request(extra, optional=True)
        if (response.meta.get("start_url") and content_type in _HTML_TYPES
                and self.profile.is_article_url(response.url)):
            req = self._article_request(response.url, conditional=False)
            if req is not None:
                yield req
            return
        page = Page(response.url, text, content_type)
        try:
            # robots.txt, feeds and sitemaps read the same way whatever the platform (and
            # whichever profile asked for them before the CMS was recognized)
            parse = self.profile.parse_discovery if is_discovery(page) else self.profile.parse_listing
            listing = parse(page, spec)
        except (ValueError, ArchiveError) as exc:
            log.warning("%s: cannot read listing %s: %s", self.site.key, response.url, exc)
            listing = None
        articles = listing.articles if listing else ()
        self.health["listing_pages"] += 1
        if not articles and not response.meta.get("optional"):
            self.health["empty_listings"] += 1
        yield ListingPage(fetch, len(articles))

        known_run = response.meta.get("known_run", 0)
        for url in articles:
            key = self.profile.article_key(url)
            known = self.known.get(key)
            if known is not None and not self.full:
                known_run += 1
                continue
            known_run = 0
            # --full asks unconditionally: validators are a hint some servers get wrong
            # (one ETag for ever-changing pages); on a 200 the content hash decides.
            req = self._article_request(url, conditional=known is not None and not self.full)
            if req is not None:
                yield req
        if not listing:
            return
        if self.incremental and articles and known_run >= self.stop_after_known:
            log.debug("%s: %d known articles in a row at %s; stopping this listing",
                      self.site.key, known_run, response.url)
            self.truncated = True
            return
        for nxt in listing.next:
            if nxt.page and nxt.page > self.max_listing_pages:
                log.warning("%s: listing bound ARCHIVE_MAX_LISTING_PAGES=%d reached at %s",
                            self.site.key, self.max_listing_pages, nxt.url)
                self.truncated = True
                continue
            if not self._budget():
                return
            # pages reached from an optional request (a feed, a sitemap) stay optional:
            # a stale Sitemap: line answering 404 must not make the run incomplete
            yield self._listing_request(nxt, known_run=known_run,
                                        optional=bool(response.meta.get("optional")))

    def listing_failed_cb(self, failure):
        request = failure.request
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            self.crawler.stats.inc_value("archive/robots_or_ignored")
            return
        if request.meta.get("optional"):
            return
        self.listing_failed = True
        self.crawler.stats.inc_value("archive/failed")
        self.crawler.stats.inc_value("archive/listing_failed")
        log.warning("%s: listing %s failed: %s", self.site.key, request.url,
                    failure.getErrorMessage())

    # -- articles ------------------------------------------------------------------------

    def _fetch(self, response: Response) -> Fetch:
        headers = tuple(
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, values in response.headers.items()
            for v in values
        )
        return Fetch(
            url=response.url,
            fetched_at=self.now(),
            status=response.status,
            body=response.body,
            headers=headers,
            source="crawl",
        )

    async def parse_article(self, response: Response):
        key: str = response.meta["key"]
        fetch = self._fetch(response)
        known = self.known.get(key)
        if response.status == 304:
            yield NotModified(key, response.url, fetch.fetched_at, self._next_check(fetch, None, known))
            return
        extracted: Extracted | None = None
        if response.status == 200:
            try:
                extracted = extract(
                    fetch.body, fetch.url, content_type=fetch.header("content-type"),
                    profile=self.profile, fetched_at=fetch.fetched_at,
                )
            except InputError as exc:
                log.warning("%s: %s: %s", self.site.key, response.url, exc)
                self.crawler.stats.inc_value("archive/not_html")
            self.health["article_pages"] += 1
            if extracted is None or len(extracted.text.strip()) < self.archive.min_text_chars:
                self.health["empty_text"] += 1
            elif extracted.published is None:
                self.health["no_date"] += 1
        if extracted is not None and extracted.article_key != key:
            # a redirect or a canonical link named another identity: trust the page
            key = extracted.article_key
        if extracted is not None and extracted.attachment_links and self.attachments_enabled:
            digest = content_hash(extracted.title, extracted.published, extracted.text)
            if known is None or known.content_hash != digest:
                extracted = await self._with_attachments(extracted)
        yield ArticlePage(
            fetch, extracted, key, self._next_check(fetch, extracted, known),
            revisit=bool(response.meta.get("revisit")),
        )

    def _next_check(self, fetch: Fetch, extracted: Extracted | None, known: KnownArticle | None):
        published = extracted.published_at or extracted.published if extracted else None
        if published is None and known is not None:
            published = known.published
        first_seen = known.first_seen if known is not None else fetch.fetched_at
        return self.policy.next_check(fetch.fetched_at, published=published, first_seen=first_seen)

    async def _with_attachments(self, extracted: Extracted) -> Extracted:
        from dataclasses import replace

        found: list[AttachmentText] = []
        for url in extracted.attachment_links[: self.max_attachments]:
            filename = urlsplit(url).path.rsplit("/", 1)[-1] or url
            request = Request(url, meta={"download_maxsize": self.attachment_maxsize,
                                         "handle_httpstatus_all": True}, dont_filter=True)
            try:
                response = await self.crawler.engine.download_async(request)
            except IgnoreRequest:
                found.append(AttachmentText(url, filename, "failed", note="blocked by robots.txt"))
                continue
            except Exception as exc:
                reason = str(exc) or type(exc).__name__
                status = "too_large" if "maxsize" in reason.lower() or "cancelled" in reason.lower() else "failed"
                found.append(AttachmentText(url, filename, status, note=reason[:200]))
                continue
            self.crawler.stats.inc_value("archive/attachments")
            fetch = self._fetch(response)
            fetch = Fetch(fetch.url, fetch.fetched_at, fetch.status, fetch.body, fetch.headers,
                          source="crawl", kind="attachment")
            if response.status != 200:
                found.append(AttachmentText(url, filename, "failed", note=f"HTTP {response.status}",
                                            fetch=fetch))
                continue
            found.append(read_attachment(fetch, max_bytes=self.attachment_maxsize))
        return replace(extracted, attachments=tuple(found))

    def article_failed(self, failure):
        request = failure.request
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            self.crawler.stats.inc_value("archive/robots_or_ignored")
            return
        self.crawler.stats.inc_value("archive/failed")
        log.warning("%s: %s failed: %s", self.site.key, request.url, failure.getErrorMessage())

    # -- the end ---------------------------------------------------------------------------

    def _notify(self) -> None:
        """New flagged articles of this run → the Atom feed (and the webhook, if set)."""
        from pathlib import Path

        from archive.read.feed import default_feed_path, notify_run

        settings = self.crawler.settings
        if not settings.getbool("ARCHIVE_FEED_ENABLED", True):
            return
        path = settings.get("ARCHIVE_FEED_PATH")
        feed = Path(path) if path else default_feed_path(settings.get("ARCHIVE_DATABASE_URL"))
        try:
            notify_run(self.archive, self.run_id, feed_path=feed,
                       webhook_url=settings.get("ARCHIVE_WEBHOOK_URL"))
        except Exception:
            log.exception("%s: notifying flagged articles failed", self.site.key)

    def closed(self, reason: str) -> None:
        stats = self.crawler.stats
        outcome = {"finished": "finished", "shutdown": "interrupted"}.get(reason, "failed")
        complete = outcome == "finished" and not self.truncated and not self.listing_failed
        health: dict[str, float] = {
            k: self.health.get(k, 0)
            for k in ("listing_pages", "empty_listings", "article_pages", "empty_text", "no_date")
        }
        pages = health["article_pages"]
        health["empty_text_share"] = round(health["empty_text"] / pages, 3) if pages else 0.0
        health["no_date_share"] = round(health["no_date"] / pages, 3) if pages else 0.0
        try:
            if self.run_id is not None:
                self.archive.finish_run(
                    self.run_id,
                    outcome,
                    pages=int(stats.get_value("response_received_count", 0)),
                    new_articles=int(stats.get_value("archive/new", 0)),
                    new_versions=int(stats.get_value("archive/changed", 0)),
                    unchanged=int(stats.get_value("archive/unchanged", 0))
                    + int(stats.get_value("archive/returned", 0)),
                    not_modified=int(stats.get_value("archive/not_modified", 0)),
                    failed=int(stats.get_value("archive/failed", 0)),
                    stats=_jsonable(stats.get_stats()),
                    health=health,
                    complete=complete,
                    error=None if outcome != "failed" else f"closed: {reason}",
                )
                self._notify()
        finally:
            self.archive.close()


def _jsonable(stats: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in stats.items():
        if isinstance(value, datetime):
            out[key] = value.isoformat()
        elif isinstance(value, (int, float, str, bool)) or value is None:
            out[key] = value
        else:
            out[key] = str(value)
    return out
