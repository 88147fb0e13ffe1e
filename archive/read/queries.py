"""Read-only queries for researchers: finding an article, its versions, exports.

Nothing here writes. Sessions are short; exports stream in chunks so a large
archive never sits in memory.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.storage.models import Article, ArticleUrl, ArticleVersion, Observation, Site, Snapshot

EXPORT_FIELDS = (
    "id", "site", "url", "article_key", "title", "published", "published_at", "updated",
    "language", "source_line", "text", "first_seen", "last_seen", "versions", "version",
    "content_hash", "fetched_at", "extractor", "flags",
)


def find_article(session: Session, ref: str) -> Article | None:
    """An article by id, by any URL it was reached under, or by its canonical URL."""
    ref = ref.strip()
    if ref.isdigit():
        return session.get(Article, int(ref))
    candidates = [ref, ref.split("#", 1)[0]]
    base = candidates[-1]
    candidates += [base.rstrip("/"), base.rstrip("/") + "/"]
    for url in dict.fromkeys(candidates):
        article_id = session.scalar(select(ArticleUrl.article_id).where(ArticleUrl.url == url))
        if article_id is None:
            article_id = session.scalar(
                select(Article.id).where(Article.canonical_url == url).limit(1)
            )
        if article_id is not None:
            return session.get(Article, article_id)
    return None


def versions(session: Session, article_id: int) -> Sequence[ArticleVersion]:
    return session.scalars(
        select(ArticleVersion)
        .where(ArticleVersion.article_id == article_id)
        .order_by(ArticleVersion.fetched_at, ArticleVersion.number)
    ).all()


def observation_counts(session: Session, article_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Observation.outcome, func.count())
        .where(Observation.article_id == article_id)
        .group_by(Observation.outcome)
    ).all()
    return {outcome: n for outcome, n in rows}


def snapshot_of(session: Session, snapshot_id: int | None) -> Snapshot | None:
    return session.get(Snapshot, snapshot_id) if snapshot_id else None


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def version_record(v: ArticleVersion) -> dict[str, Any]:
    return {
        "number": v.number,
        "content_hash": v.content_hash,
        "fetched_at": _iso(v.fetched_at),
        "produced_by": v.produced_by,
        "extractor": v.extractor,
        "snapshot_id": v.snapshot_id,
        "title": v.title,
        "published": _iso(v.published),
        "published_source": v.published_source,
        "updated": _iso(v.updated),
        "updated_source": v.updated_source,
        "language": v.language,
        "source_line": v.source_line,
        "text": v.text,
    }


def _diff_lines(v: ArticleVersion) -> list[str]:
    return [
        f"Title: {v.title or ''}",
        f"Published: {_iso(v.published) or ''}",
        f"Updated: {_iso(v.updated) or ''}",
        "",
        *v.text.split("\n"),
    ]


def version_diff(old: ArticleVersion, new: ArticleVersion) -> str:
    """A unified diff from one version to the next (metadata lines first, then the text)."""
    return "\n".join(
        difflib.unified_diff(
            _diff_lines(old),
            _diff_lines(new),
            fromfile=f"version {old.number} ({_iso(old.fetched_at)}, {old.produced_by})",
            tofile=f"version {new.number} ({_iso(new.fetched_at)}, {new.produced_by})",
            lineterm="",
        )
    )


def export_records(
    session: Session,
    *,
    sites: Sequence[str] = (),
    since: datetime | None = None,
    chunk: int = 500,
    flags_for=None,
) -> Iterator[dict[str, Any]]:
    """One record per article with its current version, ordered by id.

    ``since``: only articles with a version first fetched at or after that time
    (new or changed since). ``flags_for(version_ids) → {version_id: [flag dicts]}``
    adds flags when the archive has them.
    """
    count = (
        select(ArticleVersion.article_id, func.count().label("n"))
        .group_by(ArticleVersion.article_id)
        .subquery()
    )
    stmt = (
        select(Article, ArticleVersion, Site.key, count.c.n)
        .join(ArticleVersion, ArticleVersion.id == Article.current_version_id)
        .join(Site, Site.id == Article.site_id)
        .join(count, count.c.article_id == Article.id)
        .order_by(Article.id)
    )
    if sites:
        stmt = stmt.where(Site.key.in_(list(sites)))
    if since is not None:
        changed = select(ArticleVersion.article_id).where(ArticleVersion.fetched_at >= since)
        stmt = stmt.where(Article.id.in_(changed))
    last_id = 0
    while True:
        rows = session.execute(stmt.where(Article.id > last_id).limit(chunk)).all()
        if not rows:
            return
        flags = flags_for([v.id for _a, v, _k, _n in rows]) if flags_for else {}
        for article, v, site_key, n in rows:
            yield {
                "id": article.id,
                "site": site_key,
                "url": article.canonical_url,
                "article_key": article.article_key,
                "title": v.title,
                "published": _iso(v.published),
                "published_at": _iso(v.published_at),
                "updated": _iso(v.updated),
                "language": v.language,
                "source_line": v.source_line,
                "text": v.text,
                "first_seen": _iso(article.first_seen),
                "last_seen": _iso(article.last_seen),
                "versions": n,
                "version": v.number,
                "content_hash": v.content_hash,
                "fetched_at": _iso(v.fetched_at),
                "extractor": v.extractor,
                "flags": flags.get(v.id, []),
            }
        last_id = rows[-1][0].id
        session.expunge_all()


def snapshots(
    session: Session, *, sites: Sequence[str] = (), since: datetime | None = None, chunk: int = 200
) -> Iterator[Snapshot]:
    """Stored snapshots in fetch order, bodies loaded a chunk at a time."""
    from sqlalchemy.orm import selectinload

    stmt = select(Snapshot).options(selectinload(Snapshot.payload)).order_by(Snapshot.id)
    if sites:
        stmt = stmt.join(Site, Site.id == Snapshot.site_id).where(Site.key.in_(list(sites)))
    if since is not None:
        stmt = stmt.where(Snapshot.fetched_at >= since)
    last_id = 0
    while True:
        rows = session.scalars(stmt.where(Snapshot.id > last_id).limit(chunk)).all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
        session.expunge_all()
