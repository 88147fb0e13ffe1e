"""What a CMS profile is: the unit of reuse across many sites.

A profile describes one CMS platform (Liferay, VHV, SharePoint…): how to recognize
it, how to walk its listings, which URL variants are one article, and how to read
an article page (title, dates, body, source line, attachments, boilerplate).

Profiles are versioned like Fundus parsers: a :class:`Profile` holds an ordered list
of :class:`Layout` classes, each valid until the day before a redesign, and the
layout used for a snapshot is chosen by the snapshot's fetch date — so old stored
HTML re-extracts with the layout of its day. Selector-only changes subclass the
previous layout.

Profiles never touch the network or the database: listings come in as
:class:`Page` values and pagination goes out as :class:`RequestSpec` values that
the spider turns into Scrapy requests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, ClassVar, Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html

ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".rtf", ".ppt", ".pptx")

# Query parameters that never identify content: tracking, sessions, print/sort views.
NOISE_PARAMS = frozenset(
    {
        "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "fbclid",
        "gclid", "jsessionid", "phpsessid", "sid", "sessionid", "aspsessionid",
        "print", "tmpl", "viewmode", "view_mode", "printable", "sort", "order", "orderby",
        "replytocom", "share", "ref", "from", "_afrloop", "_afrwindowmode", "_adf.ctrl-state",
        "amp", "output",
    }
)
_SESSION_IN_PATH = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched page handed to a profile: its URL, decoded text and parsed tree."""

    url: str
    text: str
    content_type: str = "text/html"
    _tree: list[Any] = field(default_factory=list, repr=False, compare=False)

    @property
    def tree(self) -> Any:
        """The lxml document, parsed on first use (JSON pages have none)."""
        if not self._tree:
            self._tree.append(lxml_html.document_fromstring(self.text or "<html></html>"))
        return self._tree[0]

    def json(self) -> Any:
        import json

        return json.loads(self.text)

    def links(self, scope: str | None = None) -> Iterator[tuple[str, str]]:
        """(absolute URL, anchor text) of every <a href> (within ``scope`` if given)."""
        roots = self.tree.cssselect(scope) if scope else [self.tree]
        for root in roots:
            for a in root.iter("a"):
                href = (a.get("href") or "").strip()
                if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
                    continue
                yield urljoin(self.url, href), " ".join(a.text_content().split())


@dataclass(frozen=True, slots=True)
class RequestSpec:
    """A request a profile asks the spider to make (a next listing page, an API call)."""

    url: str
    method: Literal["GET", "POST"] = "GET"
    formdata: tuple[tuple[str, str], ...] | None = None  # form POST (WebForms postback)
    json_body: Any = None  # JSON POST (listing APIs)
    headers: tuple[tuple[str, str], ...] = ()
    page: int = 0  # listing page number, for bounding and progress


@dataclass(frozen=True, slots=True)
class Listing:
    """What a listing page yielded: article URLs (newest first) and next pages."""

    articles: tuple[str, ...] = ()
    next: tuple[RequestSpec, ...] = ()


#: How many URLs the pure URL functions below remember (a crawl meets the same sidebar,
#: menu and pager links on every page; a long-lived process stays bounded).
URL_CACHE_SIZE = 16384


def strip_noise(url: str, *, keep: Iterable[str] = (), drop: Iterable[str] = ()) -> str:
    """The URL without fragment, session ids and noise parameters (query kept sorted)."""
    return _strip_noise(url, tuple(keep), tuple(drop))


@lru_cache(maxsize=URL_CACHE_SIZE)
def _strip_noise(url: str, keep: tuple[str, ...], drop: tuple[str, ...]) -> str:
    url = _SESSION_IN_PATH.sub("", url)
    parts = urlsplit(url)
    keep_set = {k.lower() for k in keep}
    drop_set = NOISE_PARAMS | {d.lower() for d in drop}
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() in keep_set or (k.lower() not in drop_set and not k.lower().startswith("utm_"))
    ]
    query.sort()
    netloc = parts.netloc.lower()
    if parts.scheme == "http" and netloc.endswith(":80"):
        netloc = netloc[:-3]
    elif parts.scheme == "https" and netloc.endswith(":443"):
        netloc = netloc[:-4]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def _looks_printable(url: str) -> bool:
    low = url.lower()
    return any(m in low for m in ("print", "pop_up", "popup", "tmpl=component", "/amp/", "amp=1"))


def is_discovery(page: Page) -> bool:
    """A robots.txt, feed or sitemap rather than an HTML page."""
    from crawler.profiles import feeds

    return feeds.looks_like_robots(page) or feeds.is_xml(page)


def same_site(url: str, base: str) -> bool:
    return _bare_host(url) == _bare_host(base)


@lru_cache(maxsize=URL_CACHE_SIZE)
def _bare_host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


class Layout:
    """How one version of a CMS's page layout reads. Subclass per platform and per redesign."""

    #: e.g. "V1"; the profile's name is prefixed when recorded ("liferay6.V1").
    VERSION: ClassVar[str] = "V1"
    #: The last day this layout was in use (None: still current).
    VALID_UNTIL: ClassVar[date | None] = None

    #: Elements that are never content: skip links, header widgets, menus, counters, sidebars.
    drop: ClassVar[tuple[str, ...]] = ()
    #: Article heading, first match wins.
    title: ClassVar[tuple[str, ...]] = ()
    #: Byline elements carrying the published / updated date (label decides which).
    dates: ClassVar[tuple[str, ...]] = ()
    #: The article body, first match wins.
    body: ClassVar[tuple[str, ...]] = ()
    #: A source or author line ("Nguồn tin: …"), kept out of the text.
    source: ClassVar[tuple[str, ...]] = ()
    #: Where attachment links are (None: anywhere in the body and after it).
    attachments: ClassVar[tuple[str, ...]] = ()
    #: Suffixes of <title> to strip when falling back to it (" - Sở Công Thương …").
    title_separators: ClassVar[tuple[str, ...]] = (" - ", " | ", " – ", " :: ")


class Profile:
    """A CMS platform. Subclasses set ``name``, ``layouts`` and override the URL rules."""

    name: ClassVar[str] = ""
    #: Short description for `sct-archive sites` and docs.
    description: ClassVar[str] = ""
    #: Layout classes, oldest first.
    layouts: ClassVar[tuple[type[Layout], ...]] = (Layout,)
    #: Fragments of <meta name="generator"> that identify the platform.
    generators: ClassVar[tuple[str, ...]] = ()
    #: Markup / script fragments that identify it (searched in the raw HTML).
    fingerprints: ClassVar[tuple[str, ...]] = ()
    #: URL patterns of its article pages (what the default :meth:`is_article_url` checks;
    #: profiles with their own rule override that instead).
    article_patterns: ClassVar[tuple[re.Pattern[str], ...]] = ()

    def layout(self, when: date | None = None) -> Layout:
        """The layout in use on ``when`` (the snapshot's fetch date; None: the current one)."""
        if when is not None:
            for layout in self.layouts:
                if layout.VALID_UNTIL is None or when <= layout.VALID_UNTIL:
                    return layout()
        return self.layouts[-1]()

    def layout_name(self, layout: Layout) -> str:
        return f"{self.name}.{layout.VERSION}"

    # -- recognizing the platform --------------------------------------------------------

    def detect(self, html: str, url: str) -> float:
        """How sure we are that this page is served by this CMS (0..1)."""
        score = 0.0
        head = html[:200_000]
        generator = re.search(
            r"""<meta[^>]+name=["']generator["'][^>]*content=["']([^"']+)""", head, re.IGNORECASE
        ) or re.search(
            r"""<meta[^>]+content=["']([^"']+)["'][^>]*name=["']generator["']""", head, re.IGNORECASE
        )
        if generator and any(g.lower() in generator.group(1).lower() for g in self.generators):
            score += 0.6
        hits = sum(1 for fp in self.fingerprints if fp in head)
        score += min(0.3, 0.1 * hits)
        if self.is_article_url(url):
            score += 0.2
        return min(score, 1.0)

    # -- URLs ------------------------------------------------------------------------------

    def is_article_url(self, url: str) -> bool:
        return any(p.search(url) for p in self.article_patterns)

    def canonical_url(self, url: str) -> str:
        """One URL per article: noise parameters, print views and sessions removed."""
        return strip_noise(url)

    def article_key(self, url: str) -> str:
        """The stable identity of the article behind ``url`` within its site."""
        parts = urlsplit(self.canonical_url(url))
        return parts.path + (f"?{parts.query}" if parts.query else "")

    # -- walking a site -------------------------------------------------------------------

    def start_requests(self, start_urls: Iterable[str]) -> Iterator[RequestSpec]:
        for url in start_urls:
            yield RequestSpec(url, page=1)

    #: Where a listing page's own article list is, most specific first; the first scope
    #: that yields article links wins (None: the whole page). Sidebars ("most read")
    #: link other articles and would break the newest-first order.
    listing_scopes: ClassVar[tuple[str | None, ...]] = (None,)
    #: When True, the first of :attr:`listing_scopes` that is *present* on the page decides,
    #: even if it yields no article link: an empty listing (past the last page) stays
    #: empty instead of falling back to a sidebar. (None, the whole page, is always present.)
    first_present_scope_decides: ClassVar[bool] = False

    def listing_scope(self, page: Page) -> str | None:
        """The first of :attr:`listing_scopes` present on the page (None: the whole page)."""
        return next((s for s in self.listing_scopes if s is None or page.tree.cssselect(s)), None)

    def keep_articles(self, urls: Iterable[str], base_url: str) -> tuple[str, ...]:
        """The same-site (as ``base_url``) article URLs among the absolute ``urls``, as the
        page links them (one per article — the first seen, a print view only when nothing
        else links it), order kept. Their :meth:`canonical_url` is the article's identity,
        never what is requested: sites do not always serve it."""
        seen: dict[str, str] = {}
        for link in urls:
            if same_site(link, base_url) and self.is_article_url(link):
                link = link.split("#", 1)[0]
                key = self.canonical_url(link)
                if key not in seen or (_looks_printable(seen[key]) and not _looks_printable(link)):
                    seen[key] = link
        return tuple(seen.values())

    def article_links(self, page: Page) -> tuple[str, ...]:
        """The article URLs of the page's own list as linked (one per article), in page order."""
        if self.first_present_scope_decides:
            scope = self.listing_scope(page)
            return self.keep_articles((link for link, _text in page.links(scope)), page.url)
        for scope in self.listing_scopes:
            found = self.keep_articles((link for link, _text in page.links(scope)), page.url)
            if found:
                return found
        return ()

    def parse_listing(self, page: Page, spec: RequestSpec) -> Listing:
        """Article links (newest first) and next listing pages found on a listing page."""
        if is_discovery(page):
            return self.parse_discovery(page, spec)
        return Listing(self.article_links(page), tuple(self.next_pages(page, spec)))

    # -- feeds, sitemaps, robots.txt (the same for every platform) -------------------------

    def keep_sitemap(self, url: str) -> bool:
        """Whether to follow this child of a sitemap index (default: all of them)."""
        return True

    def parse_discovery(self, page: Page, spec: RequestSpec) -> Listing:
        """A robots.txt (its ``Sitemap:`` lines), an RSS/Atom feed or a sitemap: the
        same-site article links it lists, newest first, and the sitemaps to read next."""
        from crawler.profiles import feeds

        following = max(spec.page, 0) + 1
        if feeds.looks_like_robots(page):
            maps = [u for u in feeds.robots_sitemaps(page.text, page.url) if same_site(u, page.url)]
            return Listing((), tuple(RequestSpec(u, page=following) for u in maps))
        doc = feeds.parse_xml(page.text, page.url)
        children = [u for u in doc.sitemaps if same_site(u, page.url) and self.keep_sitemap(u)]
        return Listing(
            feeds.article_links(doc.urls, page.url, self),
            tuple(RequestSpec(u, page=following) for u in children[: feeds.MAX_SITEMAPS]),
        )

    def next_pages(self, page: Page, spec: RequestSpec) -> Iterator[RequestSpec]:
        return iter(())

    def attachment_url(self, url: str) -> bool:
        path = urlsplit(url).path.lower()
        return path.endswith(ATTACHMENT_EXTENSIONS)
