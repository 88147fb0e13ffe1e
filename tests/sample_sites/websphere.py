"""An IBM WebSphere Portal + Web Content Manager department site, as Nghệ An's
provincial portal hosts its Department of Industry and Trade (``/wps/portal/socongthuong``).

Modelled on IBM's documented WCM URL scheme (the shapes seen in stored copies of
the real site, 2019):

* listing: the portal page ``/wps/portal/socongthuong/tin-tuc`` (page 1); the
  Web Content Viewer's menu pages with the render parameter
  ``?WCM_PI=1&PC_7_<portlet>_WCM_Page.<menu>=N``, linked behind an encoded
  navigational state ``/!ut/p/z1/<state>/dz/d5/<state>/`` that differs with the
  page the link was rendered on;
* article: a page told which WCM content item to render. The canonical form is
  ``/wps/portal/socongthuong?WCM_GLOBAL_CONTEXT=/wps/wcm/connect/socongthuong/tin-tuc/<slug>``;
  the pages link it as
  - listing items: ``/wps/portal/socongthuong/tin-tuc/!ut/p/z1/<state>/dz/d5/…/?WCM_GLOBAL_CONTEXT=/wps/wcm/connect/SoCongThuong/Tin-Tuc/<slug>``
    (library and site area in display case);
  - "most read" portlet: an older ``!ut/p/c4/<state>/?WCM_PI=1&PC_7_<portlet>_WCM_CONTEXT=%2Fwps%2Fwcm%2Fconnect%2F…``
    (percent-encoded, portlet-scoped);
  - "Tin khác": Portal 8's friendly state ``…/!ut/p/z1/<state>/p0/IZ7_<id>=CZ6_<id>=MEurile=wcm%3Apath%3A%2F…!!/dz/d5/…/``;
  - "In bài": the WCM servlet with a print template,
    ``/wps/wcm/connect/socongthuong/tin-tuc/<slug>?presentationtemplate=SoCongThuong/PT-In-An``
    (without the parameter the servlet renders the default presentation);
* attachments: WCM file resources ``/wps/wcm/connect/<uuid>/<file>?MOD=AJPERES&CACHEID=ROOTWORKSPACE-<uuid>``;
* search (robots-disallowed): ``/wps/portal/socongthuong/tim-kiem``.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import ClassVar
from urllib.parse import quote, unquote, unquote_plus

from .base import (
    Attachment,
    Request,
    Response,
    SampleArticle,
    SampleSite,
    not_found,
    today_widget,
)

SITE_ROOT = "/wps/portal/socongthuong"
LISTING = f"{SITE_ROOT}/tin-tuc"
SEARCH = f"{SITE_ROOT}/tim-kiem"
LIBRARY, AREA = "SoCongThuong", "Tin-Tuc"
CONNECT = "/wps/wcm/connect"
PORTLET = "Z7_K8A2I0C0LGH1E0A9UM3GSQ3001"
MOST_READ_PORTLET = "Z7_K8A2I0C0LGH1E0A9UM3GSQ30G4"
MENU = "6b3f0e2c9d1a4f7e8b5c2a1d0e9f8a7b"
PAGE_PARAM = f"PC_7_{PORTLET}_WCM_Page.{MENU}"
PRINT_TEMPLATE = f"{LIBRARY}/PT-In-An"
#: The theme's "friendly" state tail (its decoded meaning: "no further state").
DZ = "/dz/d5/L2dBISEvZ0FBIS9nQSEh/"

_STATE = re.compile(r"/!ut/p/.*$", re.DOTALL)
_URILE = re.compile(r"urile=(wcm(?:%3A|:)path(?:%3A|:)[^!?#]+)", re.IGNORECASE)
_ATTACHMENT = re.compile(r"^/wps/wcm/connect/([0-9a-f-]{36})/([^/]+)$")

_HEAD = (
    '<link rel="stylesheet" href="/wps/contenthandler/!ut/p/digest!Qh2cPn4FJ9wYqKm0AgQ3Bw/sp/'
    'mashup:ra:collection?themeID=ZJ_CGAH47L00GV4D0A4LHBOR600G5&amp;locale=vi&amp;'
    'mime-type=text%2Fcss&amp;entry=wp_theme_portal_85__0.0%3Ahead_css">\n'
    '<script src="/wps/themeModules/js/ibmCfg.js"></script>\n'
    '<script>var ibmCfg = {"portalConfig": {"contentHandlerURI": '
    '"/wps/mycontenthandler/!ut/p/digest!Qh2cPn4FJ9wYqKm0AgQ3Bw/", "isVirtualPortal": true, '
    '"virtualPortalContext": "socongthuong"}, "themeConfig": {"themeRootURI": "/wps/themeModules"}};'
    "</script>\n"
)


def content_path(a: SampleArticle) -> str:
    """The WCM path of an article as the site's templates spell it (display case)."""
    return f"{LIBRARY}/{AREA}/{a.slug}"


def file_id(a: SampleArticle, index: int) -> str:
    return str(uuid.UUID(hashlib.md5(f"sct-nghean/{a.id}/{index}".encode()).hexdigest()))


class WebSphereSite(SampleSite):
    profile: ClassVar[str] = "websphere"
    name: ClassVar[str] = "Sở Công Thương Nghệ An"
    robots_disallow: ClassVar[tuple[str, ...]] = (SEARCH,)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.renders = 0

    # -- URLs ------------------------------------------------------------------------------

    def start_urls(self) -> list[str]:
        return [self.abs(LISTING)]

    def article_url(self, a: SampleArticle) -> str:
        return self.abs(f"{SITE_ROOT}?WCM_GLOBAL_CONTEXT={CONNECT}/{content_path(a).lower()}")

    def attachment_url(self, a: SampleArticle, att: Attachment) -> str:
        index = next((i for i, t in enumerate(a.attachments, 1) if t is att), 1)
        fid = file_id(a, index)
        return self.abs(f"{CONNECT}/{fid}/{att.filename}?MOD=AJPERES&CACHEID=ROOTWORKSPACE-{fid}")

    def _state(self, where: str) -> str:
        """An encoded navigational state: opaque, different for each page and render."""
        with self.lock:
            self.renders += 1
            n = self.renders
        digest = hashlib.sha1(f"{where}/{n}/{self.seed}".encode()).digest()
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        body = "".join(alphabet[b % 64] for b in digest * 3)
        return f"04_Sj9CPykssy0xPLMnMz0vMAfIjo8zi_Q{body}"

    def _listing_link(self, page: int, state: str) -> str:
        return f"{LISTING}/!ut/p/z1/{state}{DZ}?WCM_PI=1&amp;{PAGE_PARAM}={page}"

    def _item_link(self, a: SampleArticle, state: str) -> str:
        return f"{LISTING}/!ut/p/z1/{state}{DZ}?WCM_GLOBAL_CONTEXT={CONNECT}/{content_path(a)}"

    def _most_read_link(self, a: SampleArticle, state: str) -> str:
        ctx = quote(f"{CONNECT}/{content_path(a)}", safe="")
        return f"{SITE_ROOT}/!ut/p/c4/{state}/?WCM_PI=1&amp;PC_7_{MOST_READ_PORTLET}_WCM_CONTEXT={ctx}"

    def _related_link(self, a: SampleArticle, state: str) -> str:
        uri = quote(f"wcm:path:/{content_path(a).lower()}", safe="")
        return f"{LISTING}/!ut/p/z1/{state}/p0/IZ7_{PORTLET[3:]}=CZ6_{MENU[:12].upper()}=MEurile={uri}!!{DZ}"

    def _print_link(self, a: SampleArticle) -> str:
        return f"{CONNECT}/{content_path(a).lower()}?presentationtemplate={PRINT_TEMPLATE}"

    # -- page frame ------------------------------------------------------------------------

    def _frame(self, title: str, main: str, state: str, *, sidebar: bool = True) -> str:
        esc = self.esc
        menu = "".join(
            f'<li class="wpthemeNavListItem"><a class="wpthemeLeft" href="{SITE_ROOT}/{page}/!ut/p/z1/'
            f'{state}{DZ}">{label}</a></li>'
            for page, label in (
                ("trang-chu", "Trang chủ"), ("gioi-thieu", "Giới thiệu"), ("tin-tuc", "Tin tức - Sự kiện"),
                ("van-ban", "Văn bản"), ("thu-tuc-hanh-chinh", "Thủ tục hành chính"), ("lien-he", "Liên hệ"),
            )
        )
        side = ""
        if sidebar:
            items = "".join(
                f'<li><a href="{self._most_read_link(a, state)}">{esc(a.title)}</a></li>'
                for a in self.most_read()
            )
            side = (
                '<aside class="cot-phai wpthemeSecondaryContent">'
                '<section class="ibmPortalControl wpthemeControl tin-doc-nhieu" aria-label="Tin đọc nhiều">'
                f'<h2 class="wpthemeControlHeader">Tin đọc nhiều</h2><ul>{items}</ul></section>'
                '<div class="banner-quang-cao"><img src="/wps/wcm/connect/SoCongThuong/Banner/quang-cao.jpg'
                '?MOD=AJPERES" alt="Quảng cáo"></div></aside>'
            )
        return (
            '<!DOCTYPE html>\n<html lang="vi" class="lotusui30dojo tundra">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(title)} - {esc(self.name)}</title>\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"{_HEAD}</head>\n"
            '<body class="lotusui30 wpthemeBody">\n<div class="wpthemeFrame">\n'
            '<header class="wpthemeHeader">'
            f'<div class="wpthemeBanner"><img src="/wps/wcm/connect/SoCongThuong/Banner/banner-sct.jpg?MOD=AJPERES" '
            f'alt="{esc(self.name)}"></div>'
            f'<span class="ngay-hien-tai">{today_widget(self.today)}</span>'
            f'<div class="o-tim-kiem"><a href="{SEARCH}/!ut/p/z1/{state}{DZ}">Tìm kiếm</a></div>'
            f'<nav class="wpthemeNavContainer"><ul class="wpthemeNavList">{menu}</ul></nav></header>\n'
            '<div class="wpthemeCrumbTrail">Trang chủ &gt; Tin tức - Sự kiện</div>\n'
            '<div class="wpthemeMainContent"><div class="component-container wpthemeControl" '
            f'id="layoutContainers">{main}</div></div>\n'
            f"{side}\n"
            '<footer class="wpthemeFooter">'
            f"<p>{esc(self.name)} - Cổng thông tin điện tử tỉnh Nghệ An</p>"
            "<p>Địa chỉ: Số 13 đường Quang Trung, TP. Vinh, Nghệ An - Điện thoại: 0238.3844.xxx</p>"
            f'<span class="luot-truy-cap">Lượt truy cập: {self.hit()}</span></footer>\n'
            "</div>\n</body></html>"
        )

    # -- pages -----------------------------------------------------------------------------

    def _listing(self, page: int) -> Response:
        state = self._state(f"listing/{page}")
        esc = self.esc
        items = []
        for a in self.page_of(page):
            summary = " ".join(a.paragraphs[0].split()[:30]) + " ..." if a.paragraphs else ""
            items.append(
                '<div class="item-tin">'
                f'<a class="tieu-de" href="{self._item_link(a, state)}">{esc(a.title)}</a>'
                f'<span class="ngay">{a.published:%d/%m/%Y}</span>'
                f'<p class="tom-tat">{esc(summary)}</p></div>'
            )
        if not items:
            items.append('<p class="khong-co">Không có dữ liệu.</p>')
        pager = ""
        last = self.n_pages
        if page <= last and last > 1:
            def link(n: int, label: str) -> str:
                return f'<a href="{self._listing_link(n, state)}">{label}</a>'

            parts = []
            if page > 1:
                parts += [link(1, "Đầu"), link(page - 1, "«")]
            for n in range(max(1, page - 2), min(last, page + 2) + 1):
                parts.append(f'<span class="hien-tai">{n}</span>' if n == page else link(n, str(n)))
            if page < last:
                parts += [link(page + 1, "»"), link(last, "Cuối")]
            pager = f'<div class="phan-trang">{" ".join(parts)}</div>'
        main = (
            '<section class="ibmPortalControl wpthemeControl" aria-label="Web Content Viewer">'
            '<h2 class="tieu-de-muc">Tin tức - Sự kiện</h2>'
            f'<div class="wcm-danh-sach">{"".join(items)}</div>{pager}</section>'
        )
        return Response(200, self._frame("Tin tức - Sự kiện", main, state))

    def _source(self, a: SampleArticle) -> str:
        if not a.source:
            return ""
        line = a.source if a.source.lower().startswith("nguồn") else f"Nguồn: {a.source}"
        return f'<div class="nguon-tin">{self.esc(line)}</div>'

    def _files(self, a: SampleArticle) -> str:
        if not a.attachments:
            return ""
        links = "".join(
            f'<li><a href="{self.esc(self.attachment_url(a, t))}" target="_blank">{self.esc(t.filename)}</a></li>'
            for t in a.attachments
        )
        return f'<div class="tep-dinh-kem"><span>Tệp đính kèm:</span><ul>{links}</ul></div>'

    def _content(self, a: SampleArticle) -> str:
        """The content item as the presentation template renders it."""
        esc = self.esc
        body = "".join(f"<p>{esc(p)}</p>" for p in a.paragraphs)
        return (
            '<div class="wcm-chi-tiet">'
            f'<h1 class="tieu-de">{esc(a.title)}</h1>'
            f'<div class="ngay-dang">{self.dated_byline(a)}</div>'
            f'<div class="noi-dung">{body}</div>'
            f"{self._source(a)}{self._files(a)}"
            f'<div class="cong-cu"><a class="in-bai" href="{self._print_link(a)}">In bài</a></div>'
            "</div>"
        )

    def _article(self, a: SampleArticle) -> Response:
        state = self._state(f"article/{a.id}")
        esc = self.esc
        i = self.articles.index(a)
        others = self.articles[i + 1 : i + 6] or self.articles[max(0, i - 5) : i]
        related = "".join(
            f'<li><a href="{self._related_link(o, state)}">{esc(o.title)}</a> '
            f'<span class="ngay">({o.published:%d/%m/%Y})</span></li>'
            for o in others
        )
        main = (
            '<section class="ibmPortalControl wpthemeControl" aria-label="Web Content Viewer">'
            f"{self._content(a)}"
            f'<div class="tin-khac"><h3>Tin khác</h3><ul>{related}</ul></div></section>'
        )
        return Response(200, self._frame(a.title, main, state), last_modified=a.modified)

    def _servlet(self, a: SampleArticle, template: str | None) -> Response:
        """The WCM servlet's own rendering: the print template or the default presentation."""
        esc = self.esc
        cls = "in-an" if template else "wcm-mac-dinh"
        onload = ' onload="window.print();"' if template else ""
        html = (
            '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(a.title)} - {esc(self.name)}</title>\n</head>\n"
            f'<body class="{cls}"{onload}>\n'
            f'<div class="logo-in">{esc(self.name)}</div>{self._content(a)}\n</body></html>'
        )
        return Response(200, html, last_modified=a.modified)

    # -- routing ---------------------------------------------------------------------------

    @staticmethod
    def _args(req: Request) -> dict[str, str]:
        """Query parameters with lower-case names (WPS does not care)."""
        return {k.lower(): v[-1] for k, v in req.query.items() if v}

    def _by_path(self, text: str) -> SampleArticle | None:
        text = unquote(text)
        if text.lower().startswith("wcm:path:"):
            text = text[9:]
        names = [s for s in text.split("/") if s]
        if names[:3] and [n.lower() for n in names[:3]] == ["wps", "wcm", "connect"]:
            names = names[3:]
        if len(names) != 3 or [n.lower() for n in names[:2]] != [LIBRARY.lower(), AREA.lower()]:
            return None
        return self.by_slug(names[2].lower())

    def route(self, req: Request) -> Response:
        path = unquote(req.path)
        args = self._args(req)
        with self.lock:
            m = _ATTACHMENT.match(path)
            if m and args.get("mod", "").upper() == "AJPERES":
                for a in self.articles:
                    for i, att in enumerate(a.attachments, 1):
                        if file_id(a, i) == m.group(1) and att.filename == m.group(2):
                            return Response(
                                200, att.data, content_type=att.media_type, last_modified=a.published,
                                headers={"Content-Disposition": f'attachment; filename="{att.filename}"'},
                            )
                return not_found()
            if path.lower().startswith(CONNECT.lower() + "/"):
                a = self._by_path(path)
                if a is None:
                    return not_found("Nội dung không tồn tại.")
                return self._servlet(a, args.get("presentationtemplate"))
            uri = _URILE.search(req.path)
            page = _STATE.sub("", path).rstrip("/") or "/"
            page = re.sub(r"^/wps/myportal", "/wps/portal", page, flags=re.IGNORECASE)  # signed in
            if page.lower() not in (SITE_ROOT, LISTING, SEARCH):
                return not_found()
            context = args.get("wcm_global_context") or args.get("urile") or next(
                (v for k, v in args.items() if k.startswith("pc_") and k.endswith("_wcm_context")), None)
            if context is None and uri:
                context = unquote_plus(uri.group(1))
            if context is not None:
                a = self._by_path(context)
                return self._article(a) if a is not None else not_found("Nội dung không tồn tại.")
            if page.lower() == SEARCH:
                main = '<div class="ket-qua-tim-kiem">Nhập từ khóa để tìm kiếm.</div>'
                return Response(200, self._frame("Tìm kiếm", main, self._state("search"), sidebar=False))
            if page.lower() == LISTING:
                raw = args.get(PAGE_PARAM.lower(), "1")
                if not raw.isdigit() or int(raw) < 1:
                    return not_found()
                return self._listing(int(raw))
            return not_found()


SITE = WebSphereSite

__all__ = ["SITE", "WebSphereSite", "content_path", "file_id"]
