"""A Liferay 6.2 portal modelled on the seed site sct.binhduong.gov.vn.

Markup follows the real page (tests/data seed copy of /work/shared/samples/sct-binhduong/
article.html): the "Truy cập nội dung luôn" skip link, the ``Liferay.ThemeDisplay``
script, ``portlet-boundary`` divs, the header date widget (a journal-content portlet
``56_INSTANCE_ngayHienTai``), "bannerclient tạm thời không có." banners, a visit
counter table in the sidebar, and asset-publisher portlets (``101_INSTANCE_…``).

URL shapes (all served by :meth:`LiferaySite.route`):

* ``/web/guest/tin-tuc`` — the news listing: asset publisher ``101_INSTANCE_aB3dE`` in
  column-2, "abstracts" display, paged by its ``.taglib-page-iterator``
  (``?p_p_id=101_INSTANCE_aB3dE&p_p_lifecycle=0&p_p_state=normal&p_p_mode=view&
  p_p_col_id=column-2&p_p_col_count=1&_101_INSTANCE_aB3dE_delta=10&
  _101_INSTANCE_aB3dE_cur=N``; a page number past the end shows the last page, as
  Liferay's SearchContainer does; namespaced parameters only count for the portlet
  named by ``p_p_id``). Column-1 (before it in the document) holds a "Thông báo"
  asset publisher ``101_INSTANCE_Tb7Kp`` with its OWN ``_cur`` paging, and a
  "Tin đọc nhiều" list.
* ``/web/guest/tin-tuc/-/asset_publisher/aB3dE/content/<url-title>`` — an article
  (canonical); also under ``/web/guest/tin-tuc/-/asset_publisher/Tb7Kp/…`` and the home
  page's instance ``/web/guest/trang-chu/-/asset_publisher/Xy9Zq/content/<url-title>``;
  with ``?redirect=<listing URL>``, ``?_101_INSTANCE_aB3dE_redirect=…``,
  ``;jsessionid=…`` (URL rewriting while the client sends no JSESSIONID cookie),
  ``?viewMode=print`` / ``p_p_state=pop_up`` (print pop-up) and ``p_p_state=maximized``.
  Identity: the url-title.
* ``/web/guest/trang-chu`` (and ``/``, ``/web/guest``) — the home page, asset publisher
  ``101_INSTANCE_Xy9Zq``.
* ``/documents/10180/<folderId>/<filename>`` — Documents and Media attachments.
"""

from __future__ import annotations

import hashlib
from datetime import date
from urllib.parse import quote, unquote

from tests.sample_sites.base import (
    Request,
    Response,
    SampleArticle,
    SampleSite,
    not_found,
    redirect,
    today_widget,
)

GROUP_ID = 10180
MAIN = "aB3dE"  # news listing asset publisher on /web/guest/tin-tuc (column-2)
NOTICE = "Tb7Kp"  # "Thông báo" asset publisher on /web/guest/tin-tuc (column-1), own paging
HOME = "Xy9Zq"  # asset publisher on the home page /web/guest/trang-chu
#: (friendly page, asset publisher instance) pairs that can show an article
INSTANCES = {("tin-tuc", MAIN), ("tin-tuc", NOTICE), ("trang-chu", HOME)}
NOTICE_DELTA = 5
DELTAS = (5, 10, 20, 30, 50, 75)
CONTENT_TYPE = "text/html;charset=UTF-8"
PORTAL_HEADER = "Liferay Portal Community Edition 6.2 CE GA6 (Newton / Build 6205 / January 6, 2016)"


def _dmy(d: date, sep: str = "/") -> str:
    return f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}"


def _amp(url: str) -> str:
    return url.replace("&", "&amp;")


class LiferaySite(SampleSite):
    profile = "liferay"
    name = "Sở Công Thương Bình Dương"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.session_id = hashlib.md5(f"liferay-{self.seed}".encode()).hexdigest().upper()

    # -- URLs ------------------------------------------------------------------------------

    def start_urls(self) -> list[str]:
        return [self.abs("/web/guest/tin-tuc")]

    def article_url(self, a: SampleArticle) -> str:
        return self.abs(f"/web/guest/tin-tuc/-/asset_publisher/{MAIN}/content/{a.slug}")

    def content_url(self, a: SampleArticle, page: str = "tin-tuc", inst: str = MAIN, sess: str = "") -> str:
        return self.abs(f"/web/guest/{page}/-/asset_publisher/{inst}/content/{a.slug}{sess}")

    def print_url(self, a: SampleArticle) -> str:
        """The seed's "In trang" link."""
        return self.article_url(a) + "?redirect=%2Fweb%2Fguest%2Ftin-tuc&inheritRedirect=true&viewMode=print"

    def popup_print_url(self, a: SampleArticle) -> str:
        ns = f"_101_INSTANCE_{MAIN}_"
        return (
            self.article_url(a) + f"?p_p_id=101_INSTANCE_{MAIN}&p_p_lifecycle=0&p_p_state=pop_up"
            f"&p_p_mode=view&{ns}viewMode=print&{ns}redirect=%2Fweb%2Fguest%2Ftin-tuc"
        )

    def listing_url(self, cur: int, delta: int | None = None, sess: str = "") -> str:
        ns = f"_101_INSTANCE_{MAIN}_"
        return self.abs(
            f"/web/guest/tin-tuc{sess}?p_p_id=101_INSTANCE_{MAIN}&p_p_lifecycle=0&p_p_state=normal"
            f"&p_p_mode=view&p_p_col_id=column-2&p_p_col_count=1"
            f"&{ns}delta={delta or self.page_size}&{ns}cur={cur}"
        )

    def notice_url(self, cur: int, sess: str = "") -> str:
        ns = f"_101_INSTANCE_{NOTICE}_"
        return self.abs(
            f"/web/guest/tin-tuc{sess}?p_p_id=101_INSTANCE_{NOTICE}&p_p_lifecycle=0&p_p_state=normal"
            f"&p_p_mode=view&p_p_col_id=column-1&p_p_col_pos=0&p_p_col_count=3"
            f"&{ns}delta={NOTICE_DELTA}&{ns}cur={cur}"
        )

    def attachment_url(self, a, att) -> str:
        return self.abs(f"/documents/{GROUP_ID}/{20500 + a.id}/{att.filename}")

    def notices(self) -> list[SampleArticle]:
        """What the "Thông báo" portlet lists (its own selection, newest first)."""
        return [a for a in self.articles if a.id % 4 == 0]

    # -- routing ---------------------------------------------------------------------------

    def route(self, req: Request) -> Response:
        path = unquote(req.path)
        if ";" in path:  # ;jsessionid=… (URL rewriting)
            head, _, rest = path.partition(";")
            path = head + (rest[rest.index("/"):] if "/" in rest else "")
        if req.method not in ("GET", "HEAD"):
            return Response(405, "Method Not Allowed", content_type="text/plain")
        with self.lock:
            if path.startswith("/documents/"):
                return self.serve_attachment(req) or not_found()
            if path in ("/", "/web/guest", "/web/guest/"):
                return redirect(self.abs("/web/guest/trang-chu"), 302)
            cookie = req.headers.get("cookie", "")
            sess = "" if "JSESSIONID=" in cookie.upper() else f";jsessionid={self.session_id}"
            if path == "/web/guest/trang-chu":
                return self._page(self._home(req, sess), req, sess)
            if path == "/web/guest/tin-tuc":
                return self._page(self._listing(req, sess), req, sess)
            parts = path.split("/")
            # ['', 'web', 'guest', page, '-', 'asset_publisher', inst, 'content', url-title]
            if (
                len(parts) == 9 and parts[1:3] == ["web", "guest"] and parts[4:6] == ["-", "asset_publisher"]
                and parts[7] == "content" and (parts[3], parts[6]) in INSTANCES
            ):
                a = self.by_slug(parts[8])
                if a is None:
                    return not_found("Không tìm thấy tài nguyên được yêu cầu.")
                return self._article(req, a, parts[3], parts[6], sess)
            return not_found()

    def _response(self, html: str, sess: str, last_modified=None) -> Response:
        headers = {"Liferay-Portal": PORTAL_HEADER}
        if sess:
            headers["Set-Cookie"] = f"JSESSIONID={self.session_id}; Path=/; HttpOnly"
        return Response(200, html, content_type=CONTENT_TYPE, headers=headers, last_modified=last_modified)

    # -- page furniture --------------------------------------------------------------------

    def _head(self, title: str, canonical: str, plid: int, portlets: str) -> str:
        e = self.esc
        return (
            '<!DOCTYPE html>\n<html class="aui ltr" dir="ltr" lang="vi-VN">\n<head>\n'
            f"<title>{e(title)} - {e(self.name)}</title>\n"
            '<meta content="initial-scale=1.0, width=device-width" name="viewport" />\n'
            '<meta content="text/html; charset=UTF-8" http-equiv="content-type" />\n'
            '<link href="/sct-theme/images/favicon.ico" rel="Shortcut Icon" />\n'
            f'<link href="{_amp(canonical)}" rel="canonical" />\n'
            '<link href="/html/css/main.css?browserId=other&amp;themeId=sct_WAR_scttheme&amp;languageId=vi_VN'
            '&amp;b=6210&amp;t=1543800000000" rel="stylesheet" type="text/css" />\n'
            '<link class="lfr-css-file" href="/sct-theme/css/main.css?browserId=other&amp;themeId=sct_WAR_scttheme'
            '&amp;languageId=vi_VN&amp;b=6210&amp;t=1543800000000" rel="stylesheet" type="text/css" />\n'
            '<script src="/html/js/barebone.jsp?browserId=other&amp;themeId=sct_WAR_scttheme&amp;colorSchemeId=01'
            '&amp;minifierType=js&amp;minifierBundleId=javascript.barebone.files&amp;languageId=vi_VN&amp;b=6210'
            '&amp;t=1543800000000" type="text/javascript"></script>\n'
            '<script type="text/javascript">var Liferay={Browser:{},Portlet:{}};'
            "var themeDisplay = Liferay.ThemeDisplay = {getCompanyId: function() {return \"10154\";}, "
            f'getPlid: function() {{return "{plid}";}}, getScopeGroupId: function() {{return "{GROUP_ID}";}}, '
            'getLanguageId: function() {return "vi_VN";}, getPathMain: function() {return "/c";}, '
            'getPathThemeImages: function() {return "/sct-theme/images";}, '
            'isSignedIn: function() {return false;}};'
            "Liferay.authToken = \"x7QpZk2b\";Liferay.currentURL = \"\\x2fweb\\x2fguest\";"
            f"Liferay.Portlet.list = [{portlets}];</script>\n"
            "</head>\n"
        )

    def _header(self, sess: str, selected: str) -> str:
        def item(page: str, label: str) -> str:
            cls = ' class="selected"' if page == selected else ""
            return (
                f'<li{cls} role="presentation"><a href="{self.abs("/web/guest/" + page + sess)}" '
                f'role="menuitem"><span>{label}</span></a></li>\n'
            )

        return (
            '<body class="yui3-skin-sam controls-visible guest-site signed-out public-page site">\n'
            '<a href="#main-content" id="skip-to-content">Truy cập nội dung luôn</a>\n'
            '<div class="container-fluid" id="wrapper">\n<header id="banner" role="banner">\n'
            '<div id="heading"><h1 class="site-title"><a class="logo custom-logo" href="/web/guest/trang-chu" '
            'title="Đi đến Sở công thương Bình dương"><img alt="Sở công thương Bình dương" height="90" '
            'src="/image/company_logo?img_id=10801&amp;t=1543800000000" width="120" /></a>\n'
            '<span class="site-name" title="Đi đến Sở công thương Bình dương">Sở công thương Bình dương</span></h1>\n'
            '<h2 class="site-name-en">Binh duong department of Industry and trade</h2></div>\n'
            '<div class="portlet-boundary portlet-boundary_56_ portlet-static portlet-static-end '
            'portlet-journal-content" id="p_p_id_56_INSTANCE_ngayHienTai_"><div class="journal-content-article">'
            f'<span class="current-date">{today_widget(self.today)}</span></div></div>\n'
            '<div class="portlet-boundary portlet-boundary_3_ portlet-static portlet-static-end portlet-search" '
            'id="p_p_id_3_"><form action="/tim-kiem" method="get" name="_3_fm">'
            '<input name="q" placeholder="Tìm kiếm..." title="Tìm kiếm" type="text" value="" />'
            '<button class="btn" type="submit">Tìm</button></form>'
            '<a href="/tim-kiem?q=khuy%E1%BA%BFn+c%C3%B4ng">Tìm kiếm nâng cao</a></div>\n'
            '<nav class="sort-pages modify-pages" id="navigation" role="navigation">'
            '<ul aria-label="Các trang" role="menubar">\n'
            + item("trang-chu", "Trang chủ") + item("gioi-thieu", "Giới thiệu")
            + item("tin-tuc", "Tin tức - Sự kiện") + item("khuyen-cong", "Khuyến công")
            + item("van-ban", "Văn bản pháp quy") + item("lien-he", "Liên hệ")
            + "</ul></nav>\n</header>\n"
        )

    def _footer(self) -> str:
        return (
            '<footer id="footer" role="contentinfo"><p>SỞ CÔNG THƯƠNG TỈNH BÌNH DƯƠNG</p>'
            "<p>Địa chỉ: Tầng 7, tháp A, Trung tâm Hành chính tập trung tỉnh Bình Dương</p>"
            "<p>Điện thoại: (0274) 3822 525 - Fax: (0274) 3823 463 - Email: sct@binhduong.gov.vn</p>"
            "<p>Ghi rõ nguồn &quot;Sở Công Thương Bình Dương&quot; khi phát hành lại thông tin từ website này.</p>"
            "</footer>\n</div>\n"
            '<script type="text/javascript">AUI().use("aui-base", "liferay-menu", "liferay-notice", '
            '"liferay-poller", function(A) {(function() {Liferay.Util.addInputType();'
            "Liferay.Portlet.ready(function(portletId, node) {Liferay.Util.addInputType(node);});})();});"
            "</script>\n</body>\n</html>\n"
        )

    def _sidebar(self, req: Request, sess: str, current_url: str) -> str:
        """Column-1: "Thông báo" (own paging), "Tin đọc nhiều", banners, counter table."""
        e = self.esc
        out = ['<div class="portlet-column portlet-column-first span4" id="column-1">'
               '<div class="portlet-dropzone portlet-column-content portlet-column-content-first" '
               'id="layout-column_column-1">\n']
        # "Thông báo": a title-list asset publisher with "simple" paging of its own
        notices = self.notices()
        n_pages = max(1, -(-len(notices) // NOTICE_DELTA))
        cur = 1
        if req.arg("p_p_id") == f"101_INSTANCE_{NOTICE}":
            raw = req.arg(f"_101_INSTANCE_{NOTICE}_cur", "1") or "1"
            cur = min(max(int(raw) if raw.isdigit() else 1, 1), n_pages)
        red = quote(current_url, safe="")
        out.append(
            '<div class="portlet-boundary portlet-boundary_101_ portlet-static portlet-static-end '
            f'portlet-asset-publisher" id="p_p_id_101_INSTANCE_{NOTICE}_"><span id="p_101_INSTANCE_{NOTICE}"></span>'
            f'<section class="portlet" id="portlet_101_INSTANCE_{NOTICE}"><header class="portlet-topper">'
            '<h2 class="portlet-title"><span class="portlet-title-text">Thông báo</span></h2></header>'
            '<div class="portlet-content"><div class="portlet-body"><ul class="title-list">\n'
        )
        for a in notices[(cur - 1) * NOTICE_DELTA : cur * NOTICE_DELTA]:
            href = self.content_url(a, "tin-tuc", NOTICE, sess) + f"?_101_INSTANCE_{NOTICE}_redirect={red}"
            out.append(f'<li class="title-list journal-article"><a href="{_amp(href)}">{e(a.title)}</a></li>\n')
        prev = f'<a href="{_amp(self.notice_url(cur - 1, sess))}">' if cur > 1 else '<a href="javascript:;">'
        nxt = f'<a href="{_amp(self.notice_url(cur + 1, sess))}">' if cur < n_pages else '<a href="javascript:;">'
        out.append(
            '</ul><div class="taglib-page-iterator" id="_101_INSTANCE_' + NOTICE + '_ocerSearchContainerPageIterator">'
            '<ul class="lfr-pagination-buttons pager">'
            f'<li class="first{"" if cur > 1 else " disabled"}">{prev}&larr; Trước</a></li>'
            f'<li class="last{"" if cur < n_pages else " disabled"}">{nxt}Sau &rarr;</a></li>'
            "</ul></div></div></div></section></div>\n"
        )
        # "Tin đọc nhiều": links to the HOME page's portlet instance, with redirect=
        out.append(
            '<div class="portlet-boundary portlet-boundary_101_ portlet-static portlet-asset-publisher most-viewed" '
            'id="p_p_id_101_INSTANCE_Mv3Rd_"><section class="portlet"><header class="portlet-topper">'
            '<h2 class="portlet-title"><span class="portlet-title-text">Tin đọc nhiều</span></h2></header>'
            '<div class="portlet-content"><div class="portlet-body"><ul class="title-list">\n'
        )
        home_red = quote(self.abs("/web/guest/trang-chu"), safe="")
        for a in self.most_read():
            href = self.content_url(a, "trang-chu", HOME) + f"?redirect={home_red}"
            out.append(f'<li class="title-list"><a href="{_amp(href)}">{e(a.title)}</a></li>\n')
        out.append("</ul></div></div></section></div>\n")
        # banners and the visit counter (a table, as on the real sites)
        hits = self.hit()
        out.append(
            '<div class="portlet-boundary portlet-boundary_56_ portlet-journal-content"><div class="journal-content-article">'
            '<div class="bannerclient">bannerclient tạm thời không có.</div></div></div>\n'
            '<div class="portlet-boundary portlet-boundary_56_ portlet-journal-content"><div class="journal-content-article">'
            '<table border="0" cellpadding="1" cellspacing="1" class="lien-ket-web" style="width: 100%;"><tbody>'
            '<tr><td><a href="http://www.moit.gov.vn" target="_blank">Bộ Công Thương</a></td></tr>'
            '<tr><td><a href="http://www.binhduong.gov.vn" target="_blank">Cổng thông tin tỉnh Bình Dương</a></td></tr>'
            "</tbody></table></div></div>\n"
            '<div class="portlet-boundary portlet-boundary_hitcounter_WAR_hitcounterportlet_ portlet-static" '
            'id="p_p_id_hitcounter_WAR_hitcounterportlet_"><div class="portlet-body">'
            '<table class="thong-ke-truy-cap"><tbody>'
            f"<tr><td>Đang truy cập:</td><td>{hits % 37 + 3}</td></tr>"
            f"<tr><td>Lượt truy cập:</td><td>{hits}</td></tr>"
            "</tbody></table></div></div>\n"
            '<div class="portlet-boundary portlet-boundary_56_ portlet-journal-content"><div class="journal-content-article">'
            '<div class="bannerclient">bannerclient tạm thời không có.</div></div></div>\n'
            "</div></div>\n"
        )
        return "".join(out)

    def _page(self, parts: tuple[str, str, str, str, str], req: Request, sess: str) -> Response:
        title, canonical, main, selected, current_url = parts
        html = (
            self._head(title, canonical, 10803 if selected == "tin-tuc" else 10801,
                       f'"101_INSTANCE_{NOTICE}","101_INSTANCE_{MAIN}","56_INSTANCE_ngayHienTai"')
            + self._header(sess, selected)
            + '<div id="content">\n<div class="columns-2" id="main-content" role="main">\n'
            '<div class="portlet-layout row-fluid">\n'
            + self._sidebar(req, sess, current_url)
            + '<div class="portlet-column portlet-column-last span8" id="column-2">'
            '<div class="portlet-dropzone portlet-column-content portlet-column-content-last" '
            'id="layout-column_column-2">\n'
            + main
            + "</div></div>\n</div></div></div>\n"
            + self._footer()
        )
        return self._response(html, sess)

    # -- listings --------------------------------------------------------------------------

    def _abstract(self, a: SampleArticle, page: str, inst: str, sess: str, red: str) -> str:
        e = self.esc
        words = a.paragraphs[0].split() if a.paragraphs else []
        summary = " ".join(words[:30]) + (" ..." if len(words) > 30 else "")
        view = self.content_url(a, page, inst, sess) + f"?redirect={red}"
        more = self.content_url(a, page, inst, sess) + f"?_101_INSTANCE_{inst}_redirect={red}"
        d = a.published
        return (
            '<div class="asset-abstract default-asset-publisher">\n'
            f'<h3 class="asset-title"><a href="{_amp(view)}"><img alt="" src="/sct-theme/images/file_system/'
            f'small/article.png" /> {e(a.title)}</a></h3>\n'
            f'<div class="asset-content"><div class="asset-summary">{e(summary)}</div>'
            f'<div class="asset-more"><a href="{_amp(more)}">Xem thêm <span class="hide-accessible">về '
            f"{e(a.title)}</span> »</a></div></div>\n"
            '<div class="asset-metadata"><span class="metadata-entry metadata-publish-date">'
            f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}</span></div>\n</div>\n"
        )

    def _page_iterator(self, cur: int, n_pages: int, delta: int, total: int, sess: str) -> str:
        ns = f"_101_INSTANCE_{MAIN}_"
        first = (cur - 1) * delta
        opts = "".join(
            f'<li role="presentation"><a class="taglib-icon" href="{_amp(self.listing_url(i, delta, sess))}" '
            f'role="menuitem"><span class="taglib-text-icon">{i}</span></a></li>'
            for i in range(1, n_pages + 1)
        )
        delta_base = self.listing_url(1, delta, sess).rsplit("&", 2)[0]  # cur and delta removed
        deltas = "".join(
            f'<li role="presentation"><a class="taglib-icon" href="{_amp(delta_base)}&amp;{ns}delta={d}" '
            f'role="menuitem"><span class="taglib-text-icon">{d}</span></a></li>'
            for d in DELTAS
        )

        def button(cls: str, target: int, enabled: bool, label: str) -> str:
            if enabled:
                return f'<li class="{cls}"><a href="{_amp(self.listing_url(target, delta, sess))}">{label}</a></li>'
            return f'<li class="{cls} disabled"><a href="javascript:;">{label}</a></li>'

        return (
            f'<div class="taglib-page-iterator" id="{ns}ocerSearchContainerPageIterator">'
            '<div class="clearfix lfr-pagination"><div class="lfr-pagination-config">'
            '<div class="lfr-pagination-page-selector"><div class="btn-group lfr-icon-menu current-page-menu">'
            '<a class="dropdown-toggle direction-down max-display-items-15 btn" href="javascript:;">'
            f'<span class="lfr-icon-menu-text">Trang {cur} của {n_pages}</span> <i class="caret"></i></a>'
            f'<ul class="dropdown-menu lfr-menu-list direction-down" role="menu">{opts}</ul></div></div>'
            '<div class="lfr-pagination-delta-selector"><div class="btn-group lfr-icon-menu">'
            '<a class="dropdown-toggle direction-down max-display-items-15 btn" href="javascript:;">'
            f'<span class="lfr-icon-menu-text">{delta} Mục trên một trang</span> <i class="caret"></i></a>'
            f'<ul class="dropdown-menu lfr-menu-list direction-down" role="menu">{deltas}</ul></div></div></div>'
            f'<small class="search-results">Hiển thị {first + 1 if total else 0} - {min(first + delta, total)} '
            f"trong số {total} kết quả.</small>"
            '<ul class="lfr-pagination-buttons pager">'
            + button("first", 1, cur > 1, "&larr; Đầu")
            + button("", cur - 1, cur > 1, "Trước")
            + button("", cur + 1, cur < n_pages, "Trang sau")
            + button("last", n_pages, cur < n_pages, "Cuối &rarr;")
            + "</ul></div></div>\n"
        )

    def _portlet(self, inst: str, body: str, title: str | None = None) -> str:
        topper = (
            f'<header class="portlet-topper"><h2 class="portlet-title"><span class="portlet-title-text">{title}'
            "</span></h2></header>" if title else ""
        )
        return (
            '<div class="portlet-boundary portlet-boundary_101_ portlet-static portlet-static-end '
            f'portlet-asset-publisher" id="p_p_id_101_INSTANCE_{inst}_">\n<span id="p_101_INSTANCE_{inst}"></span>\n'
            f'<section class="portlet" id="portlet_101_INSTANCE_{inst}">{topper}<div class="portlet-content">'
            f'<div class="portlet-body">\n{body}</div></div></section></div>\n'
        )

    def _listing(self, req: Request, sess: str) -> tuple[str, str, str, str, str]:
        ns = f"_101_INSTANCE_{MAIN}_"
        delta, cur = self.page_size, 1
        if req.arg("p_p_id") == f"101_INSTANCE_{MAIN}":  # namespaced params count for the target only
            raw_delta = req.arg(ns + "delta", "") or ""
            if raw_delta.isdigit() and 0 < int(raw_delta) <= 200:
                delta = int(raw_delta)
            raw = req.arg(ns + "cur", "1") or "1"
            cur = int(raw) if raw.isdigit() else 1
        total = len(self.articles)
        n_pages = max(1, -(-total // delta))
        cur = min(max(cur, 1), n_pages)  # past the end: the last page (SearchContainer)
        current = self.listing_url(cur, delta) if cur > 1 or delta != self.page_size else self.abs("/web/guest/tin-tuc")
        red = quote(current, safe="")
        items = "".join(
            self._abstract(a, "tin-tuc", MAIN, sess, red) for a in self.articles[(cur - 1) * delta : cur * delta]
        )
        body = items + self._page_iterator(cur, n_pages, delta, total, sess)
        main = self._portlet(MAIN, body, "Tin tức - Sự kiện")
        return "Tin tức - Sự kiện", self.abs("/web/guest/tin-tuc"), main, "tin-tuc", current

    def _home(self, req: Request, sess: str) -> tuple[str, str, str, str, str]:
        current = self.abs("/web/guest/trang-chu")
        red = quote(current, safe="")
        items = "".join(self._abstract(a, "trang-chu", HOME, sess, red) for a in self.articles[:5])
        main = self._portlet(HOME, items, "Tin mới")
        return "Trang chủ", current, main, "trang-chu", current

    # -- articles --------------------------------------------------------------------------

    def _byline(self, a: SampleArticle) -> str:
        p = a.published
        if a.id % 3 == 0:
            text = f"Ngày đăng: {_dmy(p)} {p.hour:02d}:{p.minute:02d}"
        else:
            text = _dmy(p, "-")
        if a.updated:
            u = a.updated
            text += f" | Cập nhật: {_dmy(u)} {u.hour:02d}:{u.minute:02d}"
        return f'<div class="news-date">{text}</div>\n'

    def _full_content(self, a: SampleArticle, inst: str, back: str, print_view: bool) -> str:
        e = self.esc
        paras = "".join(f"<p>{e(p)}</p>\n" for p in a.paragraphs)
        source = ""
        if a.source:
            label = a.source if a.source.lower().startswith(("nguồn", "theo")) else f"Nguồn tin: {a.source}"
            source = f'<div class="news-source" style="text-align: right;"><strong>{e(label)}</strong></div>\n'
        files = ""
        if a.attachments:
            files = (
                '<div class="dinh-kem"><span class="dinh-kem-title">Tài liệu đính kèm:</span><ul>'
                + "".join(
                    f'<li><img alt="" src="/html/themes/classic/images/file_system/small/'
                    f'{t.filename.rsplit(".", 1)[-1]}.png" /> <a href="{self.attachment_url(a, t)}">'
                    f"{e(t.filename)}</a> ({40 + 7 * len(t.filename)}k)</li>"  # data is built lazily: not read here
                    for t in a.attachments
                )
                + "</ul></div>\n"
            )
        if print_view:  # the print pop-up titles the asset itself
            header = ""
            title_in = f'<h3 class="asset-title">{e(a.title)}</h3>\n'
            links = ('<div class="asset-links print-action"><a href="javascript:print();">'
                     '<span class="taglib-text">In</span></a></div>\n')
        else:
            header = (
                f'<div class="taglib-header "><span class="header-back-to"><a class="icon-circle-arrow-left '
                f'previous-level" href="{_amp(back)}" title="Quay lại"><span class="helper-hidden-accessible">'
                f'Quay lại</span></a></span>\n<h3 class="header-title"><span>{e(a.title)}</span></h3></div>\n'
            )
            title_in = ""
            links = f'<div class="asset-links"><a href="{_amp(self.print_url(a))}">In trang</a></div>\n'
        return (
            header
            + '<div class="asset-full-content default-asset-publisher no-title">\n'
            + title_in
            + f'<div class="asset-content" id="_101_INSTANCE_{inst}_{a.slug}"><div class="journal-content-article">\n'
            + self._byline(a) + paras + source
            + "</div></div>\n" + files + links
            + '<div class="asset-metadata"><span class="metadata-entry metadata-view-count">'
            f"{self.views} Lượt xem</span></div>\n"
            + "</div>\n"
        )

    def _related(self, a: SampleArticle, sess: str) -> str:
        idx = next((i for i, x in enumerate(self.articles) if x.id == a.id), 0)
        others = [x for x in self.articles[idx + 1 : idx + 6]] or self.articles[:5]
        items = "".join(
            f'<li><a href="{_amp(self.content_url(x, "tin-tuc", MAIN, sess))}?p_p_state=maximized&amp;'
            f'redirect=%2Fweb%2Fguest%2Ftin-tuc">{self.esc(x.title)}</a> '
            f'<span class="date">({_dmy(x.published)})</span></li>'
            for x in others if x.id != a.id
        )
        return f'<div class="tin-lien-quan"><h4>Các tin khác</h4><ul>{items}</ul></div>\n'

    def _article(self, req: Request, a: SampleArticle, page: str, inst: str, sess: str) -> Response:
        ns = f"_101_INSTANCE_{inst}_"
        state = req.arg("p_p_state", "normal")
        print_view = req.arg("viewMode") == "print" or req.arg(ns + "viewMode") == "print" or state == "pop_up"
        back = req.arg("redirect") or req.arg(ns + "redirect") or self.abs(f"/web/guest/{page}")
        canonical = self.content_url(a, page, inst)
        full = self._full_content(a, inst, back, print_view)
        if print_view:
            self.hit()
            html = (
                self._head(a.title, canonical, 10803, f'"101_INSTANCE_{inst}"')
                + '<body class="portal-popup yui3-skin-sam">\n<div class="portlet-boundary portlet-boundary_101_ '
                f'portlet-asset-publisher" id="p_p_id_101_INSTANCE_{inst}_"><div class="portlet-body">\n'
                + full
                + '</div></div>\n<script type="text/javascript">print();</script>\n</body>\n</html>\n'
            )
            return self._response(html, sess, a.modified)
        main = self._portlet(inst, full + self._related(a, sess))
        if state == "maximized":  # the portlet alone, full width
            self.hit()
            html = (
                self._head(a.title, canonical, 10803, f'"101_INSTANCE_{inst}"')
                + self._header(sess, page)
                + '<div id="content">\n<div class="portlet-layout" id="main-content" role="main">\n'
                + main + "</div></div>\n" + self._footer()
            )
            return self._response(html, sess, a.modified)
        resp = self._page((a.title, canonical, main, page, self.article_url(a)), req, sess)
        resp.last_modified = a.modified
        return resp


SITE = LiferaySite
