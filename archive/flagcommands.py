"""``sct-archive flags`` and ``sct-archive reflag``: conference and funding announcements."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from sqlalchemy import select

from .cli import AppContext, db_option, echo_json, json_option
from .models import Article, ArticleVersion, Flag, Site
from .store import flag_object

SINCE = click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"])


@click.command("flags")
@click.option("--kind", type=click.Choice(["conference", "funding"]), help="Only this kind.")
@click.option("--since", type=SINCE, metavar="DATE", help="Only articles published on or after DATE.")
@click.option("--site", "sites", multiple=True, metavar="KEY", help="Only these sites (repeatable).")
@click.option("--limit", type=int, default=None, help="At most this many articles.")
@db_option
@json_option
@click.pass_obj
def flags(app: AppContext, kind: str | None, since: datetime | None, sites: tuple[str, ...],
          limit: int | None, db: str | None, as_json: bool) -> None:
    """Flagged articles (latest version), newest first.

    \b
    Examples:
      sct-archive flags --kind funding --since 2018-01-01
      sct-archive flags --json | jq '.[].flags[] | select(.kind=="funding") | .amounts'
    """
    with app.archive(db) as archive, archive.sessions() as s:
        query = (
            select(Article, ArticleVersion, Site.key)
            .join(ArticleVersion, ArticleVersion.id == Article.current_version_id)
            .join(Site, Site.id == Article.site_id)
            .where(select(Flag.id).where(Flag.version_id == ArticleVersion.id)
                   .where(Flag.kind == kind if kind else True).exists())
            .order_by(ArticleVersion.published.desc().nulls_last(), Article.id.desc())
        )
        if since:
            query = query.where(ArticleVersion.published >= since.date())
        if sites:
            query = query.where(Site.key.in_(sites))
        if limit:
            query = query.limit(limit)
        rows = s.execute(query).all()
        by_version: dict[int, list[dict]] = {}
        for f in s.scalars(select(Flag).where(Flag.version_id.in_([v.id for _a, v, _k in rows]))):
            if kind is None or f.kind == kind:
                by_version.setdefault(f.version_id, []).append(flag_object(f))
    records = [
        {"id": a.id, "site": key, "url": a.canonical_url, "title": v.title,
         "published": v.published.isoformat() if v.published else None,
         "flags": sorted(by_version.get(v.id, []), key=lambda f: f["kind"])}
        for a, v, key in rows
    ]
    if as_json:
        echo_json(records)
        return
    if not records:
        if not app.quiet:
            click.echo("no flagged articles", err=True)
        return
    for r in records:
        kinds = ", ".join(f"{f['kind']}/{f['subtype']}" for f in r["flags"])
        click.echo(f"#{r['id']:<6} {r['published'] or '?':10}  {r['site']:<16} [{kinds}] {r['title']}")
        for f in r["flags"]:
            if f["kind"] == "funding" and f.get("amounts"):
                amounts = "; ".join(f"{a['phrase']} = {a['vnd']:,} VND" for a in f["amounts"][:4])
                click.echo(f"         amounts: {amounts}")
            if f["kind"] == "conference" and (f.get("event_date") or f.get("location")):
                click.echo(f"         event: {f.get('event_date') or '?'} {f.get('location') or ''}")


@click.command("reflag")
@click.option("--site", "site_key", metavar="KEY", help="Only this site's versions.")
@db_option
@json_option
@click.pass_obj
def reflag(app: AppContext, site_key: str | None, db: str | None, as_json: bool) -> None:
    """Recompute the flags of every archived version with the current rules (no refetch)."""
    from .flags import RULES_VERSION

    def progress(done: int, total: int) -> None:
        if not as_json and not app.quiet:
            click.echo(f"{done}/{total} versions flagged", err=True)

    started = datetime.now(UTC)
    with app.archive(db) as archive:
        counts = archive.reflag(site_key=site_key, progress=progress)
    counts["rules_version"] = RULES_VERSION
    counts["seconds"] = round((datetime.now(UTC) - started).total_seconds(), 2)
    if as_json:
        echo_json(counts)
    elif not app.quiet:
        click.echo(f"{counts['versions']} versions: {counts['flagged']} flagged "
                   f"({counts['conference']} conference, {counts['funding']} funding), "
                   f"rules {RULES_VERSION}")
