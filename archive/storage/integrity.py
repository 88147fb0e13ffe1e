"""``sct-archive db check``: what would make the archive lie, found without changing it.

Each check is one read-only query (or a few) and yields :class:`Problem` rows:

* ``duplicate_articles`` — one article under two site rows of the same host and
  port (what older releases' ``reextract`` and WARC import made of sites missing
  from the default registry; migration 0007 and ``db check --repair`` merge them);
* ``versions_without_snapshot`` — a version whose snapshot is missing: its raw truth
  is gone, it cannot be re-extracted;
* ``orphan_*`` — rows whose parent is gone (observations, URLs, attachments, flags,
  snapshots without payload) and articles with no version at all, or whose current
  version belongs to another article;
* ``sites_differing_by_port`` — ad-hoc sites of one host that differ only by port
  (a local server restarted on another port became another site).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import aliased

from .models import (
    Article,
    ArticleUrl,
    ArticleVersion,
    Attachment,
    Flag,
    Observation,
    Payload,
    Site,
    Snapshot,
)

EXAMPLES = 5


@dataclass(frozen=True)
class Problem:
    kind: str
    count: int
    message: str
    examples: list[Any] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "count": self.count, "message": self.message,
                "examples": self.examples}


def host_port(url: str | None) -> tuple[str, int | None] | None:
    """(host without ``www.``, effective port) of a URL, or None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return None
    return (host.removeprefix("www."), port) if host else None


def is_adhoc(key: str, base_url: str | None) -> bool:
    """A site named after its own host (``example.gov.vn``, ``127.0.0.1:18301``, ``localhost``)."""
    hp = host_port(base_url)
    if hp is None:
        return False
    host, port = hp
    return key in (host, f"{host}:{port}", "localhost")


def check(engine: Engine) -> list[Problem]:
    """Every problem found, in a fixed order (empty: the archive is consistent)."""
    with engine.connect() as conn:
        return [p for p in _checks(conn) if p.count]


def _count_and_examples(conn, stmt, kind: str, message: str) -> Problem:
    rows = conn.execute(stmt).all()
    return Problem(kind, len(rows), message.format(n=len(rows)),
                   [r[0] if len(r) == 1 else list(r) for r in rows[:EXAMPLES]])


def _checks(conn) -> Iterator[Problem]:
    sites = conn.execute(select(Site.id, Site.key, Site.base_url)).all()
    yield _duplicates(conn, sites)
    snap = aliased(Snapshot)
    yield _count_and_examples(
        conn,
        select(ArticleVersion.id).outerjoin(snap, snap.id == ArticleVersion.snapshot_id)
        .where(snap.id.is_(None)).order_by(ArticleVersion.id),
        "versions_without_snapshot", "{n} versions without their snapshot (cannot be re-extracted)")
    version = aliased(ArticleVersion)
    yield _count_and_examples(
        conn,
        select(Article.id).outerjoin(version, version.article_id == Article.id)
        .where(version.id.is_(None)).order_by(Article.id),
        "articles_without_versions", "{n} articles without any version")
    current = aliased(ArticleVersion)
    yield _count_and_examples(
        conn,
        select(Article.id).outerjoin(current, current.id == Article.current_version_id)
        .where((current.id.is_(None)) | (current.article_id != Article.id))
        .where(Article.id.in_(select(ArticleVersion.article_id))).order_by(Article.id),
        "bad_current_version", "{n} articles whose current version is missing or not theirs")
    art = aliased(Article)
    for model, kind, label in ((Observation, "orphan_observations", "observations"),
                               (ArticleUrl, "orphan_article_urls", "article URLs")):
        key = model.url if model is ArticleUrl else model.id
        yield _count_and_examples(
            conn, select(key).outerjoin(art, art.id == model.article_id).where(art.id.is_(None)),
            kind, f"{{n}} {label} of articles that do not exist")
    ver = aliased(ArticleVersion)
    yield _count_and_examples(
        conn,
        select(Observation.id).outerjoin(ver, ver.id == Observation.version_id)
        .where(Observation.version_id.is_not(None), ver.id.is_(None)),
        "orphan_observation_versions", "{n} observations of versions that do not exist")
    yield _count_and_examples(
        conn,
        select(Observation.id).join(ver, ver.id == Observation.version_id)
        .where(ver.article_id != Observation.article_id),
        "crossed_observations", "{n} observations of a version of another article")
    for model, kind, label in ((Attachment, "orphan_attachments", "attachments"),
                               (Flag, "orphan_flags", "flags")):
        yield _count_and_examples(
            conn,
            select(model.id).outerjoin(ver, ver.id == model.version_id).where(ver.id.is_(None)),
            kind, f"{{n}} {label} of versions that do not exist")
    payload = aliased(Payload)
    yield _count_and_examples(
        conn,
        select(Snapshot.id).outerjoin(payload, payload.id == Snapshot.payload_id)
        .where(payload.id.is_(None)),
        "snapshots_without_payload", "{n} snapshots whose body is missing")
    site = aliased(Site)
    yield _count_and_examples(
        conn,
        select(Snapshot.id).outerjoin(site, site.id == Snapshot.site_id)
        .where(Snapshot.site_id.is_not(None), site.id.is_(None)),
        "orphan_snapshots", "{n} snapshots of sites that do not exist")
    yield _by_port(sites)


def _duplicates(conn, sites) -> Problem:
    """Article keys present under two site rows of one host and port."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    names = {}
    for site_id, key, base_url in sites:
        hp = host_port(base_url)
        if hp is not None:
            groups[hp].append(site_id)
            names[site_id] = key
    examples: list[Any] = []
    total = 0
    for ids in groups.values():
        if len(ids) < 2:
            continue
        rows = conn.execute(
            select(Article.article_key, func.min(Article.id), func.count())
            .where(Article.site_id.in_(ids)).group_by(Article.article_key)
            .having(func.count() > 1)
        ).all()
        for key, _first, n in rows:
            total += n - 1
            if len(examples) < EXAMPLES:
                dup = conn.execute(
                    select(Article.id, Article.site_id)
                    .where(and_(Article.site_id.in_(ids), Article.article_key == key))
                    .order_by(Article.id)).all()
                examples.append({"article_key": key, "articles": [a for a, _ in dup],
                                 "sites": [names[s] for _, s in dup]})
    return Problem("duplicate_articles", total,
                   f"{total} duplicate articles: one article key under two sites of one host "
                   "(`sct-archive db check --repair` merges them)", examples)


def _by_port(sites) -> Problem:
    """Ad-hoc sites of one host that differ only by port."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for _id, key, base_url in sites:
        hp = host_port(base_url)
        if hp is not None and is_adhoc(key, base_url):
            by_host[hp[0]].append(key)
    keys = [sorted(k) for k in by_host.values() if len(k) > 1]
    n = sum(len(k) for k in keys)
    return Problem("sites_differing_by_port", n,
                   f"{n} ad-hoc sites that differ only by port (one site each time a server "
                   "changed port?)", keys[:EXAMPLES])


# -- repair: what migration 0007 does, and `db check --repair` ---------------------------------

# Lightweight table definitions (only the columns used), so later model changes never
# change what this migration does.
_m = sa.MetaData()  # the columns merge_duplicates uses, independent of models.py
_t_sites = sa.Table("sites", _m, sa.Column("id", sa.Integer), sa.Column("key", sa.String),
                 sa.Column("base_url", sa.String))
_t_articles = sa.Table("articles", _m, sa.Column("id", sa.Integer), sa.Column("site_id", sa.Integer),
                    sa.Column("article_key", sa.String), sa.Column("first_seen", sa.DateTime),
                    sa.Column("last_seen", sa.DateTime),
                    sa.Column("current_version_id", sa.Integer))
_t_article_urls = sa.Table("article_urls", _m, sa.Column("url", sa.String),
                        sa.Column("article_id", sa.Integer))
_t_versions = sa.Table("article_versions", _m, sa.Column("id", sa.Integer),
                    sa.Column("article_id", sa.Integer), sa.Column("number", sa.Integer),
                    sa.Column("content_hash", sa.String), sa.Column("fetched_at", sa.DateTime))
_t_observations = sa.Table("observations", _m, sa.Column("id", sa.Integer),
                        sa.Column("article_id", sa.Integer), sa.Column("version_id", sa.Integer),
                        sa.Column("observed_at", sa.DateTime))
_t_attachments = sa.Table("attachments", _m, sa.Column("version_id", sa.Integer))
_t_flags = sa.Table("flags", _m, sa.Column("version_id", sa.Integer))
_t_snapshots = sa.Table("snapshots", _m, sa.Column("id", sa.Integer), sa.Column("site_id", sa.Integer))
_t_runs = sa.Table("crawl_runs", _m, sa.Column("id", sa.Integer), sa.Column("site_id", sa.Integer))


def merge_duplicates(conn) -> dict[str, int]:
    """Fold ad-hoc duplicates into their originals; counts of what was merged."""
    done = {"articles": 0, "versions": 0, "sites": 0}
    rows = conn.execute(sa.select(_t_sites.c.id, _t_sites.c.key, _t_sites.c.base_url)).all()
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
                sa.select(_t_articles.c.id, _t_articles.c.article_key)
                .where(_t_articles.c.site_id.in_(originals)).order_by(_t_articles.c.id.desc()))
        }
        for dup_id, key in conn.execute(
                sa.select(_t_articles.c.id, _t_articles.c.article_key)
                .where(_t_articles.c.site_id == dup_site)).all():
            keeper = keyed.get(key)
            if keeper is None:
                continue
            done["versions"] += _merge_article(conn, dup_id, keeper)
            done["articles"] += 1
        if len(originals) == 1:
            target = originals[0]
            conn.execute(sa.update(_t_snapshots).where(_t_snapshots.c.site_id == dup_site)
                         .values(site_id=target))
            conn.execute(sa.update(_t_runs).where(_t_runs.c.site_id == dup_site).values(site_id=target))
            left = conn.execute(sa.select(sa.func.count()).select_from(_t_articles)
                                .where(_t_articles.c.site_id == dup_site)).scalar()
            if not left:
                conn.execute(sa.delete(_t_sites).where(_t_sites.c.id == dup_site))
                done["sites"] += 1
    return done


def _merge_article(conn, dup_id: int, keeper: int) -> int:
    """Move article ``dup_id`` into ``keeper``; how many versions were moved (not folded)."""
    have = dict(conn.execute(sa.select(_t_versions.c.content_hash, _t_versions.c.id)
                             .where(_t_versions.c.article_id == keeper)).all())
    number = conn.execute(sa.select(sa.func.max(_t_versions.c.number))
                          .where(_t_versions.c.article_id == keeper)).scalar() or 0
    moved = 0
    conn.execute(sa.update(_t_articles).where(_t_articles.c.id == dup_id)
                 .values(current_version_id=None))
    for vid, digest in conn.execute(
            sa.select(_t_versions.c.id, _t_versions.c.content_hash)
            .where(_t_versions.c.article_id == dup_id).order_by(_t_versions.c.number)).all():
        same = have.get(digest)
        if same is not None:  # the original has this content: one version
            conn.execute(sa.update(_t_observations).where(_t_observations.c.version_id == vid)
                         .values(version_id=same))
            conn.execute(sa.delete(_t_flags).where(_t_flags.c.version_id == vid))
            conn.execute(sa.delete(_t_attachments).where(_t_attachments.c.version_id == vid))
            conn.execute(sa.delete(_t_versions).where(_t_versions.c.id == vid))
        else:
            number += 1
            conn.execute(sa.update(_t_versions).where(_t_versions.c.id == vid)
                         .values(article_id=keeper, number=number))
            have[digest] = vid
            moved += 1
    conn.execute(sa.update(_t_observations).where(_t_observations.c.article_id == dup_id)
                 .values(article_id=keeper))
    for (url,) in conn.execute(sa.select(_t_article_urls.c.url)
                               .where(_t_article_urls.c.article_id == dup_id)).all():
        conn.execute(sa.update(_t_article_urls).where(_t_article_urls.c.url == url)
                     .values(article_id=keeper))
    dup = conn.execute(sa.select(_t_articles.c.first_seen, _t_articles.c.last_seen)
                       .where(_t_articles.c.id == dup_id)).one()
    kept = conn.execute(sa.select(_t_articles.c.first_seen, _t_articles.c.last_seen)
                        .where(_t_articles.c.id == keeper)).one()
    conn.execute(sa.delete(_t_articles).where(_t_articles.c.id == dup_id))
    # the current version: the one the latest observation with a version showed
    current = conn.execute(
        sa.select(_t_observations.c.version_id)
        .where(_t_observations.c.article_id == keeper, _t_observations.c.version_id.is_not(None))
        .order_by(_t_observations.c.observed_at.desc(), _t_observations.c.id.desc()).limit(1)
    ).scalar()
    values = {"first_seen": min(dup.first_seen, kept.first_seen),
              "last_seen": max(dup.last_seen, kept.last_seen)}
    if current is not None:
        values["current_version_id"] = current
    conn.execute(sa.update(_t_articles).where(_t_articles.c.id == keeper).values(**values))
    return moved
