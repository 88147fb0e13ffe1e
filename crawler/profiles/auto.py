"""``auto``: any site, given only a URL — generic rules, trafilatura and htmldate.

Used for unregistered sites whose CMS is not recognized. Article links are told
from listing links by their shape (a long slug, an ``.html``/``.aspx`` page with an
id, a dated path); the spider also reads RSS feeds and sitemaps when the site has
them. Dates still go through the day-first Vietnamese logic before htmldate.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .base import Layout, Profile

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+){3,}")
_ID_PAGE = re.compile(r"(?:[?&](?:id|ID|newsid|NewsID|itemid|p)=\d+)|(?:[-/_]\d{3,}(?:\.html?|\.aspx)?$)")
_NOT_ARTICLE = re.compile(
    r"/(?:tag|tags|category|chuyen-muc|danh-muc|search|tim-kiem|lien-he|contact|login|dang-nhap|"
    r"rss|feed|sitemap|page|trang)(?:/|$|\?)",
    re.IGNORECASE,
)


class GenericLayout(Layout):
    VERSION = "V1"
    drop = (
        "header", "#header", ".header", "nav", "#nav", ".nav", ".navbar", ".menu", "#menu",
        "footer", "#footer", ".footer", "aside", ".sidebar", "#sidebar", ".breadcrumb",
        ".share", ".social", ".comments", "#comments", ".comment", ".related", ".tin-lien-quan",
        ".banner", ".ads", ".advertisement", ".pagination", ".view-count", ".luot-xem",
    )
    title = ("h1.entry-title", "h1.article-title", "h1.title", ".article-title", "article h1")
    dates = (
        ".post-date", ".entry-date", ".article-date", ".news-date", ".date-post", ".ngay-dang",
        ".publish-date", ".published",
    )
    body = (
        ".entry-content", ".article-content", ".article-body", ".news-content", ".post-content",
        ".noi-dung", ".content-detail", "article",
    )
    source = (".news-source", ".nguon-tin", ".article-source")


class AutoProfile(Profile):
    name = "auto"
    description = "Any site: generic rules, RSS/sitemap discovery, trafilatura + htmldate"
    layouts = (GenericLayout,)

    def detect(self, html: str, url: str) -> float:
        return 0.05

    def is_article_url(self, url: str) -> bool:
        parts = urlsplit(url)
        path = parts.path.lower()
        if _NOT_ARTICLE.search(path) or path.endswith((".pdf", ".doc", ".docx", ".jpg", ".png")):
            return False
        last = path.rstrip("/").rsplit("/", 1)[-1]
        return bool(_SLUG.search(last) or _ID_PAGE.search(path + ("?" + parts.query if parts.query else "")))


PROFILE = AutoProfile()
