"""VHV CMS portals: the Ministry of Industry and Trade (moit.gov.vn) since its redesign.

VHV (a Vietnamese CMS by VHV Corp.) builds every page out of "modules"
(``<div class="vhv-module …" data-module="Content.Listing">``), loads its scripts from
``/3rdparty/…`` and keeps a global ``VHV`` JavaScript object (``window.VHV = …``,
``VHV.Model('Content.Detail')``); that markup recognizes it.

URL shapes:

* articles: ``/tin-tuc/<chuyen-muc>/<slug>-<id>.html`` (other sections such as
  ``/bao-chi-truyen-thong/<slug>-<id>.html`` too). The trailing numeric id is the
  identity: any slug or section with the same id is the same article, as are the
  ``?print=1`` view and tracking parameters. The key is ``vhv/<id>``;
* 2026 articles: ``/tin-tuc/[<chuyen-muc>/]<slug>.html`` with no id (seen on
  moit.gov.vn). Their identity is the path itself, lower-cased and without ``.html``
  (``vhv/tin-tuc/<chuyen-muc>/<slug>``): nothing else names them. A slug needs at least
  :data:`MIN_SLUG_WORDS` words — ``/tin-tuc/<chuyen-muc>.html`` and the 2026
  ``/tin-tuc/<chuyen-muc>`` are section pages — and a slug ending in ``-<number>`` is
  read as an old id (``…-nghi-dinh-so-248.html`` would be ``vhv/248``: the two schemes
  cannot be told apart there);
* the news section ``/tin-tuc`` (``/tin-tuc.html``) renders the first page of its
  listing module only. Its ``?page=N`` links are ignored by the server (every one is
  page 1 again), so they are never followed. The module names its JSON API
  (``data-api="/api/news/list" data-category="12" data-page-size="10"``) and the
  profile pages through that: ``POST`` ``{"categoryId": 12, "page": N, "pageSize": S}``
  → ``{"items": [{"id", "title", "url", "publishedAt", "summary"}], "total": T,
  "page": N}``, page 2 onwards, until the items run out or ``total`` is reached
  (and never past :data:`MAX_API_PAGES`).

Article pages: ``h1.article-title``, a byline ``span.post-date`` ("Thứ 5, 09/07/2026 |
15:19"; weekday "Thứ 2"…"Thứ 7", "CN"), the body in ``div.article-content`` (opening
with a bold lead, ``p.article-sapo``), closed by the source line ``p.article-author``; attachments
under ``.article-attachments``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from crawler.profiles.base import (
    Layout,
    Listing,
    Page,
    Profile,
    RequestSpec,
    same_site,
    strip_noise,
)

#: An article path: a section (optionally a sub-section), a slug and the numeric id.
_ARTICLE = re.compile(
    r"^/(?!upload/|3rdparty/|api/|ajax/|tim-kiem)[a-z0-9-]+/(?:[a-z0-9-]+/)?"
    r"(?:[a-z0-9]+(?:-[a-z0-9]+)*-)?(\d+)\.html$",
    re.IGNORECASE,
)
#: A 2026 article path with no id: a section, an optional category and a slug of at
#: least :data:`MIN_SLUG_WORDS` words (section and category pages have short names, and
#: the 2026 categories no ``.html``); dots stay in the slug ("…-3.980-mw.html").
_SLUG_ARTICLE = re.compile(
    r"^/(?!upload/|3rdparty/|api/|ajax/|tim-kiem)[a-z0-9-]+/(?:[a-z0-9-]+/)?"
    r"(?P<slug>[a-z0-9]+(?:[-.][a-z0-9]+)*)\.html$",
    re.IGNORECASE,
)
MIN_SLUG_WORDS = 6
#: A listing's page as a path (``…/trang-2.html``, ``…/page-2.html``): never an article.
_PAGE_PATH = re.compile(r"/(?:trang|page)-?\d+\.html$", re.IGNORECASE)
#: Listing modules that page through an API say where it is.
_API_MODULE = "[data-api]"
#: A hard bound on API pages, whatever ``total`` says.
MAX_API_PAGES = 2000


class VhvV1(Layout):
    """The moit.gov.vn theme on VHV (2020s): article-detail module, post-date byline."""

    VERSION = "V1"
    drop = (
        "#header", ".vhv-header", ".top-bar", ".current-date", ".hit-counter", ".search-box",
        ".main-menu", "nav", ".banner-top", ".bannerclient", ".breadcrumb", ".view-count",
        ".print-link", ".article-share", ".related-news", ".most-read", ".sidebar",
        "#footer", ".vhv-footer", ".print-header", ".print-footer", ".pagination",
    )
    title = (".article-detail h1.article-title", "h1.article-title", ".article-title")
    dates = (".article-detail .post-date", "span.post-date", ".post-date")
    body = (".article-detail .article-content", "div.article-content", ".article-body")
    source = (".article-content .article-author", ".article-author", ".article-source")
    attachments = (".article-attachments", ".article-content")


class VhvProfile(Profile):
    name = "vhv"
    description = "VHV CMS (moit.gov.vn): <slug>-<id>.html articles, listing paged by a JSON POST API"
    layouts = (VhvV1,)
    generators = ("VHV",)
    fingerprints = ("vhv-module", "window.VHV", "VHV.Model(", "/3rdparty/", 'data-module="Content.')

    def detect(self, html: str, url: str) -> float:
        # "/3rdparty/" or a "-123.html" URL alone is common elsewhere: require VHV's own markers.
        # VHV emits no generator meta; its module markup together with its global JS
        # object is as telling as one.
        head = html[:200_000]
        module = "vhv-module" in head
        script = "window.VHV" in head or "VHV.Model(" in head
        if not (module or script):
            return 0.0
        return min(1.0, super().detect(html, url) + (0.3 if module and script else 0.0))

    # -- URLs ------------------------------------------------------------------------------

    @staticmethod
    def _id(url: str) -> str | None:
        path = urlsplit(url).path
        if _PAGE_PATH.search(path):
            return None
        m = _ARTICLE.match(path)
        return m.group(1) if m else None

    @staticmethod
    def _slug_path(url: str) -> str | None:
        """The lower-cased path (without ``.html``) of a 2026 article URL with no id."""
        path = urlsplit(url).path
        m = _SLUG_ARTICLE.match(path)
        if m is None or _PAGE_PATH.search(path) or len(m["slug"].split("-")) < MIN_SLUG_WORDS:
            return None
        return path[: -len(".html")].lower()

    def _identity(self, url: str) -> str | None:
        ident = self._id(url)
        if ident is not None:  # an id wins: old URLs keep their key
            return f"vhv/{int(ident)}"
        path = self._slug_path(url)
        return f"vhv{path}" if path is not None else None

    def is_article_url(self, url: str) -> bool:
        return self._identity(strip_noise(url)) is not None

    def canonical_url(self, url: str) -> str:
        clean = strip_noise(url)
        if self._identity(clean) is None:
            return clean
        parts = urlsplit(clean)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))

    def article_key(self, url: str) -> str:
        return self._identity(strip_noise(url)) or super().article_key(url)

    # -- walking ---------------------------------------------------------------------------

    # The listing module's own items first: sidebars ("Tin đọc nhiều") would break the
    # newest-first order.
    listing_scopes = (".news-list .news-items", ".news-list", _API_MODULE, None)

    def parse_listing(self, page: Page, spec: RequestSpec) -> Listing:
        if "json" in (page.content_type or "").lower() or spec.json_body is not None:
            return self._parse_api(page, spec)
        return self._parse_html(page, spec)

    def _parse_html(self, page: Page, spec: RequestSpec) -> Listing:
        # The ?page=N links are not followed (the server ignores N).
        articles = self.article_links(page)
        return Listing(articles, tuple(self.next_pages(page, spec)) if articles else ())

    def next_pages(self, page: Page, spec: RequestSpec) -> Iterator[RequestSpec]:
        """The listing module's API, page 2 (the HTML page was page 1)."""
        modules = page.tree.cssselect(_API_MODULE)
        if not modules:
            return
        module = modules[0]
        api = urljoin(page.url, module.get("data-api").strip())
        if not same_site(api, page.url):
            return
        body: dict[str, Any] = {"page": 2}
        category = (module.get("data-category") or "").strip()
        if category:
            body["categoryId"] = int(category) if category.isdigit() else category
        size = (module.get("data-page-size") or "").strip()
        body["pageSize"] = int(size) if size.isdigit() else 10
        yield RequestSpec(api, method="POST", json_body=body, headers=_XHR, page=2)

    def _parse_api(self, page: Page, spec: RequestSpec) -> Listing:
        try:
            data = page.json()
        except ValueError:
            return Listing()
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            return Listing()
        links = [
            urljoin(page.url, item["url"].strip()) for item in items
            if isinstance(item, dict) and isinstance(item.get("url"), str) and item["url"].strip()
        ]
        request = spec.json_body if isinstance(spec.json_body, dict) else {}
        current = _int(request.get("page"), spec.page or 1)
        size = _int(request.get("pageSize") or data.get("pageSize"), len(items) or 10)
        total = _int(data.get("total"), 0)
        answered = _int(data.get("page"), current)
        more = (
            bool(items)
            and answered == current  # an API that ignores "page" would loop
            and (total <= 0 or current * size < total)
            and current < MAX_API_PAGES
        )
        nxt: tuple[RequestSpec, ...] = ()
        if more:
            body = {**request, "page": current + 1}
            nxt = (RequestSpec(spec.url, method="POST", json_body=body, headers=spec.headers, page=current + 1),)
        return Listing(self.keep_articles(links, page.url), nxt)


_XHR = (("X-Requested-With", "XMLHttpRequest"), ("Accept", "application/json"))


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


PROFILE = VhvProfile()
