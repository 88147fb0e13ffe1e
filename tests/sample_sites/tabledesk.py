"""A home-made ASP.NET WebForms portal whose article list is a table (an unseen layout).

* one page script for everything: the news list is ``/Default.aspx?tabid=87`` (paged
  ``&PageIndex=2``…), an article ``/Default.aspx?tabid=87&ItemID=<id>`` — the id in an
  upper-case query key, no slug; the same article is also linked with the keys in the
  other order from the home page (one article, two URLs);
* the list is a ``<table class="grid">``: STT | Tiêu đề | Ngày đăng rows;
* the article title is a ``<td class="tieude">`` cell (no heading element), ``<title>`` is
  the portal's name; the date reads "Ngày đăng: 05/03/2024" under it;
* the text is in a ``div.noidung`` inside the table cell, attachments in a
  "Văn bản đính kèm" row.
"""

from __future__ import annotations

from .base import Request, Response, SampleArticle, SampleSite, not_found, redirect, today_widget

TAB = 87
PORTAL = "Cổng thông tin điện tử Sở Công Thương Hà Tĩnh"


class TableDeskSite(SampleSite):
    profile = "auto"
    key = "tabledesk"
    name = PORTAL
    robots_disallow = ("/tim-kiem", "/Admin")

    def start_urls(self) -> list[str]:
        return [self.abs(f"/Default.aspx?tabid={TAB}")]

    def article_url(self, a: SampleArticle) -> str:
        return self.abs(f"/Default.aspx?tabid={TAB}&ItemID={a.id}")

    def home_url(self, a: SampleArticle) -> str:
        return self.abs(f"/Default.aspx?ItemID={a.id}&tabid={TAB}")

    def attachment_url(self, a, att) -> str:
        return self.abs(f"/Uploads/VanBan/{a.id}/{att.filename}")

    def route(self, req: Request) -> Response:
        with self.lock:
            if req.path.startswith("/Uploads/"):
                return self.serve_attachment(req) or not_found()
            if req.path == "/":
                return redirect(self.abs("/Default.aspx"), 302)
            if req.path != "/Default.aspx":
                return not_found()
            tab = req.arg("tabid")
            if tab is None:
                return self._home()
            if tab != str(TAB):
                return self._frame("Giới thiệu chung", "<table><tr><td>Đang cập nhật.</td></tr></table>")
            item = req.arg("ItemID")
            if item is not None:
                a = self.by_id(int(item)) if item.isdigit() else None
                return self._article(a) if a else not_found()
            page = req.arg("PageIndex", "1") or "1"
            if not page.isdigit() or not 1 <= int(page) <= self.n_pages:
                return not_found()
            return self._listing(int(page))

    def _frame(self, heading: str, content: str, last_modified=None) -> Response:
        e = self.esc
        html = (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{e(PORTAL)}</title>'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" /></head>\n'
            '<body><form name="aspnetForm" method="post" id="aspnetForm">'
            '<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwULLTEwMDUyNjYzMjhkZA==" />'
            "</form>\n"
            f'<table width="1000" align="center"><tr><td colspan="2" class="top">{today_widget(self.today)}'
            ' | <a href="/Default.aspx">Trang chủ</a> | <a href="/Default.aspx?tabid=12">Giới thiệu</a>'
            f' | <a href="/Default.aspx?tabid={TAB}">Tin tức</a>'
            ' | <a href="/tim-kiem.aspx?key=">Tìm kiếm</a></td></tr>\n'
            f'<tr><td width="760" valign="top"><div class="khung"><div class="khung_tieude">{e(heading)}</div>'
            f"{content}</div></td>\n"
            '<td width="240" valign="top"><div class="lienket">Liên kết website: '
            '<a href="http://moit.gov.vn/">Bộ Công Thương</a></div>'
            f'<div class="thongke">Số lượt truy cập: {self.hit()}</div></td></tr>\n'
            '<tr><td colspan="2" class="footer">Bản quyền thuộc Sở Công Thương Hà Tĩnh</td></tr></table>'
            "</body></html>"
        )
        return Response(200, html, last_modified=last_modified)

    def _rows(self, items: list[SampleArticle], first: int) -> str:
        e = self.esc
        rows = ['<table class="grid" cellspacing="0" border="1"><tr><th>STT</th><th>Tiêu đề</th>'
                "<th>Ngày đăng</th></tr>"]
        for i, a in enumerate(items, first):
            rows.append(
                f'<tr><td align="center">{i}</td><td><a href="{self.article_url(a)}">{e(a.title)}</a></td>'
                f'<td align="center">{a.published:%d/%m/%Y}</td></tr>'
            )
        rows.append("</table>")
        return "".join(rows)

    def _listing(self, page: int) -> Response:
        items = self.page_of(page)
        pager = " ".join(
            f"<b>{n}</b>" if n == page else f'<a href="{self.abs(f"/Default.aspx?tabid={TAB}&PageIndex={n}")}">{n}</a>'
            for n in range(1, self.n_pages + 1)
        )
        content = self._rows(items, (page - 1) * self.page_size + 1) + f'<div class="trang">Trang: {pager}</div>'
        return self._frame("Tin tức - Sự kiện", content)

    def _home(self) -> Response:
        e = self.esc
        items = "".join(
            f'<div class="tinnoibat"><a href="{self.home_url(a)}">{e(a.title)}</a></div>'
            for a in self.articles[:5]
        )
        return self._frame("Tin nổi bật", items)

    def _article(self, a: SampleArticle) -> Response:
        e = self.esc
        lines = "".join(f"<p>{e(p)}</p>" for p in a.paragraphs)
        atts = ""
        if a.attachments:
            atts = ('<tr><td class="tep-dinh-kem">Văn bản đính kèm: ' + " ".join(
                f'<a href="{self.attachment_url(a, t)}">{e(t.filename)}</a>' for t in a.attachments
            ) + "</td></tr>")
        content = (
            f'<table class="chitiet" width="100%"><tr><td class="tieude">{e(a.title)}</td></tr>'
            f'<tr><td class="ngaydang">Ngày đăng: {a.published:%d/%m/%Y}</td></tr>'
            f'<tr><td><div class="noidung">{lines}</div></td></tr>{atts}</table>'
        )
        return self._frame("Tin tức - Sự kiện", content, last_modified=a.modified)


SITE = TableDeskSite
