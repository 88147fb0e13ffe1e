"""``sct-archive reextract``: rebuild versions from stored snapshots, without refetching.

After a profile or extractor improvement, every article's latest good snapshot is
read again with the profile layout of its fetch date. A new version appears only
where the extracted content changed; it is marked ``produced_by = reextract``.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import click
from sqlalchemy import func, select

from archive.cli import AppContext, db_option, echo_json, json_option
from archive.storage.models import Article, Observation, Site, Snapshot
from archive.storage.records import Fetch
from crawler.ingest import ingest
from crawler.registry import adhoc_site, load_registry

WHEN = click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"])


@click.command("reextract")
@click.option("--site", "site_key", metavar="KEY", help="Only this site's articles.")
@click.option("--since", type=WHEN, metavar="DATE",
              help="Only articles seen on or after this date (UTC).")
@db_option
@json_option
@click.pass_obj
def reextract(app: AppContext, site_key: str | None, since: datetime | None, db: str | None,
              as_json: bool) -> None:
    """Re-read archived snapshots with the current extractor and profiles.

    \b
    Examples:
      sct-archive reextract                       the whole archive
      sct-archive reextract --site sct-binhduong --since 2026-01-01

    Nothing is fetched. Articles whose content reads the same are left alone.
    """
    registry = load_registry()
    counts: Counter[str] = Counter()
    with app.archive(db) as archive:
        with archive.sessions() as s:
            latest = (
                select(Observation.article_id, func.max(Observation.id).label("obs_id"))
                .where(Observation.snapshot_id.is_not(None),
                       Observation.outcome.in_(("new", "changed", "unchanged", "returned")))
                .group_by(Observation.article_id)
                .subquery()
            )
            query = (
                select(Article.id, Site.key, Snapshot.id)
                .join(Site, Site.id == Article.site_id)
                .join(latest, latest.c.article_id == Article.id)
                .join(Observation, Observation.id == latest.c.obs_id)
                .join(Snapshot, Snapshot.id == Observation.snapshot_id)
                .order_by(Article.id)
            )
            if site_key:
                query = query.where(Site.key == site_key)
            if since:
                query = query.where(Article.last_seen >= since.replace(tzinfo=UTC))
            rows = s.execute(query).all()
        total = len(rows)
        for n, (_article_id, key, snapshot_id) in enumerate(rows, 1):
            with archive.sessions() as s:
                snap = s.get(Snapshot, snapshot_id)
                fetch = Fetch(snap.url, snap.fetched_at, snap.status, archive.body(snapshot_id),
                              tuple(tuple(h) for h in snap.headers), source="crawl")
            site = next((x for x in registry if x.key == key), None) or adhoc_site(fetch.url)
            result = ingest(archive, site, fetch, produced_by="reextract", snapshot_id=snapshot_id)
            counts[result.outcome.status] += 1
            if not as_json and not app.quiet and (n % 200 == 0 or n == total):
                click.echo(f"{n}/{total} re-read: {counts['changed']} changed", err=True)
    summary = {"articles": total, "changed": counts["changed"],
               "unchanged": counts["unchanged"] + counts["returned"],
               "rejected": counts["rejected"]}
    if as_json:
        echo_json(summary)
    elif not app.quiet:
        click.echo(f"re-extracted {total} articles: {summary['changed']} new versions, "
                   f"{summary['unchanged']} unchanged, {summary['rejected']} not readable")
