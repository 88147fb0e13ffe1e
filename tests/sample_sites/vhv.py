"""A VHV CMS portal, as the Ministry of Industry and Trade (moit.gov.vn) runs it.

VHV (VHV Corp.'s Vietnamese CMS) renders every page from "modules"
(``<div class="vhv-module …" data-module="Content.Listing">``) with scripts under
``/3rdparty/`` and a global ``VHV`` JavaScript object (``window.VHV = …``,
``VHV.Model('Content.Detail')``). What this sample models:

* the news section ``/tin-tuc`` (also ``/tin-tuc.html``): the first
  :attr:`page_size` articles, newest first. Its pagination links
  (``/tin-tuc.html?page=N``) are a trap: the server IGNORES ``page`` and always
  renders page 1 — the browser pages through the listing module's JSON API instead,
  whose address and category the module carries
  (``data-api="/api/news/list" data-category="12" data-page-size="10"``);
* the listing API: ``POST /api/news/list`` with a JSON body
  ``{"categoryId": 12, "page": N, "pageSize": S}`` answering
  ``{"items": [{"id", "title", "url", "publishedAt": "dd/mm/yyyy HH:MM", "summary"}],
  "total": T, "page": N, "pageSize": S}``; anything but a JSON POST is refused;
* articles at ``/tin-tuc/<chuyen-muc>/<slug>-<id>.html``: the numeric id is the
  identity — any slug or section with the same id renders the same article (the
  "Tin liên quan" links use a shortened slug), as do ``?print=1`` (the "In trang"
  view) and tracking parameters (the "Tin đọc nhiều" sidebar);
* the article: ``h1.article-title``, a byline ``span.post-date`` "Thứ 5, 09/07/2026 |
  15:19" (weekday "Thứ 2"…"Thứ 7", "CN"), ``div.article-content`` opening with a bold lead
  paragraph (``p.article-sapo``), the source as a right-aligned
  ``p.article-author`` closing the body, attachments in ``.article-attachments``
  (files under ``/upload/news/<id>/``), and a ``<link rel="canonical">``;
* UTF-8 with the charset in the Content-Type header.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from tests.sample_sites.base import (
    Attachment,
    Request,
    Response,
    SampleArticle,
    SampleSite,
    not_found,
    today_widget,
)

#: (path segment, name) of the Ministry's news sections; an article's section follows from its id.
SECTIONS = (
    ("thi-truong-trong-nuoc", "Thị trường trong nước"),
    ("phat-trien-nang-luong", "Phát triển năng lượng"),
    ("quoc-te", "Hợp tác quốc tế"),
    ("hoat-dong", "Hoạt động của Bộ"),
    ("thong-bao", "Thông báo"),
)
CATEGORY_ID = 12
API_PATH = "/api/news/list"
LISTING_PATHS = ("/tin-tuc", "/tin-tuc.html")

_ARTICLE = re.compile(r"^/(?:tin-tuc|bao-chi-truyen-thong)/(?:[a-z0-9-]+/)?[a-z0-9-]*?-?(\d+)\.html$")

_MENU = (
    ("/", "Trang chủ"), ("/gioi-thieu.html", "Giới thiệu"), ("/tin-tuc", "Tin tức"),
    ("/van-ban-phap-luat.html", "Văn bản pháp luật"), ("/thu-tuc-hanh-chinh.html", "Thủ tục hành chính"),
    ("/bao-chi-truyen-thong.html", "Báo chí truyền thông"), ("/lien-he.html", "Liên hệ"),
)


def _short_weekday(when: datetime) -> str:
    wd = when.weekday()
    return "CN" if wd == 6 else f"Thứ {wd + 2}"


class VhvSite(SampleSite):
    profile = "vhv"
    name = "Bộ Công Thương"

    # -- URLs ------------------------------------------------------------------------------

    @staticmethod
    def section(a: SampleArticle) -> tuple[str, str]:
        return SECTIONS[a.id % len(SECTIONS)]

    def article_path(self, a: SampleArticle) -> str:
        return f"/tin-tuc/{self.section(a)[0]}/{a.slug}-{a.id}.html"

    def article_url(self, a: SampleArticle) -> str:
        return self.abs(self.article_path(a))

    def start_urls(self) -> list[str]:
        return [self.abs("/tin-tuc")]

    def attachment_url(self, a: SampleArticle, att: Attachment) -> str:
        return self.abs(f"/upload/news/{a.id}/{att.filename}")

    def variants(self, a: SampleArticle) -> list[str]:
        """Other URLs of article ``a`` that this site links to (all render it)."""
        path = self.article_path(a)
        short = "-".join(a.slug.split("-")[:4])
        return [
            f"{path}?utm_source=mostread&utm_medium=sidebar",
            f"{path}?print=1",
            f"/tin-tuc/{self.section(a)[0]}/{short}-{a.id}.html",
            f"/bao-chi-truyen-thong/{a.slug}-{a.id}.html",
        ]

    # -- routing ---------------------------------------------------------------------------

    def route(self, req: Request) -> Response:
        path = req.path
        if path in LISTING_PATHS:
            # ?page=N is accepted and ignored: the listing module always starts at page 1
            return Response(200, self.render_listing()) if req.method == "GET" else not_found()
        if path == API_PATH:
            return self.api(req)
        m = _ARTICLE.match(path)
        if m and req.method == "GET":
            a = self.by_id(int(m.group(1)))
            if a is None:
                return not_found()
            html = self.render_print(a) if req.arg("print") == "1" else self.render_article(a)
            return Response(200, html, last_modified=a.modified)
        if path.startswith("/upload/"):
            served = self.serve_attachment(req)
            if served is not None:
                return served
        return not_found()

    def api(self, req: Request) -> Response:
        if req.method != "POST":
            return Response(405, '{"error": "method not allowed"}', content_type="application/json; charset=utf-8",
                            headers={"Allow": "POST"})
        try:
            body = req.json()
            category = int(body.get("categoryId", 0))
            page = max(1, int(body.get("page", 1)))
            size = min(50, max(1, int(body.get("pageSize", self.page_size))))
        except (ValueError, TypeError, AttributeError):
            return Response(400, '{"error": "bad request"}', content_type="application/json; charset=utf-8")
        with self.lock:
            items = self.articles if category == CATEGORY_ID else []
            total = len(items)
            chunk = items[(page - 1) * size : page * size]
            data = {
                "items": [
                    {
                        "id": a.id,
                        "title": a.title,
                        "url": self.article_path(a),
                        "publishedAt": a.published.strftime("%d/%m/%Y %H:%M"),
                        "summary": self.summary(a),
                        "category": self.section(a)[1],
                    }
                    for a in chunk
                ],
                "total": total,
                "page": page,
                "pageSize": size,
            }
        return Response(200, json.dumps(data, ensure_ascii=False), content_type="application/json; charset=utf-8")

    # -- rendering -------------------------------------------------------------------------

    @staticmethod
    def summary(a: SampleArticle) -> str:
        words = (a.paragraphs[0] if a.paragraphs else "").split()
        return " ".join(words[:30]) + (" …" if len(words) > 30 else "")

    def head(self, title: str, canonical: str | None = None, extra: str = "") -> str:
        esc = self.esc
        link = f'<link rel="canonical" href="{esc(canonical)}">\n' if canonical else ""
        return (
            '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)} - {esc(self.name)}</title>\n{link}"
            '<link rel="shortcut icon" href="/upload/2005/favicon.ico">\n'
            '<link rel="stylesheet" href="/3rdparty/bootstrap/3.3.7/css/bootstrap.min.css">\n'
            '<link rel="stylesheet" href="/3rdparty/font-awesome/css/font-awesome.min.css">\n'
            '<link rel="stylesheet" href="/themes/moit/css/style.css?v=2.4.1">\n'
            '<script src="/3rdparty/jquery/jquery-3.5.1.min.js"></script>\n'
            '<script src="/3rdparty/bootstrap/3.3.7/js/bootstrap.min.js"></script>\n'
            '<script src="/js/vhv/vhv.core.js?v=2.4.1"></script>\n'
            "<script>window.VHV = window.VHV || {}; VHV.siteId = '1501'; VHV.lang = 'vi';"
            f" VHV.rootUrl = '/';{extra}</script>\n"
            "</head>\n"
        )

    def header(self) -> str:
        menu = "".join(f'<li><a href="{href}">{label}</a></li>' for href, label in _MENU)
        return (
            '<div id="header" class="vhv-header">\n'
            '<div class="top-bar"><div class="container">'
            f'<span class="current-date">{today_widget(self.today)}</span>'
            f'<span class="hit-counter">Lượt truy cập: {self.hit()}</span>'
            '<form class="search-box" action="/tim-kiem" method="get">'
            '<input type="text" name="q" placeholder="Tìm kiếm..."><button type="submit">Tìm kiếm</button>'
            "</form>"
            '<a class="adv-search" href="/tim-kiem?q=&amp;type=advanced">Tìm kiếm nâng cao</a>'
            "</div></div>\n"
            '<div class="logo"><a href="/"><img src="/upload/2005/images/logo-moit.png" '
            'alt="Bộ Công Thương"><span>BỘ CÔNG THƯƠNG<br>MINISTRY OF INDUSTRY AND TRADE</span></a></div>\n'
            f'<nav class="vhv-module main-menu" data-module="Menu.Main"><ul class="menu">{menu}</ul></nav>\n'
            "</div>\n"
            '<div class="vhv-module banner-top" data-module="Advertising.Banner">'
            '<div class="bannerclient">bannerclient tạm thời không có.</div></div>\n'
        )

    def most_read_box(self) -> str:
        items = []
        for i, a in enumerate(self.most_read()):
            href = self.variants(a)[i % 4]
            items.append(f'<li><a href="{self.esc(href)}">{self.esc(a.title)}</a></li>')
        return (
            '<div class="vhv-module most-read" data-module="Content.MostRead">'
            '<h3 class="module-title">Tin đọc nhiều</h3>'
            f'<ul class="list-unstyled">{"".join(items)}</ul></div>\n'
        )

    def footer(self) -> str:
        return (
            '<div id="footer" class="vhv-footer"><div class="container">'
            "<p><strong>CỔNG THÔNG TIN ĐIỆN TỬ BỘ CÔNG THƯƠNG</strong></p>"
            "<p>Địa chỉ: 54 Hai Bà Trưng, Hoàn Kiếm, Hà Nội</p>"
            "<p>Điện thoại: 024.22202108 - Email: bbt@moit.gov.vn</p>"
            "<p>Ghi rõ nguồn \"Cổng thông tin điện tử Bộ Công Thương\" khi phát hành lại thông tin từ website này.</p>"
            "</div></div>\n"
            "<script>VHV.App.init();</script>\n</body>\n</html>\n"
        )

    def render_listing(self) -> str:
        esc = self.esc
        with self.lock:
            first = self.page_of(1)
            n_pages = self.n_pages
            items = []
            for a in first:
                path = self.article_path(a)
                items.append(
                    '<div class="news-item media">'
                    f'<a class="news-thumb pull-left" href="{path}"><img src="/upload/news/{a.id}/thumb.jpg" alt=""></a>'
                    '<div class="media-body">'
                    f'<h3 class="news-title"><a href="{path}">{esc(a.title)}</a></h3>'
                    f'<span class="news-date">{a.published.strftime("%d/%m/%Y %H:%M")}</span>'
                    f'<p class="news-summary">{esc(self.summary(a))}</p>'
                    "</div></div>\n"
                )
            pager = ['<ul class="pagination">']
            for n in range(1, min(n_pages, 5) + 1):
                cls = ' class="active"' if n == 1 else ""
                pager.append(f'<li{cls}><a href="/tin-tuc.html?page={n}" data-page="{n}">{n}</a></li>')
            if n_pages > 1:
                pager.append('<li><a href="/tin-tuc.html?page=2" data-page="2">»</a></li>')
                pager.append(f'<li><a href="/tin-tuc.html?page={n_pages}" data-page="{n_pages}">Cuối</a></li>')
            pager.append("</ul>")
            body = (
                self.head("Tin tức", extra=" VHV.Model('Content.Listing').set({categoryId: 12});")
                + '<body class="vhv-page page-listing">\n'
                + self.header()
                + '<div id="main" class="container"><div class="row">\n<div class="col-md-8">\n'
                + '<ol class="breadcrumb"><li><a href="/">Trang chủ</a></li><li class="active">Tin tức</li></ol>\n'
                + f'<div class="vhv-module news-list" data-module="Content.Listing" id="module{CATEGORY_ID}01" '
                + f'data-api="{API_PATH}" data-category="{CATEGORY_ID}" data-page-size="{self.page_size}">\n'
                + '<h2 class="module-title">Tin tức</h2>\n<div class="news-items">\n'
                + "".join(items)
                + "</div>\n"
                + "".join(pager)
                + "\n</div>\n</div>\n"
                + f'<div class="col-md-4 sidebar">\n{self.most_read_box()}</div>\n'
                + "</div></div>\n"
                + self.footer()
            )
        return body

    def byline(self, a: SampleArticle) -> str:
        return f"{_short_weekday(a.published)}, {a.published.strftime('%d/%m/%Y | %H:%M')}"

    def article_body(self, a: SampleArticle) -> str:
        esc = self.esc
        paras = a.paragraphs
        lead = f'<p class="article-sapo"><strong>{esc(paras[0])}</strong></p>\n' if paras else ""
        rest = "".join(f'<p style="text-align:justify">{esc(p)}</p>\n' for p in paras[1:])
        source = (
            f'<p class="article-author" style="text-align:right"><strong>{esc(a.source)}</strong></p>\n'
            if a.source else ""
        )
        files = ""
        if a.attachments:
            links = "".join(
                f'<li><i class="fa fa-paperclip"></i> <a href="{esc(self.attachment_url(a, t))}" '
                f'target="_blank">{esc(t.filename)}</a></li>'
                for t in a.attachments
            )
            files = (
                '<div class="article-attachments"><p class="attachments-title">Tài liệu đính kèm:</p>'
                f"<ul>{links}</ul></div>\n"
            )
        return (
            f'<h1 class="article-title">{esc(a.title)}</h1>\n'
            f'<div class="article-meta"><span class="post-date">{self.byline(a)}</span>'
            f' <span class="view-count">Lượt xem: {self.views}</span>'
            f' <a class="print-link" href="{self.article_path(a)}?print=1" target="_blank">In trang</a></div>\n'
            f'<div class="article-content">\n{lead}{rest}{source}</div>\n'
            + files
        )

    def render_article(self, a: SampleArticle) -> str:
        esc = self.esc
        with self.lock:
            sec_path, sec_name = self.section(a)
            idx = self.articles.index(a)
            related = self.articles[idx + 1 : idx + 6]
            rel = "".join(
                f'<li><a href="{esc(self.variants(x)[2])}">{esc(x.title)}</a> '
                f'<span class="news-date">({x.published.strftime("%d/%m/%Y")})</span></li>'
                for x in related
            )
            return (
                self.head(a.title, self.article_url(a),
                          extra=f" VHV.Model('Content.Detail').set({{id: {a.id}}});")
                + '<body class="vhv-page page-detail">\n'
                + self.header()
                + '<div id="main" class="container"><div class="row">\n<div class="col-md-8">\n'
                + '<ol class="breadcrumb"><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc">Tin tức</a></li>'
                + f'<li><a href="/tin-tuc/{sec_path}.html">{esc(sec_name)}</a></li></ol>\n'
                + f'<div class="vhv-module article-detail" data-module="Content.Detail" data-id="{a.id}">\n'
                + self.article_body(a)
                + '<div class="article-share">Chia sẻ: <a href="https://www.facebook.com/sharer/sharer.php?u='
                + f'{esc(self.article_url(a))}">Facebook</a> <a href="#" class="zalo-share">Zalo</a></div>\n'
                + "</div>\n"
                + '<div class="vhv-module related-news" data-module="Content.Related"><h3 class="module-title">'
                + f'Tin liên quan</h3><ul>{rel}</ul></div>\n'
                + "</div>\n"
                + f'<div class="col-md-4 sidebar">\n{self.most_read_box()}</div>\n'
                + "</div></div>\n"
                + self.footer()
            )

    def render_print(self, a: SampleArticle) -> str:
        with self.lock:
            self.hit()
            return (
                self.head(a.title, self.article_url(a), extra=" VHV.printMode = true;")
                + '<body class="vhv-page page-print" onload="window.print()">\n'
                + '<div class="print-header"><img src="/upload/2005/images/logo-moit.png" alt="Bộ Công Thương">'
                + "<span>CỔNG THÔNG TIN ĐIỆN TỬ BỘ CÔNG THƯƠNG</span></div>\n"
                + f'<div class="vhv-module article-detail" data-module="Content.Print" data-id="{a.id}">\n'
                + self.article_body(a)
                + "</div>\n"
                + '<div class="print-footer">Địa chỉ: 54 Hai Bà Trưng, Hoàn Kiếm, Hà Nội</div>\n'
                + "</body>\n</html>\n"
            )


SITE = VhvSite
