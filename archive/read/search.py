"""Full-text search of the archive, the same on SQLite (FTS5, bm25) and PostgreSQL (ts_rank).

A query is folded word by word with the function that built the index
(:func:`archive.vietnamese.textnorm.search_words`), so ``hội chợ`` = ``hoi cho`` =
``HỘI CHỢ``, ``đ`` = ``d`` and ``hoà`` = ``hòa``. Syntax::

    hoi cho             both words, anywhere (title, text, attachments)
    "hội chợ triển lãm" the words in this order
    -"dầu khí" -xang    not these
    khuyen*             a word starting with "khuyen"

Hits are ranked (best first; newest published first on ties; a query matching more than
:data:`RANK_CAP` versions ranks its most recently archived ones) and carry a snippet: the
archived text around the first match, HTML-escaped, with the matched words wrapped in
``<mark>`` afterwards — archived markup is never trusted.

Nothing here writes. ``timeout_ms`` bounds a query's time: a query that would scan
too much fails with :class:`QueryTooExpensive` (the web answers 400).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from html import escape
from typing import Any

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.exc import OperationalError

from archive.errors import InputError
from archive.storage.models import FLAG_KINDS
from archive.storage.searchindex import (
    POSTGRES_TABLE,
    SQLITE_TABLE,
    SQLITE_TEXT_COLUMNS,
    date_range_match,
)
from archive.vietnamese import provinces
from archive.vietnamese.textnorm import fold, fold_aligned, search_words

MAX_LIMIT = 500
SNIPPET_CHARS = 240
#: How far into a text a snippet looks for the first match (a 5 MB page is not scanned).
SNIPPET_SCAN_CHARS = 200_000
#: bm25 weights of the columns (title, body): a word in the title counts more.
TITLE_WEIGHT, BODY_WEIGHT = 4.0, 1.0
#: SQLite's score (the ``tags`` column, only filters, weighs nothing).
_BM25 = f"bm25({SQLITE_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0.0)"


class QueryTooExpensive(InputError):
    """The query ran longer than its time limit."""


# -- the query language ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One query term: a word or a phrase (consecutive words), maybe a prefix, maybe excluded."""

    words: tuple[str, ...]
    prefix: bool = False
    negated: bool = False

    def fts5(self) -> str:
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")

    def tsquery(self) -> str:
        parts = [f"'{w}'" for w in self.words]
        if self.prefix:
            parts[-1] += ":*"
        return "(" + " <-> ".join(parts) + ")" if len(parts) > 1 else parts[0]

    def pattern(self) -> str:
        """A regex over :func:`fold_aligned` text matching this term's words."""
        body = r"[\W_]+".join(re.escape(w) for w in self.words)
        return r"(?<![^\W_])" + body + ("" if self.prefix else r"(?![^\W_])")


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    terms: tuple[Term, ...]

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.negated)

    @property
    def negative(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.negated)

    def fts5(self) -> str:
        """An FTS5 MATCH expression (every term quoted: no FTS5 syntax gets through)."""
        expr = " AND ".join(t.fts5() for t in self.positive)
        if self.negative:
            expr = f"({expr}) NOT (" + " OR ".join(t.fts5() for t in self.negative) + ")"
        return expr

    def tsquery(self) -> str:
        """A PostgreSQL ``to_tsquery('simple', …)`` expression."""
        expr = " & ".join(t.tsquery() for t in self.positive)
        for t in self.negative:
            expr += f" & !{t.tsquery()}"
        return expr

    def matcher(self) -> re.Pattern[str]:
        return re.compile("|".join(t.pattern() for t in self.positive))


_TOKEN = re.compile(r'(-?)"([^"]*)"?(\*?)|(\S+)')
MAX_TERMS = 20


def parse_query(q: str) -> Query:
    """Parse a search query; :class:`InputError` when nothing in it can be searched for."""
    terms: list[Term] = []
    for m in _TOKEN.finditer(q or ""):
        if m.group(4) is not None:
            raw = m.group(4)
            negated = raw.startswith("-") and len(raw) > 1
            raw = raw[1:] if negated else raw
            prefix = raw.endswith("*")
        else:
            raw, negated, prefix = m.group(2), m.group(1) == "-", m.group(3) == "*"
        words = tuple(search_words(raw))
        if words:
            terms.append(Term(words, prefix, negated))
    if not terms:
        raise InputError(f"nothing to search for in {q!r}: give at least one word")
    if not any(not t.negated for t in terms):
        raise InputError(f"{q!r} only excludes words: say what to look for too")
    if len(terms) > MAX_TERMS:
        raise InputError(f"too many terms in the query ({len(terms)}; at most {MAX_TERMS})")
    if any(t.prefix and len(t.words[-1]) < 2 for t in terms):
        raise InputError("a prefix search needs at least two letters before the *")
    return Query(q, tuple(terms))


# -- filters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    sites: tuple[str, ...] = ()
    province: str | None = None
    published_from: date | None = None
    published_until: date | None = None
    flag_kinds: tuple[str, ...] = ()
    min_vnd: int | None = None
    all_versions: bool = False

    def describe(self) -> dict[str, Any]:
        return {
            "site": list(self.sites), "province": self.province,
            "published_from": self.published_from.isoformat() if self.published_from else None,
            "published_until": self.published_until.isoformat() if self.published_until else None,
            "flag": list(self.flag_kinds), "min_vnd": self.min_vnd,
            "all_versions": self.all_versions,
        }


def site_province(key: str, name: str | None) -> tuple[str | None, str | None]:
    """(current province, former province or None) of a site, read from its name or key.

    The archive keeps a site's name ("Sở Công Thương Bình Dương") and key
    ("sct-binhduong"), not the registry's province fields; the province named in them
    is the one the site serves.
    """
    folded = " " + " ".join(search_words(name or "")) + " "
    found = None
    for key_name, official in provinces.search_keys().items():
        if f" {key_name} " in folded:
            found = official
            break
    if found is None:
        compact = key.lower().split("-", 1)[-1].replace("-", "").replace("_", "")
        for key_name, official in provinces.search_keys().items():
            if compact and key_name.replace(" ", "") == compact:
                found = official
                break
    if found is None:
        return None, None
    current = provinces.current_of(found)
    return current, (found if found != current else None)


def _site_rows(conn: Connection) -> list[tuple[int, str, str | None]]:
    return [tuple(r) for r in conn.execute(text("SELECT id, key, name FROM sites ORDER BY key"))]


def _site_ids(conn: Connection, f: Filters) -> list[int] | None:
    """The ids of the sites the filters allow, or None for every site."""
    if not f.sites and not f.province:
        return None
    rows = _site_rows(conn)
    ids = {r[0] for r in rows}
    if f.sites:
        known = {r[1]: r[0] for r in rows}
        unknown = [s for s in f.sites if s not in known]
        if unknown:
            raise InputError(f"no site {unknown[0]!r} in the archive")
        ids &= {known[s] for s in f.sites}
    if f.province:
        wanted = provinces.lookup(f.province)
        if wanted is None:
            raise InputError(f"unknown province {f.province!r} (a current or pre-2025 name)")
        ids &= {sid for sid, key, name in rows if wanted in site_province(key, name)}
    return sorted(ids)


# -- the SQL -----------------------------------------------------------------------------------


def sqlite_match(query: Query, f: Filters) -> str:
    """The FTS5 ``MATCH`` of a query on SQLite: its words in the title and body, the
    publication dates of the filters in ``tags`` (:func:`searchindex.date_range_match`)."""
    expr = f"{SQLITE_TEXT_COLUMNS} : ({query.fts5()})"
    if f.published_from or f.published_until:
        expr = f"({expr}) AND {date_range_match(f.published_from, f.published_until)}"
    return expr


def _from_where(conn: Connection, query: Query, f: Filters, *,
                version: bool = True) -> tuple[str, str, dict[str, Any], list]:
    """(FROM clause, WHERE clause, parameters, expanding bind params) of the matching versions.

    The WHERE clause is the full-text match and the other conditions, joined by `` AND ``.
    The FROM clause names the articles ``a``
    and, unless ``version=False`` (counting, on SQLite), the versions ``v``.
    """
    pg = conn.dialect.name == "postgresql"
    params: dict[str, Any] = {}
    expanding: list = []
    if pg:
        # one scan of the index table gives the matches with their dates and documents (the
        # GIN index finds them); the latest version is a join on the articles' index
        # ix_articles_current_version_site (index only)
        if f.all_versions:
            frm = (f"{POSTGRES_TABLE} m JOIN article_versions v ON v.id = m.version_id"
                   " JOIN articles a ON a.id = v.article_id")
        else:
            frm = f"{POSTGRES_TABLE} m JOIN articles a ON a.current_version_id = m.version_id"
            if version:
                frm += " JOIN article_versions v ON v.id = m.version_id"
        where = ["m.document @@ to_tsquery('simple', :q)"]
        params["q"] = query.tsquery()
        vid = "m.version_id"
    else:
        # CROSS JOIN: SQLite reads the index's matches first, always. Left to itself, the
        # planner may start from the articles of a site filter and look each one up in the
        # index, which FTS5 answers by evaluating the whole MATCH again (10x slower)
        if f.all_versions:
            frm = (f"{SQLITE_TABLE} CROSS JOIN article_versions v ON v.id = {SQLITE_TABLE}.rowid"
                   " CROSS JOIN articles a ON a.id = v.article_id")
        else:
            # the latest versions only: the match's rowid is its article's current version
            # (ix_articles_current_version_site: no article row read)
            frm = f"{SQLITE_TABLE} CROSS JOIN articles a ON a.current_version_id = {SQLITE_TABLE}.rowid"
            if version:
                frm += f" CROSS JOIN article_versions v ON v.id = {SQLITE_TABLE}.rowid"
        where = [f"{SQLITE_TABLE} MATCH :q"]
        params["q"] = sqlite_match(query, f)
        vid = f"{SQLITE_TABLE}.rowid"
    site_ids = _site_ids(conn, f)
    if site_ids is not None:
        where.append("a.site_id IN :site_ids")
        params["site_ids"] = site_ids or [-1]
        expanding.append(bindparam("site_ids", expanding=True))
    # SQLite: the dates are in the MATCH. PostgreSQL: before it, so that a row outside
    # the range is dropped without reading its tsvector (equal costs keep this order)
    if pg and f.published_until:
        where.insert(0, "m.published <= :pub_until")
        params["pub_until"] = f.published_until
    if pg and f.published_from:
        where.insert(0, "m.published >= :pub_from")
        params["pub_from"] = f.published_from
    if f.flag_kinds:
        where.append(f"EXISTS (SELECT 1 FROM flags fk WHERE fk.version_id = {vid} AND fk.kind IN :kinds)")
        params["kinds"] = list(f.flag_kinds)
        expanding.append(bindparam("kinds", expanding=True))
    if f.min_vnd is not None:  # amounts are facts of funding flags (docs/schema.md)
        if pg:
            where.append(
                "EXISTS (SELECT 1 FROM flags fa, jsonb_array_elements(fa.facts -> 'amounts') am"
                f" WHERE fa.version_id = {vid} AND fa.kind = 'funding'"
                " AND (am ->> 'vnd')::bigint >= :min_vnd)"
            )
        else:
            where.append(
                "EXISTS (SELECT 1 FROM flags fa, json_each(fa.facts, '$.amounts') am"
                f" WHERE fa.version_id = {vid} AND fa.kind = 'funding'"
                " AND json_extract(am.value, '$.vnd') >= :min_vnd)"
            )
        params["min_vnd"] = int(f.min_vnd)
    return frm, " AND ".join(where), params, expanding


@contextmanager
def time_limit(conn: Connection, timeout_ms: int | None) -> Iterator[None]:
    """Abort the statements run inside after ``timeout_ms`` (:class:`QueryTooExpensive`)."""
    if not timeout_ms:
        yield
        return
    pg = conn.dialect.name == "postgresql"
    raw = None
    if pg:
        conn.execute(text(f"SET LOCAL statement_timeout = {int(timeout_ms)}"))
    else:
        raw = conn.connection.dbapi_connection
        deadline = time.monotonic() + timeout_ms / 1000
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 2000)
    try:
        yield
    except OperationalError as exc:
        message = str(exc.orig).lower()
        if "interrupted" in message or "statement timeout" in message or "canceling statement" in message:
            raise QueryTooExpensive(
                f"the search took longer than {timeout_ms} ms: narrow it down "
                "(more or rarer words, a site, a date range)"
            ) from None
        raise
    finally:
        if raw is not None:
            raw.set_progress_handler(None, 0)
        elif pg:
            # a timed-out statement aborted the transaction: RESET would fail; the
            # setting is LOCAL to the transaction anyway
            pass


@dataclass
class Hit:
    article_id: int
    version_id: int
    version: int
    versions: int
    current: bool
    site: str
    url: str
    title: str | None
    published: date | None
    fetched_at: Any
    score: float
    flags: list[str] = field(default_factory=list)
    title_html: str = ""
    snippet_html: str = ""

    def record(self) -> dict[str, Any]:
        from archive.read.queries import _iso

        return {
            "id": self.article_id, "version": self.version, "version_id": self.version_id,
            "current": self.current, "versions": self.versions, "site": self.site,
            "url": self.url, "title": self.title, "published": _iso(self.published),
            "fetched_at": _iso(self.fetched_at), "score": round(self.score, 4),
            "flags": self.flags, "title_html": self.title_html, "snippet_html": self.snippet_html,
            "snippet": strip_marks(self.snippet_html),
        }


#: Both backends rank at most this many matches of a query: the most recently archived
#: (the highest version ids; deeper pages widen it to ``offset + limit``). Scoring is
#: the costly part of a search — FTS5's bm25 and PostgreSQL's ts_rank read every
#: scored match's positions — and the ranked set of a broad query over a large archive
#: would otherwise grow with the archive. The total and the facets stay exact;
#: :attr:`Hits.ranked_among` says when the cut applied.
RANK_CAP = 5_000
#: PostgreSQL's work_mem for the ranking statement (its transaction: SET LOCAL).
PG_WORK_MEM = "32MB"


class Hits(list):
    """The hits of :func:`search`, best first; ``ranked_among``: the number of matches ranked
    when the query matched more than that (:data:`RANK_CAP`), else None (every match);
    ``matched``: the number of matches when every one was ranked (the total :func:`count`
    would give, known without counting again), else None."""

    ranked_among: int | None = None
    matched: int | None = None


def _neg_date(value: Any) -> float:
    """A sort key putting the newest date first and undated last."""
    d = _as_date(value)
    return -d.toordinal() if d else float("inf")


def _ranked_sqlite(conn: Connection, frm: str, where: str, params: dict[str, Any], expanding: list,
                   *, limit: int, offset: int, window: int) -> tuple[list[tuple[int, float]], int | None]:
    """SQLite: the newest ``window`` matches that pass the filters, scored in the same walk
    of the index (FTS5 reads its matches newest first and stops there; bm25 runs only for
    the rows the filters keep), then sorted here. Only the hits that can make the page —
    the best ``offset + limit`` and whatever ties with the last of them — have their
    publication date read, for the order of ties. Also the number of matches read (at
    most ``window + 1``)."""
    rows = conn.execute(text(
        f"SELECT {SQLITE_TABLE}.rowid, {_BM25} FROM {frm} WHERE {where}"
        f" ORDER BY {SQLITE_TABLE}.rowid DESC LIMIT :window"
    ).bindparams(*expanding), {**params, "window": window + 1}).all()
    seen = len(rows)
    rows = sorted(rows[:window], key=lambda r: r[1])  # bm25: lower is better
    need = offset + limit
    if len(rows) > need:
        worst = rows[need - 1][1]
        rows = [r for r in rows if r[1] <= worst]  # the best `need` and their ties
    if not rows:
        return [], seen
    published = dict(conn.execute(
        text("SELECT id, published FROM article_versions WHERE id IN :ids")
        .bindparams(bindparam("ids", expanding=True)), {"ids": [r[0] for r in rows]}).all())
    rows.sort(key=lambda r: (r[1], _neg_date(published.get(r[0])), -r[0]))
    return [(vid, -score) for vid, score in rows[offset:need]], seen


def _pg_plain_plans(conn: Connection) -> None:
    """PostgreSQL, for this transaction (the ranking, the count, the facets):

    * no JIT compiling: a search is short, and an over-estimated plan can spend longer
      compiling than running (a trial facet plan: 0.64 s for a 30 ms scan);
    * a plan for these words, never a generic one: the driver prepares a statement run
      five times, and PostgreSQL's generic plan for "some tsquery" walks every match (3x
      slower for a broad query) where the words' own plan stops at the ranking window;
    * no sequential scan of the index table, which tests the words on every row's
      tsvector (read from TOAST): the GIN index's bitmap names the matching rows without
      reading their tsvectors (except to recheck a phrase), or the primary key is walked
      newest first. Same-run A/B of the search page's work: p50 237 → 169 ms
      (BENCHMARKS.md)."""
    conn.execute(text("SET LOCAL jit = off"))
    conn.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    conn.execute(text("SET LOCAL enable_seqscan = off"))


def _ranked_postgres(conn: Connection, frm: str, where: str, params: dict[str, Any], expanding: list,
                     *, limit: int, offset: int, window: int) -> tuple[list[tuple[int, float]], int | None]:
    """PostgreSQL: the newest ``window`` matches and their documents (sorted in memory: the
    default work_mem, 4 MB, spills them to disk; no JIT compiling for a short query), then
    ``ts_rank`` over those only. For a broad query the plan walks the index table's primary
    key backwards and stops after ``window`` matches; for a rare one, the GIN index.
    Also the number of matches read (at most ``window + 1``; None for an empty page beyond the first)."""
    conn.execute(text(f"SET LOCAL work_mem = '{PG_WORK_MEM}'"))
    _pg_plain_plans(conn)
    # and no parallel workers: starting them costs more than the walk they would share
    conn.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    rows = conn.execute(text(
        "WITH c AS MATERIALIZED ("
        f" SELECT m.version_id, m.published, m.document FROM {frm} WHERE {where}"
        "  ORDER BY m.version_id DESC LIMIT :window1),"
        " w AS (SELECT * FROM c ORDER BY version_id DESC LIMIT :window)"
        " SELECT w.version_id, ts_rank(w.document, to_tsquery('simple', :q)) AS score,"
        " (SELECT count(*) FROM c) AS seen FROM w"
        " ORDER BY score DESC, w.published DESC NULLS LAST, w.version_id DESC"
        " LIMIT :limit OFFSET :offset"
    ).bindparams(*expanding), {**params, "window": window, "window1": window + 1,
                               "limit": limit, "offset": offset}).all()
    seen = rows[0][2] if rows else (0 if offset == 0 else None)  # an empty first page: none
    return [(vid, float(score or 0.0)) for vid, score, _seen in rows], seen


def ranked(conn: Connection, query: Query, filters: Filters, *, limit: int, offset: int,
           timeout_ms: int | None = None) -> tuple[list[tuple[int, float]], int | None, int | None]:
    """(version id, score) of hits ``offset`` … ``offset + limit``, best first, newest
    published first on ties; the number of matches ranked when the query matched more
    (the :data:`RANK_CAP` most recently archived, at least ``offset + limit``), else None;
    and the number of matches when all were ranked (else None: not counted)."""
    pg = conn.dialect.name == "postgresql"
    frm, where, params, expanding = _from_where(conn, query, filters, version=False)
    window = max(RANK_CAP, offset + limit)
    with time_limit(conn, timeout_ms):
        rank = _ranked_postgres if pg else _ranked_sqlite
        order, seen = rank(conn, frm, where, params, expanding, limit=limit, offset=offset, window=window)
    cut = seen is not None and seen > window
    return order, (window if cut else None), (None if cut else seen)


def search(conn: Connection, q: str | Query, filters: Filters = Filters(), *, limit: int = 20,
           offset: int = 0, timeout_ms: int | None = None, snippets: bool = True) -> list[Hit]:
    """The best ``limit`` hits (from ``offset``) for ``q``, best first."""
    query = q if isinstance(q, Query) else parse_query(q)
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit must be between 1 and {MAX_LIMIT}")
    if offset < 0:
        raise InputError("offset must not be negative")
    order, ranked_among, matched = ranked(conn, query, filters, limit=limit, offset=offset,
                                          timeout_ms=timeout_ms)
    out = Hits()
    out.ranked_among = ranked_among
    out.matched = matched
    if not order:
        return out
    score_of = dict(order)
    details = {r.version_id: r for r in conn.execute(text(
        "SELECT v.id AS version_id, v.article_id, v.number, v.title, v.published, v.fetched_at,"
        " a.current_version_id, a.canonical_url, a.site_id"
        " FROM article_versions v JOIN articles a ON a.id = v.article_id WHERE v.id IN :vids"
    ).bindparams(bindparam("vids", expanding=True)), {"vids": list(score_of)}).all()}
    rows = [details[vid] for vid, _score in order if vid in details]
    from archive.storage.models import UTCDateTime

    fetched = UTCDateTime()
    site_keys = {r[0]: r[1] for r in _site_rows(conn)}
    vids = [r.version_id for r in rows]
    aids = sorted({r.article_id for r in rows})
    counts = dict(conn.execute(
        text("SELECT article_id, count(*) FROM article_versions WHERE article_id IN :ids"
             " GROUP BY article_id").bindparams(bindparam("ids", expanding=True)),
        {"ids": aids},
    ).all())
    flags: dict[int, list[str]] = {}
    for vid, kind in conn.execute(
        text("SELECT version_id, kind FROM flags WHERE version_id IN :ids ORDER BY kind")
        .bindparams(bindparam("ids", expanding=True)), {"ids": vids},
    ):
        flags.setdefault(vid, []).append(kind)
    hits = [
        Hit(
            article_id=r.article_id, version_id=r.version_id, version=r.number,
            versions=counts.get(r.article_id, 1), current=r.current_version_id == r.version_id,
            site=site_keys.get(r.site_id, "?"), url=r.canonical_url, title=r.title,
            published=_as_date(r.published),
            fetched_at=fetched.process_result_value(_as_datetime(r.fetched_at), None),
            score=score_of[r.version_id], flags=flags.get(r.version_id, []),
        )
        for r in rows
    ]
    if snippets:
        _add_snippets(conn, query, hits)
    out.extend(hits)
    return out


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _as_datetime(value: Any):
    from datetime import datetime

    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def count(conn: Connection, q: str | Query, filters: Filters = Filters(), *,
          timeout_ms: int | None = None) -> int:
    query = q if isinstance(q, Query) else parse_query(q)
    frm, where, params, expanding = _from_where(conn, query, filters, version=False)
    sql = text(f"SELECT count(*) FROM {frm} WHERE {where}").bindparams(*expanding)
    if conn.dialect.name == "postgresql":
        _pg_plain_plans(conn)
    with time_limit(conn, timeout_ms):
        return int(conn.execute(sql, params).scalar() or 0)


#: Facets count every match up to this many; beyond, they are estimated from a sample of
#: about FACET_SAMPLE matches (every n-th version id) and say so (``approximate``).
FACET_EXACT_MAX = 10_000
FACET_SAMPLE = 5_000


def facets(conn: Connection, q: str | Query, filters: Filters = Filters(), *,
           timeout_ms: int | None = None, top: int = 20, exact: bool = False,
           total: int | None = None) -> dict[str, Any]:
    """Counts of the matching articles by site, province, year and flag kind (and ``total``).

    ``total``: the number of matches when the caller knows it already (a search that
    ranked every match: :attr:`Hits.matched`), not counted again.

    ``total`` is always exact. With more than :data:`FACET_EXACT_MAX` matches (and not
    ``exact``) the facet counts are estimates from every n-th matching version (by id,
    about :data:`FACET_SAMPLE` of them) scaled to the total, and ``approximate`` says so
    (``{"sample_every": n, "sampled": …}``; ``None`` when the counts are exact).
    """
    query = q if isinstance(q, Query) else parse_query(q)
    pg = conn.dialect.name == "postgresql"
    # PostgreSQL: the date is in the index table; SQLite: read from the versions
    year = "CAST(EXTRACT(YEAR FROM m.published) AS integer)" if pg else \
        "CAST(strftime('%Y', v.published) AS integer)"
    vid = "m.version_id" if pg else "v.id"
    out: dict[str, Any] = {}
    if pg:
        _pg_plain_plans(conn)
    with time_limit(conn, timeout_ms):
        if total is None:
            total = count(conn, query, filters)
        step = 1 if exact or total <= FACET_EXACT_MAX else -(-total // FACET_SAMPLE)
        frm, where, params, expanding = _from_where(conn, query, filters, version=not pg)
        if step > 1:
            where += f" AND {'m.version_id' if pg else SQLITE_TABLE + '.rowid'} % :every = 0"
            params["every"] = step
        # one pass for every facet: each match's site, year and, for each flag kind,
        # whether the version has it (a probe of the flags' unique (version, kind) index)
        has = ", ".join(f"EXISTS (SELECT 1 FROM flags f{i} WHERE f{i}.version_id = {vid}"
                        f" AND f{i}.kind = '{kind}') AS k{i}" for i, kind in enumerate(FLAG_KINDS))
        rows = conn.execute(text(
            f"SELECT a.site_id, {year} AS y, {has}, count(*) AS n FROM {frm} WHERE {where}"
            f" GROUP BY 1, 2, {', '.join(str(i + 3) for i in range(len(FLAG_KINDS)))}"
        ).bindparams(*expanding), params).all()
    # (site, year, n) per row: the same site and year come once per flag combination,
    # summed per site and per year below
    grid = [(row[0], row[1], row[-1]) for row in rows]
    flag_n = dict.fromkeys(FLAG_KINDS, 0)
    for row in rows:
        for kind, flagged in zip(FLAG_KINDS, row[2:-1], strict=True):
            if flagged:
                flag_n[kind] += row[-1]
    by_flag = [(kind, n) for kind, n in sorted(flag_n.items()) if n]
    if step > 1:
        sampled = sum(n for _sid, _y, n in grid)
        scale = total / sampled if sampled else 0.0
        grid = [(sid, y, n * scale) for sid, y, n in grid]
        by_flag = [(kind, round(n * scale)) for kind, n in by_flag]
        out["approximate"] = {"sample_every": step, "sampled": sampled}
    else:
        out["approximate"] = None
    site_counts: dict[int, int] = {}
    year_counts: dict[int, int] = {}
    for sid, y, n in grid:
        site_counts[sid] = site_counts.get(sid, 0) + n
        if y is not None:
            year_counts[int(y)] = year_counts.get(int(y), 0) + n
    by_site = [(sid, round(n)) for sid, n in site_counts.items()]
    by_year = [(y, round(n)) for y, n in sorted(year_counts.items(), reverse=True)]
    out["total"] = total
    sites = {sid: (key, name) for sid, key, name in _site_rows(conn)}
    out["site"] = sorted(
        ({"value": sites[sid][0], "count": n} for sid, n in by_site if sid in sites),
        key=lambda d: (-d["count"], d["value"]),
    )[:top]
    per_province: dict[str, int] = {}
    for sid, n in by_site:
        current, _former = site_province(*sites.get(sid, ("", None)))
        if current:
            per_province[current] = per_province.get(current, 0) + n
    out["province"] = [{"value": k, "count": v} for k, v in
                       sorted(per_province.items(), key=lambda kv: (-kv[1], kv[0]))][:top]
    out["year"] = [{"value": y, "count": n} for y, n in by_year if y is not None][:top]
    out["flag"] = [{"value": k, "count": n} for k, n in by_flag]
    return out


# -- snippets ----------------------------------------------------------------------------------


def strip_marks(html_text: str) -> str:
    """A snippet as plain text (the escaping undone)."""
    from html import unescape

    return unescape(html_text.replace("<mark>", "").replace("</mark>", ""))


def highlight(original: str, matcher: re.Pattern[str], *, window: int | None = None,
              scan: int = SNIPPET_SCAN_CHARS) -> tuple[str, bool]:
    """``original`` (or a window of it around the first match) HTML-escaped, matches in ``<mark>``.

    Returns (html, matched). Matching runs over :func:`fold_aligned` text, so the
    offsets are those of the original characters.
    """
    head = original[:scan]
    folded = fold_aligned(head)
    matches = list(matcher.finditer(folded)) if matcher.pattern else []
    if window is None:
        start, end = 0, len(head)
    elif matches:
        first = matches[0].start()
        start = max(0, first - window // 3)
        if start:
            space = head.rfind(" ", 0, start + 1)
            start = space + 1 if space >= start - 30 and space != -1 else start
        end = min(len(head), start + window)
        if end < len(head):
            space = head.find(" ", end)
            end = space if space != -1 and space - end < 30 else end
    else:
        start, end = 0, min(len(head), window)
        if end < len(head):
            space = head.find(" ", end)
            end = space if space != -1 and space - end < 30 else end
    parts: list[str] = ["…" if start > 0 else ""]
    pos = start
    for m in matches:
        if m.end() <= start or not m.group():
            continue
        if m.start() >= end:
            break
        s, e = max(m.start(), start), min(m.end(), end)
        parts.append(escape(head[pos:s]))
        parts.append("<mark>" + escape(head[s:e]) + "</mark>")
        pos = e
    parts.append(escape(head[pos:end]))
    if end < len(original):
        parts.append("…")
    return "".join(parts).replace("\n", " "), bool(matches)


def _add_snippets(conn: Connection, query: Query, hits: list[Hit]) -> None:
    matcher = query.matcher()
    vids = [h.version_id for h in hits]
    texts = dict(conn.execute(
        text("SELECT id, substr(text, 1, :n) FROM article_versions WHERE id IN :ids")
        .bindparams(bindparam("ids", expanding=True)),
        {"ids": vids, "n": SNIPPET_SCAN_CHARS},
    ).all())
    missing: list[Hit] = []
    for h in hits:
        h.title_html, _ = highlight(h.title or "", matcher)
        h.snippet_html, found = highlight(texts.get(h.version_id) or "", matcher, window=SNIPPET_CHARS)
        if not found:
            missing.append(h)
    if missing:  # the match is in an attachment
        rows = conn.execute(
            text("SELECT version_id, filename, substr(text, 1, :n) FROM attachments"
                 " WHERE version_id IN :ids AND text <> '' ORDER BY id")
            .bindparams(bindparam("ids", expanding=True)),
            {"ids": [h.version_id for h in missing], "n": SNIPPET_SCAN_CHARS},
        ).all()
        for h in missing:
            for vid, filename, att_text in rows:
                if vid != h.version_id:
                    continue
                html_text, found = highlight(att_text, matcher, window=SNIPPET_CHARS)
                if found:
                    h.snippet_html = f"[{escape(filename)}] {html_text}"
                    break


def fold_query(q: str) -> str:
    """The folded form of a query, as searched (for display: "searched for hoi cho")."""
    return fold(q)


__all__ = [
    "Filters", "Hit", "Query", "QueryTooExpensive", "Term", "count", "facets", "highlight",
    "parse_query", "search", "site_province",
]
