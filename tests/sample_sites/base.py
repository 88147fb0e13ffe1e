"""The shared shape of a sample site: articles, requests, responses, mutations.

A :class:`SampleSite` is an in-memory CMS: a list of articles (newest first), a
header "today" widget, a hit counter and a "most read" sidebar that change on
their own, and a :meth:`route` that renders the CMS's pages. Subclasses (one per
CMS profile) only render; the server (``server.py``) adds HTTP validators, 304s,
robots.txt and the request log. Tests mutate a site between crawls with
:meth:`add_articles`, :meth:`edit_article`, :meth:`delete_article` and
:meth:`set_today`, and compare the archive with :meth:`ground_truth`.

No pytest imports here: the demo command and the benchmarks use this package too.
"""

from __future__ import annotations

import json as _json
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html import escape
from typing import Any, ClassVar
from urllib.parse import parse_qs

WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"


@dataclass
class Attachment:
    filename: str  # "ke-hoach-2024.pdf"
    media_type: str
    data: bytes
    text: str | None  # a phrase the extracted text must contain (None: unreadable, e.g. legacy .doc)


@dataclass
class SampleArticle:
    id: int
    slug: str
    title: str
    published: datetime  # naive, Vietnam local time
    paragraphs: list[str]
    source: str | None = None  # "Nguồn tin: …": rendered as the CMS does, not ground-truth text
    attachments: list[Attachment] = field(default_factory=list)
    updated: datetime | None = None
    modified: datetime | None = None  # when the page content last changed (Last-Modified)

    def __post_init__(self) -> None:
        if self.modified is None:
            self.modified = self.updated or self.published

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class Request:
    method: str
    path: str  # without the query
    query: dict[str, list[str]]
    headers: dict[str, str]  # keys lower-case
    body: bytes = b""

    @property
    def form(self) -> dict[str, str]:
        parsed = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
        return {k: v[-1] for k, v in parsed.items()}

    def json(self) -> Any:
        return _json.loads(self.body or b"null")

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The last value of query parameter ``name`` (case-sensitive)."""
        values = self.query.get(name)
        return values[-1] if values else default


@dataclass
class Response:
    status: int = 200
    body: bytes | str = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: datetime | None = None
    etag: str | None = None

    def body_bytes(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        charset = "utf-8"
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip().strip('"')
        return self.body.encode(charset, "xmlcharrefreplace")


def not_found(message: str = "Không tìm thấy trang") -> Response:
    return Response(404, f"<!DOCTYPE html><html><body><h1>404</h1><p>{escape(message)}</p></body></html>")


def redirect(location: str, status: int = 301) -> Response:
    return Response(status, "", headers={"Location": location})


def vn_weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()]


def today_widget(day: date) -> str:
    """The header widget text: "Thứ hai, ngày 3 tháng 2 năm 2018"."""
    return f"{vn_weekday(day)}, ngày {day.day} tháng {day.month} năm {day.year}"


class SampleSite:
    """One CMS's site in memory. Subclasses set ``profile`` and implement :meth:`route`."""

    profile: ClassVar[str] = ""
    name: ClassVar[str] = "Sở Công Thương"
    #: Every site links to these from its pages, so a crawler ignoring robots.txt would fetch them.
    robots_disallow: ClassVar[tuple[str, ...]] = ("/tim-kiem",)
    #: Extra robots.txt lines (e.g. "Sitemap: …" is added by the server when /sitemap.xml exists).
    has_sitemap: ClassVar[bool] = False

    def __init__(
        self,
        n_articles: int = 36,
        *,
        seed: int = 0,
        page_size: int = 10,
        today: date = date(2026, 11, 24),
        start: datetime | None = None,
    ) -> None:
        from tests.sample_sites.corpus import make_articles

        self.seed = seed
        self.page_size = page_size
        self.today = today
        self.base_url = "http://127.0.0.1"
        self.stable_etag = False
        self.views = 1000 + seed
        self.started = datetime(2026, 11, 24, 8, 0, 0)
        first = start or datetime(2026, 11, 20, 9, 0) - timedelta(hours=20 * n_articles)
        # corpus returns oldest first; the site keeps newest first
        self.articles: list[SampleArticle] = list(
            reversed(make_articles(n_articles, seed=seed + self.profile_seed(), start=first))
        )
        self._next_id = max((a.id for a in self.articles), default=0) + 1
        self._added = 0
        self.lock = threading.RLock()

    @classmethod
    def profile_seed(cls) -> int:
        return sum(map(ord, cls.profile)) * 7919

    # -- lookup ----------------------------------------------------------------------------

    def by_id(self, id: int) -> SampleArticle | None:
        for a in self.articles:
            if a.id == id:
                return a
        return None

    def by_slug(self, slug: str) -> SampleArticle | None:
        for a in self.articles:
            if a.slug == slug:
                return a
        return None

    def page_of(self, page: int) -> list[SampleArticle]:
        """Listing page ``page`` (1-based), newest first."""
        start = (page - 1) * self.page_size
        return self.articles[start : start + self.page_size]

    @property
    def n_pages(self) -> int:
        return max(1, -(-len(self.articles) // self.page_size))

    def most_read(self, n: int = 5) -> list[SampleArticle]:
        """The "Tin đọc nhiều" sidebar: its choice and order change with ``today``."""
        if not self.articles:
            return []
        k = self.today.toordinal()
        ranked = sorted(self.articles, key=lambda a: (a.id * 2654435761 + k * 40503) % 1000003)
        return ranked[:n]

    def hit(self) -> int:
        with self.lock:
            self.views += 1
            return self.views

    # -- what the tests implement per CMS --------------------------------------------------

    def start_urls(self) -> list[str]:
        raise NotImplementedError

    def article_url(self, a: SampleArticle) -> str:
        raise NotImplementedError

    def route(self, req: Request) -> Response:
        raise NotImplementedError

    def attachment_url(self, a: SampleArticle, att: Attachment) -> str:
        """Where an attachment is served (override per CMS)."""
        return f"{self.base_url}/documents/{a.id}/{att.filename}"

    def find_attachment(self, path: str) -> tuple[SampleArticle, Attachment] | None:
        """The attachment served at ``path`` (matching :meth:`attachment_url`)."""
        for a in self.articles:
            for att in a.attachments:
                if self.attachment_url(a, att).removeprefix(self.base_url) == path:
                    return a, att
        return None

    def serve_attachment(self, req: Request) -> Response | None:
        found = self.find_attachment(req.path)
        if not found:
            return None
        a, att = found
        return Response(
            200, att.data, content_type=att.media_type, last_modified=a.published,
            headers={"Content-Disposition": f'attachment; filename="{att.filename}"'},
        )

    # -- mutations between crawls ----------------------------------------------------------

    def add_articles(self, n: int) -> list[SampleArticle]:
        """``n`` new articles, published after the current newest (newest first)."""
        from tests.sample_sites.corpus import make_articles

        with self.lock:
            newest = self.articles[0].published if self.articles else datetime(2026, 11, 20, 9, 0)
            self._added += 1
            fresh = make_articles(
                n, seed=self.seed + self.profile_seed() + 100_003 * self._added,
                start=newest + timedelta(hours=3), first_id=self._next_id,
            )
            self._next_id += n
            taken = {a.slug for a in self.articles} | {a.title for a in self.articles}
            for a in fresh:  # titles must stay distinct across the site
                if a.slug in taken or a.title in taken:
                    a.title = f"{a.title} (đợt {self._added})"
                    a.slug = f"{a.slug}-dot-{self._added}"
            new = list(reversed(fresh))
            self.articles[:0] = new
            return new

    def edit_article(
        self, id: int, *, title: str | None = None, paragraphs: list[str] | None = None
    ) -> SampleArticle:
        with self.lock:
            a = self.by_id(id)
            if a is None:
                raise KeyError(id)
            if title is None and paragraphs is None:
                paragraphs = [*a.paragraphs, "Bài viết đã được cập nhật thêm thông tin mới."]
            if title is not None:
                a.title = title
            if paragraphs is not None:
                a.paragraphs = list(paragraphs)
            a.modified = max(a.modified or a.published, self.started) + timedelta(days=1)
            return a

    def delete_article(self, id: int) -> None:
        with self.lock:
            self.articles = [a for a in self.articles if a.id != id]

    def set_today(self, day: date) -> None:
        with self.lock:
            self.today = day

    # -- what the archive should hold ------------------------------------------------------

    def ground_truth(self) -> list[dict[str, Any]]:
        return [
            {
                "id": a.id,
                "url": self.article_url(a),
                "title": a.title,
                "published": a.published.date().isoformat(),
                "text": a.text,
                "source": a.source,
                "attachments": [
                    {"filename": t.filename, "media_type": t.media_type, "text_contains": t.text}
                    for t in a.attachments
                ],
            }
            for a in self.articles
        ]

    # -- helpers for renderers -------------------------------------------------------------

    @staticmethod
    def dated_byline(a: SampleArticle) -> str:
        """The common provincial byline: "Ngày đăng: dd/mm/yyyy HH:MM [| Cập nhật: …]"."""
        text = f"Ngày đăng: {a.published:%d/%m/%Y %H:%M}"
        if a.updated:
            text += f" | Cập nhật: {a.updated:%d/%m/%Y %H:%M}"
        return text

    @staticmethod
    def esc(text: str) -> str:
        return escape(text, quote=True)

    def abs(self, path: str) -> str:
        return self.base_url + path
