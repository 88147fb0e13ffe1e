"""Merge the duplicate articles older releases made (no schema change)

Up to this release, ``reextract`` and the import of the archive's own WARC export
filed the snapshots of a site that is not in the default registry (the demo's
sites, or one crawled with ``crawl --url``) under a second, ad-hoc site named by
host and port (``127.0.0.1:18301``), each article a second time. This migration
moves every such duplicate into the article it duplicates: its versions (a version
whose content the original already has is folded into that version), observations,
URLs and snapshots; then the ad-hoc site's remaining snapshots and runs when it has
one original site, and the ad-hoc site itself once nothing refers to it.

An ad-hoc site is one whose key is the host (or host:port) of its own base URL; its
original is a site with a registry key on the same host and port that has an
article with the same key. Two registered sites are never merged.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    merge_duplicates(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: the merged rows were copies."""


# Lightweight table definitions (only the columns used), so later model changes never
# change what this migration does.
_m = sa.MetaData()
sites = sa.Table("sites", _m, sa.Column("id", sa.Integer), sa.Column("key", sa.String),
                 sa.Column("base_url", sa.String))
articles = sa.Table("articles", _m, sa.Column("id", sa.Integer), sa.Column("site_id", sa.Integer),
                    sa.Column("article_key", sa.String), sa.Column("first_seen", sa.DateTime),
                    sa.Column("last_seen", sa.DateTime),
                    sa.Column("current_version_id", sa.Integer))
article_urls = sa.Table("article_urls", _m, sa.Column("url", sa.String),
                        sa.Column("article_id", sa.Integer))
versions = sa.Table("article_versions", _m, sa.Column("id", sa.Integer),
                    sa.Column("article_id", sa.Integer), sa.Column("number", sa.Integer),
                    sa.Column("content_hash", sa.String), sa.Column("fetched_at", sa.DateTime))
observations = sa.Table("observations", _m, sa.Column("id", sa.Integer),
                        sa.Column("article_id", sa.Integer), sa.Column("version_id", sa.Integer),
                        sa.Column("observed_at", sa.DateTime))
attachments = sa.Table("attachments", _m, sa.Column("version_id", sa.Integer))
flags = sa.Table("flags", _m, sa.Column("version_id", sa.Integer))
snapshots = sa.Table("snapshots", _m, sa.Column("id", sa.Integer), sa.Column("site_id", sa.Integer))
runs = sa.Table("crawl_runs", _m, sa.Column("id", sa.Integer), sa.Column("site_id", sa.Integer))


def host_port(url: str | None) -> tuple[str, int | None] | None:
    """(host without ``www.``, effective port) of a URL, or None."""
    from urllib.parse import urlsplit

    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www."), port


def is_adhoc(key: str, base_url: str | None) -> bool:
    """A site named after its own host (``example.gov.vn``, ``127.0.0.1:18301``, ``localhost``)."""
    hp = host_port(base_url)
    if hp is None:
        return False
    host, port = hp
    return key in (host, f"{host}:{port}", "localhost")


def merge_duplicates(conn) -> dict[str, int]:
    """Fold ad-hoc duplicates into their originals; counts of what was merged."""
    done = {"articles": 0, "versions": 0, "sites": 0}
    rows = conn.execute(sa.select(sites.c.id, sites.c.key, sites.c.base_url)).all()
    registered: dict[tuple, list[int]] = {}
    adhoc: list[tuple[int, tuple]] = []
    for site_id, key, base_url in rows:
        hp = host_port(base_url)
        if hp is None:
            continue
        if is_adhoc(key, base_url):
            adhoc.append((site_id, hp))
        else:
            registered.setdefault(hp, []).append(site_id)
    for dup_site, hp in adhoc:
        originals = registered.get(hp, [])
        if not originals:
            continue
        keyed = {
            (key): aid for aid, key in conn.execute(
                sa.select(articles.c.id, articles.c.article_key)
                .where(articles.c.site_id.in_(originals)).order_by(articles.c.id.desc()))
        }
        for dup_id, key in conn.execute(
                sa.select(articles.c.id, articles.c.article_key)
                .where(articles.c.site_id == dup_site)).all():
            keeper = keyed.get(key)
            if keeper is None:
                continue
            done["versions"] += _merge_article(conn, dup_id, keeper)
            done["articles"] += 1
        if len(originals) == 1:
            target = originals[0]
            conn.execute(sa.update(snapshots).where(snapshots.c.site_id == dup_site)
                         .values(site_id=target))
            conn.execute(sa.update(runs).where(runs.c.site_id == dup_site).values(site_id=target))
            left = conn.execute(sa.select(sa.func.count()).select_from(articles)
                                .where(articles.c.site_id == dup_site)).scalar()
            if not left:
                conn.execute(sa.delete(sites).where(sites.c.id == dup_site))
                done["sites"] += 1
    return done


def _merge_article(conn, dup_id: int, keeper: int) -> int:
    """Move article ``dup_id`` into ``keeper``; how many versions were moved (not folded)."""
    have = dict(conn.execute(sa.select(versions.c.content_hash, versions.c.id)
                             .where(versions.c.article_id == keeper)).all())
    number = conn.execute(sa.select(sa.func.max(versions.c.number))
                          .where(versions.c.article_id == keeper)).scalar() or 0
    moved = 0
    conn.execute(sa.update(articles).where(articles.c.id == dup_id)
                 .values(current_version_id=None))
    for vid, digest in conn.execute(
            sa.select(versions.c.id, versions.c.content_hash)
            .where(versions.c.article_id == dup_id).order_by(versions.c.number)).all():
        same = have.get(digest)
        if same is not None:  # the original has this content: one version
            conn.execute(sa.update(observations).where(observations.c.version_id == vid)
                         .values(version_id=same))
            conn.execute(sa.delete(flags).where(flags.c.version_id == vid))
            conn.execute(sa.delete(attachments).where(attachments.c.version_id == vid))
            conn.execute(sa.delete(versions).where(versions.c.id == vid))
        else:
            number += 1
            conn.execute(sa.update(versions).where(versions.c.id == vid)
                         .values(article_id=keeper, number=number))
            have[digest] = vid
            moved += 1
    conn.execute(sa.update(observations).where(observations.c.article_id == dup_id)
                 .values(article_id=keeper))
    for (url,) in conn.execute(sa.select(article_urls.c.url)
                               .where(article_urls.c.article_id == dup_id)).all():
        conn.execute(sa.update(article_urls).where(article_urls.c.url == url)
                     .values(article_id=keeper))
    dup = conn.execute(sa.select(articles.c.first_seen, articles.c.last_seen)
                       .where(articles.c.id == dup_id)).one()
    kept = conn.execute(sa.select(articles.c.first_seen, articles.c.last_seen)
                        .where(articles.c.id == keeper)).one()
    conn.execute(sa.delete(articles).where(articles.c.id == dup_id))
    # the current version: the one the latest observation with a version showed
    current = conn.execute(
        sa.select(observations.c.version_id)
        .where(observations.c.article_id == keeper, observations.c.version_id.is_not(None))
        .order_by(observations.c.observed_at.desc(), observations.c.id.desc()).limit(1)
    ).scalar()
    values = {"first_seen": min(dup.first_seen, kept.first_seen),
              "last_seen": max(dup.last_seen, kept.last_seen)}
    if current is not None:
        values["current_version_id"] = current
    conn.execute(sa.update(articles).where(articles.c.id == keeper).values(**values))
    return moved
