"""``sct-archive db check``: what would make the archive lie, found without changing it.

Each check is one read-only query (or a few) and yields :class:`Problem` rows:

* ``duplicate_articles`` — one article under two site rows of the same host and
  port (what older releases' ``reextract`` and WARC import made of sites missing
  from the default registry; migration 0007 merges them);
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
                   "(`sct-archive db upgrade` merges them)", examples)


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
                   f"{n} sites that differ only by port: "
                   + "; ".join(", ".join(k) for k in keys[:EXAMPLES]), keys[:EXAMPLES])
