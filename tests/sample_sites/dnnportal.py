"""A DotNetNuke-style provincial portal no profile recognizes (an unseen layout for ``auto``).

What makes it hard for URL-shape rules:

* articles at ``/tin-tuc/ctl/Detail/mid/412/ItemID/<id>/Default.aspx`` — the id is a
  path segment, there is no slug and the last segment is always ``Default.aspx``;
* listing pages numbered by a path segment: ``/tin-tuc/Default.aspx`` then
  ``/tin-tuc/mid/412/Page/<n>/Default.aspx``;
* the title is a ``<span class="Head">`` (no ``<h1>`` anywhere), ``<title>`` is the
  portal's name on every page;
* the date as .NET writes it for vi-VN: ``05/03/2024 8:15:00 SA`` (SA/CH = AM/PM);
* every page repeats the five newest articles in a "Tin mới" box (after the content);
* the menu links a long "Giới thiệu" page (prose, no date: not an article), contact,
  login (``/Login.aspx?returnurl=…``), a language switch and a robots-disallowed search.
"""

from __future__ import annotations

from .base import Request, Response, SampleArticle, SampleSite, not_found, redirect, today_widget

MID = 412
PORTAL = "Sở Công Thương tỉnh Quảng Trị"


def dotnet_vi(when) -> str:
    """``05/03/2024 8:15:00 SA``: .NET's ``G`` format for the vi-VN culture."""
    hour = when.hour % 12 or 12
    return f"{when:%d/%m/%Y} {hour}:{when:%M:%S} {'SA' if when.hour < 12 else 'CH'}"


class DnnPortalSite(SampleSite):
    profile = "auto"
    key = "dnnportal"
    name = PORTAL

    def start_urls(self) -> list[str]:
        return [self.abs("/tin-tuc/Default.aspx")]

    def article_url(self, a: SampleArticle) -> str:
        return self.abs(f"/tin-tuc/ctl/Detail/mid/{MID}/ItemID/{a.id}/Default.aspx")

    def listing_url(self, page: int) -> str:
        if page <= 1:
            return self.abs("/tin-tuc/Default.aspx")
        return self.abs(f"/tin-tuc/mid/{MID}/Page/{page}/Default.aspx")

    def attachment_url(self, a, att) -> str:
        return self.abs(f"/Portals/0/TinTuc/{a.id}/{att.filename}")

    # -- routing ---------------------------------------------------------------------------

    def route(self, req: Request) -> Response:
        path = req.path
        with self.lock:
            if path.startswith("/Portals/"):
                return self.serve_attachment(req) or not_found()
            if path in ("/", "/Default.aspx"):
                return redirect(self.abs("/trang-chu/Default.aspx"), 302)
            if path == "/trang-chu/Default.aspx":
                return self._page("Trang chủ", self._items(self.page_of(1)[:6], 1, with_pager=False))
            if path == "/tin-tuc/Default.aspx":
                return self._listing(1)
            parts = path.strip("/").split("/")
            if parts[:3] == ["tin-tuc", "mid", str(MID)] and len(parts) == 6 and parts[3] == "Page":
                return self._listing(int(parts[4])) if parts[4].isdigit() else not_found()
            if (len(parts) == 8 and parts[:5] == ["tin-tuc", "ctl", "Detail", "mid", str(MID)]
                    and parts[5] == "ItemID" and parts[7] == "Default.aspx" and parts[6].isdigit()):
                a = self.by_id(int(parts[6]))
                return self._article(a) if a else not_found()
            if path == "/gioi-thieu/Default.aspx":
                return self._page("Giới thiệu", self._about())
            if path in ("/lien-he/Default.aspx", "/Login.aspx"):
                return self._page("Liên hệ", "<p>Điện thoại: (0233) 3852 000.</p>")
            return not_found()

    # -- pages -----------------------------------------------------------------------------

    def _page(self, heading: str, content: str, last_modified=None) -> Response:
        e = self.esc
        newest = "".join(
            f'<li><a href="{self.article_url(a)}">{e(a.title)}</a></li>' for a in self.articles[:5]
        )
        html = (
            '<!DOCTYPE html>\n<html lang="vi-VN"><head><meta charset="utf-8">'
            f"<title>{e(PORTAL)}</title>"
            '<link href="/Portals/_default/default.css" rel="stylesheet"></head>\n'
            '<body id="Body"><form method="post" action="/tin-tuc/Default.aspx" id="Form">'
            '<input type="hidden" name="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRk"></form>\n'
            f'<div id="dnn_HeaderPane"><div class="ngay">{today_widget(self.today)}</div>'
            '<ul class="topmenu">'
            '<li><a href="/trang-chu/Default.aspx">Trang chủ</a></li>'
            '<li><a href="/gioi-thieu/Default.aspx">Giới thiệu về Sở Công Thương</a></li>'
            '<li><a href="/tin-tuc/Default.aspx">Tin tức sự kiện</a></li>'
            '<li><a href="/lien-he/Default.aspx">Liên hệ với chúng tôi</a></li>'
            '<li><a href="/Login.aspx?returnurl=%2ftin-tuc%2fDefault.aspx">Đăng nhập hệ thống cổng</a></li>'
            '<li><a href="/tin-tuc/Default.aspx?language=en-US">English version of portal</a></li>'
            '<li><a href="/tim-kiem/Default.aspx?q=hoi+nghi">Tìm kiếm tin bài cũ</a></li>'
            "</ul></div>\n"
            f'<div id="dnn_ContentPane"><div class="DnnModule DnnModule-{MID}">'
            f'<div class="c_head"><span class="c_title">{e(heading)}</span></div>'
            f'<div id="dnn_ctr{MID}_ContentPane">{content}</div></div></div>\n'
            f'<div id="dnn_RightPane"><div class="box-tinmoi"><span class="c_title">Tin mới</span>'
            f"<ul>{newest}</ul></div>"
            f'<div class="luottruycap">Lượt truy cập: {self.hit()}</div></div>\n'
            '<div id="dnn_FooterPane"><p>Cơ quan chủ quản: Sở Công Thương tỉnh Quảng Trị. '
            "Địa chỉ: 01 Hùng Vương, Đông Hà.</p></div></body></html>"
        )
        return Response(200, html, last_modified=last_modified)

    def _items(self, items: list[SampleArticle], page: int, with_pager: bool = True) -> str:
        e = self.esc
        out = ['<div class="news-list">']
        for a in items:
            teaser = a.paragraphs[0][:160].rsplit(" ", 1)[0] + "…"
            out.append(
                f'<div class="news-item"><a class="news-title" href="{self.article_url(a)}">{e(a.title)}</a>'
                f' <span class="news-date">({a.published:%d/%m/%Y})</span>'
                f'<div class="news-summary">{e(teaser)}</div></div>'
            )
        out.append("</div>")
        if with_pager:
            links = []
            for n in range(1, self.n_pages + 1):
                links.append(f"<span class='current'>{n}</span>" if n == page
                             else f'<a class="pager" href="{self.listing_url(n)}">{n}</a>')
            out.append('<div class="PagingTable">' + " ".join(links) + "</div>")
        return "".join(out)

    def _listing(self, page: int) -> Response:
        if page < 1 or page > self.n_pages:
            return not_found()
        return self._page("Tin tức sự kiện", self._items(self.page_of(page), page))

    def _about(self) -> str:
        return "".join(
            f"<p>{p}</p>" for p in (
                "Sở Công Thương là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, thực hiện chức năng "
                "tham mưu, giúp Ủy ban nhân dân tỉnh quản lý nhà nước về công nghiệp và thương mại.",
                "Sở có tư cách pháp nhân, có con dấu và tài khoản riêng; chịu sự chỉ đạo, quản lý về tổ "
                "chức, biên chế và công tác của Ủy ban nhân dân tỉnh, đồng thời chịu sự chỉ đạo, kiểm "
                "tra, hướng dẫn về chuyên môn, nghiệp vụ của Bộ Công Thương.",
                "Cơ cấu tổ chức gồm Văn phòng, Thanh tra, các phòng chuyên môn và các đơn vị sự nghiệp "
                "trực thuộc như Trung tâm Khuyến công và Tư vấn phát triển công nghiệp.",
            )
        )

    def _article(self, a: SampleArticle) -> Response:
        e = self.esc
        body = "".join(f"<p>{e(p)}</p>" for p in a.paragraphs)
        files = ""
        if a.attachments:
            files = '<div class="tep-dinh-kem">Tệp đính kèm: ' + ", ".join(
                f'<a href="{self.attachment_url(a, t)}">{e(t.filename)}</a>' for t in a.attachments
            ) + "</div>"
        content = (
            f'<div class="news-detail"><span id="dnn_ctr{MID}_ViewNews_lblTitle" class="Head">'
            f"{e(a.title)}</span><br>"
            f'<span id="dnn_ctr{MID}_ViewNews_lblDate" class="NormalDate">{dotnet_vi(a.published)}</span>'
            f'<div id="dnn_ctr{MID}_ViewNews_pnlContent" class="Normal">{body}</div>{files}</div>'
        )
        return self._page("Tin tức sự kiện", content, last_modified=a.modified)


SITE = DnnPortalSite
