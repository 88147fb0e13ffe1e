"""IBM WebSphere Portal with IBM Web Content Manager (WCM): Nghệ An's provincial
portal hosts its departments as portal pages (the Department of Industry and
Trade under ``/wps/portal/socongthuong/``, seen in stored copies from 2019).

There is no generator meta; pages are recognized by the portal's URL space and
theme: links under ``/wps/portal/…`` carrying the encoded navigational state
``!ut/p/…``, the theme's ``/wps/contenthandler/`` and ``/wps/themeModules/``
resources, ``wpthemeControl`` / ``wpthemeFrame`` classes and ``ibmCfg`` config.

URL shapes (IBM's documented WCM scheme):

* listing: a portal page, ``/wps/portal/<site>/<page>``; its Web Content Viewer
  pages a menu component with the render parameter
  ``?WCM_PI=1&PC_7_<portlet id>_WCM_Page.<menu id>=N`` (usually behind an encoded
  state segment ``/!ut/p/z1/<state>/dz/d5/<state>/``);
* article: the same or another page, told which content item to render by its
  WCM path, in any of these spellings:

  - ``?WCM_GLOBAL_CONTEXT=/wps/wcm/connect/<library>/<site area>/<content>``
    (every viewer on the page follows it);
  - ``?WCM_PI=1&PC_7_<portlet id>_WCM_CONTEXT=/wps/wcm/connect/<library>/…`` (one
    viewer only);
  - ``?urile=wcm:path:/<library>/…`` or, inside the encoded state of Portal 8,
    ``…/p0/IZ7_<id>=CZ6_<id>=MEurile=wcm%3Apath%3A%2F<library>%2F…!!/``;
  - the WCM servlet itself, ``/wps/wcm/connect/<library>/<site area>/<content>``
    (``?presentationtemplate=…`` selects e.g. a print template);

  the path is URL-encoded or not, any letter case (WCM resolves names
  case-insensitively), ``/wps/myportal`` / ``/wps/wcm/myconnect`` for signed-in
  users. The article's identity is that content path (``wcm:<library>/<site
  area>/<content>``, lower-case), whatever the page, the encoded ``!ut/p/z1/…``
  state (which changes with the page the link was rendered on) or the ``PC_…``
  portlet parameters. Items addressed by id only (``wcm:oid:<uuid>``) get
  ``wcm-oid:<uuid>``: the same article reached both ways is two keys until a page
  names its path (the extraction's canonical link decides then);
* attachments: ``/wps/wcm/connect/<uuid or path>/<file>?MOD=AJPERES&CACHEID=…``.

A content path needs a library, a site area and an item (three segments); a link
to a site area alone (``…/connect/<library>/<site area>``) is a listing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import parse_qsl, quote, unquote, unquote_plus, urlsplit, urlunsplit

from .base import Layout, Listing, Page, Profile, RequestSpec, same_site, strip_noise

#: Query parameters that name the content item to render.
_CONTEXT_PARAM = re.compile(r"^(?:WCM_GLOBAL_CONTEXT|PC_[0-9A-Z_]+_WCM_CONTEXT|urile)$", re.IGNORECASE)
#: The menu component's page number: PC_7_<portlet>_WCM_Page.<menu id>=N.
_PAGE_PARAM = re.compile(r"^PC_[0-9A-Z_]+_WCM_Page\.[0-9A-Za-z]+$", re.IGNORECASE)
#: Portal page space: /wps/portal/… or /wps/myportal/… up to the encoded state.
_PORTAL = re.compile(r"^/wps/(?:my)?portal(?:/|$)", re.IGNORECASE)
#: The encoded navigational state and what follows it in the path.
_STATE = re.compile(r"/!ut/p/.*$", re.IGNORECASE | re.DOTALL)
#: The WCM servlet: /wps/wcm/connect/… (/myconnect/ when signed in).
_CONNECT = re.compile(r"^/wps/wcm/(?:my)?connect(/.*)?$", re.IGNORECASE)
#: A WCM URI inside the encoded state (Portal 8 "friendly" state): =MEurile=wcm%3Apath%3A…!!
_URILE_IN_PATH = re.compile(r"urile=(wcm(?:%3A|:)(?:path|oid)(?:%3A|:)[^!?#]+)", re.IGNORECASE)
_UUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.IGNORECASE)
#: Hard stop for a pager chain, whatever the pager says.
MAX_LISTING_PAGES = 2000


_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def _decoded(text: str) -> str:
    """Percent-escapes undone (twice at most: some themes encode the context twice)."""
    for _ in range(2):
        if not _ESCAPE.search(text):
            break
        text = unquote(text)
    return text


def _wcm_target(url: str) -> tuple[str, str] | None:
    """("path", "lib/sa/item") or ("oid", uuid) of the content item a URL names, or None."""
    parts = urlsplit(url)
    found: str | None = None
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if _CONTEXT_PARAM.match(key) and value.strip():
            found = value.strip()
    if found is None:
        m = _URILE_IN_PATH.search(parts.path)
        if m:
            found = m.group(1)
    if found is None:
        m = _CONNECT.match(parts.path)
        if m and m.group(1):
            found = "/wps/wcm/connect" + unquote_plus(m.group(1))
    if found is None:
        return None
    text = _decoded(found)
    low = text.lower()
    if low.startswith("wcm:oid:"):
        oid = text[8:].strip().strip("/").split("/")[0]
        return ("oid", oid.lower()) if _UUID.match(oid) else None
    if low.startswith("wcm:path:"):
        text = text[9:]
    else:
        text = re.sub(r"^/?wps/wcm/(?:my)?connect", "", text, flags=re.IGNORECASE)
    names = [" ".join(s.split()).lower() for s in text.split("/") if s.strip()]
    if len(names) == 1 and _UUID.match(names[0]):
        return ("oid", names[0])
    return ("path", "/".join(names)) if names else None


def _page_param(url: str) -> tuple[str, int] | None:
    """(parameter name, page number) of the menu pager in a URL, or None."""
    for key, value in parse_qsl(urlsplit(url).query):
        if _PAGE_PARAM.match(key) and value.isdigit():
            return key, int(value)
    return None


def _portal_page(path: str) -> str:
    """The portal page a path shows, without the encoded state: /wps/portal/<site>/<page>."""
    page = _STATE.sub("", path).rstrip("/")
    return re.sub(r"^/wps/myportal", "/wps/portal", page, flags=re.IGNORECASE) or "/wps/portal"


def _site_root(path: str) -> str:
    """/wps/portal/<site> (the virtual portal or site's first page) of a portal path."""
    names = [s for s in _portal_page(path).split("/") if s]
    return "/" + "/".join(names[:3]) if len(names) >= 3 else "/wps/portal"


class WebSphereV1(Layout):
    """Portal 8.x theme with the provincial WCM presentation templates."""

    VERSION = "V1"
    drop = (
        ".wpthemeHeader", ".wpthemeBanner", ".ngay-hien-tai", ".wpthemeNavContainer",
        ".wpthemeCrumbTrail", ".o-tim-kiem", ".cot-phai", ".tin-doc-nhieu", ".tin-khac",
        ".cong-cu", ".phan-trang", ".wpthemeFooter", ".luot-truy-cap", ".banner-quang-cao",
        ".tin-lien-quan", ".logo-in",
    )
    title = (".wcm-chi-tiet .tieu-de", ".tieu-de-bai", "h1.tieu-de")
    dates = (".wcm-chi-tiet .ngay-dang", ".ngay-dang")
    body = (".wcm-chi-tiet .noi-dung", ".noi-dung-bai")
    source = (".nguon-tin",)
    attachments = (".tep-dinh-kem", ".wcm-chi-tiet .noi-dung")


class WebSphereProfile(Profile):
    name = "websphere"
    description = "IBM WebSphere Portal + Web Content Manager (WCM content paths, !ut/p state, WCM_Page paging)"
    layouts = (WebSphereV1,)
    generators = ("WebSphere Portal", "IBM WebSphere")
    fingerprints = (
        "/wps/contenthandler/", "/wps/themeModules/", "wpthemeControl", "wpthemeFrame",
        "ibmCfg", "/!ut/p/", "com.ibm.wps",
    )

    # -- URLs ------------------------------------------------------------------------------

    def attachment_url(self, url: str) -> bool:
        if super().attachment_url(url):
            return True
        return any(k.upper() == "MOD" and v.upper() == "AJPERES"
                   for k, v in parse_qsl(urlsplit(url).query))

    def is_article_url(self, url: str) -> bool:
        parts = urlsplit(url)
        if not (_PORTAL.match(parts.path) or _CONNECT.match(parts.path)) or self.attachment_url(url):
            return False
        target = _wcm_target(url)
        if target is None:
            return False
        kind, value = target
        return kind == "oid" or value.count("/") >= 2  # library / site area / item

    def article_key(self, url: str) -> str:
        target = _wcm_target(url) if self.is_article_url(url) else None
        if target is None:
            return super().article_key(url)
        kind, value = target
        return f"wcm-oid:{value}" if kind == "oid" else f"wcm:{value}"

    def canonical_url(self, url: str) -> str:
        """Articles: ``/wps/portal/<site>?WCM_GLOBAL_CONTEXT=/wps/wcm/connect/<path>`` (the
        site's first page; state and portlet parameters dropped) or, reached through
        the WCM servlet, ``/wps/wcm/connect/<path>``; listings: the page without its
        encoded state, keeping only the pager parameter (and ``WCM_PI``)."""
        parts = urlsplit(url)
        scheme, netloc = parts.scheme.lower(), parts.netloc.lower()
        if self.is_article_url(url):
            kind, value = _wcm_target(url) or ("path", "")
            origin = strip_noise(urlunsplit((scheme, netloc, "/", "", ""))).rstrip("/")
            if kind == "path" and _CONNECT.match(parts.path):  # the WCM servlet's own rendering
                return origin + quote(f"/wps/wcm/connect/{value}", safe="/-_.~")
            root = _site_root(parts.path) if _PORTAL.match(parts.path) else "/wps/portal"
            if kind == "oid":
                query = "urile=" + quote(f"wcm:oid:{value}", safe=":/")
            else:
                query = "WCM_GLOBAL_CONTEXT=" + quote(f"/wps/wcm/connect/{value}", safe="/-_.~")
            return f"{origin}{root}?{query}"
        if not _PORTAL.match(parts.path):
            return strip_noise(url)
        pager = _page_param(url)
        kept = [f"WCM_PI=1&{pager[0]}={pager[1]}"] if pager and pager[1] > 1 else []
        context = _wcm_target(url)  # a site area shown as a list
        if context and context[0] == "path":
            kept.insert(0, "WCM_GLOBAL_CONTEXT=" + quote(f"/wps/wcm/connect/{context[1]}", safe="/-_.~"))
        query = "&".join(kept)
        page = _portal_page(parts.path)
        base = strip_noise(urlunsplit((scheme, netloc, page, "", "")))
        return base + (f"?{query}" if query else "")

    # -- walking ---------------------------------------------------------------------------

    def start_requests(self, start_urls: Iterable[str]) -> Iterator[RequestSpec]:
        for url in start_urls:
            clean = self.canonical_url(url)
            pager = _page_param(clean)
            yield RequestSpec(clean, page=pager[1] if pager else 1)

    # The viewer's own list first: the "most read" portlet and "Tin khác" come later on
    # the page. An empty list (past the last page) stays empty.
    listing_scopes = (".wcm-danh-sach", ".wpthemeMainContent", None)
    first_present_scope_decides = True

    def parse_listing(self, page: Page, spec: RequestSpec) -> Listing:
        from .base import is_discovery

        if is_discovery(page):
            return self.parse_discovery(page, spec)
        articles = self.article_links(page)
        following = tuple(self.next_pages(page, spec)) if articles else ()
        return Listing(articles, following)

    def next_pages(self, page: Page, spec: RequestSpec) -> Iterator[RequestSpec]:
        """The pager's page current + 1 of the same menu on the same portal page."""
        here = _portal_page(urlsplit(page.url).path)
        pager = _page_param(page.url)
        current = spec.page or (pager[1] if pager else 1)
        if current >= MAX_LISTING_PAGES:
            return
        links = list(page.links(".phan-trang")) or list(page.links())
        for link, _text in links:
            if not same_site(link, page.url) or self.is_article_url(link):
                continue
            if _portal_page(urlsplit(link).path) != here:
                continue
            found = _page_param(link)
            if found and found[1] == current + 1:
                yield RequestSpec(self.canonical_url(link), page=current + 1)
                return


PROFILE = WebSphereProfile()
