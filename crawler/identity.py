"""Which site (and article) a stored or imported page belongs to: the archive knows first.

The registry says how to crawl a site; the archive says what was archived under which
site. A snapshot being re-extracted belongs to the site of its article, whatever the
registry of the moment holds (the demo's sites, one crawled with ``crawl --url``). A
capture being imported belongs to the site that already has its URL, else the
registered site of its host, else the archived site of its host and port, and only
then to an ad-hoc site named after the host.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from archive.storage.integrity import host_port as _host_port
from archive.storage.models import Article, ArticleUrl, Snapshot
from archive.storage.models import Site as SiteRow
from crawler.registry import ADHOC_KIND, Registry, Site, adhoc_site

_SNAPSHOTS = Snapshot.__table__


def site_from_row(row: SiteRow, registry: Registry | None = None) -> Site:
    """The registry's site of that key when there is one, else the site as archived."""
    if registry is not None and row.key in registry:
        return registry.get(row.key)
    return Site(key=row.key, name=row.name or row.key, kind=ADHOC_KIND,
                base_url=row.base_url or "", start_urls=(), profile=row.profile or "auto",
                province=None, notes="as archived (not in the registry)")


def archived_site(archive, key: str, registry: Registry | None = None) -> Site | None:
    with archive.sessions() as s:
        row = s.scalars(select(SiteRow).where(SiteRow.key == key)).one_or_none()
        return site_from_row(row, registry) if row is not None else None


def site_for_url(archive, registry: Registry, url: str) -> Site:
    """The site a captured URL belongs to (see the module docstring)."""
    with archive.sessions() as s:
        row = s.execute(
            select(SiteRow).join(Article, Article.site_id == SiteRow.id)
            .join(ArticleUrl, ArticleUrl.article_id == Article.id).where(ArticleUrl.url == url)
        ).scalars().first()
        if row is not None:
            return site_from_row(row, registry)
        known = registry.for_url(url)
        if known is not None:
            return known
        want = _host_port(url)
        rows = [r for r in s.scalars(select(SiteRow)).all()
                if want is not None and _host_port(r.base_url) == want]
        if len(rows) > 1:  # several sites share the host: the one that has the URL's snapshots
            with_snaps = s.scalars(
                select(SiteRow).join(Snapshot, Snapshot.site_id == SiteRow.id)
                .where(Snapshot.url == url).limit(1)).first()
            rows = [with_snaps] if with_snaps is not None else rows[:1]
        if rows:
            return site_from_row(rows[0], registry)
    return adhoc_site(url)


def stored_snapshot(archive, url: str, fetched_at, digest: str) -> int | None:
    """The id of a snapshot already holding this capture (same URL, fetch time and body)."""
    with archive.sessions() as s:
        return s.scalar(
            select(Snapshot.id).where(Snapshot.url == url, Snapshot.fetched_at == fetched_at,
                                      Snapshot.payload_digest == digest)
            .order_by(Snapshot.id).limit(1))


#: (URL, fetch time, body SHA-256): what makes two captures the same capture.
Capture = tuple[str, Any, str]


def stored_snapshots(archive, captures: Iterable[Capture]) -> dict[Capture, int]:
    """:func:`stored_snapshot` of many captures in one query: those the archive holds."""
    wanted = set(captures)
    if not wanted:
        return {}
    found: dict[Capture, int] = {}
    urls = sorted({url for url, _, _ in wanted})
    with archive.sessions() as s:  # the archive's own connection: it sees what it wrote
        for start in range(0, len(urls), 500):
            rows = s.execute(
                select(_SNAPSHOTS.c.id, _SNAPSHOTS.c.url, _SNAPSHOTS.c.fetched_at,
                       _SNAPSHOTS.c.payload_digest)
                .where(_SNAPSHOTS.c.url.in_(urls[start:start + 500])))
            for snapshot_id, url, fetched_at, digest in rows:
                key = (url, fetched_at, digest)
                if key in wanted and (key not in found or snapshot_id < found[key]):
                    found[key] = snapshot_id
    return found
