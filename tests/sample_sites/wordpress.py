"""A WordPress site, as several provincial SCTs and khuyến công centres run it (Bắc Ninh…).

WordPress (6.x, a custom "sct-bacninh" theme derived from _s/Twenty-*, with the
usual plugins: Yoast SEO, WP-PostViews / Post Views Counter, WordPress Popular
Posts, Jetpack sharing, YARPP, WP-Print, AMP) renders:

* ``<meta name="generator" content="WordPress 6.6.2">``, ``/wp-content/themes/…``
  and ``/wp-includes/…`` assets, ``<link rel="https://api.w.org/">``, the RSS
  ``<link rel="alternate">``, ``<link rel="canonical">`` and ``rel="shortlink"``;
* posts at their permalink ``/yyyy/mm/<slug>/`` (the slug is unique: the identity).
  Variants rendering the same post: ``?amp=1`` and ``/amp/`` (AMP), ``/print/``
  (WP-Print, the "In trang" link), ``?replytocom=N`` (comment reply links),
  ``?utm_source=sidebar&utm_medium=widget`` (the "Tin đọc nhiều" widget),
  ``?share=facebook``. The shortlink ``/?p=N`` answers 301 to the permalink, as do a
  permalink without its trailing slash and one with the wrong year/month;
* the article: ``body.single.single-post.postid-N``, ``article#post-N``,
  ``h1.entry-title``, ``.entry-meta`` with ``time.entry-date.published`` (text
  "dd/mm/yyyy HH:MM", ISO ``datetime`` with +07:00) and ``time.updated``, the body in
  ``div.entry-content`` (which plugins also fill with a ``.post-views`` counter,
  Jetpack share buttons and YARPP "Tin liên quan"), the source as a right-aligned
  Gutenberg paragraph (``p.has-text-align-right``) closing the body, attachments in
  ``div.entry-attachments`` (files under ``/wp-content/uploads/yyyy/mm/``);
* listings: the category ``/chuyen-muc/tin-tuc/`` (the start URL) paged as
  ``/chuyen-muc/tin-tuc/page/N/``, the home ``/`` (``/page/N/``), tags ``/tag/x/``,
  the author ``/author/admin/`` and month archives ``/yyyy/mm/`` — none of them
  articles; ``paginate_links`` markup with ``a.next.page-numbers`` "Trang sau »";
  ``/page/1/`` redirects to the base, pages past the end are 404;
* the feed ``/feed/`` (RSS 2.0, the 10 latest posts, RFC 822 ``pubDate`` in GMT) and
  the core sitemaps: ``/wp-sitemap.xml`` (index; ``/sitemap.xml`` redirects there)
  → ``/wp-sitemap-posts-post-1.xml`` (every post, with ``lastmod``), plus page,
  category and user sitemaps;
* search is ``/?s=…`` (robots-disallowed, linked from the tag cloud widget).

Text trap: about a third of the posts were pasted from a word processor on a Mac:
some paragraphs (and for some posts the title) are served in Unicode NFD, mixed with
NFC paragraphs in the same page. The ground truth stays NFC. UTF-8, charset in the
Content-Type header.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime, timedelta
from email.utils import format_datetime
from urllib.parse import urlencode

from tests.sample_sites.base import (
    Attachment,
    Request,
    Response,
    SampleArticle,
    SampleSite,
    not_found,
    redirect,
    today_widget,
)

SITE_NAME = "Sở Công Thương Bắc Ninh"
THEME = "/wp-content/themes/sct-bacninh"
WP_VERSION = "6.6.2"
CATEGORY = ("tin-tuc", "Tin tức")
TAGS = (
    ("khuyen-cong", "Khuyến công"),
    ("xuc-tien-thuong-mai", "Xúc tiến thương mại"),
    ("quan-ly-thi-truong", "Quản lý thị trường"),
)
FEED_ITEMS = 10
SITEMAP_PAGE = 2000  # wp_sitemaps_get_max_urls()
HTML = "text/html; charset=UTF-8"
RSS = "application/rss+xml; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
VN_OFFSET = timedelta(hours=7)

_PERMALINK = re.compile(r"^/(\d{4})/(\d{2})/([^/]+)(/(?:amp/|print/)?)?$")
_PAGED = re.compile(r"^(.*?/)page/(\d+)/?$")
_MONTH = re.compile(r"^/(\d{4})/(\d{2})/$")

_MENU = (
    ("/", "Trang chủ"), ("/gioi-thieu/", "Giới thiệu"), ("/chuyen-muc/tin-tuc/", "Tin tức"),
    ("/chuyen-muc/van-ban/", "Văn bản"), ("/chuyen-muc/khuyen-cong/", "Khuyến công"),
    ("/lien-he/", "Liên hệ"),
)
_STATIC = {
    "/gioi-thieu/": ("Giới thiệu", "Sở Công Thương Bắc Ninh là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh."),
    "/lien-he/": ("Liên hệ", "Địa chỉ: Số 11 đường Lý Thái Tổ, phường Suối Hoa, thành phố Bắc Ninh."),
}


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S") + "+07:00"


def _vn(when: datetime) -> str:
    return when.strftime("%d/%m/%Y %H:%M")


class WordPressSite(SampleSite):
    profile = "wordpress"
    name = SITE_NAME
    robots_disallow = ("/?s=", "/wp-admin/")
    has_sitemap = True

    # -- URLs ------------------------------------------------------------------------------

    @staticmethod
    def permalink_path(a: SampleArticle) -> str:
        return f"/{a.published:%Y}/{a.published:%m}/{a.slug}/"

    def article_url(self, a: SampleArticle) -> str:
        return self.abs(self.permalink_path(a))

    def start_urls(self) -> list[str]:
        return [self.abs("/chuyen-muc/tin-tuc/")]

    def attachment_url(self, a: SampleArticle, att: Attachment) -> str:
        return self.abs(f"/wp-content/uploads/{a.published:%Y}/{a.published:%m}/{att.filename}")

    @staticmethod
    def tag_of(a: SampleArticle) -> tuple[str, str]:
        return TAGS[a.id % len(TAGS)]

    # -- the NFD trap ----------------------------------------------------------------------

    @staticmethod
    def nfd_paragraphs(a: SampleArticle) -> bool:
        """About a third of the posts mix NFD paragraphs (every other one) with NFC ones."""
        return a.id % 3 == 1

    @staticmethod
    def nfd_title(a: SampleArticle) -> bool:
        return a.id % 6 == 1

    def shown_title(self, a: SampleArticle) -> str:
        return _nfd(a.title) if self.nfd_title(a) else a.title

    def shown_paragraphs(self, a: SampleArticle) -> list[str]:
        if not self.nfd_paragraphs(a):
            return a.paragraphs
        return [_nfd(p) if i % 2 == 0 else p for i, p in enumerate(a.paragraphs)]

    # -- lookup ----------------------------------------------------------------------------

    def _slug_index(self) -> dict[str, SampleArticle]:
        stamp = (id(self.articles), len(self.articles))
        cached = getattr(self, "_slug_cache", None)
        if cached is None or cached[0] != stamp:
            cached = (stamp, {a.slug: a for a in self.articles}, {a.id: a for a in self.articles})
            self._slug_cache = cached
        return cached[1]

    def _find(self, slug: str) -> SampleArticle | None:
        return self._slug_index().get(slug)

    def _find_id(self, id: int) -> SampleArticle | None:
        self._slug_index()
        return self._slug_cache[2].get(id)

    # -- routing ---------------------------------------------------------------------------

    def route(self, req: Request) -> Response:
        path = req.path or "/"
        with self.lock:
            if path == "/":
                if req.arg("p", "").isdigit():  # the shortlink
                    a = self._find_id(int(req.arg("p")))
                    return redirect(self.article_url(a)) if a else not_found()
                if req.arg("s") is not None:
                    return self.render_search(req.arg("s") or "")
                return self.render_listing("/", self.articles, 1, None)
            if path.startswith("/wp-content/uploads/"):
                return self.serve_attachment(req) or not_found()
            if path in ("/feed/", "/feed", "/chuyen-muc/tin-tuc/feed/"):
                return self.render_feed()
            if path in ("/sitemap.xml", "/wp-sitemap.xml/"):
                return redirect(self.abs("/wp-sitemap.xml"))
            if path == "/wp-sitemap.xml":
                return self.render_sitemap_index()
            if path.startswith("/wp-sitemap-"):
                return self.render_sitemap(path)
            if path in _STATIC:
                return self.render_static(path)
            paged = _PAGED.match(path)
            base, page = (paged.group(1), int(paged.group(2))) if paged else (path, 1)
            if paged and page == 1:
                return redirect(self.abs(base))
            items = self.archive_items(base)
            if items is not None:
                return self.render_listing(base, items[1], page, items[0])
            m = _PERMALINK.match(path)
            if m:
                return self.render_permalink(req, m)
        return not_found()

    def archive_items(self, base: str) -> tuple[str | None, list[SampleArticle]] | None:
        """(heading, posts newest first) of a listing path, None if it is none."""
        if base == "/":
            return None, self.articles
        if base == f"/chuyen-muc/{CATEGORY[0]}/":
            return f"Chuyên mục: {CATEGORY[1]}", self.articles
        if base == "/author/admin/":
            return "Tác giả: admin", self.articles
        if base.startswith("/tag/"):
            for slug, name in TAGS:
                if base == f"/tag/{slug}/":
                    return f"Thẻ: {name}", [a for a in self.articles if self.tag_of(a)[0] == slug]
            return None
        m = _MONTH.match(base)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            posts = [a for a in self.articles if (a.published.year, a.published.month) == (y, mo)]
            return (f"Tháng {mo} {y}", posts) if posts else None
        return None

    def render_permalink(self, req: Request, m: re.Match[str]) -> Response:
        year, month, slug, tail = m.groups()
        a = self._find(slug)
        if a is None:
            return not_found()
        canonical = self.permalink_path(a)
        variant = (tail or "").strip("/")
        if not tail or (year, month) != (f"{a.published:%Y}", f"{a.published:%m}"):
            # redirect_canonical(): add the slash, fix the date, keep the query
            query = urlencode([(k, v) for k, vs in req.query.items() for v in vs])
            return redirect(self.abs(canonical + (f"{variant}/" if variant else "")
                                     + (f"?{query}" if query else "")))
        if variant == "print":
            return Response(200, self.render_print(a), HTML, last_modified=a.modified)
        return Response(200, self.render_article(a, amp=variant == "amp" or "amp" in req.query),
                        HTML, last_modified=a.modified)

    # -- page furniture --------------------------------------------------------------------

    def head(self, title: str, *, canonical: str, extra: str = "") -> str:
        b, esc = self.base_url, self.esc
        return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="profile" href="https://gmpg.org/xfn/11">
<title>{esc(title)} &#8211; {SITE_NAME}</title>
<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1">
<link rel="canonical" href="{canonical}">
<meta property="og:locale" content="vi_VN">
<meta property="og:site_name" content="{SITE_NAME}">
{extra}<link rel='dns-prefetch' href='//fonts.googleapis.com'>
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Dòng thông tin" href="{b}/feed/">
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Dòng phản hồi" href="{b}/comments/feed/">
<link rel='stylesheet' id='wp-block-library-css' href='{b}/wp-includes/css/dist/block-library/style.min.css?ver={WP_VERSION}' media='all'>
<link rel='stylesheet' id='wpp-css' href='{b}/wp-content/plugins/wordpress-popular-posts/assets/css/wpp.css?ver=7.0.1' media='all'>
<link rel='stylesheet' id='sct-bacninh-style-css' href='{b}{THEME}/style.css?ver=1.4.0' media='all'>
<script src="{b}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
<script src="{b}/wp-includes/js/jquery/jquery-migrate.min.js?ver=3.4.1" id="jquery-migrate-js"></script>
<link rel="https://api.w.org/" href="{b}/wp-json/">
<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{b}/xmlrpc.php?rsd">
<meta name="generator" content="WordPress {WP_VERSION}">
<link rel="icon" href="{b}/wp-content/uploads/2021/03/logo-sct-32x32.png" sizes="32x32">
</head>
"""

    def header(self) -> str:
        b = self.base_url
        menu = "".join(
            f'<li id="menu-item-{i + 10}" class="menu-item menu-item-type-custom menu-item-{i + 10}">'
            f'<a href="{b}{p}">{t}</a></li>'
            for i, (p, t) in enumerate(_MENU)
        )
        return f"""<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Chuyển đến nội dung</a>
<div class="top-bar"><div class="container"><span class="current-date">{today_widget(self.today)}</span>
<span class="hotline">Đường dây nóng: 0222.3822.412</span></div></div>
<header id="masthead" class="site-header">
<div class="site-branding"><a href="{b}/" class="custom-logo-link" rel="home"><img width="90" height="90" src="{b}/wp-content/uploads/2021/03/logo-sct.png" class="custom-logo" alt="{SITE_NAME}"></a>
<p class="site-title"><a href="{b}/" rel="home">{SITE_NAME}</a></p>
<p class="site-description">Cổng thông tin điện tử Sở Công Thương tỉnh Bắc Ninh</p></div>
<form role="search" method="get" class="search-form" action="{b}/"><label><span class="screen-reader-text">Tìm kiếm cho:</span>
<input type="search" class="search-field" placeholder="Tìm kiếm &hellip;" value="" name="s"></label>
<input type="submit" class="search-submit" value="Tìm kiếm"></form>
<nav id="site-navigation" class="main-navigation"><button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>
<ul id="primary-menu" class="menu">{menu}</ul></nav>
</header>
<div id="content" class="site-content"><div class="container">
"""

    def sidebar(self) -> str:
        b, esc = self.base_url, self.esc
        recent = "".join(
            f'<li><a href="{self.article_url(a)}">{esc(self.shown_title(a))}</a></li>' for a in self.articles[:5]
        )
        popular = "".join(
            f'<li><a href="{self.article_url(a)}?utm_source=sidebar&amp;utm_medium=widget" '
            f'class="wpp-post-title" target="_self">{esc(self.shown_title(a))}</a> '
            f'<span class="wpp-meta post-stats"><span class="wpp-views">{1000 + a.id * 37} lượt xem</span></span></li>'
            for a in self.most_read()
        )
        cloud = "".join(
            f'<a href="{b}/tag/{s}/" class="tag-cloud-link">{n}</a> ' for s, n in TAGS
        )
        return f"""<div id="secondary" class="widget-area sidebar">
<aside id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" action="{b}/"><input type="search" class="search-field" name="s"></form></aside>
<aside id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Bài viết mới</h2><ul>{recent}</ul></aside>
<aside id="wpp-2" class="widget popular-posts"><h2 class="widget-title">Tin đọc nhiều</h2><ul class="wpp-list">{popular}</ul></aside>
<aside id="tag_cloud-2" class="widget widget_tag_cloud"><h2 class="widget-title">Từ khóa</h2><div class="tagcloud">{cloud}
<a href="{b}/?s=khuy%E1%BA%BFn+c%C3%B4ng" class="search-link">Tìm: khuyến công</a></div></aside>
<aside id="media_image-3" class="widget widget_media_image"><a href="https://dichvucong.bacninh.gov.vn"><img src="{b}/wp-content/uploads/2022/05/banner-dvc.jpg" alt="Dịch vụ công trực tuyến"></a>
<p class="banner-note">bannerclient tạm thời không có.</p></aside>
<aside id="text-4" class="widget widget_text"><h2 class="widget-title">Thống kê truy cập</h2><div class="textwidget"><p>Lượt truy cập: {self.hit()}</p><p>Đang trực tuyến: 12</p></div></aside>
</div>
"""

    def footer(self) -> str:
        b = self.base_url
        return f"""</div></div>
<footer id="colophon" class="site-footer"><div class="site-info">
<p><strong>{SITE_NAME}</strong></p><p>Địa chỉ: Số 11 đường Lý Thái Tổ, phường Suối Hoa, thành phố Bắc Ninh, tỉnh Bắc Ninh</p>
<p>Điện thoại: 0222.3822.412 – Email: soct@bacninh.gov.vn</p>
<p>Bản quyền &copy; Sở Công Thương Bắc Ninh. <a href="https://wordpress.org/">Vận hành bởi WordPress</a></p>
</div></footer>
</div>
<script src="{b}{THEME}/js/navigation.js?ver=1.4.0" id="sct-bacninh-navigation-js"></script>
<script id="wp-embed-js" src="{b}/wp-includes/js/wp-embed.min.js?ver={WP_VERSION}"></script>
</body>
</html>
"""

    def posted_on(self, a: SampleArticle) -> str:
        url = self.article_url(a)
        if a.modified and a.modified != a.published:
            times = (
                f'<time class="entry-date published" datetime="{_iso(a.published)}">{_vn(a.published)}</time>'
                f'<time class="updated" datetime="{_iso(a.modified)}">{_vn(a.modified)}</time>'
            )
        else:
            times = f'<time class="entry-date published updated" datetime="{_iso(a.published)}">{_vn(a.published)}</time>'
        return (f'<span class="posted-on"><span class="screen-reader-text">Đăng ngày</span> '
                f'<a href="{url}" rel="bookmark">{times}</a></span>')

    # -- listings --------------------------------------------------------------------------

    def pagination(self, base: str, page: int, pages: int) -> str:
        if pages <= 1:
            return ""
        b = self.base_url

        def href(n: int) -> str:
            return f"{b}{base}" if n == 1 else f"{b}{base}page/{n}/"

        parts = []
        if page > 1:
            parts.append(f'<a class="prev page-numbers" href="{href(page - 1)}">« Trang trước</a>')
        dots = False
        for n in range(1, pages + 1):
            if n == page:
                parts.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
                dots = False
            elif n == 1 or n == pages or abs(n - page) <= 1:
                parts.append(f'<a class="page-numbers" href="{href(n)}">{n}</a>')
                dots = False
            elif not dots:
                parts.append('<span class="page-numbers dots">&hellip;</span>')
                dots = True
        if page < pages:
            parts.append(f'<a class="next page-numbers" href="{href(page + 1)}">Trang sau »</a>')
        return (
            '<nav class="navigation pagination" aria-label="Phân trang bài viết">'
            '<h2 class="screen-reader-text">Phân trang bài viết</h2>'
            f'<div class="nav-links">{"".join(parts)}</div></nav>'
        )

    def listing_item(self, a: SampleArticle) -> str:
        url, esc = self.article_url(a), self.esc
        first = self.shown_paragraphs(a)[0] if a.paragraphs else ""
        summary = " ".join(first.split()[:30])
        tag = self.tag_of(a)[0]
        return f"""<article id="post-{a.id}" class="post-{a.id} post type-post status-publish format-standard has-post-thumbnail hentry category-tin-tuc tag-{tag}">
<header class="entry-header"><h2 class="entry-title"><a href="{url}" rel="bookmark">{esc(self.shown_title(a))}</a></h2>
<div class="entry-meta">{self.posted_on(a)}</div></header>
<div class="entry-summary"><p>{esc(summary)} [&hellip;]</p></div>
<footer class="entry-footer"><a class="more-link" href="{url}#more-{a.id}">Đọc tiếp<span class="screen-reader-text"> &#8220;{esc(self.shown_title(a))}&#8221;</span></a></footer>
</article>
"""

    def render_listing(self, base: str, items: list[SampleArticle], page: int, heading: str | None) -> Response:
        pages = max(1, -(-len(items) // self.page_size))
        if page > pages:
            return not_found("Không tìm thấy trang")
        shown = items[(page - 1) * self.page_size : page * self.page_size]
        url = self.abs(base if page == 1 else f"{base}page/{page}/")
        title = heading or "Trang chủ"
        if page > 1:
            title = f"{title} – Trang {page}"
        if base == "/":
            body_class = "home blog hfeed" + (" paged" if page > 1 else "")
        elif base.startswith("/chuyen-muc/"):
            body_class = "archive category category-tin-tuc category-2 hfeed"
        elif base.startswith("/tag/"):
            body_class = "archive tag hfeed"
        elif base.startswith("/author/"):
            body_class = "archive author author-admin author-1 hfeed"
        else:
            body_class = "archive date hfeed"
        header = f'<header class="page-header"><h1 class="page-title">{self.esc(heading)}</h1></header>' if heading else ""
        html = (
            self.head(title, canonical=url)
            + f'<body class="{body_class} wp-embed-responsive">\n'
            + self.header()
            + '<div id="primary" class="content-area"><main id="main" class="site-main">\n'
            + header
            + "".join(self.listing_item(a) for a in shown)
            + self.pagination(base, page, pages)
            + "</main></div>\n"
            + self.sidebar()
            + self.footer()
        )
        return Response(200, html, HTML)

    def render_search(self, query: str) -> Response:
        words = query.lower().split()
        found = [a for a in self.articles if all(w in a.title.lower() for w in words)][: self.page_size]
        html = (
            self.head(f"Kết quả tìm kiếm cho “{query}”", canonical=self.abs("/"))
            + '<body class="search search-results hfeed">\n' + self.header()
            + '<div id="primary" class="content-area"><main id="main" class="site-main">'
            + f'<header class="page-header"><h1 class="page-title">Kết quả tìm kiếm cho: {self.esc(query)}</h1></header>'
            + "".join(self.listing_item(a) for a in found)
            + "</main></div>\n" + self.sidebar() + self.footer()
        )
        return Response(200, html, HTML)

    def render_static(self, path: str) -> Response:
        title, text = _STATIC[path]
        html = (
            self.head(title, canonical=self.abs(path))
            + '<body class="page-template-default page page-id-2 wp-embed-responsive">\n' + self.header()
            + '<div id="primary" class="content-area"><main id="main" class="site-main">'
            + '<article id="post-2" class="post-2 page type-page status-publish hentry">'
            + f'<header class="entry-header"><h1 class="entry-title">{title}</h1></header>'
            + f'<div class="entry-content"><p>{text}</p></div></article>'
            + "</main></div>\n" + self.sidebar() + self.footer()
        )
        return Response(200, html, HTML)

    # -- articles --------------------------------------------------------------------------

    def entry(self, a: SampleArticle, *, full: bool = True) -> str:
        """The <article> of a single post (also what WP-Print and AMP render)."""
        esc, url = self.esc, self.article_url(a)
        paras = "".join(f"<p>{esc(p)}</p>\n" for p in self.shown_paragraphs(a))
        source = f'<p class="has-text-align-right"><strong>{esc(a.source)}</strong></p>\n' if a.source else ""
        files = ""
        if a.attachments:
            items = "".join(
                f'<li><a href="{self.attachment_url(a, t)}" target="_blank" rel="noopener">{esc(t.filename)}</a></li>'
                for t in a.attachments
            )
            files = f'<div class="entry-attachments"><h3>Văn bản đính kèm</h3><ul>{items}</ul></div>\n'
        extras = ""
        if full:
            self.views += 1
            others = [o for o in self.articles[:12] if o.id != a.id][:4]
            related = "".join(f'<li><a href="{self.article_url(o)}" rel="bookmark">{esc(self.shown_title(o))}</a></li>' for o in others)
            extras = f"""<div class="post-views content-post post-{a.id} entry-meta"><span class="post-views-icon dashicons dashicons-chart-bar"></span> <span class="post-views-label">Lượt xem:</span> <span class="post-views-count">{self.views}</span></div>
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social"><h3 class="sd-title">Chia sẻ:</h3><div class="sd-content"><ul>
<li class="share-facebook"><a rel="nofollow noopener noreferrer" class="share-facebook sd-button" href="{url}?share=facebook" target="_blank"><span>Facebook</span></a></li>
<li class="share-print"><a rel="nofollow" class="share-print sd-button" href="{url}#print"><span>In</span></a></li></ul></div></div></div>
<div class="yarpp yarpp-related yarpp-template-list"><h3>Tin liên quan</h3><ol>{related}</ol></div>
"""
        tag = self.tag_of(a)
        b = self.base_url
        return f"""<article id="post-{a.id}" class="post-{a.id} post type-post status-publish format-standard hentry category-tin-tuc tag-{tag[0]}">
<header class="entry-header">
<h1 class="entry-title">{esc(self.shown_title(a))}</h1>
<div class="entry-meta">{self.posted_on(a)}<span class="byline"> bởi <span class="author vcard"><a class="url fn n" href="{b}/author/admin/">admin</a></span></span></div>
</header>
<div class="entry-content">
{paras}{source}{extras}</div>
{files}<footer class="entry-footer"><span class="cat-links">Chuyên mục: <a href="{b}/chuyen-muc/tin-tuc/" rel="category tag">{CATEGORY[1]}</a></span>
<span class="tags-links">Thẻ: <a href="{b}/tag/{tag[0]}/" rel="tag">{tag[1]}</a></span>
<span class="print-link"><a href="{url}print/" title="In trang" rel="nofollow">In trang</a></span></footer>
</article>
"""

    def render_article(self, a: SampleArticle, *, amp: bool = False) -> str:
        esc, url, b = self.esc, self.article_url(a), self.base_url
        idx = self.articles.index(a)
        newer = self.articles[idx - 1] if idx > 0 else None
        older = self.articles[idx + 1] if idx + 1 < len(self.articles) else None
        schema = json.dumps(
            {"@context": "https://schema.org", "@graph": [{
                "@type": "NewsArticle", "@id": f"{url}#article", "headline": self.shown_title(a),
                "datePublished": _iso(a.published), "dateModified": _iso(a.modified or a.published),
                "author": {"name": "admin"}, "inLanguage": "vi",
                "publisher": {"@type": "Organization", "name": SITE_NAME},
            }]},
            ensure_ascii=False,
        ).replace("</", "<\\/")
        extra = (
            f'<meta property="og:type" content="article">\n<meta property="og:title" content="{esc(self.shown_title(a))}">\n'
            f'<meta property="og:url" content="{url}">\n'
            f'<meta property="article:published_time" content="{_iso(a.published)}">\n'
            f'<meta property="article:modified_time" content="{_iso(a.modified or a.published)}">\n'
            f'<script type="application/ld+json" class="yoast-schema-graph">{schema}</script>\n'
            f'<link rel="shortlink" href="{b}/?p={a.id}">\n'
            f'<link rel="alternate" title="JSON" type="application/json" href="{b}/wp-json/wp/v2/posts/{a.id}">\n'
            + ("" if amp else f'<link rel="amphtml" href="{url}?amp=1">\n')
        )
        postnav = ""
        if older or newer:
            prev = f'<div class="nav-previous"><a href="{self.article_url(older)}" rel="prev">&larr; {esc(self.shown_title(older))}</a></div>' if older else ""
            nxt = f'<div class="nav-next"><a href="{self.article_url(newer)}" rel="next">{esc(self.shown_title(newer))} &rarr;</a></div>' if newer else ""
            postnav = (f'<nav class="navigation post-navigation" aria-label="Bài viết"><h2 class="screen-reader-text">'
                       f'Điều hướng bài viết</h2><div class="nav-links">{prev}{nxt}</div></nav>\n')
        comments = ""
        if a.id % 4 == 0:
            cid = a.id * 10 + 5
            comments = f"""<div id="comments" class="comments-area"><h2 class="comments-title">Một bình luận về &ldquo;{esc(self.shown_title(a))}&rdquo;</h2>
<ol class="comment-list"><li id="comment-{cid}" class="comment even thread-even depth-1"><article id="div-comment-{cid}" class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Nguyễn Văn Hùng</b> <span class="says">viết:</span></div></footer>
<div class="comment-content"><p>Thông tin rất hữu ích cho doanh nghiệp địa phương.</p></div>
<div class="reply"><a rel="nofollow" class="comment-reply-link" href="{url}?replytocom={cid}#respond" data-commentid="{cid}">Trả lời</a></div>
</article></li></ol>
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Trả lời</h3>
<form action="{b}/wp-comments-post.php" method="post" id="commentform" class="comment-form"><textarea id="comment" name="comment"></textarea>
<input type="hidden" name="comment_post_ID" value="{a.id}"></form></div></div>
"""
        breadcrumbs = (
            f'<p id="breadcrumbs" class="yoast-breadcrumbs"><span><span><a href="{b}/">Trang chủ</a></span> » '
            f'<span><a href="{b}/chuyen-muc/tin-tuc/">{CATEGORY[1]}</a></span> » '
            f'<span class="breadcrumb_last" aria-current="page">{esc(self.shown_title(a))}</span></span></p>\n'
        )
        html_open = "<html amp" if amp else "<html"
        return (
            self.head(self.shown_title(a), canonical=url, extra=extra).replace("<html", html_open, 1)
            + f'<body class="post-template-default single single-post postid-{a.id} single-format-standard wp-embed-responsive">\n'
            + self.header()
            + '<div id="primary" class="content-area"><main id="main" class="site-main">\n'
            + breadcrumbs
            + self.entry(a)
            + postnav
            + comments
            + "</main></div>\n"
            + self.sidebar()
            + self.footer()
        )

    def render_print(self, a: SampleArticle) -> str:
        """WP-Print's template: no theme furniture, the post and its URL."""
        url, esc = self.article_url(a), self.esc
        return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="UTF-8">
<title>{esc(self.shown_title(a))} &#8211; {SITE_NAME}</title>
<meta name="robots" content="noindex, nofollow">
<meta name="generator" content="WordPress {WP_VERSION}">
<link rel="canonical" href="{url}">
<link rel="stylesheet" href="{self.base_url}/wp-content/plugins/wp-print/print-css.css" type="text/css" media="screen, print">
</head>
<body class="wp-print">
<main role="main" class="center">
<p id="BlogTitle">{SITE_NAME}</p>
{self.entry(a, full=False)}
<p style="text-align: center;">Đường dẫn bài viết: <a href="{url}">{url}</a></p>
<p style="text-align: center;">Bản quyền &copy; {SITE_NAME}.</p>
</main>
</body>
</html>
"""

    # -- feed and sitemaps -----------------------------------------------------------------

    def render_feed(self) -> Response:
        esc, b = self.esc, self.base_url
        items = []
        for a in self.articles[:FEED_ITEMS]:
            url = self.article_url(a)
            summary = " ".join((a.paragraphs[0] if a.paragraphs else "").split()[:40])
            pub = format_datetime((a.published - VN_OFFSET).replace(tzinfo=None), usegmt=False)
            pub = pub.replace("-0000", "+0000")
            items.append(f"""	<item>
		<title>{esc(self.shown_title(a))}</title>
		<link>{url}</link>
		<comments>{url}#respond</comments>
		<dc:creator><![CDATA[admin]]></dc:creator>
		<pubDate>{pub}</pubDate>
		<category><![CDATA[{CATEGORY[1]}]]></category>
		<guid isPermaLink="false">{b}/?p={a.id}</guid>
		<description><![CDATA[{summary} [&#8230;]]]></description>
		<slash:comments>{1 if a.id % 4 == 0 else 0}</slash:comments>
	</item>
""")
        last = self.articles[0].published if self.articles else self.started
        build = format_datetime(last - VN_OFFSET).replace("-0000", "+0000")
        xml = f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>{SITE_NAME}</title>
	<atom:link href="{b}/feed/" rel="self" type="application/rss+xml" />
	<link>{b}</link>
	<description>Cổng thông tin điện tử Sở Công Thương tỉnh Bắc Ninh</description>
	<lastBuildDate>{build}</lastBuildDate>
	<language>vi</language>
	<sy:updatePeriod>hourly</sy:updatePeriod>
	<sy:updateFrequency>1</sy:updateFrequency>
	<generator>https://wordpress.org/?v={WP_VERSION}</generator>
{"".join(items)}</channel>
</rss>
"""
        return Response(200, xml, RSS, last_modified=self.articles[0].modified if self.articles else None)

    def _sitemap_posts(self) -> list[SampleArticle]:
        return sorted(self.articles, key=lambda a: a.id)  # core sitemaps: ORDER BY ID ASC

    def render_sitemap_index(self) -> Response:
        b = self.base_url
        n = max(1, -(-len(self.articles) // SITEMAP_PAGE))
        maps = [f"{b}/wp-sitemap-posts-post-{i}.xml" for i in range(1, n + 1)]
        maps += [f"{b}/wp-sitemap-posts-page-1.xml", f"{b}/wp-sitemap-taxonomies-category-1.xml",
                 f"{b}/wp-sitemap-taxonomies-post_tag-1.xml", f"{b}/wp-sitemap-users-1.xml"]
        body = "".join(f"<sitemap><loc>{m}</loc></sitemap>" for m in maps)
        xml = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" href="{b}/wp-sitemap-index.xsl" ?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>\n'
        )
        return Response(200, xml, XML)

    def render_sitemap(self, path: str) -> Response:
        b = self.base_url
        entries: list[tuple[str, datetime | None]]
        m = re.fullmatch(r"/wp-sitemap-posts-post-(\d+)\.xml", path)
        if m:
            i = int(m.group(1))
            posts = self._sitemap_posts()[(i - 1) * SITEMAP_PAGE : i * SITEMAP_PAGE]
            if not posts:
                return not_found()
            entries = [(self.article_url(a), a.modified or a.published) for a in posts]
        elif path == "/wp-sitemap-posts-page-1.xml":
            entries = [(self.abs(p), None) for p in _STATIC]
        elif path == "/wp-sitemap-taxonomies-category-1.xml":
            entries = [(self.abs("/chuyen-muc/tin-tuc/"), None)]
        elif path == "/wp-sitemap-taxonomies-post_tag-1.xml":
            entries = [(self.abs(f"/tag/{s}/"), None) for s, _ in TAGS]
        elif path == "/wp-sitemap-users-1.xml":
            entries = [(self.abs("/author/admin/"), None)]
        else:
            return not_found()
        body = "".join(
            f"<url><loc>{u}</loc>" + (f"<lastmod>{_iso(t)}</lastmod>" if t else "") + "</url>"
            for u, t in entries
        )
        xml = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" href="{b}/wp-sitemap.xsl" ?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>\n'
        )
        return Response(200, xml, XML)


SITE = WordPressSite
