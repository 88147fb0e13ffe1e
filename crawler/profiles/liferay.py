"""Liferay 6.x portals: the seed site (sct.binhduong.gov.vn), Ho Chi Minh City's
department and the Ministry's older site.

Recognized by Liferay's Vietnamese skip link "Truy cập nội dung luôn", the
``Liferay.ThemeDisplay`` script and portlet markup. Articles are asset-publisher
entries, ``/web/guest/<page>/-/asset_publisher/<instance>/content/<url-title>``,
reached from several pages (each with its own portlet instance), with ``redirect=``,
``p_p_id``/``p_p_lifecycle``/``_cur``/``delta`` parameters, ``;jsessionid=`` and
``viewMode=print`` — all one article, whose identity is its url-title (unique
within a Liferay site). Provincial portals also publish through custom portlets,
read by the id they carry (the slug after it is decoration):

* ``/news/-/details/<id>/<slug>`` (Bắc Ninh's multi-site portal): ``details/<id>``;
* ``/<page>/-/view-article/<n>/<group>/<article>`` (Quảng Trị, Quảng Bình; with or
  without a ``/vi/`` prefix): the article id, a creation timestamp, is
  ``view-article/<article>`` whichever group (category) lists it;
* ``/-/<portlet>/extAssetPublisher/content/<id>/<slug>.html`` (Bà Rịa – Vũng Tàu's
  extended asset publisher): ``extassetpublisher/<id>``.

Listings page through ``_<portlet>_cur=N`` of the portlet
that lists the articles: a page may hold several paged asset publishers (a
"Thông báo" box in the column before the news list), whose pagers are not followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from crawler.profiles.base import Layout, Page, Profile, RequestSpec, same_site, strip_noise

#: ``…/content/<url-title>``, or Liferay 7's ``…/content/id/<entry id>`` (one key per id).
_ARTICLE = re.compile(r"/-/asset_publisher/[^/?#;]+/content/(id/\d+|[^/?#;]+)")
_JOURNAL = re.compile(r"/-/journal_content/[^/?#;]+/\d+/([^/?#;]+)")
#: Custom portlets of provincial portals: (pattern, key prefix); group 1 is the id.
_CUSTOM = (
    (re.compile(r"/-/details/(\d+)(?:/[^/?#;]*)?/?$"), "details"),
    (re.compile(r"/-/view-article/\d+/\d+/(\d+)(?:/[^/?#;]*)?/?$"), "view-article"),
    (re.compile(r"/-/[^/?#;]+/extAssetPublisher/content/(\d+)(?:/[^/?#;]*)?/?$", re.IGNORECASE),
     "extassetpublisher"),
)
_CUR = re.compile(r"_cur$")
_SESSION = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)


def _custom(path: str) -> str | None:
    """The key of a custom-portlet article path (None: not one)."""
    for pattern, prefix in _CUSTOM:
        m = pattern.search(path)
        if m:
            return f"{prefix}/{int(m.group(1))}"
    return None


class Liferay62(Layout):
    """Liferay 6.2 with the provincial SCT theme (asset publisher + journal content)."""

    VERSION = "V1"
    drop = (
        "#skip-to-content", "a[href='#main-content']", "#banner", "#navigation", "nav",
        "#footer", "footer", ".current-date", "[id*='ngayHienTai']", ".bannerclient",
        ".asset-links", ".taglib-header .header-back-to", ".asset-ratings", ".taglib-ratings",
        ".taglib-social-bookmarks", ".asset-related-assets", ".view-count", ".luot-xem",
        ".taglib-asset-tags-summary", ".asset-categories", ".lfr-meta-actions",
        ".taglib-page-iterator", ".asset-more", ".tin-lien-quan", ".most-viewed",
    )
    title = (
        ".asset-full-content .asset-title", ".taglib-header .header-title",
        "h3.header-title", ".journal-content-article h1.title",
    )
    dates = (
        ".asset-full-content .news-date", ".news-date", ".asset-metadata .metadata-publish-date",
        ".metadata-entry.metadata-publish-date", ".asset-publish-date",
    )
    body = (
        ".asset-full-content .asset-content .journal-content-article",
        ".asset-full-content .asset-content",
        ".asset-full-content",
    )
    source = (".asset-full-content .news-source", ".asset-full-content .nguon-tin")
    attachments = (".asset-full-content", ".asset-attachments", ".dinh-kem")


class LiferayProfile(Profile):
    name = "liferay"
    description = "Liferay 6.x portal (asset publisher articles, _cur paging)"
    layouts = (Liferay62,)
    fingerprints = (
        "Truy cập nội dung luôn", "Liferay.ThemeDisplay", "/-/asset_publisher/",
        "portlet-boundary", "p_p_id", "/html/js/liferay",
    )
    generators = ("Liferay",)
    # the listing's own asset publisher first, then the whole page
    listing_scopes = (".asset-abstract", ".asset-publisher", None)
    article_patterns = (_ARTICLE, _JOURNAL)

    def is_article_url(self, url: str) -> bool:
        if super().is_article_url(url):
            return True
        return _custom(urlsplit(_SESSION.sub("", url)).path) is not None

    def canonical_url(self, url: str) -> str:
        clean = strip_noise(url)
        parts = urlsplit(clean)
        if _ARTICLE.search(parts.path) or _JOURNAL.search(parts.path) or _custom(parts.path):
            return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        return clean

    def article_key(self, url: str) -> str:
        path = urlsplit(self.canonical_url(url)).path
        m = _ARTICLE.search(path) or _JOURNAL.search(path)
        if m:
            return f"content/{m.group(1).lower()}"
        return _custom(path) or super().article_key(url)

    @staticmethod
    def _cur(url: str, key: str | None = None) -> tuple[str | None, int]:
        """(the ``…_cur`` parameter, its page number) of ``url``; only ``key`` if given."""
        for name, value in parse_qsl(urlsplit(url).query):
            if (name == key if key else _CUR.search(name)) and value.isdigit():
                return name, int(value)
        return None, 1

    @staticmethod
    def _listing_namespace(page: Page) -> str | None:
        """The namespace (``_101_INSTANCE_aB3dE_``) of the portlet listing the articles.

        A page often holds several paged asset publishers (a "Thông báo" box in a
        column before the news list); only the news list's ``_cur`` pages matter.
        """
        for entry in page.tree.cssselect(".asset-abstract"):
            for parent in entry.iterancestors():
                pid = parent.get("id") or ""
                if pid.startswith("p_p_id_") and pid.endswith("_"):
                    return pid[len("p_p_id"):]
        return None

    def next_pages(self, page: Page, spec: RequestSpec) -> Iterator[RequestSpec]:
        ns = self._listing_namespace(page)
        links = [
            link for link, _text in page.links()
            if same_site(link, page.url) and not self.is_article_url(link)
        ]
        # the news portlet's own pager; any ``_cur`` pager when it has none we can tell
        key = f"{ns}cur" if ns else None
        if key and not any(self._cur(link, key)[0] for link in links):
            key = None
        _, current = self._cur(page.url, key)
        best: dict[int, str] = {}
        for link in links:
            found, number = self._cur(link, key)
            if found and number == current + 1:
                best.setdefault(number, strip_noise(link))
        for number, link in best.items():
            yield RequestSpec(link, page=number)

PROFILE = LiferayProfile()
