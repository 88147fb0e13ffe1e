"""The archive as typed tables for pandas, DuckDB and Arrow: ``export --format parquet``.

One table per file (``--table``):

* ``articles`` — one row per article with its current version (the JSON Lines export's
  fields), ``flags`` a list of structs;
* ``versions`` — every version of every article;
* ``flags`` — one row per flag with its facts as columns;
* ``attachments`` — every attachment of every version with its text.

Dates are ``date32``, times ``timestamp[us, UTC]``, VND amounts ``list<int64>``. The
rows are read and written a chunk at a time, so a large archive never sits in memory.
pyarrow is imported only when a Parquet file is written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import IO, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.storage.models import Article, ArticleVersion, Attachment, Flag, Site

TABLES = ("articles", "versions", "flags", "attachments")

# The facts of each flag kind (archive/flags): columns of the flags table, fields of
# the flag structs. amounts are split into VND values and the phrases they were read from.
CONFERENCE_FACTS = ("event_name", "event_date", "event_end_date", "location",
                    "current_province", "organizers")
FUNDING_FACTS = ("amounts", "amount_phrases", "programme", "year")


def _flag_fields(pa) -> list:
    return [
        pa.field("kind", pa.string()), pa.field("subtype", pa.string()),
        pa.field("score", pa.float64()), pa.field("evidence", pa.list_(pa.string())),
        pa.field("rules_version", pa.string()),
        pa.field("event_name", pa.string()), pa.field("event_date", pa.date32()),
        pa.field("event_end_date", pa.date32()), pa.field("location", pa.string()),
        pa.field("current_province", pa.string()), pa.field("organizers", pa.list_(pa.string())),
        pa.field("amounts", pa.list_(pa.int64())), pa.field("amount_phrases", pa.list_(pa.string())),
        pa.field("programme", pa.string()), pa.field("year", pa.int32()),
    ]


def schema(table: str):
    """The Arrow schema of one table."""
    import pyarrow as pa

    ts = pa.timestamp("us", tz="UTC")
    s, i64, i32, d = pa.string(), pa.int64(), pa.int32(), pa.date32()
    if table == "articles":
        fields = [
            ("id", i64), ("site", s), ("url", s), ("article_key", s), ("title", s),
            ("published", d), ("published_at", ts), ("updated", ts), ("language", s),
            ("source_line", s), ("text", s), ("first_seen", ts), ("last_seen", ts),
            ("versions", i32), ("version", i32), ("content_hash", s), ("fetched_at", ts),
            ("extractor", s), ("flags", pa.list_(pa.struct(_flag_fields(pa)))),
        ]
    elif table == "versions":
        fields = [
            ("article_id", i64), ("site", s), ("version", i32), ("version_id", i64),
            ("current", pa.bool_()), ("content_hash", s), ("title", s), ("published", d),
            ("published_at", ts), ("published_source", s), ("updated", ts),
            ("updated_source", s), ("language", s), ("source_line", s), ("text", s),
            ("fetched_at", ts), ("snapshot_id", i64), ("produced_by", s), ("extractor", s),
        ]
    elif table == "flags":
        fields = [
            ("article_id", i64), ("site", s), ("version", i32), ("version_id", i64),
            ("current", pa.bool_()), ("published", d), ("title", s),
        ] + [(f.name, f.type) for f in _flag_fields(pa)] + [("created_at", ts)]
    elif table == "attachments":
        fields = [
            ("id", i64), ("article_id", i64), ("site", s), ("version", i32), ("version_id", i64),
            ("url", s), ("filename", s), ("media_type", s), ("status", s), ("text", s),
            ("note", s), ("snapshot_id", i64),
        ]
    else:
        raise ValueError(f"unknown table {table!r}")
    return pa.schema([pa.field(n, t) for n, t in fields])


def _date(value: Any):
    from datetime import date

    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def flag_struct(kind: str, subtype: str, score: float, evidence: list[str],
                facts: dict[str, Any], rules_version: str) -> dict[str, Any]:
    """A stored flag as a typed struct: the common fields, then every kind's facts (null if absent)."""
    amounts = facts.get("amounts") or []
    year = facts.get("year")
    return {
        "kind": kind, "subtype": subtype, "score": float(score), "evidence": list(evidence or []),
        "rules_version": rules_version,
        "event_name": facts.get("event_name"), "event_date": _date(facts.get("event_date")),
        "event_end_date": _date(facts.get("event_end_date")), "location": facts.get("location"),
        "current_province": facts.get("current_province"),
        "organizers": list(facts["organizers"]) if facts.get("organizers") is not None else None,
        "amounts": [int(a["vnd"]) for a in amounts] if kind == "funding" else None,
        "amount_phrases": [a.get("phrase") for a in amounts] if kind == "funding" else None,
        "programme": facts.get("programme"),
        "year": int(year) if isinstance(year, int | float) else None,
    }


def _chunks(session: Session, stmt, key, chunk: int) -> Iterator[Sequence[Any]]:
    last = 0
    while True:
        rows = session.execute(stmt.where(key > last).order_by(key).limit(chunk)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]
        session.expunge_all()


def rows(session: Session, table: str, *, sites: Sequence[str] = (),
         since: datetime | None = None, chunk: int = 1000) -> Iterator[dict[str, Any]]:
    """The rows of one table, as typed Python values, in id order."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    site_filter = [Site.key.in_(list(sites))] if sites else []
    if table == "articles":
        yield from _article_rows(session, site_filter, since, chunk)
        return
    v = ArticleVersion
    base = (Article.site_id == Site.id, Article.id == v.article_id, *site_filter)
    since_filter = [v.fetched_at >= since] if since is not None else []
    current = (Article.current_version_id == v.id).label("current")
    if table == "versions":
        stmt = select(v.id, v, Site.key, current).where(*base, *since_filter)
        for batch in _chunks(session, stmt, v.id, chunk):
            for _id, ver, key, is_current in batch:
                yield {
                    "article_id": ver.article_id, "site": key, "version": ver.number,
                    "version_id": ver.id, "current": bool(is_current),
                    "content_hash": ver.content_hash, "title": ver.title,
                    "published": ver.published, "published_at": ver.published_at,
                    "published_source": ver.published_source, "updated": ver.updated,
                    "updated_source": ver.updated_source, "language": ver.language,
                    "source_line": ver.source_line, "text": ver.text, "fetched_at": ver.fetched_at,
                    "snapshot_id": ver.snapshot_id, "produced_by": ver.produced_by,
                    "extractor": ver.extractor,
                }
    elif table == "flags":
        stmt = select(Flag.id, Flag, v.article_id, v.number, v.published, v.title, Site.key,
                      current).where(Flag.version_id == v.id, *base, *since_filter)
        for batch in _chunks(session, stmt, Flag.id, chunk):
            for _id, f, article_id, number, published, title, key, is_current in batch:
                yield {
                    "article_id": article_id, "site": key, "version": number,
                    "version_id": f.version_id, "current": bool(is_current),
                    "published": published, "title": title,
                    **flag_struct(f.kind, f.subtype, f.score, f.evidence, f.facts, f.rules_version),
                    "created_at": f.created_at,
                }
    else:
        a = Attachment
        stmt = select(a.id, a, v.article_id, v.number, Site.key).where(
            a.version_id == v.id, *base, *since_filter)
        for batch in _chunks(session, stmt, a.id, chunk):
            for _id, att, article_id, number, key in batch:
                yield {
                    "id": att.id, "article_id": article_id, "site": key, "version": number,
                    "version_id": att.version_id, "url": att.url, "filename": att.filename,
                    "media_type": att.media_type, "status": att.status, "text": att.text,
                    "note": att.note, "snapshot_id": att.snapshot_id,
                }


def _article_rows(session: Session, site_filter: list, since: datetime | None,
                  chunk: int) -> Iterator[dict[str, Any]]:
    v = ArticleVersion
    count = select(v.article_id, func.count().label("n")).group_by(v.article_id).subquery()
    stmt = (
        select(Article.id, Article, v, Site.key, count.c.n)
        .join(v, v.id == Article.current_version_id)
        .join(Site, Site.id == Article.site_id)
        .join(count, count.c.article_id == Article.id)
        .where(*site_filter)
    )
    if since is not None:
        stmt = stmt.where(Article.id.in_(select(v.article_id).where(v.fetched_at >= since)))
    for batch in _chunks(session, stmt, Article.id, chunk):
        flags: dict[int, list[dict[str, Any]]] = {}
        for f in session.scalars(select(Flag).where(Flag.version_id.in_([r[2].id for r in batch]))
                                 .order_by(Flag.kind)):
            flags.setdefault(f.version_id, []).append(
                flag_struct(f.kind, f.subtype, f.score, f.evidence, f.facts, f.rules_version))
        for _id, article, ver, key, n in batch:
            yield {
                "id": article.id, "site": key, "url": article.canonical_url,
                "article_key": article.article_key, "title": ver.title,
                "published": ver.published, "published_at": ver.published_at,
                "updated": ver.updated, "language": ver.language, "source_line": ver.source_line,
                "text": ver.text, "first_seen": article.first_seen, "last_seen": article.last_seen,
                "versions": n, "version": ver.number, "content_hash": ver.content_hash,
                "fetched_at": ver.fetched_at, "extractor": ver.extractor,
                "flags": flags.get(ver.id, []),
            }


def write_parquet(records: Iterator[dict[str, Any]], out: IO[bytes] | str, table: str, *,
                  batch_rows: int = 1000) -> int:
    """Write ``records`` of ``table`` as one Parquet file (zstd): the number of rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sch = schema(table)
    n = 0
    with pq.ParquetWriter(out, sch, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(record)
            if len(batch) >= batch_rows:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=sch))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=sch))
            n += len(batch)
    return n
