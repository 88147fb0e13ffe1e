"""Joomla! (1.5 – 3.x): the legacy provincial SCT sites (Phú Thọ and others built
around 2008–2015 by local web firms), often still in windows-1258.

Recognized by ``<meta name="generator" content="Joomla! - Open Source Content
Management">`` (some sites remove it) and by markup: scripts under
``/media/system/js/`` (MooTools, 1.5–2.5) or ``/media/jui/js/`` (jQuery, 3.x),
``option=com_content`` links, ``div.item-page`` / ``div.blog`` / ``items-leading``.

URL shapes. An article is ``index.php?option=com_content&view=article&id=N:slug
&catid=C&Itemid=I``; Joomla finds it by the number N alone, so ``id=N``,
``id=N:any-slug``, any ``catid``/``Itemid``, ``lang=vi``, the print view
(``tmpl=component&print=1&layout=default&page=``), pagebreak pages
(``limitstart``/``showall``), Joomla 1.0's ``task=view&id=N`` and ``/content/view/N/…``
and the SEF paths ``/index.php/<menu>/<C-cat>/N-slug`` or ``/<menu>/N-slug.html`` are
all one article: its identity is ``article/N`` and its canonical URL the plain
``index.php?option=com_content&view=article&id=N`` (which every Joomla serves, SEF
on or off). A SEF path counts as an article when its last segment is ``N-slug``
after a ``C-cat`` segment, or has a slug of four words or more (category aliases
such as ``8-tin-tuc`` are short). Joomla 3.4's "remove IDs" modern router is not
handled. Category blogs page with ``limitstart=10,20,…`` (non-SEF) or ``start=``
(Joomla 3 SEF) in ``<ul class="pagination">`` ("Trang sau", "Cuối"); the next page
is the pagination link with the smallest offset above the current one, so a walk
only moves forward.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.profiles.base import (
    Layout,
    Listing,
    Page,
    Profile,
    RequestSpec,
    same_site,
    strip_noise,
)

_ID = re.compile(r"^(\d+)(?::[^&]*)?$")
_SEF = re.compile(
    r"/(?:(?P<cat>\d+)-[a-z0-9][a-z0-9-]*/)?(?P<id>\d+)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.html?)?$",
    re.IGNORECASE,
)
_LEGACY_SEF = re.compile(r"/content/view/(?P<id>\d+)(?:/|$)")
# Joomla's own directories: never articles, whatever their file names look like.
_SYSTEM = re.compile(
    r"^/(?:[^/]+/)*?(?:images|media|templates|attachments|components|modules|plugins|"
    r"administrator|cache|libraries|language|tmp)/",
    re.IGNORECASE,
)
# Where a category's article list is: blog (Joomla 1.5 table / 2.5+ div) or list layout.
_LIST_SCOPES = (".blog", "table.blog", ".category-list", "table.category")
_OFFSET_PARAMS = ("limitstart", "start")
# Parameters that never change which article a URL shows.


def _query(url: str) -> dict[str, str]:
    return {k.lower(): v for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True)}


def article_id(url: str) -> int | None:
    """The Joomla article number behind ``url``, or None if it is no article URL."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if _SYSTEM.match(path):
        return None
    m = _LEGACY_SEF.search(path)
    if m:
        return int(m.group("id"))
    if path.endswith(("/index.php", "/")):
        q = _query(url)
        if q.get("option") != "com_content":
            return None
        if q.get("view") == "article" or (q.get("task") == "view" and "view" not in q):
            m = _ID.match(q.get("id", ""))
            return int(m.group(1)) if m else None
        return None
    m = _SEF.search(path)
    if m and (m.group("cat") or m.group("slug").count("-") >= 3):
        return int(m.group("id"))
    return None


def _base_path(path: str) -> str:
    """Where the Joomla installation lives ("/" or "/portal/")."""
    if "/index.php" in path:
        return path[: path.index("/index.php") + 1]
    return "/"


class Joomla3(Layout):
    """Joomla 3 ``com_content`` article view (and 1.5/2.5 class names where they differ)."""

    VERSION = "V1"
    drop = (
        "#header", "#menu", "#footer", "#left", "#right", "#date-time", ".moduletable",
        ".bannergroup", ".breadcrumb", ".breadcrumbs", "ul.menu", ".pagination",
        ".pagenav", ".icons", ".icons-actions", ".actions", ".buttonheading", "#pop-print",
        "dl.article-info dd.hits", "dl.article-info dd.createdby", "dl.article-info dd.category-name",
        "dl.article-info dd.parent-category-name", "dl.article-info dt", ".tin-khac",
        ".relateditems", ".items-more", "#vvisit_counter", "#system-message-container",
    )
    title = (
        ".item-page h2[itemprop='headline']", ".item-page .page-header h2",
        ".item-page h1[itemprop='headline']", ".item-page h2", ".contentheading",
    )
    # modified first: the first selector with a published date ends the search
    dates = (
        "dl.article-info dd.modified", "dl.article-info dd.published", "dl.article-info dd.create",
        ".createdate", ".modifydate",
    )
    body = (
        ".item-page div[itemprop='articleBody']", ".item-page", "table.contentpaneopen",
    )
    source = ("div[itemprop='articleBody'] > p[style*='right']:last-child",)
    attachments = (".item-page div[itemprop='articleBody']", ".item-page .attachmentsContainer")


class JoomlaProfile(Profile):
    name = "joomla"
    description = "Joomla! 1.5–3.x (com_content articles by id, limitstart/start paging, windows-1258)"
    layouts = (Joomla3,)
    generators = ("Joomla!",)
    fingerprints = (
        "/media/system/js/", "/media/jui/js/", "option=com_content", 'class="item-page',
        "items-leading", "com_content",
    )

    def is_article_url(self, url: str) -> bool:
        return article_id(url) is not None

    def canonical_url(self, url: str) -> str:
        number = article_id(url)
        if number is None:
            return strip_noise(url)
        parts = urlsplit(strip_noise(url))
        query = urlencode((("option", "com_content"), ("view", "article"), ("id", str(number))))
        return urlunsplit((parts.scheme, parts.netloc, _base_path(parts.path) + "index.php", query, ""))

    def article_key(self, url: str) -> str:
        number = article_id(url)
        return f"article/{number}" if number is not None else super().article_key(url)

    # -- listings --------------------------------------------------------------------------

    # the component's own list, not the "most read" module in a sidebar: the first list
    # markup on the page decides (an empty list stays empty); only a page without any
    # known list markup is read whole
    listing_scopes = (*_LIST_SCOPES, None)
    first_present_scope_decides = True

    @staticmethod
    def _offset(url: str) -> int:
        q = _query(url)
        for name in _OFFSET_PARAMS:
            if q.get(name, "").isdigit():
                return int(q[name])
        return 0

    @staticmethod
    def _listing_identity(url: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        parts = urlsplit(strip_noise(url))
        query = tuple(
            (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in (*_OFFSET_PARAMS, "limit", "itemid")
        )
        return parts.path, query

    def next_pages(self, page: Page, spec: RequestSpec) -> Iterator[RequestSpec]:
        current = self._offset(page.url)
        identity = self._listing_identity(page.url)
        best: tuple[int, str] | None = None
        links = list(page.links(".pagination")) or list(page.links())
        for link, _text in links:
            if not same_site(link, page.url) or self.is_article_url(link):
                continue
            if self._listing_identity(link) != identity:
                continue
            offset = self._offset(link)
            if offset > current and (best is None or offset < best[0]):
                best = (offset, link)
        if best is not None:
            yield RequestSpec(best[1], page=(spec.page or 1) + 1)

    def parse_listing(self, page: Page, spec: RequestSpec) -> Listing:
        articles = self.article_links(page)
        # an empty page (past the end) never leads further
        nxt = tuple(self.next_pages(page, spec)) if articles else ()
        return Listing(articles, nxt)


PROFILE = JoomlaProfile()
