"""A SharePoint 2013/2016 (WebForms) portal, the way provincial SCT portals and ministries run it.

What it renders, as the real platform does:

* every page is one ASP.NET WebForm: ``<form method="post" action="./…" id="aspnetForm">``
  with hidden ``__VIEWSTATE``, ``__VIEWSTATEGENERATOR``, ``__EVENTVALIDATION``,
  ``__EVENTTARGET``, ``__EVENTARGUMENT``, ``__REQUESTDIGEST`` and SharePoint's ``MSO*``
  fields, ``__doPostBack``, ``<meta name="GENERATOR" content="Microsoft SharePoint">``,
  ``/_layouts/15/init.js``, ``_spPageContextInfo``, ``s4-workspace``, ``ctl00_PlaceHolderMain_…``
  ids, ``ms-rtestate-field`` rich-text fields; pages are UTF-8 with a BOM;
* the news listing ``/Pages/TinTuc.aspx`` (also ``/Lists/TinTuc/AllItems.aspx``) pages by
  postback only: the pager's links are ``javascript:__doPostBack('ctl00$PlaceHolderMain$ctl01$pager',
  'Page$2')`` (and ``Page$Next``/``Page$Prev``/``Page$First``/``Page$Last``); a GET always shows
  page 1; a POST must carry the ``__VIEWSTATE`` (opaque base64: the page number under a MAC
  with a site secret) and ``__EVENTVALIDATION`` (a MAC over the postback arguments that page
  rendered) of the page it came from, else the server answers 500 "Invalid viewstate" /
  "Invalid postback or callback argument", as ASP.NET does;
* articles are list items: ``/Lists/TinTuc/ChiTiet.aspx?ID=N`` (canonical), also reached as
  ``ChiTiet.aspx?ID=N&Source=…`` (most-read sidebar), ``?ID=N&ContentTypeId=…`` ("Tin khác"),
  ``DispForm.aspx?id=N`` ("Tin liên quan", lower-case ``id``), ``?ID=N&IsDlg=1`` (the "In trang"
  dialog view, no master-page chrome) and ``?ID=N&print=1``; paths are case-insensitive;
* attachments are list-item attachments: ``/Lists/TinTuc/Attachments/<ID>/<filename>``;
* byline "Ngày đăng: 09/07/2026 15:19" (+ "| Cập nhật: …"), ``<h1 class="title-news">``
  (``<div class="news-title">`` in the dialog view), body ``<div class="ms-rtestate-field
  news-content">``, ``<div class="news-source">Nguồn tin: …</div>``;
* robots.txt disallows SharePoint's search results page, which the header search box links to.
"""

from __future__ import annotations

import base64
import codecs
import hashlib
import hmac
from typing import ClassVar
from urllib.parse import quote

from tests.sample_sites.base import (
    Request,
    Response,
    SampleArticle,
    SampleSite,
    not_found,
    today_widget,
)

LIST = "TinTuc"
LIST_PATH = f"/Lists/{LIST}"
LISTING = "/Pages/TinTuc.aspx"
ALL_ITEMS = f"{LIST_PATH}/AllItems.aspx"
PAGER_UID = "ctl00$PlaceHolderMain$ctl01$pager"
PAGER_ID = "ctl00_PlaceHolderMain_ctl01_pager"
CONTENT_TYPE_ID = "0x0100A2F1E3B5C7D94E6F8A1B2C3D4E5F6A7B"
PROVINCE = "tỉnh Đồng Nai"
SITE_TITLE = f"Sở Công Thương {PROVINCE}"
SEARCH = "/_layouts/15/osssearchresults.aspx"
PAGER_WINDOW = 5
BOM = codecs.BOM_UTF8

_HEADERS = {
    "MicrosoftSharePointTeamServices": "15.0.0.4569",
    "X-SharePointHealthScore": "0",
    "X-AspNet-Version": "4.0.30319",
    "X-Powered-By": "ASP.NET",
    "SPIisLatency": "0",
    "X-MS-InvokeApp": "1; RequireReadOnly",
    "Cache-Control": "private, max-age=0",
}

_HEAD_SCRIPTS = (
    '<link rel="shortcut icon" href="/_layouts/15/images/favicon.ico?rev=23" type="image/vnd.microsoft.icon" '
    'id="favicon" />\n'
    '<link id="CssLink-corev15" rel="stylesheet" type="text/css" '
    'href="/_layouts/15/1066/styles/Themable/corev15.css?rev=2bpHeX9U8DH09TB5zpJcsQ%3D%3DTAG0"/>\n'
    '<link rel="stylesheet" type="text/css" href="/Style%20Library/sct/css/sct-dongnai.css"/>\n'
    '<script type="text/javascript" src="/_layouts/15/init.js?rev=ZpB4b1TLXdqLmyGaSeG5Jg%3D%3DTAG0"></script>\n'
    '<script type="text/javascript" src="/ScriptResource.axd?d=nv7asgRUU0tRmHNR2D6t1Emm&amp;t=ffffffffd416f7fc">'
    "</script>\n"
    '<script type="text/javascript" src="/_layouts/15/blank.js?rev=ZaOXZEobVwykPO9g8hq%2F8A%3D%3DTAG0"></script>\n'
    '<script type="text/javascript" src="/_layouts/15/1066/initstrings.js?rev=uNmvBiHdrBzcPKRVHYfcsA%3D%3DTAG0">'
    "</script>\n"
)


class SharePointSite(SampleSite):
    """A provincial SCT portal on SharePoint Server 2013 (WebForms postback paging)."""

    profile: ClassVar[str] = "sharepoint"
    name: ClassVar[str] = SITE_TITLE
    robots_disallow: ClassVar[tuple[str, ...]] = (SEARCH, "/_vti_bin/", "/_layouts/15/Authenticate.aspx")

    #: The machine key the "server" MACs its viewstate with (tests forge without it).
    secret: bytes = b"sct-dongnai-machineKey-7F3A9C"

    # -- URLs ----------------------------------------------------------------------------------

    def start_urls(self) -> list[str]:
        return [self.abs(LISTING)]

    def article_url(self, a: SampleArticle) -> str:
        return self.abs(f"{LIST_PATH}/ChiTiet.aspx?ID={a.id}")

    def attachment_url(self, a, att) -> str:
        return self.abs(f"{LIST_PATH}/Attachments/{a.id}/{att.filename}")

    def variant_urls(self, a: SampleArticle) -> list[str]:
        """Every URL this site links one article by (tests check they are one article)."""
        src = quote(self.abs(LISTING), safe="")
        return [
            self.article_url(a),
            self.abs(f"{LIST_PATH}/ChiTiet.aspx?ID={a.id}&Source={src}"),
            self.abs(f"{LIST_PATH}/ChiTiet.aspx?ID={a.id}&ContentTypeId={CONTENT_TYPE_ID}"),
            self.abs(f"{LIST_PATH}/DispForm.aspx?id={a.id}"),
            self.abs(f"{LIST_PATH}/DispForm.aspx?ID={a.id}&Source={quote(self.abs(ALL_ITEMS), safe='')}"),
            self.abs(f"{LIST_PATH}/ChiTiet.aspx?ID={a.id}&IsDlg=1"),
            self.abs(f"{LIST_PATH}/ChiTiet.aspx?ID={a.id}&print=1"),
            self.abs(f"/lists/tintuc/chitiet.aspx?id={a.id}"),
        ]

    # -- viewstate ----------------------------------------------------------------------------

    def _mac(self, *parts: object) -> bytes:
        msg = "|".join(str(p) for p in parts).encode()
        return hmac.new(self.secret, msg, hashlib.sha256).digest()

    def viewstate(self, path: str, page: int) -> str:
        """Opaque like ASP.NET's: a LosFormatter-ish header, the state, then a MAC."""
        state = f"\x0f\x05\x0a-1{len(path)}d{page:04d};{LIST};{path.lower()}".encode()
        pad = hashlib.sha1(state).digest() * 3  # the rest of the control tree, opaque
        return base64.b64encode(b"\xff\x01" + state + b"\x00" + pad + self._mac("vs", path.lower(), page)).decode()

    def read_viewstate(self, path: str, value: str) -> int | None:
        """The page number a posted __VIEWSTATE was rendered for (None: forged or corrupt)."""
        try:
            raw = base64.b64decode(value.encode(), validate=True)
        except (ValueError, UnicodeError):
            return None
        if not raw.startswith(b"\xff\x01\x0f\x05\x0a-1") or len(raw) < 40:
            return None
        state, mac = raw[2 : raw.index(b"\x00")], raw[-32:]
        try:
            page = int(state.split(b"d", 1)[1][:4])
        except (ValueError, IndexError):
            return None
        if not hmac.compare_digest(mac, self._mac("vs", path.lower(), page)):
            return None
        return page

    def pager_args(self, page: int) -> list[str]:
        """The postback arguments page ``page``'s pager renders (what event validation allows)."""
        last = self.n_pages
        lo = max(1, min(page - PAGER_WINDOW // 2, last - PAGER_WINDOW + 1))
        hi = min(last, lo + PAGER_WINDOW - 1)
        args = [f"Page${k}" for k in range(lo, hi + 1) if k != page]
        if page > 1:
            args = ["Page$First", "Page$Prev", *args]
        if page < last:
            args += ["Page$Next", "Page$Last"]
        return args

    def event_validation(self, path: str, page: int) -> str:
        mac = self._mac("ev", path.lower(), page, PAGER_UID, *self.pager_args(page))
        return base64.b64encode(b"\xff\x01\x16\x02" + mac[:24]).decode()

    def postback_page(self, req: Request, path: str) -> tuple[int, Response | None]:
        """The page a listing postback asks for, or an ASP.NET error response."""
        form = req.form
        current = self.read_viewstate(path, form.get("__VIEWSTATE", ""))
        if current is None:
            return 0, self.error_page(
                "Invalid viewstate.",
                "Validation of viewstate MAC failed. If this application is hosted by a Web Farm or "
                "cluster, ensure that &lt;machineKey&gt; configuration specifies the same "
                "validationKey and validation algorithm.",
            )
        target, arg = form.get("__EVENTTARGET", ""), form.get("__EVENTARGUMENT", "")
        if form.get("__EVENTVALIDATION", "") != self.event_validation(path, current):
            return 0, self.error_page("Invalid viewstate.", "The state information is invalid for this page "
                                      "and might be corrupted.")
        if not target:
            return current, None  # a postback with no event: the same page again
        if target != PAGER_UID or arg not in self.pager_args(current):
            return 0, self.error_page(
                "Invalid postback or callback argument.",
                "Event validation is enabled using &lt;pages enableEventValidation=\"true\"/&gt; in "
                "configuration or &lt;%@ Page EnableEventValidation=\"true\" %&gt; in a page.",
            )
        step = arg.removeprefix("Page$")
        named = {"First": 1, "Prev": current - 1, "Next": current + 1, "Last": self.n_pages}
        return (named[step] if step in named else int(step)), None

    def error_page(self, title: str, detail: str) -> Response:
        body = (
            "<!DOCTYPE html>\n<html><head><title>" + title + "</title>\n"
            '<meta name="GENERATOR" content="Microsoft SharePoint" /></head>\n'
            '<body bgcolor="white"><span><h1>Server Error in \'/\' Application.<hr width=100% size=1 '
            'color=silver></h1>\n<h2> <i>' + title + "</i> </h2></span>\n"
            "<b> Description: </b>" + detail + "<br><br>\n"
            "<b>Exception Details: </b>System.Web.HttpException: " + title + "<br><br>\n"
            "<hr width=100% size=1 color=silver><b>Version Information:</b>&nbsp;Microsoft .NET Framework "
            "Version:4.0.30319; ASP.NET Version:4.7.3930.0\n</body></html>\n"
        )
        return Response(500, BOM + body.encode("utf-8"), headers=dict(_HEADERS))

    # -- routing ------------------------------------------------------------------------------

    def route(self, req: Request) -> Response:
        path = req.path.lower()
        if path in ("/", "/default.aspx", "/pages/default.aspx"):
            return self.html(self.page(SITE_TITLE, self.home(), action="./default.aspx", path=req.path))
        if path in (LISTING.lower(), ALL_ITEMS.lower()):
            return self.listing_response(req)
        if path.startswith(f"{LIST_PATH.lower()}/attachments/"):
            return self.attachment_response(path)
        if path in (f"{LIST_PATH.lower()}/chitiet.aspx", f"{LIST_PATH.lower()}/dispform.aspx"):
            return self.article_response(req)
        if path == SEARCH.lower():
            k = self.esc(req.arg("k", "") or "")
            return self.html(self.page(
                f"Kết quả tìm kiếm - {SITE_TITLE}",
                f'<div class="ms-srch-result"><h1>Kết quả tìm kiếm: {k}</h1>'
                "<p>Không có kết quả nào phù hợp.</p></div>",
                action=f"./osssearchresults.aspx?k={k}", path=req.path,
            ))
        return not_found("Không tìm thấy trang. Sorry, something went wrong.")

    def attachment_response(self, path: str) -> Response:
        for a in self.articles:  # paths are case-insensitive on SharePoint
            for att in a.attachments:
                if self.attachment_url(a, att).removeprefix(self.base_url).lower() == path:
                    return Response(
                        200, att.data, content_type=att.media_type, last_modified=a.published,
                        headers={**_HEADERS, "Content-Disposition": f'attachment; filename="{att.filename}"'},
                    )
        return not_found("Không tìm thấy tệp.")

    def html(self, text: str, status: int = 200, **kw) -> Response:
        return Response(status, BOM + text.encode("utf-8"), headers=dict(_HEADERS), **kw)

    def listing_response(self, req: Request) -> Response:
        path = LISTING if req.path.lower() == LISTING.lower() else ALL_ITEMS
        number = 1
        if req.method == "POST":
            number, error = self.postback_page(req, path)
            if error is not None:
                return error
        number = max(1, min(number, self.n_pages))
        action = "./" + path.rsplit("/", 1)[-1]
        return self.html(self.page(
            f"Tin tức - sự kiện - {SITE_TITLE}", self.listing(path, number), action=action,
            path=path, state_page=number,
        ))

    def article_response(self, req: Request) -> Response:
        raw = next((v[-1] for k, v in req.query.items() if k.lower() == "id"), "")
        a = self.by_id(int(raw)) if raw.strip().isdigit() else None
        if a is None:
            return not_found("Mục không tồn tại. Mục này có thể đã bị người dùng khác xóa.")
        form = req.path.rsplit("/", 1)[-1]
        action = f"./{form}?ID={a.id}"
        dialog = (req.arg("IsDlg") or req.arg("isdlg")) == "1" or (req.arg("print") or "") == "1"
        if dialog:
            return self.html(self.dialog_page(a, action), last_modified=a.modified)
        return self.html(
            self.page(f"{a.title} - {SITE_TITLE}", self.article(a), action=action, path=req.path, item=a.id),
            last_modified=a.modified,
        )

    # -- page chrome --------------------------------------------------------------------------

    def hidden_fields(self, path: str, state_page: int | None) -> str:
        page = state_page or 0
        vs = self.viewstate(path, page)
        digest = hashlib.sha1(f"{path}|{self.today}".encode()).hexdigest().upper()
        out = [
            '<div class="aspNetHidden">',
            '<input type="hidden" name="_wpcmWpid" id="_wpcmWpid" value="" />',
            '<input type="hidden" name="wpcmVal" id="wpcmVal" value="" />',
            '<input type="hidden" name="MSOWebPartPage_PostbackSource" id="MSOWebPartPage_PostbackSource" value="" />',
            '<input type="hidden" name="MSOTlPn_SelectedWpId" id="MSOTlPn_SelectedWpId" value="" />',
            '<input type="hidden" name="MSOTlPn_View" id="MSOTlPn_View" value="0" />',
            '<input type="hidden" name="MSOTlPn_ShowSettings" id="MSOTlPn_ShowSettings" value="False" />',
            '<input type="hidden" name="MSOGallery_SelectedLibrary" id="MSOGallery_SelectedLibrary" value="" />',
            '<input type="hidden" name="MSOGallery_FilterString" id="MSOGallery_FilterString" value="" />',
            '<input type="hidden" name="MSOTlPn_Button" id="MSOTlPn_Button" value="none" />',
            '<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />',
            '<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />',
            f'<input type="hidden" name="__REQUESTDIGEST" id="__REQUESTDIGEST" value="0x{digest},24 Nov 2026 '
            '08:00:00 -0000" />',
            '<input type="hidden" name="MSOSPWebPartManager_DisplayModeName" '
            'id="MSOSPWebPartManager_DisplayModeName" value="Browse" />',
            '<input type="hidden" name="MSOSPWebPartManager_ExitingDesignMode" '
            'id="MSOSPWebPartManager_ExitingDesignMode" value="false" />',
            '<input type="hidden" name="MSOWebPartPage_Shared" id="MSOWebPartPage_Shared" value="" />',
            '<input type="hidden" name="MSOLayout_LayoutChanges" id="MSOLayout_LayoutChanges" value="" />',
            '<input type="hidden" name="MSOLayout_InDesignMode" id="MSOLayout_InDesignMode" value="" />',
            '<input type="hidden" name="_wpSelected" id="_wpSelected" value="" />',
            '<input type="hidden" name="_wzSelected" id="_wzSelected" value="" />',
            f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{vs}" />',
            "</div>",
        ]
        return "\n".join(out)

    def tail_fields(self, path: str, state_page: int | None) -> str:
        ev = self.event_validation(path, state_page or 0)
        return (
            '<div class="aspNetHidden">\n'
            '\t<input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="BAB98CB3" />\n'
            f'\t<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="{ev}" />\n'
            "</div>"
        )

    def context_info(self, path: str, item: int | None) -> str:
        return (
            '<script type="text/javascript">\n//<![CDATA[\n'
            "var _spPageContextInfo = {webServerRelativeUrl: \"\\u002f\", webAbsoluteUrl: "
            f'"{self.base_url}", siteAbsoluteUrl: "{self.base_url}", serverRequestPath: '
            f'"{path.replace("/", chr(92) + "u002f")}", layoutsUrl: "_layouts\\u002f15", webTitle: '
            '"S\\u1edf C\\u00f4ng Th\\u01b0\\u01a1ng", webTemplate: "53", tenantAppVersion: "0", '
            'isAppWeb: false, webLogoUrl: "_layouts\\u002f15\\u002fimages\\u002fsiteicon.png", '
            'webLanguage: 1066, currentLanguage: 1066, currentUICultureName: "vi-VN", '
            'currentCultureName: "vi-VN", clientServerTimeDelta: new Date("2026-11-24T01:00:00.000Z") - '
            'new Date(), siteClientTag: "184$$15.0.4569.1000", crossDomainPhotosEnabled:false, '
            'webUIVersion:15, webPermMasks:{High:16,Low:196673}, pageListId:'
            '"{8d2f7b1c-3e4a-4c5d-9f60-7a8b9c0d1e2f}", '
            f"pageItemId:{item if item is not None else -1}, pagePersonalizationScope:1, userId:0, "
            "alertsEnabled:false, siteServerRelativeUrl: \"\\u002f\", allowSilverlightPrompt:'True'};\n"
            "//]]>\n</script>\n"
        )

    def page(
        self, title: str, main: str, *, action: str, path: str, state_page: int | None = None,
        item: int | None = None,
    ) -> str:
        """A full page of the master (seattle.master, customised) around ``main``."""
        src = quote(self.abs(LISTING), safe="")
        most = "".join(
            f'<li><a href="{LIST_PATH}/ChiTiet.aspx?ID={a.id}&amp;Source={src}" '
            f'title="{self.esc(a.title)}">{self.esc(a.title)}</a></li>'
            for a in self.most_read()
        )
        today = today_widget(self.today)
        return (
            '<!DOCTYPE html>\n<html dir="ltr" lang="vi-VN">\n<head>'
            '<meta http-equiv="X-UA-Compatible" content="IE=10" /><meta name="GENERATOR" '
            'content="Microsoft SharePoint" /><meta name="progid" content="SharePoint.WebPartPage.Document" />'
            '<meta http-equiv="Content-type" content="text/html; charset=utf-8" />'
            '<meta http-equiv="Expires" content="0" />'
            f"<title>\r\n\t{self.esc(title)}\r\n</title>\n"
            + _HEAD_SCRIPTS
            + self.context_info(path, item)
            + '</head>\n<body onhashchange="if (typeof(_spBodyOnHashChange) != \'undefined\') '
            '_spBodyOnHashChange();">\n'
            '<div id="imgPrefetch" style="display:none"><img src="/_layouts/15/images/spcommon.png?rev=23" />'
            "</div>\n"
            f'<form method="post" action="{self.esc(action)}" '
            'onsubmit="javascript:return WebForm_OnSubmit();" id="aspnetForm">\n'
            + self.hidden_fields(path, state_page)
            + "\n<script type=\"text/javascript\">\n//<![CDATA[\n"
            "var theForm = document.forms['aspnetForm'];\nif (!theForm) {\n    theForm = document.aspnetForm;\n}\n"
            "function __doPostBack(eventTarget, eventArgument) {\n"
            "    if (!theForm.onsubmit || (theForm.onsubmit() != false)) {\n"
            "        theForm.__EVENTTARGET.value = eventTarget;\n"
            "        theForm.__EVENTARGUMENT.value = eventArgument;\n"
            "        theForm.submit();\n    }\n}\n//]]>\n</script>\n"
            '<script src="/WebResource.axd?d=pynGkmcFUV13He1Qd6_TZAG0&amp;t=636271743501517672" '
            'type="text/javascript"></script>\n'
            '<div id="ms-designer-ribbon"><div id="s4-ribbonrow" style="display:none">'
            '<div id="s4-ribboncont"></div></div></div>\n'
            '<div id="s4-workspace" class="ms-core-overlay">\n<div id="s4-bodyContainer">\n'
            '<div id="sct-header" class="sct-header">\n'
            f'  <div class="top-bar"><span id="ctl00_lblNgayHienTai" class="ngay-hien-tai">{today}</span>'
            '  <div id="SearchBox" class="ms-mpSearchBox ms-floatRight">'
            '<input name="ctl00$PlaceHolderSearchArea$SmallSearchInputBox1$csr_sbox" type="text" '
            'maxlength="2048" title="Tìm kiếm..." class="ms-textSmall ms-srch-sb-prompt" />'
            f'<a href="{SEARCH}?k=c%C3%B4ng%20th%C6%B0%C6%A1ng" class="ms-srch-sb-searchLink" '
            'title="Tìm kiếm">Tìm kiếm</a></div></div>\n'
            f'  <div class="banner"><a href="/"><img src="/PublishingImages/banner-sct.jpg" alt="{SITE_TITLE}" />'
            "</a><div class=\"bannerclient\">bannerclient tạm thời không có.</div></div>\n"
            '  <div id="DeltaTopNavigation" class="ms-displayInline"><ul class="sct-menu root ms-core-listMenu-root">'
            '<li><a href="/">Trang chủ</a></li><li><a href="/Pages/GioiThieu.aspx">Giới thiệu</a></li>'
            f'<li class="selected"><a href="{LISTING}">Tin tức - sự kiện</a></li>'
            '<li><a href="/Pages/VanBan.aspx">Văn bản pháp quy</a></li>'
            '<li><a href="/Pages/ThuTucHanhChinh.aspx">Thủ tục hành chính</a></li>'
            f'<li><a href="{ALL_ITEMS}">Danh sách tin</a></li>'
            '<li><a href="/Pages/LienHe.aspx">Liên hệ</a></li></ul></div>\n'
            "</div>\n"
            '<div id="contentRow" class="sct-content-row">\n'
            '<div id="sideNavBox" class="ms-dialogHidden ms-forceWrap ms-noList">\n'
            '  <div class="tin-doc-nhieu" id="ctl00_g_tinDocNhieu"><h3 class="ms-webpart-titleText">Tin đọc nhiều'
            f"</h3><ul>{most}</ul></div>\n"
            '  <div class="lien-ket-web"><h3>Liên kết web</h3><ul>'
            '<li><a href="https://moit.gov.vn">Bộ Công Thương</a></li>'
            '<li><a href="https://dongnai.gov.vn">Cổng TTĐT tỉnh</a></li></ul></div>\n'
            "</div>\n"
            '<div id="contentBox" aria-live="polite" aria-relevant="all">\n'
            '<div id="DeltaPlaceHolderMain">\n<a name="mainContent" tabindex="-1"></a>\n'
            + main
            + "\n</div>\n</div>\n</div>\n"
            '<div id="sct-footer" class="sct-footer">\n'
            f"  <p><strong>{SITE_TITLE.upper()}</strong></p>\n"
            "  <p>Địa chỉ: Số 2, Nguyễn Văn Trị, phường Thanh Bình, TP. Biên Hòa, tỉnh Đồng Nai</p>\n"
            "  <p>Điện thoại: (0251) 3822 339 - Fax: (0251) 3823 286 - Email: sct@dongnai.gov.vn</p>\n"
            f'  <p class="luot-truy-cap">Lượt truy cập: {self.hit()}</p>\n'
            "</div>\n"
            "</div>\n</div>\n"
            + self.tail_fields(path, state_page)
            + '\n<script type="text/javascript">\n//<![CDATA[\nvar _spFormDigestRefreshInterval = 1440000;'
            "function WebForm_OnSubmit() {\nUpdateFormDigest('\\u002f', 1440000);\nreturn true;\n}\n"
            "//]]>\n</script>\n</form>\n</body>\n</html>\n"
        )

    # -- content ------------------------------------------------------------------------------

    def home(self) -> str:
        items = "".join(
            f'<li><a href="{LIST_PATH}/ChiTiet.aspx?ID={a.id}">{self.esc(a.title)}</a></li>'
            for a in self.page_of(1)[:5]
        )
        return (
            '<div class="ms-webpart-zone"><div class="tin-moi"><h2>Tin mới</h2>'
            f'<ul>{items}</ul><a href="{LISTING}">Xem tất cả</a></div></div>'
        )

    @staticmethod
    def summary(a: SampleArticle) -> str:
        words = (a.paragraphs[0] if a.paragraphs else "").split()
        return " ".join(words[:30]) + (" ..." if len(words) > 30 else "")

    def listing(self, path: str, number: int) -> str:
        all_items = path == ALL_ITEMS
        rows = []
        for a in self.page_of(number):
            if all_items:
                href = f"{LIST_PATH}/DispForm.aspx?ID={a.id}&amp;Source={quote(self.abs(ALL_ITEMS), safe='')}"
            else:
                href = f"{LIST_PATH}/ChiTiet.aspx?ID={a.id}"
            rows.append(
                '<div class="news-item">'
                f'<a class="news-item-title" href="{href}">{self.esc(a.title)}</a>'
                f' <span class="news-item-date">({a.published:%d/%m/%Y})</span>'
                f'<div class="news-item-summary ms-rtestate-field">{self.esc(self.summary(a))}</div>'
                "</div>"
            )
        return (
            '<div class="ms-webpart-zone ms-fullWidth"><div id="MSOZoneCell_WebPartWPQ2" class="s4-wpcell-plain">'
            '<div class="ms-webpart-chrome ms-webpart-chrome-fullWidth">'
            '<h2 class="ms-webpart-titleText">Tin tức - sự kiện</h2>'
            f'<div class="news-list" id="ctl00_PlaceHolderMain_ctl01_pnlList">{"".join(rows)}</div>'
            + self.pager(number)
            + "</div></div></div>"
        )

    def pager(self, number: int) -> str:
        if self.n_pages <= 1:
            return ""
        labels = {"Page$First": "Trang đầu", "Page$Prev": "Trang trước", "Page$Next": "Trang sau",
                  "Page$Last": "Trang cuối"}
        cells = []
        args = self.pager_args(number)
        numbered = sorted([int(x[5:]) for x in args if x[5:].isdigit()] + [number])
        for arg in args[:2] if number > 1 else []:
            cells.append(self._pager_link(arg, labels[arg]))
        for k in numbered:
            cells.append(f"<td><span>{k}</span></td>" if k == number else self._pager_link(f"Page${k}", str(k)))
        for arg in args[-2:] if number < self.n_pages else []:
            cells.append(self._pager_link(arg, labels[arg]))
        return (
            f'<div class="pager" id="{PAGER_ID}"><table border="0"><tr>{"".join(cells)}</tr></table>'
            f'<span class="pager-info">Trang {number}/{self.n_pages}</span></div>'
        )

    @staticmethod
    def _pager_link(arg: str, text: str) -> str:
        return f"<td><a href=\"javascript:__doPostBack('{PAGER_UID}','{arg}')\">{text}</a></td>"

    def source_html(self, a: SampleArticle) -> str:
        if not a.source:
            return ""
        text = a.source if a.source.lower().startswith(("nguồn", "theo")) else f"Nguồn tin: {a.source}"
        return f'<div class="news-source">{self.esc(text)}</div>'

    def attachments_html(self, a: SampleArticle) -> str:
        if not a.attachments:
            return ""
        items = "".join(
            f'<li><img src="/_layouts/15/images/icgen.gif" alt="" /> '
            f'<a href="{self.attachment_url(a, t).removeprefix(self.base_url)}" target="_blank">'
            f"{self.esc(t.filename)}</a></li>"
            for t in a.attachments
        )
        return f'<div class="news-attachments"><span class="label">Tài liệu đính kèm:</span><ul>{items}</ul></div>'

    def body_html(self, a: SampleArticle) -> str:
        paras = "".join(f"<p>{self.esc(p)}</p>" for p in a.paragraphs)
        return (
            '<div id="ctl00_PlaceHolderMain_ctl00_RichHtmlField1__ControlWrapper_RichHtmlField" '
            f'class="ms-rtestate-field news-content" style="display:inline">{paras}</div>'
        )

    def others(self, a: SampleArticle) -> tuple[list[SampleArticle], list[SampleArticle]]:
        i = next((k for k, x in enumerate(self.articles) if x.id == a.id), 0)
        older = self.articles[i + 1 : i + 6]
        newer = self.articles[max(0, i - 3) : i]
        return older, newer

    def article(self, a: SampleArticle) -> str:
        older, newer = self.others(a)
        khac = "".join(
            f'<li><a href="{LIST_PATH}/ChiTiet.aspx?ID={o.id}&amp;ContentTypeId={CONTENT_TYPE_ID}">'
            f"{self.esc(o.title)}</a> <span>({o.published:%d/%m/%Y})</span></li>"
            for o in older
        )
        lien_quan = "".join(
            f'<li><a href="{LIST_PATH}/DispForm.aspx?id={o.id}">{self.esc(o.title)}</a></li>' for o in newer
        )
        return (
            '<div class="breadcrumb ms-dialogHidden"><a href="/">Trang chủ</a> &gt; '
            f'<a href="{LISTING}">Tin tức - sự kiện</a></div>\n'
            '<div class="news-detail" id="ctl00_PlaceHolderMain_ctl00_pnlDetail">\n'
            f'<h1 class="title-news">{self.esc(a.title)}</h1>\n'
            f'<div class="news-date"><span class="ngay-dang">{self.dated_byline(a)}</span>'
            f'<span class="luot-xem"> | Lượt xem: {self.hit()}</span></div>\n'
            + self.body_html(a)
            + "\n"
            + self.source_html(a)
            + self.attachments_html(a)
            + '<div class="news-tools ms-dialogHidden">'
            f'<a href="{LIST_PATH}/ChiTiet.aspx?ID={a.id}&amp;IsDlg=1" target="_blank">In trang</a> '
            '<a href="javascript:history.back()">Quay lại</a></div>\n'
            "</div>\n"
            f'<div class="tin-khac ms-dialogHidden"><h3>Tin khác</h3><ul>{khac}</ul></div>\n'
            f'<div class="tin-lien-quan ms-dialogHidden"><h3>Tin liên quan</h3><ul>{lien_quan}</ul></div>\n'
        )

    def dialog_page(self, a: SampleArticle, action: str) -> str:
        """``IsDlg=1``: the page in SharePoint's dialog (print) mode, no chrome around it."""
        path = action.split("?", 1)[0]
        return (
            '<!DOCTYPE html>\n<html dir="ltr" lang="vi-VN" class="ms-dialog">\n<head>'
            '<meta name="GENERATOR" content="Microsoft SharePoint" />'
            '<meta name="progid" content="SharePoint.WebPartPage.Document" />'
            '<meta http-equiv="Content-type" content="text/html; charset=utf-8" />'
            f"<title>\r\n\t{self.esc(a.title)} - {SITE_TITLE}\r\n</title>\n"
            + _HEAD_SCRIPTS
            + self.context_info(path, a.id)
            + '</head>\n<body class="ms-dialogBody" onload="window.print();">\n'
            f'<form method="post" action="{self.esc(action)}&amp;IsDlg=1" id="aspnetForm">\n'
            + self.hidden_fields(path, None)
            + '\n<div id="s4-workspace"><div id="s4-bodyContainer"><div id="DeltaPlaceHolderMain">\n'
            '<div class="news-detail news-print">\n'
            f'<div class="news-title">{self.esc(a.title)}</div>\n'
            f'<div class="news-date"><span class="ngay-dang">{self.dated_byline(a)}</span></div>\n'
            + self.body_html(a)
            + "\n"
            + self.source_html(a)
            + self.attachments_html(a)
            + f"</div>\n</div></div></div>\n{self.tail_fields(path, None)}\n</form>\n</body>\n</html>\n"
        )


SITE = SharePointSite
