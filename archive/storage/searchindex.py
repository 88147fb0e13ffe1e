"""The full-text index of article versions: written with each version, rebuilt on demand.

Every version is indexed under its id with its *folded* words (lower case, no
diacritics, ``đ`` → ``d``: :func:`archive.vietnamese.textnorm.fold`), so a query typed
without a Vietnamese keyboard finds the same articles as one typed with it. Two
columns: the title, and the body (text, then the text of the version's attachments).

On SQLite a third column, ``tags``, holds the version's publication date as tokens
(``y2025 m202501 d20250115``, :func:`date_tags`; migration 0009): a date filter is
then part of the ``MATCH`` (:func:`date_range_match`), so a query over 50,000 matches
restricted to one year ranks only that year's, with no join. Only the publication
date is there: it never changes for a version, unlike its article's site (sites
can be merged), its flags (recomputed) or whether it is the latest.

* SQLite: an FTS5 table ``search_fts`` (contentless: the text is in
  ``article_versions`` already), tokenizer ``unicode61 remove_diacritics 0`` over the
  folded text — FTS5's own ``remove_diacritics`` does not fold ``đ``; ranked by bm25.
* PostgreSQL: a table ``search_documents`` with a ``tsvector`` of the folded words
  (``simple`` configuration: no stemming, no stop words; title weight A, body D) and
  a GIN index; ranked by ``ts_rank``. Its ``published`` column (the version's
  publication date, migration 0009) lets a search filter, order and cut its matches
  without reading the versions.

The index is derived data, like the flags: :func:`index_version` runs in the
version's own transaction (from :meth:`archive.storage.store.Archive.after_new_version`),
:func:`reindex` rebuilds it (``sct-archive db reindex``), migration 0008 creates and
fills it. These tables are not SQLAlchemy models (FTS5 virtual tables and ``tsvector``
are dialect-specific); the migration tests leave them out of the model comparison
(:func:`is_index_table`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from sqlalchemy import Connection, bindparam, text

from archive.storage.indexed_text import folded
from archive.vietnamese.textnorm import SEARCH_WORD

SQLITE_TABLE = "search_fts"
POSTGRES_TABLE = "search_documents"

_SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5("
    "title, body, tags, content='', tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
)
_POSTGRES_DDL = (
    f"CREATE TABLE IF NOT EXISTS {POSTGRES_TABLE} ("
    " version_id integer PRIMARY KEY"
    " REFERENCES article_versions (id) ON DELETE CASCADE,"
    " document tsvector NOT NULL, published date)",
    f"CREATE INDEX IF NOT EXISTS ix_{POSTGRES_TABLE}_document"
    f" ON {POSTGRES_TABLE} USING gin (document)",
)

_SQLITE_INSERT = text(
    f"INSERT INTO {SQLITE_TABLE} (rowid, title, body, tags) VALUES (:id, :title, :body, :tags)")
#: The FTS5 columns searched by a query's words (``tags`` only by the filters).
SQLITE_TEXT_COLUMNS = "{title body}"

_POSTGRES_INSERT = text(
    f"INSERT INTO {POSTGRES_TABLE} (version_id, document, published) VALUES (:id,"
    " setweight(to_tsvector('simple', :title), 'A') || setweight(to_tsvector('simple', :body), 'D'),"
    " COALESCE(CAST(:published AS date), (SELECT published FROM article_versions WHERE id = :id)))"
    " ON CONFLICT (version_id) DO UPDATE SET document = EXCLUDED.document, published = EXCLUDED.published"
)


def is_index_table(name: str) -> bool:
    """Tables of this index (FTS5 keeps shadow tables ``search_fts_data`` …)."""
    return name == POSTGRES_TABLE or name == SQLITE_TABLE or name.startswith(SQLITE_TABLE + "_")


def create(conn: Connection) -> None:
    for ddl in _SQLITE_DDL if conn.dialect.name == "sqlite" else _POSTGRES_DDL:
        conn.execute(text(ddl))


def drop(conn: Connection) -> None:
    table = SQLITE_TABLE if conn.dialect.name == "sqlite" else POSTGRES_TABLE
    conn.execute(text(f"DROP TABLE IF EXISTS {table}"))


def date_tags(published: date | str | None) -> str:
    """The ``tags`` of a version published on ``published``: year, month and day tokens."""
    if published is None:
        return ""
    if not isinstance(published, date):
        published = date.fromisoformat(str(published)[:10])
    y, m, d = published.year, published.month, published.day
    return f"y{y:04d} m{y:04d}{m:02d} d{y:04d}{m:02d}{d:02d}"


def _years(first: int, last: int) -> list[str]:
    """FTS5 phrases covering the years ``first`` … ``last``: ``"y2025"``, ``"y203"*`` (a decade) …"""
    out, y = [], first
    while y <= last:
        k = 0  # the largest aligned block of 10**k years from y inside the range
        while k < 3 and y % 10 ** (k + 1) == 0 and y + 10 ** (k + 1) - 1 <= last:
            k += 1
        digits = f"{y:04d}"
        out.append(f'"y{digits[:4 - k]}"' + ("*" if k else ""))
        y += 10 ** k
    return out


def date_range_match(since: date | None, until: date | None) -> str:
    """An FTS5 expression over ``tags``: the versions published from ``since`` until ``until``.

    Whole years become year tokens (decades and centuries prefixes), whole months month
    tokens, the rest day tokens: at most a few dozen phrases for any range.
    """
    lo = since or date.min
    hi = until or date.max
    phrases: list[str] = []
    d = lo
    while d <= hi:
        if d.month == 1 and d.day == 1 and date(d.year, 12, 31) <= hi:
            last = hi.year if hi == date(hi.year, 12, 31) else hi.year - 1
            phrases += _years(d.year, last)
            if last >= date.max.year:
                break
            d = date(last + 1, 1, 1)
            continue
        month_end = (date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)) \
            if d.year < date.max.year or d.month < 12 else None
        if d.day == 1 and (month_end is None or month_end - timedelta(days=1) <= hi):
            phrases.append(f'"m{d.year:04d}{d.month:02d}"')
            if month_end is None:
                break
            d = month_end
            continue
        phrases.append(f'"d{d.year:04d}{d.month:02d}{d.day:02d}"')
        if d == date.max:
            break
        d += timedelta(days=1)
    return "tags : (" + " OR ".join(phrases) + ")" if phrases else 'tags : ("nodate")'


def document(conn: Connection, version_id: int, title: str | None, body: str,
             attachments: Iterable[str] = (), published: date | str | None = None, *,
             folded_text: tuple[str, str] | None = None) -> dict[str, object]:
    """The parameters of one index row: folded text (SQLite) or folded words (PostgreSQL).

    ``folded_text``: :func:`archive.storage.indexed_text.folded` of these fields, when it
    was computed ahead (in an extraction worker)."""
    f_title, f_body = folded_text or folded(title, body, attachments)
    if conn.dialect.name == "sqlite":
        # the FTS5 tokenizer splits the folded text exactly like search_words() does
        return {"id": version_id, "title": f_title, "body": f_body, "tags": date_tags(published)}
    # PostgreSQL's parser would keep "5.000" or "hoi-cho" as one token: give it words
    if published is not None and not isinstance(published, date):
        published = date.fromisoformat(str(published)[:10])
    return {"id": version_id, "title": " ".join(SEARCH_WORD.findall(f_title)),
            "body": " ".join(SEARCH_WORD.findall(f_body)), "published": published}


_PUBLISHED = text("SELECT published FROM article_versions WHERE id = :id")


def index_version(conn: Connection, version_id: int, title: str | None, body: str,
                  attachments: Iterable[str] = (), *, published: date | str | bool | None = False,
                  folded_text: tuple[str, str] | None = None) -> None:
    """Index one new version, in the caller's transaction.

    ``published``: the version's publication date (SQLite's ``tags``); read from the
    version's row when not given. ``folded_text``: see :func:`document`.
    """
    if published is False:  # PostgreSQL's INSERT reads it itself
        published = conn.execute(_PUBLISHED, {"id": version_id}).scalar() \
            if conn.dialect.name == "sqlite" else None
    stmt = _SQLITE_INSERT if conn.dialect.name == "sqlite" else _POSTGRES_INSERT
    conn.execute(stmt, document(conn, version_id, title, body, attachments, published,
                                folded_text=folded_text))


def layout_current(conn: Connection) -> bool:
    """Whether the index exists with this version's columns (migration 0009 rebuilds it if not)."""
    if conn.dialect.name == "sqlite":
        sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": SQLITE_TABLE}).scalar()
        return bool(sql) and "tags" in sql
    return conn.execute(text(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND table_name = :t AND column_name = 'published'"), {"t": POSTGRES_TABLE}).scalar() == 1


def upgrade_layout(conn: Connection) -> None:
    """Bring an index built by migration 0008 to this layout (migration 0009).

    SQLite: rebuilt (FTS5 columns cannot be added). PostgreSQL: the ``published``
    column added and copied from the versions, the documents kept.
    """
    if layout_current(conn):
        return
    if conn.dialect.name == "sqlite":
        reindex(conn)
        return
    conn.execute(text(f"ALTER TABLE {POSTGRES_TABLE} ADD COLUMN published date"))
    conn.execute(text(f"UPDATE {POSTGRES_TABLE} d SET published = v.published"
                      " FROM article_versions v WHERE v.id = d.version_id"))


_VERSIONS = text(
    "SELECT id, title, text, published FROM article_versions WHERE id > :after ORDER BY id LIMIT :n")
_ATTACHMENTS = text(
    "SELECT version_id, text FROM attachments WHERE version_id IN :ids AND text <> '' ORDER BY id"
).bindparams(bindparam("ids", expanding=True))


def reindex(conn: Connection, *, chunk: int = 500,
            progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index in the caller's transaction: the number of versions indexed.

    One transaction, so a search never sees a half-built index; on SQLite it holds the
    write lock meanwhile (crawls wait, up to their busy timeout).
    """
    drop(conn)
    create(conn)
    stmt = _SQLITE_INSERT if conn.dialect.name == "sqlite" else _POSTGRES_INSERT
    done, after = 0, 0
    while True:
        rows = conn.execute(_VERSIONS, {"after": after, "n": chunk}).all()
        if not rows:
            return done
        attachments: dict[int, list[str]] = {}
        for vid, att_text in conn.execute(_ATTACHMENTS, {"ids": [r.id for r in rows]}):
            attachments.setdefault(vid, []).append(att_text)
        conn.execute(
            stmt,
            [document(conn, r.id, r.title, r.text, attachments.get(r.id, ()), r.published) for r in rows],
        )
        done += len(rows)
        after = rows[-1].id
        if progress is not None:
            progress(done)
