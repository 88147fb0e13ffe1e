"""A legacy PHP "thông báo" board: short announcements whose content is an attached file.

* articles at ``/thongbao/xem.php?ma=<id>`` (a query key, no slug), the list
  ``/thongbao/index.php`` paged by ``?trang=N``; list items are ``<dl>`` pairs
  (``<dt>`` link, ``<dd>`` date and a line of summary);
* one article in three is an announcement: "Thông báo số 112/TB-SCT … chi tiết xem tệp
  đính kèm" (well under ``ARCHIVE_MIN_TEXT_CHARS``) and a DOCX or PDF holding the whole
  text (the corpus article's own text — a conference notice is flagged from the file);
* the title is an ``<h2 class="tieu-de">`` inside the content, the date reads
  "Ngày 05 tháng 3 năm 2024" under it; windows-1258? no: UTF-8, charset only in the
  ``<meta>`` tag.
"""

from __future__ import annotations

from .base import DOCX, PDF, Request, Response, SampleArticle, SampleSite, not_found
from .corpus import LazyAttachment

PORTAL = "Sở Công Thương tỉnh Cà Mau"


class NoticeBoardSite(SampleSite):
    profile = "auto"
    key = "noticeboard"
    name = PORTAL

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._announce(self.articles)

    def _announce(self, articles: list[SampleArticle]) -> None:
        """Every third article becomes a short announcement carried by its attachment."""
        for a in articles:
            if a.id % 3 != 0 or getattr(a, "announced", False):
                continue
            document = a.title + "\n" + a.text
            kind, ext = (DOCX, "docx") if a.id % 2 else (PDF, "pdf")
            name = f"thong-bao-{a.id}-{a.published:%Y}.{ext}"
            phrase = a.paragraphs[0][:60].rsplit(" ", 1)[0]
            a.attachments = [LazyAttachment(name, kind, None, phrase, document=document)]
            a.paragraphs = [f"Thông báo số {100 + a.id}/TB-SCT của {PORTAL}, chi tiết xem tệp đính kèm."]
            a.announced = True  # type: ignore[attr-defined]

    def add_articles(self, n: int) -> list[SampleArticle]:
        new = super().add_articles(n)
        self._announce(new)
        return new

    def start_urls(self) -> list[str]:
        return [self.abs("/thongbao/index.php")]

    def article_url(self, a: SampleArticle) -> str:
        return self.abs(f"/thongbao/xem.php?ma={a.id}")

    def attachment_url(self, a, att) -> str:
        return self.abs(f"/upload/thongbao/{att.filename}")

    def route(self, req: Request) -> Response:
        with self.lock:
            if req.path.startswith("/upload/"):
                return self.serve_attachment(req) or not_found()
            if req.path in ("/", "/index.php"):
                return self._frame(self._list(self.page_of(1)[:5], 1, pager=False))
            if req.path == "/thongbao/index.php":
                page = req.arg("trang", "1") or "1"
                if not page.isdigit() or not 1 <= int(page) <= self.n_pages:
                    return not_found()
                return self._frame(self._list(self.page_of(int(page)), int(page)))
            if req.path == "/thongbao/xem.php":
                ma = req.arg("ma", "") or ""
                a = self.by_id(int(ma)) if ma.isdigit() else None
                return self._article(a) if a else not_found()
            return not_found()

    def _frame(self, content: str, last_modified=None) -> Response:
        e = self.esc
        html = (
            "<html><head><meta http-equiv='Content-Type' content='text/html; charset=utf-8'>"
            f"<title>{e(PORTAL)} - Thông báo</title></head><body>"
            '<div id="top"><img src="/images/banner.jpg" alt="banner"><div class="menu">'
            '<a href="/index.php">Trang chủ</a> <a href="/thongbao/index.php">Thông báo</a> '
            '<a href="/lienhe.php">Liên hệ</a></div></div>'
            f'<div id="main">{content}</div>'
            '<div id="bottom">© Sở Công Thương tỉnh Cà Mau. Số 126 Phan Ngọc Hiển, phường 5.</div>'
            "</body></html>"
        )
        return Response(200, html, content_type="text/html", last_modified=last_modified)

    def _list(self, items: list[SampleArticle], page: int, *, pager: bool = True) -> str:
        e = self.esc
        out = ['<h3 class="muc">Thông báo</h3><dl class="ds">']
        for a in items:
            out.append(f'<dt><a href="{self.article_url(a)}">{e(a.title)}</a></dt>'
                       f"<dd>{a.published:%d/%m/%Y} — {e(a.paragraphs[0][:90])}</dd>")
        out.append("</dl>")
        if pager:
            nav = []
            if page > 1:
                nav.append(f'<a href="{self.abs(f"/thongbao/index.php?trang={page - 1}")}">« Trước</a>')
            if page < self.n_pages:
                nav.append(f'<a href="{self.abs(f"/thongbao/index.php?trang={page + 1}")}">Sau »</a>')
            out.append('<div class="phantrang">' + " | ".join(nav) + "</div>")
        return "".join(out)

    def _article(self, a: SampleArticle) -> Response:
        e = self.esc
        body = "".join(f"<p>{e(p)}</p>" for p in a.paragraphs)
        files = "".join(
            f'<li><a href="{self.attachment_url(a, t)}">Tải về: {e(t.filename)}</a></li>' for t in a.attachments
        )
        content = (
            f'<div class="baiviet"><h2 class="tieu-de">{e(a.title)}</h2>'
            f'<div class="ngay">Ngày {a.published.day:02d} tháng {a.published.month} năm {a.published.year}'
            f'</div><div class="noi-dung">{body}</div>'
            + (f'<ul class="tep-dinh-kem">{files}</ul>' if files else "")
            + "</div>"
        )
        return self._frame(content, last_modified=a.modified)


SITE = NoticeBoardSite
