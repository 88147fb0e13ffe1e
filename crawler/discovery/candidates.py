"""Which links of a page are worth a look: same site, not an asset, not obvious navigation.

courlan (installed with trafilatura) filters what a focused crawler never wants
(``is_not_crawlable``: login, logout, admin, feeds…); on top of it we drop what Vietnamese
portals link from every page: search (``tim-kiem``), contact (``lien-he``), sign-in
(``dang-nhap``), language switches, calendars and "lịch công tác", print views, RSS.
robots.txt is enforced by Scrapy's middleware on every request anyway.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from courlan import is_not_crawlable

from ..profiles.base import ATTACHMENT_EXTENSIONS, same_site

_ASSETS = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".bmp", ".ico", ".css", ".js", ".mp3",
    ".mp4", ".avi", ".wmv", ".flv", ".zip", ".rar", ".7z", ".exe", ".apk", ".swf", ".xml",
    ".json", ".txt", *ATTACHMENT_EXTENSIONS,
)
#: Path segments (without extension, lower case) that are navigation, never news.
_NAV_SEGMENTS = frozenset({
    "login", "logon", "logout", "signin", "sign-in", "register", "dang-nhap", "dang-ky", "dangnhap",
    "search", "tim-kiem", "timkiem", "tra-cuu", "lien-he", "lienhe", "contact", "contact-us",
    "gop-y", "hoi-dap", "sitemap", "so-do-site", "sodosite", "rss", "feed", "feeds", "atom",
    "print", "in-trang", "calendar", "lich", "lich-cong-tac", "lichcongtac", "weather",
    "thoi-tiet", "ty-gia", "privacy", "terms", "dieu-khoan", "language", "share", "email",
    "download", "tai-ve", "video", "videos", "album", "albums", "photo", "photos", "hinh-anh",
    "thu-vien-anh", "gallery", "poll", "binh-chon", "author", "wp-login", "wp-admin", "admin",
})
_NAV_PARAMS = frozenset({"returnurl", "language", "lang", "culture", "print", "q", "keyword",
                         "search", "ctl", "action"})


def is_candidate(url: str, base: str) -> bool:
    """A same-site HTML page that could be an article or a listing."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not same_site(url, base):
        return False
    path = parts.path.lower()
    if path.endswith(_ASSETS):
        return False
    for seg in path.split("/"):
        stem = seg.rsplit(".", 1)[0] if "." in seg else seg
        if stem in _NAV_SEGMENTS:
            return False
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        lower = key.lower()
        if lower in _NAV_PARAMS and not (lower == "ctl" and value.lower() in ("detail", "view")):
            return False
        if "print" in lower or value.lower() in ("print", "pop_up", "popup", "component"):
            return False
    try:
        return not is_not_crawlable(url)
    except (ValueError, TypeError):
        return False
