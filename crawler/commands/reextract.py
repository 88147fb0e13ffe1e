"""``sct-archive reextract``: rebuild versions from stored snapshots, without refetching.

After a profile or extractor improvement, every article's latest good snapshot is
read again with the profile layout of its fetch date. A new version appears only
where the extracted content changed; it is marked ``produced_by = reextract``.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import click

from archive.cli import AppContext, db_option, echo_json, json_option
from crawler.commands.interrupts import interruptible
from crawler.registry import load_registry

WHEN = click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"])


#: Fewer snapshots than this are read in this process: starting workers would cost more.
POOL_MIN_ARTICLES = 50
#: Snapshots read from the database in one query.
READ_CHUNK = 64
#: Articles committed together (each one whole: a savepoint of its own).
COMMIT_EVERY = 16


@click.command("reextract")
@click.option("--site", "site_key", metavar="KEY", help="Only this site's articles.")
@click.option("--since", type=WHEN, metavar="DATE",
              help="Only articles seen on or after this date (UTC).")
@click.option("--workers", type=click.IntRange(min=0), default=None, metavar="N",
              help="Extraction processes (default: one per core; 0 reads in this process). "
                   "The writes stay in this process, in order: the rows are the same.")
@db_option
@json_option
@click.pass_obj
def reextract(app: AppContext, site_key: str | None, since: datetime | None, workers: int | None,
              db: str | None, as_json: bool) -> None:
    """Re-read archived snapshots with the current extractor and profiles.

    \b
    Examples:
      sct-archive reextract                       the whole archive
      sct-archive reextract --site sct-binhduong --since 2026-01-01

    Nothing is fetched. Articles whose content reads the same are left alone. Each
    snapshot is read again for the article it belongs to, under the site it was
    archived under (registered or not). SIGINT/SIGTERM stops after a whole article
    (exit 130/143).
    """
    from sqlalchemy import func, select

    from archive.storage.models import Article, ArticleVersion, Observation, Site, Snapshot
    from crawler.extraction.pool import ExtractionPool, Job
    from crawler.identity import site_from_row
    from crawler.ingest import ingest

    registry = load_registry()
    counts: Counter[str] = Counter()
    with app.archive(db) as archive, interruptible() as stop:
        with archive.sessions() as s:
            latest = (
                select(Observation.article_id, func.max(Observation.id).label("obs_id"))
                .where(Observation.snapshot_id.is_not(None),
                       Observation.outcome.in_(("new", "changed", "unchanged", "returned")))
                .group_by(Observation.article_id)
                .subquery()
            )
            query = (
                select(Article.id, Site.id, Snapshot.id, ArticleVersion.content_hash)
                .join(Site, Site.id == Article.site_id)
                .join(latest, latest.c.article_id == Article.id)
                .join(Observation, Observation.id == latest.c.obs_id)
                .join(Snapshot, Snapshot.id == Observation.snapshot_id)
                .outerjoin(ArticleVersion, ArticleVersion.id == Article.current_version_id)
                .order_by(Article.id)
            )
            if site_key:
                if s.scalar(select(Site.id).where(Site.key == site_key)) is None:
                    from archive.errors import ArchiveError

                    raise ArchiveError(f"no site {site_key!r} in this archive")
                query = query.where(Site.key == site_key)
            if since:
                query = query.where(Article.last_seen >= since.replace(tzinfo=UTC))
            rows = s.execute(query).all()
            sites = {row.id: site_from_row(row, registry)
                     for row in s.scalars(select(Site).where(Site.id.in_({r[1] for r in rows})))}
        total = len(rows)
        n = 0

        def snapshots():
            for start in range(0, total, READ_CHUNK):  # one query per chunk of snapshots
                chunk = rows[start:start + READ_CHUNK]
                fetches = archive.fetches(snapshot_id for _, _, snapshot_id, _ in chunk)
                for article_id, site_id, snapshot_id, current_hash in chunk:
                    yield (article_id, sites[site_id], snapshot_id, fetches.pop(snapshot_id),
                           current_hash)

        def job_of(item) -> Job | None:
            _, site, _, fetch, current_hash = item
            if fetch.status != 200:
                return None
            return Job(fetch.body, fetch.url, fetch.header("content-type"),
                       None if site.profile == "auto" else site.profile, fetch.fetched_at,
                       current_hash=current_hash)

        with (ExtractionPool(workers if total >= POOL_MIN_ARTICLES or workers is not None else 0)
              as pool, archive.grouped() as commit):
            for n, ((article_id, site, snapshot_id, fetch, _), read) in enumerate(
                    pool.map(snapshots(), job_of, derive=True), 1):
                result = ingest(archive, site, fetch, produced_by="reextract",
                                snapshot_id=snapshot_id, article_id=article_id,
                                read=read and read[:2], derived=read and read[2])
                if n % COMMIT_EVERY == 0:
                    commit()
                counts[result.outcome.status] += 1
                if not as_json and not app.quiet and (n % 200 == 0 or n == total):
                    click.echo(f"{n}/{total} re-read: {counts['changed']} changed", err=True)
                if stop.requested:
                    break
    if stop.requested:
        stop.exit(f"re-read {n} of {total} articles ({counts['changed']} new versions); "
                  "run it again to finish")
    summary = {"articles": total, "changed": counts["changed"],
               "unchanged": counts["unchanged"] + counts["returned"],
               "rejected": counts["rejected"]}
    if as_json:
        echo_json(summary)
    elif not app.quiet:
        click.echo(f"re-extracted {total} articles: {summary['changed']} new versions, "
                   f"{summary['unchanged']} unchanged, {summary['rejected']} not readable")

