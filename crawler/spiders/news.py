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

Requests go to article URLs exactly as the site's pages link them (the profile's canonical
URL and ``article_key`` are the identity only); a failed article is tried again under
another URL the site linked it by. For ``auto`` sites (and any profile whose listing rules
find nothing on a page) pages are judged by their content (:mod:`crawler.discovery`), and
what the URL templates proved to hold is stored for the next run. The run ends with one
outcome judged by :func:`archive.outcomes.judge` (finished, partial, empty, unreachable,
failed, interrupted).

Arguments (``-a NAME=VALUE``): ``site`` (registry key), ``url`` (a site not in the
registry: its key is the host, its CMS is recognized from its pages), ``urls``
(extra article URLs to fetch unconditionally, comma-separated), ``full``,
``trigger`` (manual | schedule | recrawl).
"""

from __future__ import annotations

import logging
import os
import time as _time
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.http import JsonRequest, Request, Response
from scrapy.spidermiddlewares.httperror import HttpError

from archive.errors import ArchiveError, InputError
from archive.outcomes import RunFacts, judge
from archive.storage.records import AttachmentText, Extracted, Fetch
from archive.storage.store import Archive, KnownArticle
from archive.vietnamese.textnorm import content_hash
from crawler.discovery.content import PROVEN
from crawler.discovery.explore import Explorer, PageJob, PageRead, read_page
from crawler.discovery.templates import Knowledge
from crawler.extraction.attachments import read_attachment
from crawler.extraction.pool import ExtractionPool, default_workers, run_in_pool
from crawler.items import ArticlePage, ListingPage, NotModified
from crawler.profiles import Page, Profile, RequestSpec, get_profile, recognize
from crawler.profiles.base import is_discovery
from crawler.registry import Site, adhoc_site, load_registry
from crawler.revisit import RevisitPolicy

#: Outcomes the feed announces when ARCHIVE_FEED_HEALTH is on (a site that needs a look).
UNHEALTHY_OUTCOMES = frozenset({"empty", "unreachable", "failed"})

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
        self.bound_hit = False  # ARCHIVE_MAX_PAGES / ARCHIVE_MAX_LISTING_PAGES reached
        #: article key → the URLs the site linked it under (first seen first, print views last)
        self.variants: dict[str, list[str]] = {}
        self.tried: dict[str, set[str]] = {}
        self.found_keys: set[str] = set()  # article keys linked, given or due in this run
        self.facts: Counter[str] = Counter()  # start_requests, start_answered, article_ok/failed…
        self.explorer: Explorer | None = None
        self.by_content: dict[str, str] = {}  # content hash → article key (auto: URL variants)
        self.pages_seen: set[str] = set()  # canonical URLs of pages planned by exploration
        self.probing: set[str] = set()  # article keys of pages fetched to see what they are
        self.pending_discovery: list[Request] = []  # feeds and sitemaps, once a start URL answers
        self.failed_keys: set[str] = set()  # articles whose every linked URL tried so far failed
        self.workers = 0  # ARCHIVE_EXTRACT_WORKERS
        self.pool: ExtractionPool | None = None  # started with the crawl, closed with it
        self._memo: dict[str, tuple[str, str]] = {}  # URL → (canonical URL, article key)
        self._memo_profile: Profile | None = None  # the profile they were worked out by

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
        spider.attachment_timeout = settings.getfloat("ARCHIVE_ATTACHMENT_TIMEOUT", 120)
        spider.discovery_depth = settings.getint("ARCHIVE_DISCOVERY_DEPTH", 3)
        spider.no_recognition = not settings.getbool("ARCHIVE_RECOGNIZE", True)
        spider.discovery_budget = settings.getint("ARCHIVE_DISCOVERY_BUDGET", 200)
        workers = settings.get("ARCHIVE_EXTRACT_WORKERS")
        spider.workers = default_workers() if workers in (None, "") else max(0, settings.getint(
            "ARCHIVE_EXTRACT_WORKERS"))
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
        # pages are judged and read in worker processes; the writes stay here, one
        # transaction per article (crawler/pipelines.py)
        self.pool = ExtractionPool(self.workers)
        self.crawler.stats.set_value("archive/extract_workers", self.pool.workers if self.pool.parallel else 0)
        self.known = archive.known_articles(site.key)
        self.incremental = not self.full and archive.has_complete_run(site.key)
        self.explorer = Explorer(
            Knowledge.from_json(archive.site_discovery(site.key)), depth=self.discovery_depth,
            budget=self.discovery_budget, min_chars=archive.min_text_chars,
        )
        self.by_content = {k.content_hash: key for key, k in self.known.items() if k.content_hash}
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
                req.meta["start"] = True
                self.facts["start_requests"] += 1
                yield req
            # Feeds and sitemaps find the whole archive: a first or --full crawl reads
            # them; an incremental crawl of a known CMS walks its listings newest-first.
            discover = getattr(self.profile, "discovery_requests", None)
            if discover is not None and not (self.incremental and self.profile.name != "auto"):
                # asked once a start URL answers: a site that is down is told by its start
                # URLs, without waiting on every feed and sitemap guess to fail the same way
                self.pending_discovery = [self._listing_request(spec, optional=True)
                                          for spec in discover(site.base_url)]

    def _revisits(self) -> Iterable[Request]:
        now = self.now()
        due = [
            (key, k) for key, k in self.known.items()
            if not k.gone and k.next_check_at is not None and k.next_check_at <= now
        ]
        due.sort(key=lambda pair: pair[1].next_check_at)
        if due:
            log.info("%s: %d archived articles due for a revisit", self.site.key, len(due))
        for key, k in due:
            # ask where the site served it last (what it linked), its canonical URL as a fallback
            for url in (k.fetch_url, k.url):
                if url:
                    self._add_variant(key, url)
            self.found_keys.add(key)
            if key in self.planned or not self._budget():
                continue
            self.planned.add(key)
            req = self._article_request(k.fetch_url or k.url, conditional=True, key=key)
            if req is not None:
                req.meta["revisit"] = True
                yield req

    def _budget(self) -> bool:
        if self.requests_made >= self.max_pages:
            if not self.truncated:
                log.warning("%s: ARCHIVE_MAX_PAGES=%d reached", self.site.key, self.max_pages)
            self.truncated = True
            self.bound_hit = True
            return False
        self.requests_made += 1
        return True

    def _listing_request(self, spec: RequestSpec, *, known_run: int = 0, optional: bool = False):
        meta = {"spec": spec, "known_run": known_run, "optional": optional}
        headers = dict(spec.headers)
        # the start URLs and their pages first; feed and sitemap guesses after them (a site
        # that is down is told by its start URLs, without waiting on every guess)
        priority = -spec.page - (100 if optional else 0)
        if spec.json_body is not None:
            return JsonRequest(
                spec.url, data=spec.json_body, method=spec.method, headers=headers or None,
                callback=self.parse_listing, errback=self.listing_failed_cb, meta=meta,
                dont_filter=True, priority=priority,
            )
        if spec.formdata is not None:
            return scrapy.FormRequest(
                spec.url, formdata=list(spec.formdata), method=spec.method,
                headers=headers or None, callback=self.parse_listing,
                errback=self.listing_failed_cb, meta=meta, dont_filter=True, priority=priority,
            )
        return Request(
            spec.url, method=spec.method, headers=headers or None, callback=self.parse_listing,
            errback=self.listing_failed_cb, meta=meta, priority=priority,
        )

    def _ident(self, url: str) -> str:
        """The profile's canonical URL of ``url``, worked out once per URL and profile."""
        return self._url_memo(url)[0]

    def _key(self, url: str) -> str:
        """The profile's article key of ``url`` (its canonical URL's), once per URL and profile."""
        return self._url_memo(url)[1]

    def _url_memo(self, url: str) -> tuple[str, str]:
        # a site's pages link the same menus, sidebars and pagers on every page: each
        # distinct URL is canonicalized once (again after the profile changes, recognition)
        if self._memo_profile is not self.profile:
            self._memo_profile = self.profile
            self._memo.clear()
        found = self._memo.get(url)
        if found is None:
            ident = self.profile.canonical_url(url)
            found = self._memo[url] = (ident, self.profile.article_key(ident))
        return found

    @staticmethod
    def _is_print(url: str) -> bool:
        low = url.lower()
        return any(m in low for m in ("print", "pop_up", "popup", "tmpl=component", "/amp/", "amp=1"))

    def _add_variant(self, key: str, url: str) -> None:
        """Remember ``url`` as a way the site links article ``key`` (print views last)."""
        url = url.split("#", 1)[0]
        seen = self.variants.setdefault(key, [])
        if url in seen:
            return
        if not self._is_print(url):
            at = next((i for i, u in enumerate(seen) if self._is_print(u)), len(seen))
            seen.insert(at, url)
        else:
            seen.append(url)

    def _next_variant(self, key: str) -> str | None:
        tried = self.tried.setdefault(key, set())
        for url in self.variants.get(key, ()):
            if url not in tried:
                return url
        return None

    def _article_request(self, url: str, *, conditional: bool, key: str | None = None,
                         retry_of: Request | None = None) -> Request | None:
        """A request for the article behind ``url``, sent to a URL the site linked it under
        (the first seen, not a print view); its profile key is only its identity."""
        if key is None:
            key = self._key(url)
            self._add_variant(key, url)
            self.found_keys.add(key)
            if key in self.planned or key in self.probing:
                return None
            if not self._budget():
                return None
            self.planned.add(key)
        target = self._next_variant(key) or url
        self.tried.setdefault(key, set()).add(target)
        headers: dict[str, str] = {}
        known = self.known.get(key)
        if conditional and known is not None:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        meta = {"key": key, "handle_httpstatus_list": [304, 404, 410]}
        if retry_of is not None:
            meta["revisit"] = retry_of.meta.get("revisit", False)
        return Request(
            target,
            headers=headers or None,
            callback=self.parse_article,
            errback=self.article_failed,
            meta=meta,
            dont_filter=True,
            priority=10,  # finish articles before walking further listing pages
        )

    def _unknown_article(self, url: str) -> Request | None:
        """A request for an article linked from an article page, unless it is archived
        already (an incremental crawl leaves those to their revisit) or planned."""
        key = self._key(url)
        if key in self.known and not self.full:
            self._add_variant(key, url)
            return None
        return self._article_request(url, conditional=False)

    def _other_variant(self, request: Request) -> Request | None:
        """Another URL the site linked the same article under, not tried yet in this run."""
        key = request.meta.get("key")
        if key is None or self._next_variant(key) is None:
            return None
        return self._article_request(request.url, conditional=False, key=key, retry_of=request)

    # -- listings ------------------------------------------------------------------------

    async def parse_listing(self, response: Response):
        spec: RequestSpec = response.meta["spec"]
        if response.meta.get("start"):
            self.facts["start_answered"] += 1
            pending, self.pending_discovery = self.pending_discovery, []
            for req in pending:
                yield req
        fetch = self._fetch(response)
        content_type = (fetch.content_type or "text/html").lower()
        text = response.text if hasattr(response, "text") else fetch.body.decode("utf-8", "replace")
        html = content_type in _HTML_TYPES
        if self.site.profile == "auto" and self.profile.name == "auto" and html and not self.no_recognition:
            found = recognize(text, response.url)
            if found.name != "auto":
                log.info("%s: looks like %s; using that profile", self.site.key, found.name)
                self.profile = found
                discover = getattr(found, "discovery_requests", None)
                if discover is not None and not self.incremental:  # its own feeds and sitemaps
                    for extra in discover(self.site.base_url):
                        yield self._listing_request(extra, optional=True)
        if (response.meta.get("start_url") and html and self.profile.name != "auto"
                and self.profile.is_article_url(response.url)):
            req = self._article_request(response.url, conditional=False)
            if req is not None:
                yield req
            return
        page = Page(response.url, text, content_type)
        discovery_page = is_discovery(page)
        judged = html and not discovery_page and self.explorer is not None
        read: PageRead | None = None
        if judged and self.profile.name == "auto":
            # judged first: a page that is an article needs no listing rules read on it
            read = await self._read(fetch)
        listing = None
        if read is None or read.verdict is None or read.verdict.kind != "article":
            try:
                # robots.txt, feeds and sitemaps read the same way whatever the platform (and
                # whichever profile asked for them before the CMS was recognized)
                parse = self.profile.parse_discovery if discovery_page else self.profile.parse_listing
                listing = parse(page, spec)
            except (ValueError, ArchiveError) as exc:
                log.warning("%s: cannot read listing %s: %s", self.site.key, response.url, exc)
        articles = list(listing.articles) if listing else []
        following = list(listing.next) if listing else []
        depth = response.meta.get("depth_from_start", 0)
        # Discovery by content: the auto profile always, a CMS profile when its own rules
        # found nothing on an HTML page (a layout it does not know)
        if judged and (self.profile.name == "auto" or not articles):
            if read is None:
                read = await self._read(fetch)
            verdict = self.explorer.observe(read.verdict, response.url, fetch.fetched_at)
            if verdict.kind == "article":
                key = self._key(response.url)
                self._add_variant(key, response.url)
                self.found_keys.add(key)
                if key not in self.planned:
                    self.planned.add(key)
                    self.tried.setdefault(key, set()).add(response.url)
                    self.facts["article_ok"] += 1
                    yield await self._article_item(response, key, fetch, verdict, read)
                plan = self.explorer.plan(verdict, response.url, self.explorer.depth)
                for url in plan.articles:
                    req = self._unknown_article(url)
                    if req is not None:
                        yield req
                return
            plan = self.explorer.plan(verdict, response.url, depth)
            have = {self._key(u) for u in articles}
            for url in plan.articles:
                key = self._key(url)
                if key not in have:
                    have.add(key)
                    articles.append(url)
            following += self._explored_pages(plan, page, spec, response)
            for url in plan.probes:
                ident, key = self._ident(url), self._key(url)
                if ident in self.pages_seen or key in self.planned or key in self.probing:
                    continue
                if not self.explorer.take_probe(url) or not self._budget():
                    continue
                self.pages_seen.add(ident)
                self.probing.add(key)  # an article request for it would fetch it twice
                req = self._listing_request(RequestSpec(url, page=0), optional=True)
                req.meta["depth_from_start"] = depth + 1
                yield req
        self.health["listing_pages"] += 1
        if not articles and not response.meta.get("optional"):
            self.health["empty_listings"] += 1
        yield ListingPage(fetch, len(articles))

        known_run = response.meta.get("known_run", 0)
        for url in articles:
            key = self._key(url)
            self.found_keys.add(key)
            known = self.known.get(key)
            if key in self.planned:
                # planned earlier in this run (a sidebar repeats the newest): known for the
                # stop-after-known rule, and one more URL the site links it under
                self._add_variant(key, url)
                known_run += 1
                if key in self.failed_keys and self._next_variant(key) is not None:
                    # it failed under the URLs seen so far: this page links it differently
                    self.failed_keys.discard(key)
                    self.crawler.stats.inc_value("archive/failed", -1)
                    self.crawler.stats.inc_value("archive/article_failed", -1)
                    retry = self._article_request(url, conditional=False, key=key)
                    if retry is not None:
                        yield retry
                continue
            if known is not None and not self.full:
                self._add_variant(key, url)
                known_run += 1
                continue
            known_run = 0
            # --full asks unconditionally: validators are a hint some servers get wrong
            # (one ETag for ever-changing pages); on a 200 the content hash decides.
            req = self._article_request(url, conditional=known is not None and not self.full)
            if req is not None:
                yield req
        if not listing and not following:
            return
        if self.incremental and articles and known_run >= self.stop_after_known:
            log.debug("%s: %d known articles in a row at %s; stopping this listing",
                      self.site.key, known_run, response.url)
            self.truncated = True
            return
        for nxt in following:
            if nxt.page and nxt.page > self.max_listing_pages:
                log.warning("%s: listing bound ARCHIVE_MAX_LISTING_PAGES=%d reached at %s",
                            self.site.key, self.max_listing_pages, nxt.url)
                self.truncated = True
                self.bound_hit = True
                continue
            if not self._budget():
                return
            # pages reached from an optional request (a feed, a sitemap) stay optional:
            # a stale Sitemap: line answering 404 must not make the run incomplete
            req = self._listing_request(nxt, known_run=known_run,
                                        optional=bool(response.meta.get("optional")))
            req.meta["depth_from_start"] = depth
            yield req

    def _explored_pages(self, plan, page: Page, spec: RequestSpec, response: Response) -> list[RequestSpec]:
        """Listing pages exploration found: the next page of this listing (one, so a chain
        stays a chain and stop-after-known can end it), and WebForms postback pagers."""
        from crawler.discovery.templates import page_number

        current = page_number(response.url) or max(spec.page, 1)
        pager: list[tuple[int, str]] = []
        for url in plan.listings:
            n = page_number(url)
            if n is not None and n > current:
                pager.append((n, url))
        out: list[RequestSpec] = []
        if pager:
            _n, url = min(pager)
            ident = self._ident(url)
            if ident not in self.pages_seen:
                self.pages_seen.add(ident)
                out.append(RequestSpec(url, page=max(spec.page, 1) + 1))
        if self.explorer is not None and plan.verdict.kind == "listing":
            for post in self.explorer.postbacks(page, spec):
                out.append(post)
        return out

    def listing_failed_cb(self, failure):
        request = failure.request
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            self.crawler.stats.inc_value("archive/robots_or_ignored")
            return
        if request.meta.get("start") and failure.check(HttpError) and self.pending_discovery:
            # the server answers, only not this URL: its feeds and sitemaps may still list the site
            self.facts["start_failed"] += 1
            self.listing_failed = True
            self.facts["listing_failed"] += 1
            self.crawler.stats.inc_value("archive/failed")
            self.crawler.stats.inc_value("archive/listing_failed")
            log.warning("%s: start URL %s failed: %s", self.site.key, request.url, failure.getErrorMessage())
            pending, self.pending_discovery = self.pending_discovery, []
            return pending
        if request.meta.get("start"):
            self.facts["start_failed"] += 1
            if (self.facts["start_failed"] >= self.facts["start_requests"]
                    and not self.facts["start_answered"] and not self.facts["article_ok"]):
                # no start URL answered: the site is unreachable; stop now instead of
                # waiting on every feed and sitemap guess to fail the same way
                log.warning("%s: no start URL could be fetched (%s); stopping", self.site.key,
                            failure.getErrorMessage())
                self.facts["listing_failed"] += 1
                self.listing_failed = True
                self.crawler.stats.inc_value("archive/failed")
                self.crawler.stats.inc_value("archive/listing_failed")
                raise CloseSpider("finished")
        if request.meta.get("optional"):
            return
        self.listing_failed = True
        self.facts["listing_failed"] += 1
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
            self.facts["article_ok"] += 1
            yield NotModified(key, response.url, fetch.fetched_at, self._next_check(fetch, None, known))
            return
        if response.status != 200:
            # 404/410 (or another error status let through): another URL the site linked
            # the article under may still serve it
            retry = self._other_variant(response.request)
            if retry is not None:
                yield ListingPage(fetch, 0)  # the failed variant's snapshot, nothing else
                yield retry
                return
            self._article_failure(response.request, f"HTTP {response.status}")
            # a 404/410 of an archived article records it as gone (the store decides)
            yield ArticlePage(fetch, None, key, None, revisit=bool(response.meta.get("revisit")))
            return
        verdict = None
        if self.explorer is not None and self.profile.name == "auto":
            read = await self._read(fetch, key=key)
            verdict = self.explorer.observe(read.verdict, response.url, fetch.fetched_at)
            if verdict.kind != "article":
                # linked like an article, but it is not one (a category, a page): walk it
                self.found_keys.discard(key)
                self.crawler.stats.inc_value("archive/not_an_article")
                yield ListingPage(fetch, 0)
                if verdict.kind == "listing":
                    plan = self.explorer.plan(verdict, response.url, 1)
                    for url in plan.articles:
                        req = self._unknown_article(url)
                        if req is not None:
                            yield req
                return
        else:
            read = await self._read(fetch, judge=False, key=key)
        self.facts["article_ok"] += 1
        yield await self._article_item(response, key, fetch, verdict, read)
        if verdict is not None:
            # an article's own links ("Tin khác", "Tin liên quan") of templates proven to
            # hold articles: older articles its listing pages may not reach
            for url in self.explorer.plan(verdict, response.url, self.explorer.depth).articles:
                req = self._unknown_article(url)
                if req is not None:
                    yield req

    async def _read(self, fetch: Fetch, *, judge: bool = True, key: str | None = None) -> PageRead:
        """The page judged by its content (``judge``) and read the way it was judged, or
        read with the site's profile: in a worker of the crawl's pool when it has any, which
        also computes what the store derives from an article (``key``: its archived
        version's hash tells the worker whether flags are needed)."""
        layout = self.explorer.layout_for(fetch.url) if judge and self.explorer is not None else None
        known = self.known.get(key or self._key(fetch.url))
        job = PageJob(fetch.body, fetch.url, fetch.header("content-type"), fetch.fetched_at,
                      self.profile.name, judge=judge, min_chars=self.archive.min_text_chars,
                      layout=layout, owner=os.getpid(), derive=True,
                      attachments=self.attachments_enabled,
                      current_hash=known.content_hash if known is not None else None)
        if self.pool is None:  # not started (a test driving a callback directly)
            return read_page(job)
        read = await run_in_pool(self.pool, read_page, job)
        if read.verdict is not None and read.verdict.why == PROVEN:
            self.crawler.stats.inc_value("archive/read_by_template")
        return read

    async def _article_item(self, response: Response, key: str, fetch: Fetch, verdict,
                            read: PageRead) -> ArticlePage:
        """An article page's fields (read with the layout its verdict taught, for auto) and
        its attachments: the item the pipeline archives."""
        from dataclasses import replace

        known = self.known.get(key)
        extracted: Extracted | None = read.extracted
        if read.error is not None:
            log.warning("%s: %s: %s", self.site.key, response.url, read.error)
            self.crawler.stats.inc_value("archive/not_html")
        self.health["article_pages"] += 1
        if extracted is not None and verdict is not None and verdict.attachments and not extracted.attachment_links:
            # the files the judged page links beside its main block (their box has no known class)
            extracted = replace(extracted, attachment_links=tuple(dict.fromkeys(verdict.attachments)))
        if extracted is not None and extracted.article_key != key:
            # a redirect or a canonical link named another identity: trust the page
            key = extracted.article_key
        derived = read.derived
        digest = derived.content_hash if derived is not None else None
        if extracted is not None and digest is None:
            digest = content_hash(extracted.title, extracted.published, extracted.text)
        if extracted is not None and self.profile.name == "auto":
            # URL variants with nothing in the URL to tell them apart: the same content is
            # the same article (the first key it was archived under)
            first = self.by_content.setdefault(digest, key)
            if first != key:
                key = first
                extracted = replace(extracted, article_key=first)
            known = self.known.get(key)
        if extracted is not None and extracted.attachment_links and self.attachments_enabled:
            short = len(extracted.text.strip()) < self.archive.min_text_chars  # carried by its files
            if known is None or known.content_hash != digest or self.full or short:
                extracted = await self._with_attachments(extracted)
                if derived is not None and derived.flags is not None:  # they read the files too
                    derived = replace(derived, flags=None, rules_version=None, folded=None)
        chars = len(extracted.text.strip()) if extracted is not None else 0
        if extracted is not None:
            chars += sum(len((a.text or "").strip()) for a in extracted.attachments if a.status == "ok")
        if extracted is None or chars < self.archive.min_text_chars:
            self.health["empty_text"] += 1
        elif extracted.published is None:
            self.health["no_date"] += 1
        return ArticlePage(
            fetch, extracted, key, self._next_check(fetch, extracted, known),
            revisit=bool(response.meta.get("revisit")), derived=derived,
        )

    def _article_failure(self, request: Request, why: str) -> None:
        self.failed_keys.add(request.meta.get("key") or request.url)
        self.crawler.stats.inc_value("archive/failed")
        self.crawler.stats.inc_value("archive/article_failed")
        log.warning("%s: %s failed: %s", self.site.key, request.url, why)

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
                                         "download_timeout": self.attachment_timeout,
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
        message = failure.getErrorMessage()
        if failure.check(IgnoreRequest) and not failure.check(HttpError) and "robots" in message.lower():
            self.crawler.stats.inc_value("archive/robots_or_ignored")
            return None
        # 5xx after the retries, a network error, a redirect off the site: another URL the
        # site linked the article under may still serve it
        retry = self._other_variant(request)
        if retry is not None:
            return retry
        self._article_failure(request, message)
        return None

    # -- the end ---------------------------------------------------------------------------

    def _notify(self, outcome: str, why: str | None) -> None:
        """New flagged articles of this run → the Atom feed (and the webhook, if set); with
        ``ARCHIVE_FEED_HEALTH``, a run that ended empty, unreachable or failed too."""
        from datetime import UTC, datetime
        from pathlib import Path

        from archive.read.feed import default_feed_path, notify_run, notify_unhealthy

        settings = self.crawler.settings
        if not settings.getbool("ARCHIVE_FEED_ENABLED", True):
            return
        path = settings.get("ARCHIVE_FEED_PATH")
        feed = Path(path) if path else default_feed_path(settings.get("ARCHIVE_DATABASE_URL"))
        try:
            notify_run(self.archive, self.run_id, feed_path=feed,
                       webhook_url=settings.get("ARCHIVE_WEBHOOK_URL"))
            if settings.getbool("ARCHIVE_FEED_HEALTH", False) and outcome in UNHEALTHY_OUTCOMES:
                notify_unhealthy({"site": self.site.key, "run_id": self.run_id, "outcome": outcome,
                                  "why": why, "finished_at": datetime.now(UTC).isoformat(timespec="seconds")},
                                 feed_path=feed, webhook_url=settings.get("ARCHIVE_WEBHOOK_URL"))
        except Exception:
            log.exception("%s: notifying flagged articles failed", self.site.key)

    def run_facts(self, reason: str) -> RunFacts:
        stats = self.crawler.stats
        crashed = int(stats.get_value("spider_exceptions/count", 0) or 0)
        if not crashed:
            crashed = sum(int(v or 0) for k, v in stats.get_stats().items()
                          if k.startswith("spider_exceptions/"))
        return RunFacts(
            reason=reason,
            responses=int(stats.get_value("response_received_count", 0)),
            start_answered=self.facts["start_answered"],
            start_requests=self.facts["start_requests"],
            articles_seen=len(self.found_keys),
            article_ok=self.facts["article_ok"],
            article_failed=len(self.failed_keys),
            listing_failed=self.facts["listing_failed"],
            bound_hit=self.bound_hit,
            crashed=crashed,
            expects_listings=bool(self.facts["start_requests"]),
        )

    def closed(self, reason: str) -> None:
        stats = self.crawler.stats
        outcome, why = judge(self.run_facts(reason))
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
                    error=why,
                )
                if self.explorer is not None and self.explorer.knowledge:
                    try:
                        self.archive.save_site_discovery(self.site.key, self.explorer.knowledge.to_json())
                    except Exception:
                        log.exception("%s: saving what discovery learned failed", self.site.key)
                self._notify(outcome, why)
        finally:
            if self.pool is not None:
                self.pool.close()
                self.pool = None
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
