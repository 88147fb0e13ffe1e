"""Oracle WebCenter Portal (ADF Faces): Hải Phòng's portal and its departments
(the Department of Industry and Trade's ``socongthuong`` pages), and other
provinces on the Oracle e-government stack.

There is no generator meta; pages are recognized by the ADF Faces runtime: scripts
under ``/webcenter/afr/partition/…``, ``AdfPage``/``AdfLoader`` calls, ``af_*``
component classes (``af_panelGroupLayout``) and ``T:…`` component ids, and by URLs
under ``/webcenter/portal/<portal>/``.

URL shapes:

* listing: ``/webcenter/portal/<portal>/pages_tin-tuc`` and ``…?page=N`` (pager
  "Đầu / Trước / 1 2 3 / Sau / Cuối");
* article: ``/webcenter/portal/<portal>/pages_<section>/chi-tiet?dDocName=PORTAL533372``.
  The identity is the UCM content id ``dDocName`` (unique within the content
  server, case-insensitive: ``ddocname=portal533372`` is the same item); variants:
  the ``…/chitiet`` alias, ``&print=true``, the print page
  ``/webcenter/portal/<portal>/pages_print?dDocName=…``;
* attachments: ``/webcenter/content/conn/<connection>/uuid/dDocName:PORTAL533372_1/<file>``;
* every link ADF renders carries ``_afrLoop``, ``_afrWindowMode``,
  ``_adf.ctrl-state`` (and sometimes ``_afrWindowId``) with values that change on
  each render: noise, stripped everywhere (listing URLs too, so a listing is
  one URL however it was reached).

The servers (WebLogic) usually answer ``charset=ISO-8859-1`` over UTF-8 bytes;
:mod:`crawler.extraction.encoding` does not believe a Western declaration over valid UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
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

#: ADF's per-render parameters (also in base.NOISE_PARAMS, but spelled out here).
ADF_NOISE = ("_afrLoop", "_afrWindowMode", "_adf.ctrl-state", "_afrWindowId", "_afrPage", "_afrMFW",
             "_afrMFH", "_afrMFDW", "_afrMFDH", "_afrMFC", "_afrMFCI", "_afrMFM", "_afrMFR",
             "_afrMFS", "_afrMFO", "_afrFS", "_afrTrainingMode")

_PORTAL = re.compile(r"^(/webcenter/portal/[^/?#;]+)(/[^?#;]*)?$", re.IGNORECASE)
_DOCNAME_QUERY = re.compile(r"(?:^|[?&])ddocname=([A-Za-z0-9_.-]+)", re.IGNORECASE)
#: Old detail-page aliases → the current one.
_DETAIL_ALIASES = {"chitiet": "chi-tiet", "chi_tiet": "chi-tiet"}
#: Hard stop for a pager chain, whatever the pager says.
MAX_LISTING_PAGES = 2000


def _docname(url: str) -> str | None:
    m = _DOCNAME_QUERY.search(urlsplit(url).query)
    return m.group(1).upper() if m else None


def _page_number(url: str) -> int:
    for key, value in parse_qsl(urlsplit(url).query):
        if key.lower() in ("page", "pageindex") and value.isdigit():
            return int(value)
    return 1


class WebCenterV1(Layout):
    """WebCenter Portal 11g/12c with the provincial content-presenter templates."""

    VERSION = "V1"
    drop = (
        ".header-portal", ".ngay-hien-tai", ".menu-ngang", ".af_navigationPane", ".bannerclient",
        ".banner", ".banner-phai", ".o-tim-kiem", ".duong-dan", ".cot-phai", ".tin-doc-nhieu",
        ".tin-khac", ".cong-cu", ".phan-trang", ".footer-portal", ".luot-truy-cap", ".logo-in",
        ".tin-lien-quan",
    )
    title = (".chi-tiet-tin .tieu-de-tin", ".tieu-de-tin", "h1.title")
    dates = (".chi-tiet-tin .ngay-dang", ".ngay-dang")
    body = (".chi-tiet-tin .noi-dung-tin", ".noi-dung-tin")
    source = (".nguon-tin",)
    attachments = (".file-dinh-kem", ".noi-dung-tin")


class WebCenterProfile(Profile):
    name = "webcenter"
    description = "Oracle WebCenter Portal / ADF Faces (dDocName articles, ?page=N listings)"
    layouts = (WebCenterV1,)
    generators = ("WebCenter", "Oracle ADF")
    fingerprints = (
        "/webcenter/afr/partition/", "AdfPage.PAGE", "AdfLoader", "/webcenter/portal/",
        "af_panelGroupLayout", "_adf.ctrl-state",
    )

    # -- URLs ------------------------------------------------------------------------------

    def is_article_url(self, url: str) -> bool:
        parts = urlsplit(url)
        if not _PORTAL.match(parts.path) or self.attachment_url(url):
            return False
        return _docname(url) is not None

    def canonical_url(self, url: str) -> str:
        clean = strip_noise(url, drop=ADF_NOISE)
        parts = urlsplit(clean)
        doc = _docname(clean)
        m = _PORTAL.match(parts.path)
        if doc is None or m is None:
            return clean
        segments = (m.group(2) or "").strip("/").split("/")
        segments = [_DETAIL_ALIASES.get(s.lower(), s) for s in segments if s]
        path = "/".join([m.group(1), *segments])
        return urlunsplit((parts.scheme, parts.netloc, path, urlencode({"dDocName": doc}), ""))

    def article_key(self, url: str) -> str:
        # a Java portal rewrites URLs with ;jsessionid=…: the same document, one key
        clean = strip_noise(url, drop=ADF_NOISE)
        doc = _docname(clean) if self.is_article_url(clean) else None
        return f"ddocname/{doc}" if doc else super().article_key(url)

    # -- walking ---------------------------------------------------------------------------

    def start_requests(self, start_urls: Iterable[str]) -> Iterator[RequestSpec]:
        for url in start_urls:
            clean = strip_noise(url, drop=ADF_NOISE)
            yield RequestSpec(clean, page=_page_number(clean))

    # The content presenter's list first: the "most read" portlet and "Tin khác" links
    # come later on the page and would break newest-first order. An empty list (past
    # the last page) stays empty: no falling back to the sidebar.
    listing_scopes = (".danh-sach-tin", ".noi-dung-chinh", None)
    first_present_scope_decides = True

    def parse_listing(self, page: Page, spec: RequestSpec) -> Listing:
        articles = self.article_links(page)
        following = tuple(self.next_pages(page, spec)) if articles else ()
        return Listing(articles, following)

    def next_pages(self, page: Page, spec: RequestSpec) -> Iterator[RequestSpec]:
        """The pager's "next" page (current + 1) on the same listing, noise stripped."""
        here = urlsplit(page.url)
        current = spec.page or _page_number(page.url)
        if current >= MAX_LISTING_PAGES:
            return
        links = list(page.links(".phan-trang")) or list(page.links())
        for link, _text in links:
            if not same_site(link, page.url) or self.is_article_url(link):
                continue
            parts = urlsplit(link)
            if parts.path.rstrip("/") != here.path.rstrip("/"):
                continue
            if _page_number(link) == current + 1:
                clean = strip_noise(link, drop=ADF_NOISE)
                yield RequestSpec(clean, page=current + 1)
                return


PROFILE = WebCenterProfile()
