"""WordPress: several provincial SCTs and khuyến công centres (Bắc Ninh and others).

Recognized by ``<meta name="generator" content="WordPress 6.x">`` and its asset
paths (``/wp-content/themes/…``, ``/wp-includes/…``), the REST API link
(``<link rel="https://api.w.org/">``).

URL shapes (the "/%year%/%monthnum%/%postname%/" permalink structure these sites use):

* a post is ``/yyyy/mm/<slug>/``; its identity is the slug (unique among a site's
  posts; WordPress even redirects a wrong year/month to the right permalink). The
  same post is ``/amp/`` or ``?amp=1`` (AMP), ``/print/`` (WP-Print),
  ``?replytocom=N`` (comment replies), ``?share=…``, ``?utm_…`` (widgets). The
  shortlink ``/?p=N`` (post id) answers 301 to the permalink, whose
  ``<link rel="canonical">`` then names the slug;
* listings are the category ``/chuyen-muc/<cat>/`` (or ``/category/<cat>/``), the
  home ``/``, tags ``/tag/x/``, authors ``/author/x/``, dates ``/yyyy/mm/`` — paged as
  ``…/page/N/`` with ``paginate_links`` markup (``a.next.page-numbers``); none of
  them is an article;
* discovery: the RSS 2.0 feed ``/feed/`` (the latest posts) and the core sitemaps
  ``/wp-sitemap.xml`` (an index → ``/wp-sitemap-posts-post-N.xml``; Yoast's
  ``/sitemap_index.xml`` → ``post-sitemap.xml`` has the same shape), read by
  :meth:`WordPressProfile.parse_listing` with the shared :mod:`crawler.profiles.feeds`.

Articles: ``h1.entry-title``, ``time.entry-date.published`` in ``.entry-meta``,
``div.entry-content`` (minus the post-views counter, Jetpack sharing and YARPP
related posts that plugins append to it), a right-aligned closing source paragraph,
attachments in the theme's ``.entry-attachments`` or the content. Some posts mix NFD
and NFC paragraphs; decoding normalizes pages to NFC.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from crawler.profiles.base import Layout, Page, Profile, RequestSpec, same_site, strip_noise

# /yyyy/mm/<slug>/ with an optional AMP or print tail; not /yyyy/mm/dd/ or /yyyy/mm/page/N/.
_PERMALINK = re.compile(
    r"^/((?:19|20)\d\d)/(0[1-9]|1[0-2])/(?!(?:page|feed|amp|print|embed|trackback)(?:/|$))"
    r"(?!\d{1,2}(?:/|$))([^/?#;]+)/?(?:(?:amp|print)/?)?$",
    re.IGNORECASE,
)
_PAGED = re.compile(r"/page/(\d+)/?$")
_POST_SITEMAP = re.compile(r"(?:wp-sitemap-posts-post-\d+|post-sitemap\d*)\.xml", re.IGNORECASE)


class WordPressTheme(Layout):
    """_s / Twenty-* derived themes with Yoast, post-views, Jetpack, YARPP, WP-Print."""

    VERSION = "V1"
    drop = (
        ".skip-link", ".screen-reader-text", ".top-bar", "#masthead", ".site-header",
        ".main-navigation", "#site-navigation", "#breadcrumbs", ".breadcrumbs", "#secondary",
        ".widget-area", "aside.widget", "#colophon", ".site-footer", ".post-views", ".sharedaddy",
        "#jp-relatedposts", ".jp-relatedposts", ".yarpp-related", ".crp_related", ".entry-footer",
        ".post-navigation", ".comments-area", "#comments", ".print-link", ".printfriendly",
        ".pagination", ".addtoany_share_save_container", ".wp-print-link",
    )
    title = ("article h1.entry-title", "h1.entry-title", ".entry-header h1", "h1.post-title")
    dates = (
        "article .entry-meta time.entry-date.published", ".entry-meta time.published",
        "time.entry-date.published", ".entry-meta .posted-on", ".entry-date",
    )
    body = ("article .entry-content", ".entry-content", ".post-content", "article .entry")
    source = (".entry-content > p.has-text-align-right", ".entry-content .nguon-tin")
    attachments = (".entry-attachments", ".entry-content")


class WordPressProfile(Profile):
    name = "wordpress"
    description = "WordPress (/yyyy/mm/slug/ permalinks, /page/N/ paging, RSS feed, wp-sitemap)"
    layouts = (WordPressTheme,)
    generators = ("WordPress",)
    # the loop's own posts first: the sidebars ("Bài viết mới", "Tin đọc nhiều") come later
    listing_scopes = (".site-main .entry-title", "#main article", ".site-main", "#main", "#content", None)
    fingerprints = (
        "/wp-content/themes/", "/wp-includes/", 'rel="https://api.w.org/"', "/wp-json/",
        "wp-embed-responsive",
    )

    # -- URLs ------------------------------------------------------------------------------

    @staticmethod
    def _shortlink_id(parts) -> str | None:
        if parts.path not in ("", "/"):
            return None
        for key, value in parse_qsl(parts.query):
            if key == "p" and value.isdigit():
                return value
        return None

    def is_article_url(self, url: str) -> bool:
        parts = urlsplit(url)
        return bool(_PERMALINK.match(parts.path)) or self._shortlink_id(parts) is not None

    def canonical_url(self, url: str) -> str:
        clean = strip_noise(url)
        parts = urlsplit(clean)
        m = _PERMALINK.match(parts.path)
        if m:
            path = f"/{m.group(1)}/{m.group(2)}/{m.group(3)}/"
            return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
        post_id = self._shortlink_id(parts)
        if post_id is not None:
            return urlunsplit((parts.scheme, parts.netloc, "/", f"p={post_id}", ""))
        return clean

    def article_key(self, url: str) -> str:
        parts = urlsplit(self.canonical_url(url))
        m = _PERMALINK.match(parts.path)
        if m:
            return f"post/{m.group(3).lower()}"
        post_id = self._shortlink_id(parts)
        if post_id is not None:
            return f"p/{post_id}"  # the shortlink: 301 to the permalink, whose key wins
        return super().article_key(url)

    # -- walking ---------------------------------------------------------------------------

    def discovery_requests(self, base_url: str) -> Iterator[RequestSpec]:
        """The RSS feed (latest posts) and the core sitemap index (every post)."""
        base = base_url.rstrip("/")
        yield RequestSpec(base + "/feed/")
        yield RequestSpec(base + "/wp-sitemap.xml")

    def next_pages(self, page: Page, spec: RequestSpec) -> Iterator[RequestSpec]:
        m = _PAGED.search(urlsplit(page.url).path)
        current = int(m.group(1)) if m else 1
        candidates = list(page.links(".nav-links, .pagination, .navigation"))
        for el in page.tree.cssselect("link[rel=next]"):
            if el.get("href"):
                candidates.append((urljoin(page.url, el.get("href")), ""))
        for link, _text in candidates:
            if not same_site(link, page.url) or self.is_article_url(link):
                continue
            n = _PAGED.search(urlsplit(link).path)
            if n and int(n.group(1)) == current + 1:
                yield RequestSpec(strip_noise(link), page=current + 1)
                return

    def keep_sitemap(self, url: str) -> bool:
        """Only the posts sitemaps of an index (not pages, terms, users)."""
        return bool(_POST_SITEMAP.search(urlsplit(url).path))


PROFILE = WordPressProfile()
