"""``sct-archive flags`` (list flagged articles) and ``sct-archive reflag`` (recompute)."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from typing import Any

import click

from archive.cli import AppContext, db_option, echo_json, json_option
from archive.cli.archive import SINCE, _ctx, _date


def flagged(archive, *, kinds=(), sites=(), since: datetime | None = None,
            min_score: float = 0.0, limit: int | None = None,
            published_since: date | None = None,
            published_until: date | None = None) -> list[dict[str, Any]]:
    """Articles whose current version carries a flag, newest published first.

    ``since``: the current version was fetched (archived) at or after that time;
    ``published_since``/``published_until``: the article's publication date (inclusive).
    """
    from sqlalchemy import select

    from archive.storage.models import Article, ArticleVersion, Flag, Site

    stmt = (
        select(Article, ArticleVersion, Site.key)
        .join(ArticleVersion, ArticleVersion.id == Article.current_version_id)
        .join(Site, Site.id == Article.site_id)
        .where(ArticleVersion.id.in_(select(Flag.version_id).where(
            *( [Flag.kind.in_(list(kinds))] if kinds else [] ), Flag.score >= min_score)))
        .order_by(ArticleVersion.published.desc().nulls_last(), Article.id.desc())
    )
    if sites:
        stmt = stmt.where(Site.key.in_(list(sites)))
    if since is not None:
        stmt = stmt.where(ArticleVersion.fetched_at >= since)
    if published_since is not None:
        stmt = stmt.where(ArticleVersion.published >= published_since)
    if published_until is not None:
        stmt = stmt.where(ArticleVersion.published <= published_until)
    if limit:
        stmt = stmt.limit(limit)
    with archive.sessions() as s:
        rows = s.execute(stmt).all()
    flags = archive.flags_for(v.id for _a, v, _k in rows)
    return [
        {
            "id": article.id, "site": key, "url": article.canonical_url, "title": v.title,
            "published": v.published.isoformat() if v.published else None,
            "version": v.number, "fetched_at": v.fetched_at.isoformat(),
            "flags": [f for f in flags[v.id]
                      if (not kinds or f["kind"] in kinds) and f["score"] >= min_score],
        }
        for article, v, key in rows
    ]


def _summary(flag: dict[str, Any]) -> str:
    if flag["kind"] == "conference":
        bits = [flag.get("event_date") or "", flag.get("location") or ""]
    else:
        amounts = flag.get("amounts") or []
        bits = [", ".join(a["phrase"] for a in amounts[:3]) + (" …" if len(amounts) > 3 else "")]
    detail = " · ".join(b for b in bits if b)
    return f"{flag['kind']}/{flag['subtype']} {flag['score']:.2f}" + (f" ({detail})" if detail else "")


@click.command()
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["conference", "funding"]),
              help="Only this kind of flag (repeatable; default: both).")
@click.option("--site", "sites", multiple=True, metavar="KEY", help="Only these sites (repeatable).")
@click.option("--since", type=SINCE, metavar="DATE",
              help="Only articles whose current version was FETCHED (archived) since DATE "
                   "(YYYY-MM-DD): what is new in the archive. For publication dates use "
                   "--published-since/--published-until.")
@click.option("--published-since", type=SINCE, metavar="DATE",
              help="Only articles PUBLISHED on or after DATE (the date the site gives).")
@click.option("--published-until", type=SINCE, metavar="DATE",
              help="Only articles PUBLISHED on or before DATE.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Only flags scored at least this.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many articles.")
@db_option
@json_option
def flags(kinds: tuple[str, ...], sites: tuple[str, ...], since: datetime | None,
          published_since: datetime | None, published_until: datetime | None, min_score: float,
          limit: int | None, db: str | None, as_json: bool) -> None:
    """Articles flagged as conference or funding announcements, newest first.

    Each flag has a subtype (conference: announcement/report; funding: approval,
    disbursement, call, report), a score, the evidence sentences and its facts
    (event date, location, organizers; amounts in VND with their phrases,
    programme, year).

    --since is the date the archive fetched the article (what is new since your
    last look); --published-since/--published-until the date the site published it.

    \b
    Examples:
      sct-archive flags --kind funding --since 2026-01-01
      sct-archive flags --kind funding --published-since 2025-01-01 --published-until 2025-12-31
      sct-archive flags --json | jq '.[].flags[].amounts'
    """
    from archive.cli.archive import _check_sites

    with _ctx().archive(db) as archive:
        with archive.sessions() as session:
            _check_sites(session, sites)  # an unknown --site is a mistake, not "no flags"
        rows = flagged(archive, kinds=kinds, sites=sites, since=_date(since),
                       min_score=min_score, limit=limit,
                       published_since=published_since.date() if published_since else None,
                       published_until=published_until.date() if published_until else None)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        filtered = kinds or sites or since or published_since or published_until
        click.echo("No flagged articles" + (" matching those filters." if filtered else "."),
                   err=True)
        return
    for r in rows:
        click.echo(f"#{r['id']} {r['published'] or '????-??-??'} [{r['site']}] {r['title']}")
        click.echo(f"    {r['url']}")
        for f in r["flags"]:
            click.echo(f"    {_summary(f)}")


@click.command()
@click.option("--site", "sites", multiple=True, metavar="KEY", help="Only these sites (repeatable).")
@click.option("--since", type=SINCE, metavar="DATE", help="Only versions fetched since DATE.")
@db_option
@json_option
def reflag(sites: tuple[str, ...], since: datetime | None, db: str | None, as_json: bool) -> None:
    """Recompute the conference/funding flags of every archived version.

    Run it after upgrading sct-archive when the flag rules changed (the rules
    version is stored with each flag). Never refetches; each chunk of versions is
    re-flagged in one transaction, so an interrupted run can simply be repeated.
    """
    from archive.flags import RULES_VERSION

    app: AppContext = _ctx()
    started = datetime.now(UTC)
    show = not as_json and sys.stderr.isatty() and not app.quiet

    def progress(done: int, total: int) -> None:
        if show:
            click.echo(f"\rre-flagged {done}/{total} versions", nl=False, err=True)

    with app.archive(db) as archive:
        counts = archive.reflag(sites=sites, since=_date(since), progress=progress)
    if show:
        click.echo("", err=True)
    result = {"rules_version": RULES_VERSION, **counts,
              "seconds": round((datetime.now(UTC) - started).total_seconds(), 2)}
    if as_json:
        echo_json(result)
    else:
        click.echo(
            f"Re-flagged {counts['versions']} versions with rules {RULES_VERSION}: "
            f"{counts['conference']} conference, {counts['funding']} funding flags; "
            f"{counts['changed']} versions changed."
        )
