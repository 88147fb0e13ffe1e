"""The plain values that cross from the crawler into the archive.

``Fetch`` is a response as received; ``Extracted`` is what the extractor read from it.
The crawler builds them (spider, ``import``, ``reextract``); the store decides what
becomes a snapshot, an article and a version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal


@dataclass(frozen=True, slots=True)
class Fetch:
    """One HTTP response (or a saved page / WARC record standing for one)."""

    url: str
    fetched_at: datetime  # aware
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    source: Literal["crawl", "import", "warc"] = "crawl"
    kind: Literal["page", "attachment"] = "page"
    charset: str | None = None
    charset_source: str | None = None
    warc_record_id: str | None = None

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

    @property
    def content_type(self) -> str | None:
        value = self.header("content-type")
        return value.split(";", 1)[0].strip().lower() if value else None


@dataclass(frozen=True, slots=True)
class AttachmentText:
    """A document linked from an article (PDF, DOC, DOCX…) and what could be read from it."""

    url: str
    filename: str
    status: Literal["ok", "unsupported", "too_large", "failed", "empty"]
    media_type: str | None = None
    text: str = ""
    note: str | None = None
    fetch: Fetch | None = None


@dataclass(frozen=True, slots=True)
class Extracted:
    """The fields read from one page. ``text`` has one paragraph per line."""

    url: str
    canonical_url: str
    article_key: str
    title: str | None
    text: str
    published: date | None = None
    published_at: datetime | None = None  # aware, when the page gave a time of day
    published_source: str | None = None  # e.g. "profile:.news-date", "meta:article:published_time", "url", "text"
    updated: datetime | None = None  # aware
    updated_source: str | None = None
    language: str | None = None
    source_line: str | None = None  # "Nguồn tin: …", author byline
    extractor: str = ""  # profile version + extractor version, e.g. "liferay6.V1/2026.11"
    attachment_links: tuple[str, ...] = ()
    attachments: tuple[AttachmentText, ...] = field(default=())
    charset: str | None = None  # how the page was decoded, and on whose word
    charset_source: str | None = None
