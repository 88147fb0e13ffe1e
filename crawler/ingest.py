"""The one path from a fetched page to the archive: extract, then let the store decide.

The spider's pipeline, ``sct-archive import`` (files and WARCs) and ``reextract``
all call :func:`ingest`, so a page is archived the same way whichever path brought it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from archive.errors import InputError
from archive.storage.derived import Derived
from archive.storage.records import Extracted, Fetch
from archive.storage.store import Archive, Outcome
from crawler.extraction import extract
from crawler.profiles import Profile, profile_for
from crawler.registry import Site

log = logging.getLogger(__name__)

__all__ = ["Ingested", "ingest", "profile_for"]


@dataclass(frozen=True, slots=True)
class Ingested:
    outcome: Outcome
    extracted: Extracted | None
    error: str | None = None


def _judged(fetch: Fetch, auto: Profile) -> Profile:
    from .discovery.explore import judged_profile

    return judged_profile(fetch.body, fetch.header("content-type"), fetch.url, auto)


def ingest(
    archive: Archive,
    site: Site,
    fetch: Fetch,
    *,
    produced_by: Literal["crawl", "import", "reextract"] = "crawl",
    run_id: int | None = None,
    profile: Profile | None = None,
    extracted: Extracted | None = None,
    next_check_at: datetime | None = None,
    snapshot_id: int | None = None,
    article_key: str | None = None,
    article_id: int | None = None,
    read: tuple[Extracted | None, str | None] | None = None,
    derived: Derived | None = None,
) -> Ingested:
    """Extract ``fetch`` (unless ``extracted`` is given) and record it, in one transaction.

    ``read`` is what an :class:`~crawler.extraction.pool.ExtractionPool` made of the page
    (fields, or why it is not readable): the same as extracting here, done elsewhere;
    ``derived`` what it also computed for the store (digests, compressed body, flags).

    ``article_id`` (re-extraction) files the page under that article whatever key the
    extraction finds: a stored snapshot belongs to the article it was archived for.
    """
    archive.site_id(site.key, name=site.name, base_url=site.base_url, profile=site.profile)
    error = None
    if read is not None:
        extracted, error = read
    elif extracted is None and fetch.status == 200:
        try:
            prof = profile or profile_for(site, fetch.body[:200_000].decode("utf-8", "replace"), fetch.url)
            if prof.name == "auto":
                prof = _judged(fetch, prof)
            extracted = extract(
                fetch.body,
                fetch.url,
                content_type=fetch.header("content-type"),
                profile=prof,
                fetched_at=fetch.fetched_at,
            )
        except InputError as exc:
            error = str(exc)
    outcome = archive.record_page(
        site.key, fetch, extracted, produced_by=produced_by, run_id=run_id,
        next_check_at=next_check_at, snapshot_id=snapshot_id, article_key=article_key,
        article_id=article_id, derived=derived,
    )
    if error and outcome.status == "rejected":
        outcome = Outcome("rejected", outcome.article_id, None, outcome.snapshot_id, error)
    return Ingested(outcome, extracted, error)
