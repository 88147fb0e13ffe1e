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
from archive.storage.records import Extracted, Fetch
from archive.storage.store import Archive, Outcome
from crawler.extraction import extract
from crawler.profiles import Profile, get_profile, recognize
from crawler.registry import Site

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Ingested:
    outcome: Outcome
    extracted: Extracted | None
    error: str | None = None


def profile_for(site: Site, html_head: str | None = None, url: str = "") -> Profile:
    """The site's registered profile; for ``auto`` sites, whatever the page looks like."""
    if site.profile != "auto":
        return get_profile(site.profile)
    return recognize(html_head or "", url)


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
) -> Ingested:
    """Extract ``fetch`` (unless ``extracted`` is given) and record it, in one transaction."""
    archive.site_id(site.key, name=site.name, base_url=site.base_url, profile=site.profile)
    error = None
    if extracted is None and fetch.status == 200:
        try:
            prof = profile or profile_for(site, fetch.body[:200_000].decode("utf-8", "replace"), fetch.url)
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
        next_check_at=next_check_at, snapshot_id=snapshot_id,
    )
    if error and outcome.status == "rejected":
        outcome = Outcome("rejected", outcome.article_id, None, outcome.snapshot_id, error)
    return Ingested(outcome, extracted, error)
