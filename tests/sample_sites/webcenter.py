"""An Oracle WebCenter Portal (ADF Faces) department site, as Hải Phòng's portal runs it.

Everything lives under ``/webcenter/portal/<portal>/``:

* listing: ``/webcenter/portal/socongthuong/pages_tin-tuc`` (page 1), ``…?page=N``;
* article: ``/webcenter/portal/socongthuong/pages_tin-tuc/chi-tiet?dDocName=PORTAL533001``
  — the article's identity is its UCM content id ``dDocName`` (case-insensitive);
  variants that render the same article: the older ``…/chitiet?ddocname=portal533001``
  alias, ``&print=true``, the print page ``/webcenter/portal/socongthuong/pages_print?dDocName=…``;
* attachments: ``/webcenter/content/conn/UCM/uuid/dDocName:PORTAL533001_1/<filename>``;
* search (robots-disallowed): ``/webcenter/portal/socongthuong/pages_tim-kiem?keyword=``.

ADF traps modelled here: every link the server renders carries ``_afrLoop``,
``_adf.ctrl-state`` and ``_afrWindowMode`` query noise whose values change on
every render (so two fetches of one page never give the same link URLs), and the
server answers ``Content-Type: text/html; charset=ISO-8859-1`` (the Java servlet
default) although the bytes are UTF-8 and the page says ``<meta charset="UTF-8">``.
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import unquote

from tests.sample_sites.base import (
    Attachment,
    Request,
    Response,
    SampleArticle,
    SampleSite,
    not_found,
    today_widget,
)

PORTAL = "socongthuong"
ROOT = f"/webcenter/portal/{PORTAL}"
LISTING = f"{ROOT}/pages_tin-tuc"
DETAIL = f"{LISTING}/chi-tiet"
DETAIL_OLD = f"{LISTING}/chitiet"
PRINT = f"{ROOT}/pages_print"
SEARCH = f"{ROOT}/pages_tim-kiem"
CONTENT = "/webcenter/content/conn/UCM/uuid/"
#: The servlet container's default: a lie, the bytes are UTF-8.
CONTENT_TYPE = "text/html; charset=ISO-8859-1"
DOC_BASE = 533000

_DOCNAME = re.compile(r"^portal(\d+)$", re.IGNORECASE)
_ATTACHMENT = re.compile(r"^/webcenter/content/conn/UCM/uuid/dDocName:PORTAL(\d+)_(\d+)/([^/]+)$")

_HEAD_SCRIPTS = (
    '<link rel="stylesheet" type="text/css" '
    'href="/webcenter/afr/partition/gecko/default/opt/fusion-11.1.1.9-SHEPHERD-9296.css">\n'
    '<script type="text/javascript" '
    'src="/webcenter/afr/partition/gecko/default/opt/boot-SHEPHERD-PS3-9296.js"></script>\n'
    '<script type="text/javascript" '
    'src="/webcenter/afr/partition/gecko/default/opt/core-SHEPHERD-PS3-9296.js"></script>\n'
    '<script type="text/javascript">AdfLoader.prototype.getBaseUrl=function(){return'
    ' "/webcenter/afr/partition/gecko/default/opt/";};'
    "var _adfLoopWindow=window;</script>\n"
)


def doc_name(a: SampleArticle) -> str:
    return f"PORTAL{DOC_BASE + a.id}"


class WebCenterSite(SampleSite):
    profile: ClassVar[str] = "webcenter"
    name: ClassVar[str] = "Sở Công Thương Hải Phòng"
    robots_disallow: ClassVar[tuple[str, ...]] = (SEARCH,)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.renders = 0

    # -- URLs ------------------------------------------------------------------------------

    def start_urls(self) -> list[str]:
        return [self.abs(LISTING)]

    def article_url(self, a: SampleArticle) -> str:
        return self.abs(f"{DETAIL}?dDocName={doc_name(a)}")

    def attachment_url(self, a: SampleArticle, att: Attachment) -> str:
        # by identity: comparing Attachments would compare (lazily built) file data
        index = next((i for i, t in enumerate(a.attachments, 1) if t is att), 1)
        return self.abs(f"{CONTENT}dDocName:{doc_name(a)}_{index}/{att.filename}")

    def _noise(self) -> str:
        """The ADF loop/controller-state parameters: new values on every render."""
        with self.lock:
            self.renders += 1
            n = self.renders
        loop = (n * 2654435761 + self.seed * 97 + 123456789) % 10**15
        state = format((n * 40503 + 7) * 9973 % 36**10, "x").rjust(8, "1")[:10]
        return f"_afrLoop={loop}&amp;_afrWindowMode=0&amp;_adf.ctrl-state={state}_{n % 97 + 1}"

    def _link(self, a: SampleArticle, noise: str) -> str:
        return f"{DETAIL}?dDocName={doc_name(a)}&amp;{noise}"

    def _variant(self, a: SampleArticle, noise: str) -> str:
        """The "most read" portlet's links: the old alias, lower-case id, ADF noise first."""
        return f"{DETAIL_OLD}?{noise}&amp;ddocname={doc_name(a).lower()}"

    # -- page frame ------------------------------------------------------------------------

    def _frame(self, title: str, main: str, noise: str, *, sidebar: bool = True) -> str:
        esc = self.esc
        menu = "".join(
            f'<li class="af_navigationPane_tab"><a class="af_goLink xfl" '
            f'href="{ROOT}/{page}?{noise}">{label}</a></li>'
            for page, label in (
                ("home", "Trang chủ"), ("pages_gioi-thieu", "Giới thiệu"),
                ("pages_tin-tuc", "Tin tức - Sự kiện"), ("pages_van-ban", "Văn bản"),
                ("pages_thu-tuc-hanh-chinh", "Thủ tục hành chính"), ("pages_lien-he", "Liên hệ"),
            )
        )
        side = ""
        if sidebar:
            items = "".join(
                f'<li class="x1a"><a class="af_goLink" href="{self._variant(a, noise)}">'
                f"{esc(a.title)}</a></li>"
                for a in self.most_read()
            )
            side = (
                '<div id="T:pt_pgl9" class="af_panelGroupLayout cot-phai">'
                '<div class="tin-doc-nhieu af_panelBox"><h2 class="af_panelBox_header">Tin đọc nhiều</h2>'
                f'<ul class="af_panelList">{items}</ul></div>'
                '<div class="banner-phai"><span class="af_outputText p_AFTextOnly">'
                "bannerclient tạm thời không có.</span></div></div>"
            )
        return (
            '<!DOCTYPE html>\n<html lang="vi-VN" dir="ltr" class="p_AFMaximized">\n<head>\n'
            '<meta charset="UTF-8">\n'
            f"<title>{esc(title)} - {esc(self.name)}</title>\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"{_HEAD_SCRIPTS}</head>\n"
            '<body class="p_AFMaximized" onload="AdfPage.PAGE.__initializePage();">\n'
            '<div id="T:pt1" class="af_panelGroupLayout">\n'
            f'<form id="T:f1" name="T:f1" class="af_form" method="POST" '
            f'action="{ROOT}/pages_tin-tuc?{noise}" onkeypress="return _checkLoad()">\n'
            '<div id="T:pt_pgl2" class="af_panelGroupLayout header-portal">'
            f'<div class="banner"><img src="/webcenter/images/banner-sct.jpg" alt="{esc(self.name)}"></div>'
            f'<span id="T:pt_ot1" class="af_outputText x1a ngay-hien-tai">{today_widget(self.today)}</span>'
            '<div class="bannerclient">bannerclient tạm thời không có.</div>'
            f'<div class="o-tim-kiem"><a class="af_goLink" href="{SEARCH}?keyword=&amp;{noise}">'
            "Tìm kiếm</a></div>"
            f'<ul id="T:pt_np1" class="af_navigationPane menu-ngang">{menu}</ul></div>\n'
            f'<div id="T:pt_pgl5" class="af_panelGroupLayout noi-dung-chinh">{main}</div>\n'
            f"{side}\n"
            '<div id="T:pt_pgl20" class="af_panelGroupLayout footer-portal">'
            f'<span class="af_outputText p_AFTextOnly">{esc(self.name)}</span><br>'
            "Địa chỉ: Số 1 Đường Hồng Bàng, quận Hồng Bàng, TP. Hải Phòng<br>"
            "Điện thoại: 0225.3842.xxx - Fax: 0225.3842.yyy<br>"
            f'<span class="luot-truy-cap af_outputText">Lượt truy cập: {self.hit()}</span></div>\n'
            "</form></div>\n"
            '<script type="text/javascript">AdfPage.PAGE.clearMessages();'
            "AdfPage.PAGE.clearSubtreeMessages('T:f1');</script>\n"
            "</body></html>"
        )

    # -- pages -----------------------------------------------------------------------------

    def _listing(self, page: int) -> Response:
        noise = self._noise()
        esc = self.esc
        items = []
        for a in self.page_of(page):
            summary = " ".join(a.paragraphs[0].split()[:30]) + " ..." if a.paragraphs else ""
            items.append(
                '<div class="item-tin af_panelGroupLayout x1a">'
                f'<a class="af_goLink tieu-de" href="{self._link(a, noise)}">{esc(a.title)}</a>'
                f'<span class="af_outputText ngay-tin">{a.published:%d/%m/%Y}</span>'
                f'<p class="af_outputText tom-tat">{esc(summary)}</p></div>'
            )
        if not items:
            items.append('<span class="af_outputText p_AFTextOnly">Không có dữ liệu.</span>')
        pager = ""
        last = self.n_pages
        if page <= last and last > 1:
            def link(n: int, label: str) -> str:
                return f'<a class="af_goLink" href="{LISTING}?page={n}&amp;{noise}">{label}</a>'

            parts = []
            if page > 1:
                parts += [link(1, "Đầu"), link(page - 1, "Trước")]
            for n in range(max(1, page - 2), min(last, page + 2) + 1):
                parts.append(f'<span class="trang-hien-tai">{n}</span>' if n == page else link(n, str(n)))
            if page < last:
                parts += [link(page + 1, "Sau"), link(last, "Cuối")]
            pager = f'<div id="T:oc_pgl7" class="af_panelGroupLayout phan-trang">{" ".join(parts)}</div>'
        main = (
            '<div class="duong-dan">Trang chủ &gt; Tin tức - Sự kiện</div>'
            '<h2 class="tieu-de-muc">Tin tức - Sự kiện</h2>'
            f'<div id="T:oc_pgl3" class="af_panelGroupLayout danh-sach-tin">{"".join(items)}</div>'
            f"{pager}"
        )
        html = self._frame("Tin tức - Sự kiện", main, noise)
        return Response(200, html.encode("utf-8"), content_type=CONTENT_TYPE)

    def _source(self, a: SampleArticle) -> str:
        if not a.source:
            return ""
        line = a.source if a.source.lower().startswith("nguồn") else f"Nguồn: {a.source}"
        return f'<div class="nguon-tin af_outputText p_AFTextOnly">{self.esc(line)}</div>'

    def _files(self, a: SampleArticle) -> str:
        if not a.attachments:
            return ""
        links = "".join(
            f'<li><a class="af_goLink" href="{self.esc(self.attachment_url(a, t))}" '
            f'target="_blank">{self.esc(t.filename)}</a></li>'
            for t in a.attachments
        )
        return (
            '<div class="file-dinh-kem af_panelGroupLayout">'
            f'<span class="af_outputText">Tài liệu đính kèm:</span><ul>{links}</ul></div>'
        )

    def _article(self, a: SampleArticle) -> Response:
        noise = self._noise()
        esc = self.esc
        body = "".join(f"<p>{esc(p)}</p>" for p in a.paragraphs)
        i = self.articles.index(a)
        others = self.articles[i + 1 : i + 6] or self.articles[max(0, i - 5) : i]
        related = "".join(
            f'<li><a class="af_goLink" href="{self._link(o, noise)}">{esc(o.title)}</a> '
            f'<span class="ngay-tin">({o.published:%d/%m/%Y})</span></li>'
            for o in others
        )
        main = (
            '<div class="duong-dan">Trang chủ &gt; Tin tức - Sự kiện</div>'
            '<div id="T:oc_5518:pgl1" class="af_panelGroupLayout chi-tiet-tin">'
            f'<div class="tieu-de-tin"><span class="af_outputText x1a">{esc(a.title)}</span></div>'
            f'<div class="ngay-dang af_outputText p_AFTextOnly">{self.dated_byline(a)}</div>'
            f'<div id="T:oc_5518:ot3" class="noi-dung-tin">{body}</div>'
            f"{self._source(a)}{self._files(a)}"
            '<div class="cong-cu">'
            f'<a class="af_goLink in-trang" href="{DETAIL}?dDocName={doc_name(a)}&amp;print=true&amp;{noise}">'
            "In trang</a> "
            f'<a class="af_goLink" href="{PRINT}?dDocName={doc_name(a)}&amp;{noise}">Bản in</a></div>'
            "</div>"
            f'<div class="tin-khac af_panelBox"><h3>Tin khác</h3><ul>{related}</ul></div>'
        )
        html = self._frame(a.title, main, noise)
        return Response(200, html.encode("utf-8"), content_type=CONTENT_TYPE,
                        last_modified=a.modified)

    def _print(self, a: SampleArticle) -> Response:
        """The print page: a bare ADF page with the article only."""
        esc = self.esc
        body = "".join(f"<p>{esc(p)}</p>" for p in a.paragraphs)
        html = (
            '<!DOCTYPE html>\n<html lang="vi-VN" dir="ltr">\n<head>\n<meta charset="UTF-8">\n'
            f"<title>{esc(a.title)} - {esc(self.name)}</title>\n{_HEAD_SCRIPTS}</head>\n"
            '<body class="p_AFMaximized in-an" onload="window.print();">\n'
            '<div id="T:pt1" class="af_panelGroupLayout">'
            f'<div class="logo-in">{esc(self.name)}</div>'
            f'<h1 class="title">{esc(a.title)}</h1>'
            f'<div class="ngay-dang af_outputText">{self.dated_byline(a)}</div>'
            f'<div class="noi-dung-tin">{body}</div>'
            f"{self._source(a)}{self._files(a)}</div>\n"
            "</body></html>"
        )
        return Response(200, html.encode("utf-8"), content_type=CONTENT_TYPE,
                        last_modified=a.modified)

    # -- routing ---------------------------------------------------------------------------

    @staticmethod
    def _arg(req: Request, name: str) -> str | None:
        """A query parameter, its name matched case-insensitively (ADF does not care)."""
        found = None
        for key, values in req.query.items():
            if key.lower() == name.lower() and values:
                found = values[-1]
        return found

    def _by_docname(self, req: Request) -> SampleArticle | None:
        m = _DOCNAME.match((self._arg(req, "dDocName") or "").strip())
        return self.by_id(int(m.group(1)) - DOC_BASE) if m else None

    def route(self, req: Request) -> Response:
        path = unquote(req.path)
        if len(path) > 1:
            path = path.rstrip("/")
        with self.lock:
            if path in (DETAIL, DETAIL_OLD, PRINT):
                a = self._by_docname(req)
                if a is None:
                    return not_found("Nội dung không tồn tại hoặc đã bị xóa.")
                if path == PRINT:
                    return self._print(a)
                return self._article(a)
            if path == LISTING:
                raw = self._arg(req, "page") or "1"
                if not raw.isdigit() or int(raw) < 1:
                    return not_found()
                return self._listing(int(raw))
            if path == SEARCH:
                main = '<div class="ket-qua-tim-kiem">Nhập từ khóa để tìm kiếm.</div>'
                html = self._frame("Tìm kiếm", main, self._noise(), sidebar=False)
                return Response(200, html.encode("utf-8"), content_type=CONTENT_TYPE)
            m = _ATTACHMENT.match(path)
            if m:
                a = self.by_id(int(m.group(1)) - DOC_BASE)
                index = int(m.group(2))
                if a is not None and 1 <= index <= len(a.attachments):
                    att = a.attachments[index - 1]
                    if att.filename == m.group(3):
                        return Response(
                            200, att.data, content_type=att.media_type, last_modified=a.published,
                            headers={"Content-Disposition": f'attachment; filename="{att.filename}"'},
                        )
            return not_found()


SITE = WebCenterSite

__all__ = ["SITE", "WebCenterSite", "doc_name"]
