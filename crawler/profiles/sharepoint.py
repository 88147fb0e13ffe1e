"""Microsoft SharePoint 2013/2016 (ASP.NET WebForms) portals: several provincial
portals and departments of industry and trade, and ministries.

Recognized by ``<meta name="GENERATOR" content="Microsoft SharePoint">``,
``<meta name="progid" content="SharePoint.WebPartPage.Document">``,
``/_layouts/15/init.js``, ``_spPageContextInfo``, ``s4-workspace`` and
``ms-rtestate-field`` markup. Every page is one WebForm (``id="aspnetForm"``) with
hidden ``__VIEWSTATE``/``__EVENTVALIDATION``/``__REQUESTDIGEST`` fields.

Articles are list items of a news list: ``/Lists/<List>/ChiTiet.aspx?ID=N`` (a custom
display form), ``/Lists/<List>/View_Detail.aspx?ItemID=N`` (a custom view, Vĩnh Phúc)
or ``/Lists/<List>/DispForm.aspx?ID=N`` (the stock one), reached with
``&Source=<return URL>``, ``&ContentTypeId=…``, ``&IsDlg=1`` (dialog/print view),
``print=1``, a lower-case ``id`` / ``itemid`` and in any path case (IIS is case-insensitive) — all
one article, whose identity is (web path, list, item ID). Publishing sites also keep
articles as pages, ``/<web>/Pages/<long-slug>.aspx`` (or in a dated folder,
``/<web>/Pages/<yyyy-mm-dd>/<long-slug>.aspx``); those are articles too, keyed by
their lower-cased path. Item attachments live under ``/Lists/<List>/Attachments/<ID>/``.

Listings (``/Pages/TinTuc.aspx``, ``/Lists/<List>/AllItems.aspx``) page by postback:
the pager's links are ``javascript:__doPostBack('ctl00$PlaceHolderMain$…$pager',
'Page$2')``. A GET always shows page 1; the next page is a form POST to the form's
action with every hidden field of the current page (the server validates the
``__VIEWSTATE`` and ``__EVENTVALIDATION`` it rendered) and ``__EVENTTARGET`` /
``__EVENTARGUMENT=Page$N``. Paging is bounded: only a page the pager offers, only
forward (a server that answers page 1 again stops the walk). Stock list views that
page by GET (``Paged=TRUE&p_ID=…&PageFirstRow=…``) are followed as plain links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from crawler.profiles.base import Layout, Page, Profile, RequestSpec, same_site, strip_noise

# /[web/]Lists/<list>/(ChiTiet|DispForm|…).aspx?ID=N  (case-insensitive, like IIS)
_LIST_ITEM = re.compile(
    r"^(?P<web>(?:/[^/?#]+)*?)/lists/(?P<list>[^/?#]+)/(?P<form>chitiet|dispform|chitiettin|viewdetail|view_detail|detail)"
    r"\.aspx$",
    re.IGNORECASE,
)
# /[web/]Pages/[<yyyy-mm-dd>/]<long-slug>.aspx: a publishing page, maybe in a dated folder
# (Ninh Thuận's portal); listing pages have short CamelCase names
_PUB_PAGE = re.compile(
    r"^(?:/[^/?#]+)*?/pages/(?:\d{4}-\d{2}-\d{2}/)?[a-z0-9]+(?:-[a-z0-9]+){3,}\.aspx$", re.IGNORECASE
)
_FORMS = {"chitiet": "ChiTiet", "dispform": "DispForm", "chitiettin": "ChiTietTin", "view_detail": "View_Detail"}
#: The item's id parameter, any case: ``ID`` (stock forms), ``ItemID`` (custom views).
_ID_PARAMS = ("id", "itemid")
_POSTBACK = re.compile(
    r"""__doPostBack\(\s*['"]([^'"]+)['"]\s*,\s*['"](Page\$(?:\d+|Next|Last|First|Prev))['"]\s*\)"""
)
_GET_PAGED = re.compile(r"[?&]Paged=TRUE", re.IGNORECASE)


def _item_param(query: str) -> tuple[str, str] | None:
    """(the id parameter as the form spells it, the item id) — ``ID`` before ``ItemID``."""
    found: dict[str, tuple[str, str]] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key.lower() in _ID_PARAMS and value.strip().isdigit():
            found.setdefault(key.lower(), (key, str(int(value.strip()))))
    return next((found[k] for k in _ID_PARAMS if k in found), None)


def _item_id(query: str) -> str | None:
    found = _item_param(query)
    return found[1] if found else None


def _hrefs(root, base: str) -> Iterator[str]:
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href and not href.startswith(("#", "javascript:", "mailto:", "tel:")):
            yield urljoin(base, href)


def _is_web_part(ident: str, classes: list[str]) -> bool:
    """Is this element a web part's cell, chrome or body (SharePoint 2010/2013 markup)?"""
    return ident.startswith(("MSOZoneCell_WebPart", "WebPartWPQ")) or any(
        c.startswith(("s4-wpcell", "ms-webpart-chrome")) or c == "ms-WPBody" for c in classes
    )


class SharePoint2013(Layout):
    """SharePoint 2013/2016 master page (seattle-derived) with a custom news display form."""

    VERSION = "V1"
    drop = (
        "#s4-ribbonrow", "#ms-designer-ribbon", "#imgPrefetch", ".aspNetHidden", "#sideNavBox",
        "#DeltaTopNavigation", "#SearchBox", ".ms-mpSearchBox", ".sct-header", "#sct-header",
        ".sct-footer", "#sct-footer", "#s4-titlerow", ".ms-breadcrumb", ".breadcrumb",
        ".ngay-hien-tai", "[id$='lblNgayHienTai']", ".bannerclient", ".luot-xem", ".luot-truy-cap",
        ".news-tools", ".tin-khac", ".tin-lien-quan", ".tin-doc-nhieu", ".other-news",
        ".news-attachments .label", ".pager",
    )
    title = (
        ".news-detail h1.title-news", "h1.title-news", ".news-detail .news-title", ".news-title",
        "#pageTitle", ".ms-core-pageTitle",
    )
    dates = (".news-detail .news-date", ".news-date", ".ngay-dang", ".news-detail .date")
    body = (
        ".news-detail .ms-rtestate-field", ".news-detail .news-content", ".news-content",
        "[id$='RichHtmlField__ControlWrapper_RichHtmlField']", "#DeltaPlaceHolderMain .ms-rtestate-field",
        ".ms-rtestate-field",
    )
    source = (".news-detail .news-source", ".news-source", ".nguon-tin")
    attachments = (".news-detail .news-attachments", ".news-attachments", "#idAttachmentsTable", ".news-detail")


class SharePointProfile(Profile):
    name = "sharepoint"
    description = "Microsoft SharePoint 2013/2016 (list-item articles, WebForms postback paging)"
    layouts = (SharePoint2013,)
    generators = ("Microsoft SharePoint",)
    # the page's own list first: "Tin đọc nhiều" and "Tin khác" link other articles
    listing_scopes = (".news-list", ".ms-listviewtable", "#DeltaPlaceHolderMain", None)
    fingerprints = (
        "SharePoint.WebPartPage.Document", "_spPageContextInfo", "/_layouts/15/init.js",
        "s4-workspace", "ms-rtestate-field", "__REQUESTDIGEST", "MSOWebPartPage_PostbackSource",
    )

    def is_article_url(self, url: str) -> bool:
        parts = urlsplit(strip_noise(url))
        if _LIST_ITEM.match(parts.path):
            return _item_id(parts.query) is not None
        return bool(_PUB_PAGE.match(parts.path))

    def canonical_url(self, url: str) -> str:
        parts = urlsplit(strip_noise(url))
        m = _LIST_ITEM.match(parts.path)
        if m and (found := _item_param(parts.query)) is not None:
            form = _FORMS.get(m["form"].lower(), m["form"])
            path = f"{m['web']}/Lists/{m['list']}/{form}.aspx"
            name = "ID" if found[0].lower() == "id" else "ItemID"  # as the form reads it
            return urlunsplit((parts.scheme, parts.netloc, path, f"{name}={found[1]}", ""))
        if _PUB_PAGE.match(parts.path):
            return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        return urlunsplit(parts)

    def article_key(self, url: str) -> str:
        parts = urlsplit(strip_noise(url))  # a ;jsessionid= in the path too
        m = _LIST_ITEM.match(parts.path)
        if m and (item := _item_id(parts.query)) is not None:
            return f"{m['web'].lower()}/lists/{m['list'].lower()}/{item}"
        if _PUB_PAGE.match(parts.path):
            return parts.path.lower()
        return super().article_key(url)

    # -- listings --------------------------------------------------------------------------

    @staticmethod
    def _form(page: Page):
        forms = page.tree.xpath("//form[@id='aspnetForm']") or page.tree.xpath(
            "//form[.//input[@name='__VIEWSTATE']]"
        )
        return forms[0] if forms else None

    def _listing_part(self, page: Page):
        """The web part holding the page's article list, or None when there is none to tell.

        Its list is the first element of :attr:`listing_scopes` with an article link; its
        web part the outermost web part element around that list (zone cell, chrome or
        body: ``MSOZoneCell_WebPart…``, ``s4-wpcell…``, ``ms-webpart-chrome…``,
        ``ms-WPBody``, ``WebPartWPQ…``) below its web part zone.
        """
        listing = next(
            (el for scope in self.listing_scopes if scope is not None
             for el in page.tree.cssselect(scope)
             if any(self.is_article_url(link) and same_site(link, page.url)
                    for link in _hrefs(el, page.url))),
            None,
        )
        part = None
        for el in listing.iterancestors() if listing is not None else ():
            classes = (el.get("class") or "").split()
            if "ms-webpart-zone" in classes or el.tag in ("body", "form"):
                break
            if _is_web_part(el.get("id") or "", classes):
                part = el
        if part is None and listing is not None and _is_web_part(
                listing.get("id") or "", (listing.get("class") or "").split()):
            part = listing
        return part

    def _pager(self, page: Page):
        """(the root to look for the pager in, its postbacks [(target, argument)]): those of
        the listing's own web part, so a paged sidebar ("Tin đọc nhiều", a "Thông báo" box)
        earlier on the page is not followed; the whole page's when the web part is unknown."""
        part = self._listing_part(page)
        if part is None:
            return page.tree, _POSTBACK.findall(page.text)
        found: list[tuple[str, str]] = []
        for el in part.iter():
            for value in el.attrib.values():
                found += _POSTBACK.findall(value)
            if el.tag == "script" and el.text:
                found += _POSTBACK.findall(el.text)
        return part, found

    @staticmethod
    def _current_page(root, target: str) -> int | None:
        """The pager's current page: the number it shows without a link."""
        pager_id = target.replace("$", "_")
        for pager in root.xpath(f".//*[@id='{pager_id}']") or root.cssselect(".pager"):
            for el in pager.iter("span", "b", "strong"):
                text = (el.text_content() or "").strip()
                if text.isdigit() and el.getparent() is not None and el.getparent().tag != "a":
                    return int(text)
        return None

    def next_pages(self, page: Page, spec: RequestSpec) -> Iterator[RequestSpec]:
        root, pager = self._pager(page)
        form = self._form(page)
        if pager and form is not None:
            yield from self._postback(page, spec, form, root, pager)
            return
        # stock list views page by GET: "…?Paged=TRUE&p_ID=…&PageFirstRow=11&View=…"
        for link, _text in page.links():
            if same_site(link, page.url) and _GET_PAGED.search(link) and not self.is_article_url(link):
                if "pagedprev=true" not in link.lower():
                    yield RequestSpec(link, page=(spec.page or 1) + 1)
                    return

    def _postback(self, page: Page, spec: RequestSpec, form, root, pager: list[tuple[str, str]]):
        target = pager[0][0]
        current = self._current_page(root, target) or spec.page or 1
        wanted = current + 1
        if spec.page and wanted <= spec.page:
            return  # the server did not move forward (a rejected postback answers page 1)
        args = {arg: t for t, arg in pager}
        if f"Page${wanted}" in args:
            arg = f"Page${wanted}"
        elif "Page$Next" in args:  # a Next/Previous pager; the last page has no Next
            arg = "Page$Next"
        else:
            return  # the last page: the pager offers nothing further
        target = args[arg]
        inputs = list(form.iter("input"))
        if not any(el.get("name") == "__VIEWSTATE" for el in inputs):
            inputs = list(page.tree.iter("input"))  # a malformed page closed the form early
        fields: list[tuple[str, str]] = []
        for el in inputs:
            name = el.get("name")
            if not name or (el.get("type") or "text").lower() != "hidden":
                continue
            if name == "__EVENTTARGET":
                fields.append((name, target))
            elif name == "__EVENTARGUMENT":
                fields.append((name, arg))
            else:
                fields.append((name, el.get("value") or ""))
        names = {n for n, _v in fields}
        if "__EVENTTARGET" not in names:
            fields.insert(0, ("__EVENTTARGET", target))
        if "__EVENTARGUMENT" not in names:
            fields.insert(1, ("__EVENTARGUMENT", arg))
        if "__VIEWSTATE" not in names:
            return
        action = urljoin(page.url, (form.get("action") or "").strip() or page.url)
        if not same_site(action, page.url):
            return
        yield RequestSpec(action, method="POST", formdata=tuple(fields), page=wanted)


PROFILE = SharePointProfile()
