"""What the spider hands the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from archive.storage.derived import Derived
from archive.storage.records import Extracted, Fetch


@dataclass(slots=True)
class ArticlePage:
    """An article URL's response: a page to archive (or an error to record)."""

    fetch: Fetch
    extracted: Extracted | None
    key: str | None
    next_check_at: datetime | None = None
    revisit: bool = False
    #: what the extraction worker computed for the store from this page and its fields
    derived: Derived | None = None


@dataclass(slots=True)
class NotModified:
    """A conditional revisit answered 304."""

    key: str
    url: str
    fetched_at: datetime
    next_check_at: datetime | None = None


@dataclass(slots=True)
class ListingPage:
    """A listing, feed or sitemap response: kept as a snapshot, never a version."""

    fetch: Fetch
    articles: int
