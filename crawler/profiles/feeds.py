"""Feeds, sitemaps and robots.txt: the discovery documents any profile may read.

Pure parsing, no network (like every profile module): a fetched :class:`Page` in,
URLs out. Used by the ``wordpress`` profile (its ``/feed/`` and core sitemaps) and by
``auto`` (whatever feed or sitemap an unknown site has).

* :func:`is_xml` — is this page an XML document (by content type, else by sniffing)?
* :func:`parse_xml` — RSS 2.0 / RSS 1.0 (RDF) / Atom entries in document order;
  a sitemap index's child sitemaps and a urlset's ``<loc>`` URLs, newest
  ``<lastmod>`` first (undated ones after, in document order); bounded.
* :func:`robots_sitemaps` — the ``Sitemap:`` lines of a robots.txt.
* :func:`alternate_feeds` — ``<link rel="alternate" type="application/rss+xml">``
  feeds an HTML page announces.
* :func:`article_links` — the same-site article URLs among them, canonical, deduped.

Malformed documents never raise: they read as nothing (``kind == ""``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.profiles.base import Page

if TYPE_CHECKING:
    from crawler.profiles.base import Profile

XML_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
             "application/rdf+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
#: A sitemap holds at most 50,000 URLs and an index at most 50,000 sitemaps (sitemaps.org);
#: we read fewer: the newest first.
MAX_URLS = 50_000
MAX_SITEMAPS = 50
MAX_ROBOTS_SITEMAPS = 10

_XML_DECL = re.compile(r"""^(<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""", re.IGNORECASE)
_ROOTS = ("<?xml", "<rss", "<urlset", "<sitemapindex", "<feed", "<rdf:rdf", "<rdf")
_ROBOTS_LINE = re.compile(r"^\s*(user-agent|disallow|allow|sitemap|crawl-delay|host)\s*:", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FeedDoc:
    """What an XML discovery document holds."""

    kind: str = ""  # "rss" | "atom" | "sitemapindex" | "urlset" | "" (unreadable or other XML)
    urls: tuple[str, ...] = ()  # entry / <loc> URLs, absolute; a urlset's newest first
    sitemaps: tuple[str, ...] = ()  # a sitemap index's children, absolute, newest first


def media_type(page: Page) -> str:
    return (page.content_type or "").split(";")[0].strip().lower()


def is_xml(page: Page) -> bool:
    """An XML document: an XML content type, or (whatever the server said) XML-looking text."""
    ctype = media_type(page)
    if ctype in XML_TYPES or (ctype.endswith("+xml") and "xhtml" not in ctype):
        return True
    head = page.text.lstrip("\ufeff \t\r\n")[:300].lower()
    return head.startswith(_ROOTS) and "<html" not in head and "<!doctype html" not in head


def looks_like_robots(page: Page) -> bool:
    """A robots.txt: plain text (or a ``/robots.txt`` URL) made of robots directives."""
    ctype = media_type(page)
    if ctype not in ("text/plain", "") and not urlsplit(page.url).path.endswith("/robots.txt"):
        return False
    head = page.text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith("<"):
        return False
    return any(_ROBOTS_LINE.match(line) for line in page.text.splitlines()[:200])


def robots_sitemaps(text: str, base_url: str, *, limit: int = MAX_ROBOTS_SITEMAPS) -> tuple[str, ...]:
    """The ``Sitemap:`` URLs of a robots.txt (any case), absolute, in order, deduped."""
    found: dict[str, None] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if not sep or key.strip().lower() != "sitemap":
            continue
        value = value.split("#", 1)[0].strip()
        if value:
            found.setdefault(urljoin(base_url, value))
        if len(found) >= limit:
            break
    return tuple(found)


def alternate_feeds(page: Page, *, limit: int = 3) -> tuple[str, ...]:
    """RSS/Atom feeds the page announces in ``<link rel="alternate">`` (comment feeds skipped)."""
    found: dict[str, None] = {}
    try:
        links = page.tree.iter("link")
    except (ValueError, etree.LxmlError):
        return ()
    for el in links:
        rel = (el.get("rel") or "").lower().split()
        kind = (el.get("type") or "").split(";")[0].strip().lower()
        href = (el.get("href") or "").strip()
        if "alternate" not in rel or kind not in FEED_TYPES or not href:
            continue
        url = urljoin(page.url, href)
        if "comment" in urlsplit(url).path.lower() or "comment" in (el.get("title") or "").lower():
            continue
        found.setdefault(url)
        if len(found) >= limit:
            break
    return tuple(found)


def lastmod(value: str) -> datetime | None:
    """A W3C datetime (``2024-05-01``, ``2024-05-01T10:00:00+07:00``, ``…Z``), aware; None if not one."""
    value = value.strip()
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _newest_first(entries: list[tuple[datetime | None, int, str]]) -> list[str]:
    entries.sort(key=lambda e: (e[0] is None, -(e[0].timestamp() if e[0] else 0), e[1]))
    return [u for _, _, u in entries]


def parse_xml(text: str, url: str, *, max_urls: int = MAX_URLS,
              max_sitemaps: int = MAX_SITEMAPS) -> FeedDoc:
    """Read an RSS/Atom feed or a sitemap (index or urlset). Never raises on bad input."""
    data = text.lstrip("\ufeff \t\r\n")
    if not data:
        return FeedDoc()
    # the text is already decoded: its declaration must not make lxml decode it again
    data = _XML_DECL.sub(r"\1", data, count=1)
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return FeedDoc()
    if root is None or not isinstance(root.tag, str):
        return FeedDoc()
    kind = etree.QName(root).localname.lower()

    def texts(xpath: str, el=root) -> list[str]:
        return [t.strip() for t in el.xpath(xpath) if isinstance(t, str) and t.strip()]

    if kind in ("rss", "rdf"):
        found: list[str] = []
        for item in root.xpath("//*[local-name()='item']"):
            link = texts("*[local-name()='link']/text()", item)
            if not link:  # RSS 2.0: a guid is a permalink unless it says otherwise
                link = [g.text.strip() for g in item.xpath("*[local-name()='guid']")
                        if g.text and g.text.strip().startswith(("http://", "https://", "/"))
                        and (g.get("isPermaLink") or "true").lower() != "false"]
            if link:
                found.append(urljoin(url, link[0]))
            if len(found) >= max_urls:
                break
        return FeedDoc("rss", tuple(found))
    if kind == "feed":  # Atom
        found = []
        for entry in root.xpath("//*[local-name()='entry']"):
            hrefs = entry.xpath("*[local-name()='link'][not(@rel) or @rel='alternate']/@href")
            if hrefs and str(hrefs[0]).strip():
                found.append(urljoin(url, str(hrefs[0]).strip()))
            if len(found) >= max_urls:
                break
        return FeedDoc("atom", tuple(found))
    if kind in ("sitemapindex", "urlset"):
        child = "sitemap" if kind == "sitemapindex" else "url"
        entries: list[tuple[datetime | None, int, str]] = []
        for i, el in enumerate(root.xpath(f"*[local-name()='{child}']")):
            loc = texts("*[local-name()='loc']/text()", el)
            if not loc:
                continue
            mod = texts("*[local-name()='lastmod']/text()", el)
            entries.append((lastmod(mod[0]) if mod else None, i, urljoin(url, loc[0])))
            if len(entries) >= MAX_URLS:
                break
        urls = list(dict.fromkeys(_newest_first(entries)))
        if kind == "sitemapindex":
            return FeedDoc(kind, sitemaps=tuple(urls[:max_sitemaps]))
        return FeedDoc(kind, tuple(urls[:max_urls]))
    return FeedDoc()


def article_links(urls: Iterable[str], page_url: str, profile: Profile) -> tuple[str, ...]:
    """The same-site article URLs among ``urls``, canonical, deduped, order kept."""
    return profile.keep_articles((urljoin(page_url, link) for link in urls), page_url)
