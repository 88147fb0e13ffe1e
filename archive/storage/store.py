"""Every write to the archive goes through :class:`Archive`.

One transaction per article: a snapshot, its article, version and observation are
committed together or not at all, so an interrupted crawl never leaves half an
article behind. ``import`` and ``reextract`` commit several articles at a time
(:meth:`Archive.grouped`): each is then a savepoint, still whole or absent. The versioning rule lives here and nowhere else:

* a response that is not a 200, or whose extraction has no real text (fewer than
  ``min_text_chars`` characters), is kept as a snapshot but never becomes a version;
* a new version is created only when the content hash (normalized title, published
  date and text — see :func:`archive.vietnamese.textnorm.content_hash`) was never seen for that
  article; a hash seen before is recorded as a *return* to that version.
"""

from __future__ import annotations

import logging
import os
import socket
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from archive.flags import RULES_VERSION, flag_version
from archive.storage import searchindex
from archive.storage.db import open_engine, transaction
from archive.storage.derived import Body, Derived, flag_columns, stored_body, version_flags
from archive.storage.derived import with_attachment_text as _with_attachment_text
from archive.storage.models import (
    Article,
    ArticleUrl,
    ArticleVersion,
    Attachment,
    CrawlRun,
    Flag,
    Observation,
    Payload,
    Site,
    Snapshot,
    utcnow,
)
from archive.storage.records import Extracted, Fetch
from archive.vietnamese.textnorm import content_hash

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 200

OutcomeStatus = Literal["new", "changed", "unchanged", "returned", "rejected", "not_modified"]


@dataclass(frozen=True, slots=True)
class KnownArticle:
    """What the crawler needs to know of an archived article to plan a crawl."""

    article_id: int
    url: str
    etag: str | None
    last_modified: str | None
    next_check_at: datetime | None
    published: date | None
    first_seen: datetime
    content_hash: str | None
    gone: bool
    #: The URL its current version was fetched from (what the site linked): the one to ask again.
    fetch_url: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What recording one page did to the archive."""

    status: OutcomeStatus
    article_id: int | None = None
    version_id: int | None = None
    snapshot_id: int | None = None
    reason: str | None = None

    @property
    def stored_version(self) -> bool:
        return self.status in ("new", "changed")


def _insert(session: Session):
    """The dialect's INSERT, which knows ON CONFLICT DO NOTHING."""
    name = session.get_bind().dialect.name
    return postgresql.insert if name == "postgresql" else sqlite.insert


# The per-article write path uses Core statements on the tables (on the session's own
# connection, so in the same transaction): the ORM's unit of work (identity map,
# flush ordering, attribute events) cost about a third of Archive.record_page, for rows
# that are written once and never read back in the same transaction.
_PAYLOADS = Payload.__table__
_SNAPSHOTS = Snapshot.__table__
_ARTICLES = Article.__table__
_ARTICLE_URLS = ArticleUrl.__table__
_VERSIONS = ArticleVersion.__table__
_OBSERVATIONS = Observation.__table__
_ATTACHMENTS = Attachment.__table__
_FLAGS = Flag.__table__
# Statements built once (their compiled form is cached by SQLAlchemy); the values are
# passed as parameters on each execution.
_INSERT_SNAPSHOT = insert(_SNAPSHOTS)
_INSERT_ARTICLE = insert(_ARTICLES)
_INSERT_VERSION = insert(_VERSIONS)
_INSERT_OBSERVATION = insert(_OBSERVATIONS)
_INSERT_ATTACHMENT = insert(_ATTACHMENTS)
_INSERT_FLAG = insert(_FLAGS)
_UPDATE_ARTICLE = update(_ARTICLES).where(_ARTICLES.c.id == bindparam("b_article_id"))
_SELECT_PAYLOAD = select(_PAYLOADS.c.id).where(_PAYLOADS.c.sha256 == bindparam("b_sha256"))
_ARTICLE_COLUMNS = (_ARTICLES.c.id, _ARTICLES.c.current_version_id, _ARTICLES.c.first_seen,
                    _ARTICLES.c.last_seen, _ARTICLES.c.last_checked_at)
_SELECT_ARTICLE = select(*_ARTICLE_COLUMNS).where(
    _ARTICLES.c.site_id == bindparam("b_site_id"),
    _ARTICLES.c.article_key == bindparam("b_article_key"))
_SELECT_ARTICLE_BY_ID = select(*_ARTICLE_COLUMNS).where(_ARTICLES.c.id == bindparam("b_article_id"))
_SELECT_VERSION_BY_HASH = select(_VERSIONS.c.id).where(
    _VERSIONS.c.article_id == bindparam("b_article_id"),
    _VERSIONS.c.content_hash == bindparam("b_content_hash"),
)
_dialect_inserts: dict[str, tuple[Any, Any]] = {}


def _upserts(conn: Connection) -> tuple[Any, Any]:
    """(payload insert returning its id, article URL insert), ON CONFLICT DO NOTHING, for this dialect."""
    name = conn.dialect.name
    if name not in _dialect_inserts:
        ins = postgresql.insert if name == "postgresql" else sqlite.insert
        _dialect_inserts[name] = (
            ins(_PAYLOADS).on_conflict_do_nothing(index_elements=[_PAYLOADS.c.sha256])
            .returning(_PAYLOADS.c.id),
            ins(_ARTICLE_URLS).on_conflict_do_nothing(index_elements=[_ARTICLE_URLS.c.url]),
        )
    return _dialect_inserts[name]


class Archive:
    """The archive database: open it once per process, use it from one thread."""

    def __init__(self, engine: Engine, *, min_text_chars: int = MIN_TEXT_CHARS) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.min_text_chars = min_text_chars
        self._site_ids: dict[str, int] = {}
        self._grouped = False

    @classmethod
    def open(cls, url: str | None = None, *, create: bool = True, **kwargs: Any) -> Archive:
        """The archive at ``url``; ``create=False`` (reads) refuses to make a new one."""
        return cls(open_engine(url, create=create), **kwargs)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def grouped(self) -> Iterator[Callable[[], None]]:
        """Several articles per commit, each still whole or absent: ``with archive.grouped()
        as commit: … commit() …``.

        Inside, every write (and read) of this archive runs on one connection, and each
        unit that is a transaction of its own outside (an article, a snapshot, a site,
        a run) becomes a savepoint of the group's transaction: a unit that fails is
        rolled back alone, the others stay. ``commit()`` commits the units so far; so
        does leaving the block, also on an error or an interrupt (every unit in the
        group is whole by then). A process killed meanwhile loses only the units since
        the last commit, whole. Other connections see them at the commit.
        """
        if self._grouped:
            yield lambda: None
            return
        sessions = self.sessions
        with self.engine.connect() as conn:

            def begin() -> None:
                conn.begin()
                if conn.dialect.name == "sqlite":
                    # pysqlite opens the transaction only before DML: a SAVEPOINT before it
                    # would be the outermost and its RELEASE a commit
                    conn.exec_driver_sql("BEGIN")

            def commit() -> None:
                conn.commit()
                begin()

            begin()
            self.sessions = sessionmaker(bind=conn, expire_on_commit=False,
                                         join_transaction_mode="create_savepoint")
            self._grouped = True
            try:
                yield commit
            except BaseException:
                try:
                    conn.commit()
                except Exception:
                    log.exception("could not commit the articles written before the error")
                    conn.rollback()
                raise
            else:
                conn.commit()
            finally:
                self.sessions = sessions
                self._grouped = False

    # -- sites ---------------------------------------------------------------------

    def site_id(
        self,
        key: str,
        *,
        name: str | None = None,
        base_url: str | None = None,
        profile: str | None = None,
    ) -> int:
        """The id of the site row for ``key``, created (or its details refreshed) on first use."""
        if key in self._site_ids:
            return self._site_ids[key]
        with transaction(self.sessions) as s:
            values = {"key": key, "name": name, "base_url": base_url, "profile": profile}
            s.execute(
                _insert(s)(Site)
                .values(created_at=utcnow(), **values)
                .on_conflict_do_nothing(index_elements=[Site.key])
            )
            site = s.scalars(select(Site).where(Site.key == key)).one()
            for attr, value in values.items():
                if value is not None and getattr(site, attr) != value:
                    setattr(site, attr, value)
            self._site_ids[key] = site.id
        return self._site_ids[key]

    def site_discovery(self, key: str) -> dict[str, Any] | None:
        """What discovery learned about the site (None: nothing yet)."""
        with self.sessions() as s:
            return s.scalar(select(Site.discovery).where(Site.key == key))

    def save_site_discovery(self, key: str, data: dict[str, Any]) -> None:
        self.site_id(key)
        with transaction(self.sessions) as s:
            s.execute(update(Site).where(Site.key == key).values(discovery=data))

    # -- snapshots -----------------------------------------------------------------

    def _store_snapshot(
        self, s: Session, site_id: int | None, fetch: Fetch, run_id: int | None,
        body: Body | None = None,
    ) -> int:
        """Store ``fetch`` (its body once per digest): the new snapshot's id.

        ``body`` is :func:`~archive.storage.derived.stored_body` of ``fetch.body``, when
        it was computed ahead."""
        conn = s.connection()
        if body is None:
            body = stored_body(fetch.body)
        sha = body.sha256
        # RETURNING gives the id of a new payload; a body stored before is looked up
        payload_id = conn.execute(
            _upserts(conn)[0],
            {"sha256": sha, "size": body.size, "compression": body.compression, "data": body.data},
        ).scalar()
        if payload_id is None:
            payload_id = conn.execute(_SELECT_PAYLOAD, {"b_sha256": sha}).scalar()
        result = conn.execute(
            _INSERT_SNAPSHOT,
            dict(
                site_id=site_id,
                run_id=run_id,
                url=fetch.url,
                fetched_at=fetch.fetched_at,
                status=fetch.status,
                headers=[list(h) for h in fetch.headers],
                content_type=fetch.content_type,
                payload_id=payload_id,
                payload_digest=sha,
                source=fetch.source,
                kind=fetch.kind,
                charset=fetch.charset,
                charset_source=fetch.charset_source,
                warc_record_id=fetch.warc_record_id,
            ),
        )
        return result.inserted_primary_key[0]

    def record_snapshot(self, site_key: str, fetch: Fetch, *, run_id: int | None = None) -> int:
        """Keep a response that is not an article (a listing page, a feed): the raw truth."""
        site_id = self.site_id(site_key)
        with transaction(self.sessions) as s:
            return self._store_snapshot(s, site_id, fetch, run_id)

    def body(self, snapshot_id: int) -> bytes:
        with self.sessions() as s:
            data, compression = s.execute(
                select(Payload.data, Payload.compression)
                .join(Snapshot, Snapshot.payload_id == Payload.id)
                .where(Snapshot.id == snapshot_id)
            ).one()
        return _decompressed(data, compression)

    def fetches(self, snapshot_ids: Iterable[int], *, source: str = "crawl") -> dict[int, Fetch]:
        """The stored responses of these snapshots, by id, in one query (bodies decompressed)."""
        snaps, payloads = Snapshot.__table__.c, Payload.__table__.c
        query = (select(snaps.id, snaps.url, snaps.fetched_at, snaps.status, snaps.headers,
                        payloads.data, payloads.compression)
                 .join(Payload.__table__, payloads.id == snaps.payload_id)
                 .where(snaps.id.in_(list(snapshot_ids))))
        with self.sessions() as s:
            return {sid: Fetch(url, fetched_at, status, _decompressed(data, compression),
                               tuple(tuple(h) for h in headers), source=source)
                    for sid, url, fetched_at, status, headers, data, compression in s.execute(query)}

    # -- articles ------------------------------------------------------------------

    def rejection(self, fetch: Fetch, extracted: Extracted | None) -> str | None:
        """Why this response must not become a version, or None when it may."""
        if fetch.status != 200:
            return f"HTTP {fetch.status}"
        if extracted is None:
            return "no article content"
        chars = len(extracted.text.strip())
        if chars < self.min_text_chars:
            # an announcement whose content is its attached file: a titled, dated page
            # counts the text read from its attachments
            attached = sum(len((a.text or "").strip()) for a in extracted.attachments if a.status == "ok")
            if not (extracted.title and extracted.published and chars + attached >= self.min_text_chars):
                return f"text too short ({chars} < {self.min_text_chars} characters)"
        return None

    def record_page(
        self,
        site_key: str,
        fetch: Fetch,
        extracted: Extracted | None,
        *,
        produced_by: Literal["crawl", "import", "reextract"] = "crawl",
        run_id: int | None = None,
        snapshot_id: int | None = None,
        next_check_at: datetime | None = None,
        article_key: str | None = None,
        article_id: int | None = None,
        derived: Derived | None = None,
    ) -> Outcome:
        """Archive one fetched article page in one transaction.

        ``snapshot_id`` re-uses a stored snapshot instead of storing ``fetch`` again
        (re-extraction from the archive, a capture imported again). ``article_id``
        files it under that article whatever key the extraction finds (re-extraction:
        a snapshot belongs to the article it was archived for). ``next_check_at`` is
        when the crawler wants to revisit the article (None: not again); the
        response's ETag/Last-Modified are kept for the next conditional GET. An
        imported capture older than the article's last check changes none of that.
        ``derived`` holds values computed ahead from this very page and its fields
        (:func:`archive.storage.derived.derive`, in an extraction worker): they are used
        instead of computing them here, with the same result.
        """
        derived = derived or Derived()
        site_id = self.site_id(site_key)
        with transaction(self.sessions) as s:
            conn = s.connection()
            if snapshot_id is None:
                if extracted is not None and fetch.charset is None:
                    fetch = replace(
                        fetch, charset=extracted.charset, charset_source=extracted.charset_source
                    )
                snapshot_id = self._store_snapshot(s, site_id, fetch, run_id, derived.body)
            article = None
            lookup = extracted.article_key if extracted is not None else article_key
            if article_id is not None:
                article = conn.execute(_SELECT_ARTICLE_BY_ID, {"b_article_id": article_id}).one_or_none()
            elif lookup is not None:  # (a 404 has no extraction: the crawler names the article)
                article = conn.execute(
                    _SELECT_ARTICLE, {"b_site_id": site_id, "b_article_key": lookup}
                ).one_or_none()
            reason = self.rejection(fetch, extracted)
            if reason is not None:
                if article is not None and fetch.status in (404, 410):
                    conn.execute(
                        _UPDATE_ARTICLE,
                        {"b_article_id": article.id, "gone_at": fetch.fetched_at,
                         "next_check_at": None, "last_checked_at": fetch.fetched_at},
                    )
                if article is not None:
                    conn.execute(
                        _INSERT_OBSERVATION,
                        dict(
                            article_id=article.id,
                            version_id=None,
                            snapshot_id=snapshot_id,
                            run_id=run_id,
                            observed_at=fetch.fetched_at,
                            outcome="rejected",
                            note=reason,
                        ),
                    )
                return Outcome(
                    "rejected",
                    article.id if article else None,
                    None,
                    snapshot_id,
                    reason,
                )
            assert extracted is not None
            outcome, changes = self._record_version(
                s, site_id, article, fetch, extracted, produced_by, run_id, snapshot_id, derived
            )
            older = (article is not None and article.last_checked_at is not None
                     and fetch.fetched_at < article.last_checked_at)
            if produced_by == "crawl" or (produced_by == "import" and not older):
                changes.update(
                    etag=fetch.header("etag"),
                    last_modified=fetch.header("last-modified"),
                    last_checked_at=fetch.fetched_at,
                    gone_at=None,
                )
                if produced_by == "crawl" or article is None:
                    changes["next_check_at"] = next_check_at
            if changes:
                conn.execute(_UPDATE_ARTICLE, {"b_article_id": outcome.article_id, **changes})
            return outcome

    def _record_version(
        self,
        s: Session,
        site_id: int,
        article: Any,
        fetch: Fetch,
        ex: Extracted,
        produced_by: str,
        run_id: int | None,
        snapshot_id: int,
        derived: Derived,
    ) -> tuple[Outcome, dict[str, Any]]:
        """Record ``ex`` under its article: the outcome and the article columns to update."""
        conn = s.connection()
        when = fetch.fetched_at
        digest = derived.content_hash or content_hash(ex.title, ex.published, ex.text)
        version_id: int | None
        if article is None:
            article_id = conn.execute(
                _INSERT_ARTICLE,
                dict(
                    site_id=site_id,
                    article_key=ex.article_key,
                    canonical_url=ex.canonical_url,
                    first_seen=when,
                    last_seen=when,
                ),
            ).inserted_primary_key[0]
            current_version_id, first_seen, last_seen = None, when, when
            status: OutcomeStatus = "new"
            version_id = None
        else:
            article_id, current_version_id = article.id, article.current_version_id
            first_seen, last_seen = article.first_seen, article.last_seen
            version_id = self._version_for(conn, article_id, digest, ex)
            if isinstance(version_id, str):  # same text, other attachments: a new version
                digest, version_id = version_id, None
            if version_id is None:
                status = "changed"
            elif version_id == current_version_id:
                status = "unchanged"
            else:
                status = "returned"
        self._remember_urls(s, article_id, {fetch.url, ex.url, ex.canonical_url})
        latest = when >= last_seen
        if version_id is None:
            # a new article has no versions yet: no need to ask the database
            number = 1 if status == "new" else (
                conn.scalar(
                    select(func.max(_VERSIONS.c.number)).where(_VERSIONS.c.article_id == article_id)
                )
                or 0
            ) + 1
            version_id = conn.execute(
                _INSERT_VERSION,
                dict(
                    article_id=article_id,
                    number=number,
                    content_hash=digest,
                    title=ex.title,
                    published=ex.published,
                    published_at=ex.published_at,
                    published_source=ex.published_source,
                    updated=ex.updated,
                    updated_source=ex.updated_source,
                    text=ex.text,
                    language=ex.language,
                    source_line=ex.source_line,
                    fetched_at=when,
                    snapshot_id=snapshot_id,
                    produced_by=produced_by,
                    extractor=ex.extractor,
                ),
            ).inserted_primary_key[0]
            flags = derived.flags if derived.rules_version == RULES_VERSION else None
            self.after_new_version(s, version_id, ex, site_id=site_id, flags=flags,
                                   folded=derived.folded if flags is not None else None)
        changes: dict[str, Any] = {}
        if (latest or current_version_id is None) and current_version_id != version_id:
            changes["current_version_id"] = version_id
        if when < first_seen:
            changes["first_seen"] = when
        if when > last_seen:
            changes["last_seen"] = when
        conn.execute(
            _INSERT_OBSERVATION,
            dict(
                article_id=article_id,
                version_id=version_id,
                snapshot_id=snapshot_id,
                run_id=run_id,
                observed_at=when,
                outcome=status,
                note=None,
            ),
        )
        return Outcome(status, article_id, version_id, snapshot_id), changes

    def after_new_version(self, s: Session, version_id: int, ex: Extracted, *, site_id: int,
                          flags: Iterable[dict[str, Any]] | None = None,
                          folded: tuple[str, str] | None = None) -> None:
        """Derived data for a new version (flags, attachments, its full-text index row),
        written in the same transaction. ``flags``: :func:`~archive.storage.derived.version_flags`
        of ``ex`` computed ahead; ``folded``: its index text, likewise."""
        conn = s.connection()
        now = utcnow()
        rows = [{"version_id": version_id, **columns, "rules_version": RULES_VERSION, "created_at": now}
                for columns in (version_flags(ex) if flags is None else flags)]
        if rows:
            conn.execute(_INSERT_FLAG, rows)
        for att in ex.attachments:
            snapshot_id = None
            if att.fetch is not None:
                snapshot_id = self._store_snapshot(s, site_id, att.fetch, None)
            conn.execute(
                _INSERT_ATTACHMENT,
                dict(
                    version_id=version_id,
                    url=att.url,
                    filename=att.filename,
                    media_type=att.media_type,
                    status=att.status,
                    text=att.text,
                    note=att.note,
                    snapshot_id=snapshot_id,
                ),
            )
        searchindex.index_version(conn, version_id, ex.title, ex.text,
                                  [att.text for att in ex.attachments], published=ex.published,
                                  folded_text=folded)

    def _version_for(self, conn: Connection, article_id: int, digest: str, ex: Extracted) -> int | str | None:
        """The version of ``article_id`` that ``ex`` is: by its content hash, and — when its
        attachments were read — by them too (an attachment added, removed or changed makes
        a new version). A str is the hash of a new version (text + attachments)."""
        def by_hash(h: str) -> int | None:
            return conn.execute(
                _SELECT_VERSION_BY_HASH, {"b_article_id": article_id, "b_content_hash": h}
            ).scalar()

        if not ex.attachments or any(a.status == "failed" for a in ex.attachments):
            return by_hash(digest)
        state = _attachment_state(ex.attachments)
        combined = _digest(digest + "\n" + "\n".join("\t".join(x) for x in sorted(state)))
        found = by_hash(combined)
        if found is not None:
            return found
        found = by_hash(digest)
        if found is None or self._attachment_state(conn, found) == state:
            return found
        return combined

    @staticmethod
    def _attachment_state(conn: Connection, version_id: int) -> frozenset[tuple[str, str, str]]:
        rows = conn.execute(
            select(_ATTACHMENTS.c.url, _ATTACHMENTS.c.status, _ATTACHMENTS.c.text)
            .where(_ATTACHMENTS.c.version_id == version_id)
        ).all()
        return frozenset((url, status, _digest(text)) for url, status, text in rows)

    def _remember_urls(self, s: Session, article_id: int, urls: Iterable[str]) -> None:
        rows = [{"url": u, "article_id": article_id} for u in sorted(set(urls)) if u]
        if rows:
            conn = s.connection()
            conn.execute(_upserts(conn)[1], rows)

    def record_not_modified(
        self,
        site_key: str,
        article_key: str,
        when: datetime,
        *,
        run_id: int | None = None,
        next_check_at: datetime | None = None,
    ) -> Outcome:
        """A conditional revisit answered 304: nothing new is stored, the article was seen."""
        site_id = self.site_id(site_key)
        with transaction(self.sessions) as s:
            article = s.scalars(
                select(Article).where(
                    Article.site_id == site_id, Article.article_key == article_key
                )
            ).one_or_none()
            if article is None:
                return Outcome("rejected", reason="304 for an article not in the archive")
            article.last_seen = max(article.last_seen, when)
            article.last_checked_at = when
            article.next_check_at = next_check_at
            s.add(
                Observation(
                    article_id=article.id,
                    version_id=article.current_version_id,
                    run_id=run_id,
                    observed_at=when,
                    outcome="not_modified",
                )
            )
            return Outcome("not_modified", article.id, article.current_version_id)

    # -- crawl planning ---------------------------------------------------------------

    def known_articles(self, site_key: str) -> dict[str, KnownArticle]:
        """Every archived article of a site by article key, for incremental crawling."""
        site_id = self.site_id(site_key)
        with self.sessions() as s:
            rows = s.execute(
                select(
                    Article.article_key, Article.id, Article.canonical_url, Article.etag,
                    Article.last_modified, Article.next_check_at, ArticleVersion.published,
                    Article.first_seen, ArticleVersion.content_hash, Article.gone_at,
                    Snapshot.url,
                )
                .outerjoin(ArticleVersion, ArticleVersion.id == Article.current_version_id)
                .outerjoin(Snapshot, Snapshot.id == ArticleVersion.snapshot_id)
                .where(Article.site_id == site_id)
            ).all()
        return {
            key: KnownArticle(aid, url, etag, lm, nxt, pub, first, digest, gone is not None, fetched)
            for key, aid, url, etag, lm, nxt, pub, first, digest, gone, fetched in rows
        }

    def has_complete_run(self, site_key: str) -> bool:
        """Has any run walked every listing of this site to its end?"""
        site_id = self.site_id(site_key)
        with self.sessions() as s:
            return bool(
                s.scalar(
                    select(func.count())
                    .select_from(CrawlRun)
                    .where(CrawlRun.site_id == site_id, CrawlRun.complete.is_(True))
                )
            )

    def close_stale_runs(self, site_key: str, *, alive=None) -> int:
        """Mark runs left "running" by a dead process of this host as interrupted."""
        from archive.storage.leases import process_is_dead_here

        site_id = self.site_id(site_key)
        closed = 0
        with transaction(self.sessions) as s:
            runs = s.scalars(
                select(CrawlRun).where(CrawlRun.site_id == site_id, CrawlRun.outcome == "running")
            ).all()
            for run in runs:
                if run.pid and process_is_dead_here(run.host, run.pid, alive=alive):
                    run.outcome = "interrupted"
                    run.finished_at = utcnow()
                    run.error = (run.error or "") + "process ended without closing the run (killed?)"
                    closed += 1
        return closed

    # -- derived data ---------------------------------------------------------------

    def flags_for(self, version_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
        """Flags of these versions, as export objects (kind, subtype, score, evidence, facts…)."""
        ids = list(version_ids)
        out: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        with self.sessions() as s:
            for start in range(0, len(ids), 500):
                rows = s.scalars(
                    select(Flag).where(Flag.version_id.in_(ids[start : start + 500])).order_by(Flag.kind)
                ).all()
                for f in rows:
                    out[f.version_id].append(flag_object(f))
        return out

    def reflag(
        self,
        *,
        sites: Iterable[str] = (),
        since: datetime | None = None,
        chunk: int = 500,
        progress=None,
    ) -> dict[str, int]:
        """Recompute the flags of every version (of ``sites``, fetched since ``since``).

        Flags are derived data: each chunk of versions is re-flagged in one
        transaction (old rows deleted, new rows inserted), so an interrupted reflag
        leaves every version with either its old or its new flags. ``progress(done,
        total)`` is called after each chunk. Returns counts: versions, conference,
        funding, changed (versions whose set of flag kinds/subtypes changed).
        """
        from sqlalchemy import delete

        stmt = select(ArticleVersion.id)
        sites = list(sites)
        if sites:
            stmt = stmt.join(Article, Article.id == ArticleVersion.article_id).join(
                Site, Site.id == Article.site_id
            ).where(Site.key.in_(sites))
        if since is not None:
            stmt = stmt.where(ArticleVersion.fetched_at >= since)
        with self.sessions() as s:
            ids = list(s.scalars(stmt.order_by(ArticleVersion.id)))
        counts = {"versions": 0, "conference": 0, "funding": 0, "changed": 0}
        for start in range(0, len(ids), chunk):
            batch = ids[start : start + chunk]
            with transaction(self.sessions) as s:
                before: dict[int, set[tuple[str, str]]] = {i: set() for i in batch}
                for vid, kind, subtype in s.execute(
                    select(Flag.version_id, Flag.kind, Flag.subtype).where(Flag.version_id.in_(batch))
                ):
                    before[vid].add((kind, subtype))
                s.execute(delete(Flag).where(Flag.version_id.in_(batch)))
                rows = s.execute(
                    select(ArticleVersion.id, ArticleVersion.title, ArticleVersion.text,
                           ArticleVersion.published).where(ArticleVersion.id.in_(batch))
                ).all()
                attached: dict[int, list[Any]] = {}
                for att in s.scalars(select(Attachment).where(Attachment.version_id.in_(batch))):
                    attached.setdefault(att.version_id, []).append(att)
                for vid, title, text, published in rows:
                    flags = flag_version(title, _with_attachment_text(text, attached.get(vid, ())), published)
                    for flag in flags:
                        s.add(_flag_row(vid, flag))
                        counts[flag.kind] += 1
                    if {(f.kind, f.subtype) for f in flags} != before[vid]:
                        counts["changed"] += 1
                counts["versions"] += len(rows)
            if progress is not None:
                progress(min(start + chunk, len(ids)), len(ids))
        return counts

    # -- runs ----------------------------------------------------------------------

    def start_run(self, site_key: str, *, trigger: str = "manual", full: bool = False) -> int:
        site_id = self.site_id(site_key)
        with transaction(self.sessions) as s:
            run = CrawlRun(
                site_id=site_id,
                started_at=utcnow(),
                trigger=trigger,
                full=full,
                pid=os.getpid(),
                host=socket.gethostname(),
            )
            s.add(run)
            s.flush()
            return run.id

    def finish_run(self, run_id: int, outcome: str, **values: Any) -> None:
        """Close a run: its outcome, counts, Scrapy stats and health."""
        with transaction(self.sessions) as s:
            s.execute(
                update(CrawlRun)
                .where(CrawlRun.id == run_id)
                .values(outcome=outcome, finished_at=utcnow(), **values)
            )


def _digest(text: str | None) -> str:
    import hashlib

    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def _attachment_state(attachments: Iterable[Any]) -> frozenset[tuple[str, str, str]]:
    return frozenset((a.url, a.status, _digest(a.text)) for a in attachments)


def _decompressed(data: bytes, compression: str) -> bytes:
    return zlib.decompress(data) if compression == "zlib" else data


def _flag_values(version_id: int, flag: Any, rules_version: str = RULES_VERSION) -> dict[str, Any]:
    """A :class:`archive.flags.Flag` as column values: the facts are what to_dict adds to the basics."""
    return {"version_id": version_id, **flag_columns(flag),
            "rules_version": rules_version, "created_at": utcnow()}


def _flag_row(version_id: int, flag: Any, rules_version: str = RULES_VERSION) -> Flag:
    """A :class:`archive.flags.Flag` as a row (ORM object)."""
    return Flag(**_flag_values(version_id, flag, rules_version))


def flag_object(row: Flag) -> dict[str, Any]:
    """A stored flag as exports show it: kind, subtype, score, evidence, then the facts."""
    return {
        "kind": row.kind, "subtype": row.subtype, "score": round(row.score, 3),
        "evidence": list(row.evidence), **row.facts, "rules_version": row.rules_version,
    }
