"""A legacy Joomla! site, as several provincial SCT departments still run one
(Phú Thọ's among them), served in windows-1258.

Joomla renders every page through its template (``/templates/<tpl>/css/template.css``)
with scripts under ``/media/system/js/`` (MooTools, Joomla 1.5–2.5) and
``/media/jui/js/`` (jQuery, Joomla 3) and ``<meta name="generator" content="Joomla! -
Open Source Content Management">``. What this sample models:

* the news category as a blog: ``/index.php?option=com_content&view=category&layout=blog
  &id=8&Itemid=101``, paged with ``&limitstart=10,20,…``; the same listing through its
  Joomla 3 SEF menu path ``/index.php/tin-tuc`` pages with ``?start=10,20,…`` (each
  request's pagination links follow the scheme it was asked in, as Joomla's do). The
  blog is ``div.blog`` with ``div.items-leading`` / ``div.items-row`` and pagination
  ``<ul class="pagination">`` ("Đầu", "Trước", numbers, "Trang sau", "Cuối");
* articles ``/index.php?option=com_content&view=article&id=N:slug&catid=8&Itemid=101``.
  Joomla looks articles up by the number alone, so ``id=N``, ``id=N:any-slug``, any
  ``catid``/``Itemid``, ``&lang=vi``, the print view (``&tmpl=component&print=1&layout=
  default&page=``, no modules), the SEF paths ``/index.php/tin-tuc/8-tin-tuc/N-slug`` and
  ``/tin-tuc/N-slug.html`` and the Joomla 1.0 ``task=view&id=N`` are all the same article.
  The "Tin đọc nhiều" module (mod_mostread) links with another ``Itemid`` (and sometimes
  without a slug or with ``lang=vi``), "Các tin khác" with ``.html`` SEF or shortened-slug
  links, the prev/next ``div.pagenav`` ("Trước"/"Tiếp") with SEF links;
* the article (Joomla 3 ``div.item-page``): ``<h2 itemprop="headline">``, a
  ``dl.article-info`` with ``dd.createdby``, ``dd.published`` — "Ngày đăng: 09-07-2026
  15:19" or, on articles migrated from Joomla 1.5, the LC2 format "Thứ năm, 09 Tháng 7
  2026 15:19" — ``dd.modified`` ("Cập nhật lần cuối: …", once edited) and ``dd.hits``
  ("Lượt xem: N", changes on every request); the body ``<div itemprop="articleBody">``
  (justified ``<p>``, a bold lead, sometimes an image and a TinyMCE ``<p>&nbsp;</p>``),
  the source as a right-aligned bold paragraph closing the body; attachments from the
  Attachments extension (``div.attachmentsContainer``, files under
  ``/attachments/article/<id>/<file>``);
* the ENCODING TRAP: every page is windows-1258 the way Windows writes it — tone marks
  as combining bytes after the base letter (only letters like "á", "â", "ơ", "đ" are
  single bytes) — with a bare ``Content-Type: text/html`` header and the charset only
  in ``<meta http-equiv="content-type" content="text/html; charset=windows-1258">``.
  :func:`encode_cp1258` produces those bytes.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from datetime import datetime
from urllib.parse import quote_plus

from tests.sample_sites.base import (
    Request,
    Response,
    SampleArticle,
    SampleSite,
    not_found,
    today_widget,
    vn_weekday,
)

# -- windows-1258 as Windows writes it ----------------------------------------------------

#: The five Vietnamese tone marks windows-1258 has as combining bytes (0xCC 0xEC 0xDE 0xD2 0xF2).
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_PIECES: dict[str, str] = {}


def _cp1258_ok(text: str) -> bool:
    try:
        text.encode("cp1258")
    except UnicodeEncodeError:
        return False
    return True


def _piece(ch: str) -> str:
    """``ch`` spelled with windows-1258 characters: a precomposed letter where the code
    page has one, else base letter (with its circumflex/breve/horn) + combining tone."""
    found = _PIECES.get(ch)
    if found is not None:
        return found
    nfd = unicodedata.normalize("NFD", ch)
    base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))
    tones = "".join(c for c in nfd if c in _TONES)
    if tones and _cp1258_ok(unicodedata.normalize("NFC", base + tones)):
        out = unicodedata.normalize("NFC", base + tones)  # e.g. "á" is one byte
    elif _cp1258_ok(base + tones):
        out = base + tones  # "ấ" → "â" + U+0301
    else:
        out = f"&#{ord(ch)};"  # outside the code page: a character reference
    _PIECES[ch] = out
    return out


def _decompose_errors(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return "".join(_piece(ch) for ch in exc.object[exc.start : exc.end]), exc.end


_ERRORS = "sct-sample-cp1258"
codecs.register_error(_ERRORS, _decompose_errors)


def encode_cp1258(text: str) -> bytes:
    """NFC ``text`` as real-world windows-1258 bytes (decodes back to ``text`` after NFC)."""
    return unicodedata.normalize("NFC", text).encode("cp1258", _ERRORS)


# -- the site -----------------------------------------------------------------------------

CATEGORY_ID = 8
CATEGORY_ALIAS = "tin-tuc"
CATEGORY_NAME = "Tin tức - Sự kiện"
ITEMID = 101
MOSTREAD_ITEMID = 115
TEMPLATE = "sct_phutho"
LISTING_QUERY = f"option=com_content&view=category&layout=blog&id={CATEGORY_ID}&Itemid={ITEMID}"
SEF_LISTING = "/index.php/tin-tuc"

_SEF_ARTICLE = re.compile(r"^/(?:index\.php/)?tin-tuc/(?:\d+-[a-z0-9-]+/)?(\d+)-[a-z0-9-]+(?:\.html)?$")
_ID = re.compile(r"^(\d+)(?::[A-Za-z0-9-]*)?$")

_MENU = (
    ("/index.php", "Trang chủ"),
    ("/index.php?option=com_content&view=category&layout=blog&id=2&Itemid=102", "Giới thiệu"),
    (f"/index.php?{LISTING_QUERY}", "Tin tức - Sự kiện"),
    ("/index.php?option=com_content&view=category&layout=blog&id=12&Itemid=104", "Văn bản pháp quy"),
    ("/index.php?option=com_content&view=category&layout=blog&id=15&Itemid=106", "Khuyến công"),
    ("/index.php?option=com_contact&view=contact&id=1&Itemid=110", "Liên hệ"),
)


def _byline(a: SampleArticle) -> str:
    """The date in ``dd.published``: Joomla 3's format, or Joomla 1.5's LC2 on migrated articles."""
    p = a.published
    if a.id % 3 == 0:
        return f"{vn_weekday(p.date())}, {p:%d} Tháng {p.month} {p.year} {p:%H:%M}"
    return f"Ngày đăng: {p:%d-%m-%Y %H:%M}"


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S+07:00")


class JoomlaSite(SampleSite):
    profile = "joomla"
    name = "Sở Công Thương tỉnh Phú Thọ"
    robots_disallow = ("/tim-kiem", "/administrator/")

    # -- URLs ------------------------------------------------------------------------------

    def article_path(self, a: SampleArticle) -> str:
        return (
            f"/index.php?option=com_content&view=article&id={a.id}:{a.slug}"
            f"&catid={CATEGORY_ID}&Itemid={ITEMID}"
        )

    def article_url(self, a: SampleArticle) -> str:
        return self.abs(self.article_path(a))

    def start_urls(self) -> list[str]:
        return [self.abs(f"/index.php?{LISTING_QUERY}")]

    def print_path(self, a: SampleArticle) -> str:
        return (
            f"/index.php?view=article&catid={CATEGORY_ID}:{CATEGORY_ALIAS}&id={a.id}:{a.slug}"
            f"&tmpl=component&print=1&layout=default&page=&option=com_content&Itemid={ITEMID}"
        )

    def mostread_path(self, a: SampleArticle) -> str:
        if a.id % 2:
            return (
                f"/index.php?option=com_content&view=article&id={a.id}:{a.slug}"
                f"&catid={CATEGORY_ID}&Itemid={MOSTREAD_ITEMID}&lang=vi"
            )
        return f"/index.php?option=com_content&view=article&id={a.id}&Itemid={MOSTREAD_ITEMID}"

    def sef_path(self, a: SampleArticle) -> str:
        return f"/index.php/tin-tuc/{CATEGORY_ID}-{CATEGORY_ALIAS}/{a.id}-{a.slug}"

    def other_path(self, a: SampleArticle) -> str:
        """"Các tin khác": old ``.html`` SEF links, or the shortened slug of an older alias."""
        if a.id % 2:
            return f"/tin-tuc/{a.id}-{a.slug}.html"
        short = "-".join(a.slug.split("-")[:3])
        return f"/index.php?option=com_content&view=article&id={a.id}:{short}&catid={CATEGORY_ID}&Itemid={ITEMID}"

    def attachment_url(self, a, att) -> str:
        return self.abs(f"/attachments/article/{a.id}/{att.filename}")

    def listing_page_url(self, offset: int, sef: bool) -> str:
        if sef:
            return SEF_LISTING + (f"?start={offset}" if offset else "")
        return f"/index.php?{LISTING_QUERY}&limitstart={offset}"

    # -- routing ---------------------------------------------------------------------------

    def route(self, req: Request) -> Response:
        with self.lock:
            return self._route(req)

    def _route(self, req: Request) -> Response:
        path = req.path
        if path.startswith("/attachments/"):
            return self.serve_attachment(req) or not_found()
        if path in ("/", "/index.php"):
            option = req.arg("option")
            if option is None:
                return self._html(self.render_listing(0, sef=False, home=True))
            if option != "com_content":
                return not_found()
            view = req.arg("view")
            if view == "category" and req.arg("id", "").split(":")[0] == str(CATEGORY_ID):
                return self._html(self.render_listing(_offset(req.arg("limitstart")), sef=False))
            if view == "article" or req.arg("task") == "view":
                m = _ID.match(req.arg("id", ""))
                a = self.by_id(int(m.group(1))) if m else None
                if a is None:
                    return not_found("Không tìm thấy bài viết")
                printing = req.arg("tmpl") == "component"
                return self._html(self.render_article(a, printing=printing), a)
            return not_found()
        if path == SEF_LISTING:
            return self._html(self.render_listing(_offset(req.arg("start")), sef=True))
        m = _SEF_ARTICLE.match(path)
        if m:
            a = self.by_id(int(m.group(1)))
            if a is None:
                return not_found("Không tìm thấy bài viết")
            return self._html(self.render_article(a, printing=req.arg("tmpl") == "component"), a)
        return not_found()

    def _html(self, page: str, a: SampleArticle | None = None) -> Response:
        # the trap: no charset in the header, windows-1258 bytes, charset only in <meta>
        return Response(
            200, encode_cp1258(page), content_type="text/html",
            last_modified=a.modified if a is not None else None,
        )

    # -- page chrome -----------------------------------------------------------------------

    def head(self, title: str, description: str, *, extra: str = "") -> str:
        esc = self.esc
        return (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="vi-vn" lang="vi-vn" dir="ltr">\n<head>\n'
            '<meta http-equiv="content-type" content="text/html; charset=windows-1258" />\n'
            '<meta name="keywords" content="Sở Công Thương, Phú Thọ, khuyến công, xúc tiến thương mại" />\n'
            f'<meta name="description" content="{esc(description)}" />\n'
            '<meta name="generator" content="Joomla! - Open Source Content Management" />\n'
            f"<title>{esc(title)}</title>\n"
            f'<link href="/templates/{TEMPLATE}/favicon.ico" rel="shortcut icon" type="image/vnd.microsoft.icon" />\n'
            f'<link rel="stylesheet" href="/templates/system/css/system.css" type="text/css" />\n'
            f'<link rel="stylesheet" href="/templates/{TEMPLATE}/css/template.css" type="text/css" />\n'
            '<script src="/media/system/js/mootools-core.js" type="text/javascript"></script>\n'
            '<script src="/media/system/js/core.js" type="text/javascript"></script>\n'
            '<script src="/media/jui/js/jquery.min.js" type="text/javascript"></script>\n'
            '<script src="/media/jui/js/jquery-noconflict.js" type="text/javascript"></script>\n'
            '<script src="/media/system/js/caption.js" type="text/javascript"></script>\n'
            '<script type="text/javascript">\n'
            "window.addEvent('load', function() { new JCaption('img.caption'); });\n"
            "</script>\n"
            f"{extra}</head>\n"
        )

    def header(self) -> str:
        menu = "".join(
            f'<li class="item-{ITEMID + i}"><a href="{self.esc(href)}">{label}</a></li>'
            for i, (href, label) in enumerate(_MENU)
        )
        return (
            '<div id="header">\n'
            f'<div id="logo"><a href="/index.php"><img src="/templates/{TEMPLATE}/images/logo.png" '
            f'alt="{self.name}" /></a></div>\n'
            f'<div id="date-time">{today_widget(self.today)}</div>\n'
            '<div class="bannergroup"><div class="banneritem">bannerclient tạm thời không có.</div></div>\n'
            "</div>\n"
            f'<div id="menu"><ul class="nav menu">{menu}</ul></div>\n'
        )

    def sidebar(self) -> str:
        items = "".join(
            f'<li itemscope itemtype="https://schema.org/Article"><a href="{self.esc(self.mostread_path(a))}" '
            f'itemprop="url"><span itemprop="name">{self.esc(a.title)}</span></a></li>\n'
            for a in self.most_read()
        )
        return (
            '<div id="left">\n'
            '<div class="moduletable search"><h3>Tìm kiếm</h3>\n'
            '<form action="/index.php" method="post"><div class="search">'
            '<input name="searchword" maxlength="200" class="inputbox search-query" type="search" '
            'placeholder="Tìm kiếm..." />'
            '<input type="hidden" name="task" value="search" />'
            '<input type="hidden" name="option" value="com_search" />'
            f'<input type="hidden" name="Itemid" value="{ITEMID}" /></div></form>\n'
            f'<a href="/tim-kiem?searchword={quote_plus("khuyến công")}&amp;searchphrase=all">'
            "Tìm kiếm nâng cao</a></div>\n"
            '<div class="moduletable mostread"><h3>Tin đọc nhiều</h3>\n'
            f'<ul class="mostread">\n{items}</ul></div>\n'
            '<div class="moduletable"><h3>Thống kê truy cập</h3>\n'
            f'<div id="vvisit_counter">Lượt truy cập: {self.hit()}</div></div>\n'
            "</div>\n"
        )

    def footer(self) -> str:
        return (
            '<div id="footer">\n'
            f"<p><strong>{self.name.upper()}</strong></p>\n"
            "<p>Địa chỉ: Số 1492 Đại lộ Hùng Vương, phường Gia Cẩm, TP. Việt Trì, tỉnh Phú Thọ</p>\n"
            "<p>Điện thoại: 0210.3846.242 - Fax: 0210.3846.243 - Email: sct@phutho.gov.vn</p>\n"
            "<p>Ghi rõ nguồn khi phát hành lại thông tin từ website này. "
            '<a href="/administrator/">Quản trị</a></p>\n'
            "</div>\n"
        )

    def page(self, title: str, description: str, main: str, *, extra_head: str = "") -> str:
        return (
            self.head(title, description, extra=extra_head)
            + '<body id="bd" class="site com_content">\n<div id="wrapper">\n'
            + self.header()
            + '<div id="main">\n'
            + self.sidebar()
            + f'<div id="content">\n<div id="system-message-container"></div>\n{main}</div>\n'
            + "</div>\n"
            + self.footer()
            + "</div>\n</body>\n</html>\n"
        )

    # -- listings --------------------------------------------------------------------------

    def summary(self, a: SampleArticle) -> str:
        words = (a.paragraphs[0] if a.paragraphs else "").split()
        return " ".join(words[:30]) + (" ..." if len(words) > 30 else "")

    def listing_item(self, a: SampleArticle, css: str) -> str:
        esc = self.esc
        url = esc(self.article_path(a))
        return (
            f'<div class="{css}" itemprop="blogPost" itemscope itemtype="https://schema.org/BlogPosting">\n'
            f'<div class="page-header"><h2 itemprop="name"><a href="{url}" itemprop="url">'
            f"{esc(a.title)}</a></h2></div>\n"
            '<dl class="article-info muted"><dt class="article-info-term">Chi tiết</dt>'
            f'<dd class="published"><span class="icon-calendar"></span> <time datetime="{_iso(a.published)}" '
            f'itemprop="datePublished">{_byline(a)}</time></dd></dl>\n'
            f"<p>{esc(self.summary(a))}</p>\n"
            f'<p class="readmore"><a class="btn" href="{url}" itemprop="url">'
            '<span class="icon-chevron-right"></span> Chi tiết...</a></p>\n'
            "</div>\n"
        )

    def pagination(self, offset: int, sef: bool) -> str:
        size = self.page_size
        total = len(self.articles)
        if total <= size:
            return ""
        pages = self.n_pages
        current = offset // size + 1
        last = (pages - 1) * size

        def link(label: str, off: int, css: str, title: str | None = None) -> str:
            href = self.esc(self.listing_page_url(off, sef))
            return f'<li class="{css}"><a title="{title or label}" href="{href}" class="pagenav">{label}</a></li>'

        def span(label: str, css: str) -> str:
            return f'<li class="{css}"><span class="pagenav">{label}</span></li>'

        items = []
        if current > 1:
            items += [link("Đầu", 0, "pagination-start"), link("Trước", offset - size, "pagination-prev")]
        else:
            items += [span("Đầu", "pagination-start"), span("Trước", "pagination-prev")]
        lo = max(1, current - 4)
        for n in range(lo, min(pages, lo + 9) + 1):
            items.append(span(str(n), "") if n == current else link(str(n), (n - 1) * size, ""))
        if current < pages:
            items += [link("Trang sau", offset + size, "pagination-next"),
                      link("Cuối", last, "pagination-end")]
        else:
            items += [span("Trang sau", "pagination-next"), span("Cuối", "pagination-end")]
        return (
            f'<div class="pagination">\n<p class="counter pull-right">Trang {current} / {pages}</p>\n'
            f'<ul class="pagination">{"".join(items)}</ul>\n</div>\n'
        )

    def render_listing(self, offset: int, *, sef: bool, home: bool = False) -> str:
        size = 5 if home else self.page_size
        items = self.articles[offset : offset + size]
        parts = []
        if items:
            parts.append('<div class="items-leading clearfix">\n' + self.listing_item(items[0], "leading-0 clearfix") + "</div>\n")
            for i, a in enumerate(items[1:]):
                parts.append(
                    f'<div class="items-row cols-1 row-{i} row-fluid clearfix"><div class="span12">\n'
                    + self.listing_item(a, "item column-1")
                    + "</div></div>\n"
                )
        title = "Trang chủ" if home else CATEGORY_NAME
        main = (
            f'<div class="blog{" blog-featured" if home else ""}" itemscope itemtype="https://schema.org/Blog">\n'
            f'<div class="page-header"><h2><span class="subheading-category">{title}</span></h2></div>\n'
            + "".join(parts)
            + ("" if home else self.pagination(offset, sef))
            + "</div>\n"
        )
        feed = "" if home else (
            f'<link href="/index.php?{LISTING_QUERY.replace("&", "&amp;")}&amp;format=feed&amp;type=rss" '
            'rel="alternate" type="application/rss+xml" title="RSS 2.0" />\n'
        )
        return self.page(f"{title} - {self.name}", f"{title} - {self.name}", main, extra_head=feed)

    # -- articles --------------------------------------------------------------------------

    def article_body(self, a: SampleArticle) -> str:
        esc = self.esc
        out = []
        for i, para in enumerate(a.paragraphs):
            if i == 0 and a.id % 2 == 0:
                out.append(f'<p style="text-align: justify;"><strong>{esc(para)}</strong></p>')
            else:
                out.append(f'<p style="text-align: justify;">{esc(para)}</p>')
            if i == 0 and a.id % 4 == 0:
                out.append(
                    f'<p style="text-align: center;"><img src="/images/stories/tin-tuc/2026/anh-{a.id}.jpg" '
                    f'alt="{esc(a.title)}" width="450" height="300" /></p>'
                )
        if a.id % 5 == 0:
            out.append("<p>&nbsp;</p>")
        if a.source:
            out.append(f'<p style="text-align: right;"><strong>{esc(a.source)}</strong></p>')
        return "\n".join(out)

    def attachments(self, a: SampleArticle) -> str:
        if not a.attachments:
            return ""
        rows = "".join(
            f'<tr class="{"odd" if i % 2 else "even"}"><td class="at_filename">'
            f'<a class="at_icon" href="{self.esc(self.attachment_url(a, att))}" title="Tải về">'
            f'<img src="/media/com_attachments/images/file_icons/generic.gif" alt="Tải về" /></a>'
            f'&nbsp;<a class="at_url" href="{self.esc(self.attachment_url(a, att))}" title="Tải về">'
            f"{self.esc(att.filename)}</a></td>"
            f'<td class="at_file_size">{max(1, len(att.data) // 1024)} Kb</td></tr>'
            for i, att in enumerate(a.attachments)
        )
        return (
            f'<div class="attachmentsContainer">\n<div class="attachmentsList" id="attachmentsList_com_content_default_{a.id}">\n'
            f'<table><caption>Tài liệu đính kèm:</caption><tbody>{rows}</tbody></table>\n</div>\n</div>\n'
        )

    def position(self, a: SampleArticle) -> int:
        """``a``'s index in the newest-first list (by identity: dataclass equality is slow)."""
        return next(i for i, x in enumerate(self.articles) if x is a)

    def neighbours(self, a: SampleArticle) -> tuple[SampleArticle | None, SampleArticle | None]:
        idx = self.position(a)
        newer = self.articles[idx - 1] if idx > 0 else None
        older = self.articles[idx + 1] if idx + 1 < len(self.articles) else None
        return newer, older

    def render_article(self, a: SampleArticle, *, printing: bool = False) -> str:
        esc = self.esc
        hits = self.hit()
        modified = ""
        if a.modified and a.modified > a.published:
            modified = f'<dd class="modified"><span class="icon-calendar"></span> Cập nhật lần cuối: {a.modified:%d-%m-%Y %H:%M}</dd>\n'
        if printing:
            icons = '<div id="pop-print" class="btn hidden-print"><a href="#" onclick="window.print();return false;">In</a></div>\n'
        else:
            icons = (
                '<div class="btn-group pull-right icons-actions"><ul class="dropdown-menu actions">'
                f'<li class="print-icon"><a href="{esc(self.print_path(a))}" title="In trang" '
                "onclick=\"window.open(this.href,'win2','status=no,toolbar=no,scrollbars=yes,"
                "titlebar=no,menubar=no,resizable=yes,width=640,height=480,directories=no,location=no'); "
                'return false;" rel="nofollow">In trang</a></li>'
                '<li class="email-icon"><a href="/index.php?option=com_mailto&amp;tmpl=component" '
                'rel="nofollow">Gửi email</a></li></ul></div>\n'
            )
        idx = self.position(a)
        others = self.articles[idx + 1 : idx + 6] or self.articles[max(0, idx - 5) : idx]
        others_html = "".join(
            f'<li><a href="{esc(self.other_path(o))}">{esc(o.title)}</a> '
            f'<span class="date">({o.published:%d/%m/%Y})</span></li>'
            for o in others
        )
        newer, older = self.neighbours(a)
        nav = ""
        if not printing:
            nav_items = ""
            if newer is not None:
                nav_items += (
                    f'<li class="previous"><a href="{esc(self.sef_path(newer))}" rel="prev">'
                    '<span class="icon-chevron-left"></span> Trước</a></li>'
                )
            if older is not None:
                nav_items += (
                    f'<li class="next"><a href="{esc(self.sef_path(older))}" rel="next">'
                    'Tiếp <span class="icon-chevron-right"></span></a></li>'
                )
            nav = f'<div class="pagenav"><ul class="pager pagenav">{nav_items}</ul></div>\n'
        main = (
            '<div class="item-page" itemscope itemtype="https://schema.org/Article">\n'
            '<meta itemprop="inLanguage" content="vi-VN" />\n'
            f'<div class="page-header"><h2 itemprop="headline">{esc(a.title)}</h2></div>\n'
            + icons
            + '<dl class="article-info muted">\n<dt class="article-info-term">Chi tiết</dt>\n'
            '<dd class="createdby" itemprop="author" itemscope itemtype="https://schema.org/Person">'
            'Viết bởi <span itemprop="name">Quản trị viên</span></dd>\n'
            f'<dd class="category-name">Chuyên mục: <a href="/index.php?{LISTING_QUERY.replace("&", "&amp;")}" '
            f'itemprop="genre">{CATEGORY_NAME}</a></dd>\n'
            f'<dd class="published"><span class="icon-calendar"></span> <time datetime="{_iso(a.published)}" '
            f'itemprop="datePublished">{_byline(a)}</time></dd>\n'
            + modified
            + f'<dd class="hits"><span class="icon-eye-open"></span> <meta itemprop="interactionCount" '
            f'content="UserPageVisits:{hits}" />Lượt xem: {hits}</dd>\n</dl>\n'
            f'<div itemprop="articleBody">\n{self.article_body(a)}\n</div>\n'
            + self.attachments(a)
            + (
                f'<div class="tin-khac"><h3>Các tin khác</h3><ul>{others_html}</ul></div>\n'
                if others_html and not printing else ""
            )
            + nav
            + "</div>\n"
        )
        title = f"{a.title} - {self.name}"
        description = self.summary(a)
        if printing:
            return (
                self.head(title, description, extra='<meta name="robots" content="noindex, nofollow" />\n')
                + '<body class="contentpane modal">\n<div id="system-message-container"></div>\n'
                + main
                + "</body>\n</html>\n"
            )
        return self.page(title, description, main)


def _offset(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


SITE = JoomlaSite
