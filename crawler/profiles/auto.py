"""``auto``: any site, given only a URL — generic rules, trafilatura and htmldate.

Used for unregistered sites whose CMS is not recognized (``detect`` is a constant
0.05: any real profile that recognizes the page wins).

Walking a site:

* **discovery** (:meth:`AutoProfile.discovery_requests`, read on every crawl): the
  site's ``/robots.txt`` (its ``Sitemap:`` lines, any case, become sitemap requests),
  ``/sitemap.xml`` and a few usual feed paths (``/feed/``, ``/rss``, ``/rss.xml``).
  404s there are expected and harmless (the spider makes them optional);
* **XML** (told by content type, else by sniffing the text): RSS 2.0 / RSS 1.0 /
  Atom entries; a sitemap index's child sitemaps (newest ``lastmod`` first, bounded;
  taxonomy and author sitemaps skipped); a urlset's URLs, newest ``lastmod`` first —
  all parsed by :mod:`crawler.profiles.feeds`, shared with ``wordpress``;
* **HTML listings**: article links are told from listing links by their shape (a
  long slug, an ``.html``/``.aspx`` page with an id, a dated path; not a pager, a
  category id such as ``/ctitle/<n>``, or a NukeViet ``/vi/news/<category>/``); the feeds the
  page announces (``<link rel="alternate" type="application/rss+xml">``) are read
  from the first page of a chain; the next page is ``rel="next"``, else a link
  labelled "Trang sau" / "Tiếp" / "»" / "Next", else the link to page N+1 of the
  same listing (``?page=N+1``, ``/page/N+1/``, ``/trang-N+1``) — one per page, so
  a chain is bounded by the spider's ``ARCHIVE_MAX_LISTING_PAGES``.

Every URL found goes through :meth:`AutoProfile.is_article_url` and must be on the
same site. Dates still go through the day-first Vietnamese logic before htmldate
(see :mod:`crawler.extraction`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree

from crawler.profiles import feeds
from crawler.profiles.base import (
    URL_CACHE_SIZE,
    Layout,
    Listing,
    Page,
    Profile,
    RequestSpec,
    is_discovery,
    same_site,
    strip_noise,
)

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+){3,}")
#: An id in the query, or a last segment that is (or ends in) a number of 3+ digits, bare
#: or after one letter (``…/n421.html``, Hà Tĩnh).
_ID_PAGE = re.compile(
    r"(?:[?&](?:id|ID|newsid|NewsID|itemid|p)=\d+)|(?:(?:[-/_]|/[a-z])\d{3,}(?:\.html?|\.aspx)?$)"
)
_NOT_ARTICLE = re.compile(
    r"/(?:tag|tags|category|chuyen-muc|danh-muc|search|tim-kiem|lien-he|contact|login|dang-nhap|"
    r"rss|feed|sitemap)(?:/|$|\?)",
    re.IGNORECASE,
)
#: ``page``/``trang`` as a pager (``/page/2/``, ``/trang/3``, a bare ``/trang``), not as the
#: route prefix of a whole site (``/trang/TinTuc/<cat>/<id>/<slug>.html``, Kiên Giang).
_PAGER_SEGMENT = re.compile(r"/(?:page|trang)(?:/\d+(?:/|$)|/?$)", re.IGNORECASE)
#: A category's id ending the path (``/Chuyen-muc-tin/ctitle/170``, Phú Thọ) — a list,
#: unless the path also names a detail view (``…/Chi-tiet-tin/title/1653/ctitle/151``).
_CATEGORY_ID = re.compile(r"/(?:ctitle|cat|catid|cid|category_?id|chuyenmuc)/\d+/?$", re.IGNORECASE)
_DETAIL = re.compile(r"/(?:chi-?tiet[^/]*|detail[^/]*|title/\d+)(?:/|$)", re.IGNORECASE)
#: NukeViet's news module (``/vi/news/…``): articles end in ``.html``
#: (``/vi/news/<cat>/<slug>-<id>.html``); without it, a category, topic, tag or a page of one.
_NUKEVIET_LIST = re.compile(r"^/[a-z]{2}/news(?:/[^/.]+)*/?$", re.IGNORECASE)

#: Feed paths tried on every site (bounded: a few guesses, 404s are fine).
FEED_PATHS = ("/feed/", "/rss", "/rss.xml")
SITEMAP_PATHS = ("/sitemap.xml",)
#: Query parameters that number listing pages (not offsets like Joomla's ``start``).
_PAGE_PARAMS = frozenset({"page", "trang", "paged", "pageindex", "pagenumber", "pagenum", "pg",
                          "currentpage", "page_no", "pageno"})
#: Offsets (Joomla's ``limitstart``): not page numbers, but not part of the listing's identity.
_OFFSET_PARAMS = frozenset({"start", "limitstart", "offset", "from"})
_PAGE_PATH = re.compile(r"/(?:page|trang)[/-](\d+)(?:/|\.html?|\.aspx)?$", re.IGNORECASE)
_NEXT_LABELS = frozenset({
    "trang sau", "trang tiếp", "trang tiếp theo", "tiếp", "tiếp theo", "sau", "next", "next page",
    "»", "›", ">",
})
_ARROWS = "»›>→ \u00a0"
#: Child sitemaps of an index that list no articles (terms, people).
_TAXONOMY_SITEMAP = re.compile(
    r"(?:taxonom|categor|(?:^|[-_])tags?(?:[-_.\d]|$)|(?:^|[-_])users?(?:[-_.\d]|$)|author)", re.IGNORECASE
)
_FEED_LINK = re.compile(r"(?:\.rss|/rss(?:\.xml)?/?|/feeds?/?|\.atom|/atom\.xml)$", re.IGNORECASE)
MAX_FEEDS_FROM_PAGE = 3
MAX_FEEDS_FROM_DIRECTORY = 20


class GenericLayout(Layout):
    VERSION = "V1"
    drop = (
        "header", "#header", ".header", "nav", "#nav", ".nav", ".navbar", ".menu", "#menu",
        "footer", "#footer", ".footer", "aside", ".sidebar", "#sidebar", ".breadcrumb",
        ".share", ".social", ".comments", "#comments", ".comment", ".related", ".tin-lien-quan",
        ".banner", ".ads", ".advertisement", ".pagination", ".view-count", ".luot-xem",
        # widely used share / related-posts / view-counter plugins (WordPress and others)
        ".sharedaddy", "#jp-relatedposts", ".jp-relatedposts", ".yarpp-related", ".crp_related",
        ".addtoany_share_save_container", ".post-views", ".screen-reader-text",
    )
    title = ("h1.entry-title", "h1.article-title", "h1.title", ".article-title", "article h1")
    dates = (
        ".post-date", ".entry-date", ".article-date", ".news-date", ".date-post", ".ngay-dang",
        ".publish-date", ".published",
    )
    body = (
        ".entry-content", ".article-content", ".article-body", ".news-content", ".post-content",
        ".noi-dung", ".content-detail", "article",
    )
    source = (".news-source", ".nguon-tin", ".article-source")
    #: Attachment boxes beside the body, and the body itself (no match: the body found).
    attachments = (
        ".entry-attachments", ".attachments", ".file-attachments", ".tep-dinh-kem", ".file-dinh-kem",
        ".van-ban-dinh-kem", ".dinh-kem", ".entry-content", ".article-content", ".article-body",
        ".news-content", ".post-content", ".noi-dung", ".content-detail",
    )


@lru_cache(maxsize=URL_CACHE_SIZE)
def _paging(url: str) -> tuple[str, int | None]:
    """(the listing's URL without its page number or offset, the page number or None)."""
    parts = urlsplit(strip_noise(url))
    number: int | None = None
    rest: list[tuple[str, str]] = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if number is None and key.lower() in _PAGE_PARAMS and value.isdigit():
            number = int(value)
            continue
        if key.lower() not in _OFFSET_PARAMS:
            rest.append((key, value))
    path = parts.path
    if number is None:
        m = _PAGE_PATH.search(path)
        if m:
            number, path = int(m.group(1)), path[: m.start()]
    path = path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(rest), "")), number


def _return_params(url: str) -> tuple[str, ...]:
    out = []
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if value.startswith(("http://", "https://", "/")) or "redirect" in key.lower() or \
                key.lower() in ("returnurl", "return", "returnto", "back", "source", "inheritredirect"):
            out.append(key)
    return tuple(out)


@lru_cache(maxsize=URL_CACHE_SIZE)
def _canonical(url: str) -> str:
    return strip_noise(url, drop=_return_params(url))


@lru_cache(maxsize=URL_CACHE_SIZE)
def _is_article_url(url: str) -> bool:
    parts = urlsplit(url)
    path = parts.path.lower()
    if _NOT_ARTICLE.search(path) or path.endswith((".pdf", ".doc", ".docx", ".jpg", ".png")):
        return False
    if _PAGER_SEGMENT.search(path) or _NUKEVIET_LIST.match(path):
        return False
    if _CATEGORY_ID.search(path) and not _DETAIL.search(path):
        return False
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return bool(_SLUG.search(last) or _ID_PAGE.search(path + ("?" + parts.query if parts.query else "")))


def _label(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def _is_next_label(text: str) -> bool:
    label = _label(text)
    if not label:
        return False
    return label in _NEXT_LABELS or label.strip(_ARROWS) in _NEXT_LABELS


class AutoProfile(Profile):
    name = "auto"
    description = "Any site: generic rules, RSS/sitemap discovery, trafilatura + htmldate"
    layouts = (GenericLayout,)

    def detect(self, html: str, url: str) -> float:
        return 0.05

    def canonical_url(self, url: str) -> str:
        """Noise removed, and query values that are URLs or paths (``redirect=``,
        ``returnurl=``, ``_…_redirect=``: where the link was clicked, never which page)."""
        return _canonical(url)

    def is_article_url(self, url: str) -> bool:
        return _is_article_url(url)

    # -- discovery ---------------------------------------------------------------------------


    def discovery_requests(self, base_url: str) -> Iterator[RequestSpec]:
        """robots.txt (for its ``Sitemap:`` lines), ``/sitemap.xml`` and a few feed paths."""
        parts = urlsplit(base_url)
        root = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        yield RequestSpec(root + "/robots.txt")
        for path in SITEMAP_PATHS + FEED_PATHS:
            yield RequestSpec(root + path)

    # -- listings ----------------------------------------------------------------------------

    def parse_listing(self, page: Page, spec: RequestSpec) -> Listing:
        """Dispatch on what the page is: robots.txt, a feed or sitemap, JSON, or HTML."""
        if is_discovery(page):
            return self.parse_discovery(page, spec)
        ctype = feeds.media_type(page)
        head = page.text.lstrip("\ufeff \t\r\n")[:1]
        if ctype.endswith("json") or head in ("{", "[") or (ctype == "text/plain" and head != "<"):
            return Listing()
        return self._parse_html(page, spec)

    def keep_sitemap(self, url: str) -> bool:
        """Not the sitemaps of terms and people: they list no articles."""
        return not _TAXONOMY_SITEMAP.search(urlsplit(url).path.rsplit("/", 1)[-1])

    def _parse_html(self, page: Page, spec: RequestSpec) -> Listing:
        if not page.text.strip():
            return Listing()
        try:
            links = list(page.links())
        except (ValueError, TypeError, etree.LxmlError):  # not a document lxml can read
            return Listing()
        articles = feeds.article_links((u for u, _ in links), page.url, self)
        nxt: dict[str, RequestSpec] = {}
        if spec.page <= 1:  # the first page of a chain (or a discovery page) names its feeds
            for url in feeds.alternate_feeds(page, limit=MAX_FEEDS_FROM_PAGE):
                if same_site(url, page.url):
                    nxt.setdefault(url, RequestSpec(url, page=1))
        if spec.page == 0 and re.search(r"rss|feed", urlsplit(page.url).path, re.IGNORECASE):
            # an "RSS" directory page (common on portals): one feed per section
            found = 0
            for url, _text in links:
                if found >= MAX_FEEDS_FROM_DIRECTORY:
                    break
                if same_site(url, page.url) and _FEED_LINK.search(urlsplit(url).path):
                    if url not in nxt:
                        nxt[url] = RequestSpec(url, page=1)
                        found += 1
        for spec_next in self.next_pages(page, spec):
            nxt.setdefault(spec_next.url, spec_next)
        return Listing(articles, tuple(nxt.values()))

    def next_pages(self, page: Page, spec: RequestSpec) -> Iterator[RequestSpec]:
        """The next page of this listing: rel=next, a "Trang sau"/"Tiếp"/"»" link, or page N+1."""
        here = strip_noise(page.url)
        base, number = _paging(page.url)
        current = number or max(spec.page, 1)

        def acceptable(url: str) -> bool:
            if not same_site(url, page.url) or strip_noise(url) == here or self.attachment_url(url):
                return False
            other_base, n = _paging(url)
            if other_base != base and self.is_article_url(url):
                return False  # "Tiếp" to the next article, not the next page
            return n is None or n > current

        rel_next: list[str] = []
        labelled: list[str] = []
        numbered: list[str] = []
        for el in page.tree.iter("link", "a"):
            href = (el.get("href") or "").strip()
            if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
                continue
            url = urljoin(page.url, href)
            if "next" in (el.get("rel") or "").lower().split():
                rel_next.append(url)
                continue
            if el.tag != "a":
                continue
            if any(_is_next_label(t) for t in (el.text_content(), el.get("title") or "",
                                               el.get("aria-label") or "")):
                labelled.append(url)
                continue
            other_base, n = _paging(url)
            if n == current + 1 and other_base == base:
                numbered.append(url)
        for url in rel_next + labelled + numbered:
            if acceptable(url):
                yield RequestSpec(strip_noise(url), page=current + 1)
                return


PROFILE = AutoProfile()
