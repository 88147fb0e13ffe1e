"""The archive schema: typed SQLAlchemy 2 models.

Snapshots are the raw truth (every response kept, bodies stored once per digest);
articles are logical articles (one per site and article key, whatever URL reached
them); versions are what the extractor read from a snapshot, and a new one exists
only when the normalized content changes. Observations record every time an article
was seen and what it showed, so a page flipping between two renderings is a return
to an earlier version, not a new one.

The schema changes only through Alembic revisions in ``archive/migrations``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import BYTEA, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite stores them naive, as UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: archive times are aware (UTC)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")
Blob = LargeBinary().with_variant(BYTEA(), "postgresql")

intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
timestamp = Annotated[datetime, mapped_column(UTCDateTime)]
created_now = Annotated[datetime, mapped_column(UTCDateTime, default=utcnow)]
url_str = Annotated[str, mapped_column(String(2048))]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSONType}  # noqa: RUF012


class Site(Base):
    """A crawled or imported site. The registry (crawler/sites.toml) is the source of
    truth for how to crawl it; this row anchors what was archived from it."""

    __tablename__ = "sites"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str | None] = mapped_column(String(300))
    base_url: Mapped[str | None] = mapped_column(String(2048))
    profile: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[created_now]
    #: What discovery learned about the site's URL templates (crawler.discovery.Knowledge).
    discovery: Mapped[dict[str, Any] | None]


class Payload(Base):
    """A response body, stored once however many snapshots share it (zlib-compressed)."""

    __tablename__ = "payloads"

    id: Mapped[intpk]
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    compression: Mapped[str] = mapped_column(String(10), default="zlib")
    data: Mapped[bytes] = mapped_column(Blob)


class Snapshot(Base):
    """One HTTP response as it was received: the raw truth everything else derives from."""

    __tablename__ = "snapshots"
    __table_args__ = (Index("ix_snapshots_url_fetched_at", "url", "fetched_at"),)

    id: Mapped[intpk]
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    url: Mapped[url_str]
    fetched_at: Mapped[timestamp]
    status: Mapped[int] = mapped_column(Integer)
    headers: Mapped[list[list[str]]] = mapped_column(JSONType)
    content_type: Mapped[str | None] = mapped_column(String(200))
    payload_id: Mapped[int] = mapped_column(ForeignKey("payloads.id"), index=True)
    payload_digest: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(20))  # crawl | import | warc
    kind: Mapped[str] = mapped_column(String(20), default="page")  # page | attachment
    charset: Mapped[str | None] = mapped_column(String(40))
    charset_source: Mapped[str | None] = mapped_column(String(20))  # header | meta | detected | default
    warc_record_id: Mapped[str | None] = mapped_column(String(200))

    payload: Mapped[Payload] = relationship(lazy="raise")


class Article(Base):
    """A logical article: one per site and article key, whatever URLs reached it."""

    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("site_id", "article_key"),
        # the search joins its matches to their articles by the latest version: this index
        # answers "latest? which site?" without reading the article rows (migration 0009)
        Index("ix_articles_current_version_site", "current_version_id", "site_id"),
    )

    id: Mapped[intpk]
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    article_key: Mapped[str] = mapped_column(String(512))
    canonical_url: Mapped[url_str]
    first_seen: Mapped[timestamp]
    last_seen: Mapped[timestamp]
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("article_versions.id", use_alter=True)
    )
    # Incremental crawling: validators for conditional GET, the revisit schedule,
    # and when the site stopped serving the article (its versions stay archived).
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_checked_at: Mapped[datetime | None]
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    gone_at: Mapped[datetime | None]

    site: Mapped[Site] = relationship(lazy="joined")
    current_version: Mapped[ArticleVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True, lazy="joined"
    )


class ArticleUrl(Base):
    """Every URL an article was reached under (print views, Itemid and slug variants…)."""

    __tablename__ = "article_urls"

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)


class ArticleVersion(Base):
    """What an article said, as extracted from one snapshot. New only when the content hash changes."""

    __tablename__ = "article_versions"
    __table_args__ = (
        UniqueConstraint("article_id", "number"),
        UniqueConstraint("article_id", "content_hash", name="uq_article_versions_article_hash"),
    )

    id: Mapped[intpk]
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    published_at: Mapped[datetime | None]
    published_source: Mapped[str | None] = mapped_column(String(100))
    updated: Mapped[datetime | None]
    updated_source: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    source_line: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[timestamp]
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshots.id"), index=True)
    produced_by: Mapped[str] = mapped_column(String(20))  # crawl | import | reextract
    extractor: Mapped[str] = mapped_column(String(100))  # profile version + extractor version
    created_at: Mapped[created_now]


class Observation(Base):
    """One sighting of an article: which snapshot, which version it showed, what that meant."""

    __tablename__ = "observations"

    id: Mapped[intpk]
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("article_versions.id"))
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshots.id"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    observed_at: Mapped[timestamp]
    # new | changed | unchanged | returned | rejected | not_modified
    outcome: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class Attachment(Base):
    """A document linked from an article version (PDF, DOCX…) and the text read from it."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("version_id", "url"),)

    id: Mapped[intpk]
    version_id: Mapped[int] = mapped_column(ForeignKey("article_versions.id", ondelete="CASCADE"))
    url: Mapped[url_str]
    filename: Mapped[str] = mapped_column(String(500))
    media_type: Mapped[str | None] = mapped_column(String(200))
    # ok | empty | unsupported | too_large | failed
    status: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str | None] = mapped_column(Text)
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshots.id"))


#: The kinds of flag (:mod:`archive.flags`): ``flags.kind`` is one of these.
FLAG_KINDS = ("conference", "funding")


class Flag(Base):
    """A conference or funding flag of a version, computed by :mod:`archive.flags`.

    Derived data: recomputed for the whole archive by ``sct-archive reflag`` whenever
    the rules change (``rules_version`` says which rules produced it).
    """

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("version_id", "kind"),)

    id: Mapped[intpk]
    version_id: Mapped[int] = mapped_column(
        ForeignKey("article_versions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), index=True)  # conference | funding
    subtype: Mapped[str] = mapped_column(String(30))
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list[str]] = mapped_column(JSONType)
    facts: Mapped[dict[str, Any]] = mapped_column(JSONType)
    rules_version: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[created_now]


class CrawlRun(Base):
    """One crawl of one site (or one import batch): when, how it ended, what it found."""

    __tablename__ = "crawl_runs"

    id: Mapped[intpk]
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    started_at: Mapped[timestamp]
    finished_at: Mapped[datetime | None]
    # running | finished | failed | interrupted | timeout
    outcome: Mapped[str] = mapped_column(String(20), default="running")
    trigger: Mapped[str] = mapped_column(String(20), default="manual")
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    new_articles: Mapped[int] = mapped_column(Integer, default=0)
    new_versions: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    not_modified: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    stats: Mapped[dict[str, Any] | None]
    health: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
    #: Every listing was walked to its end (an incremental crawl may stop early
    #: only once a run has done this for the site).
    complete: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    site: Mapped[Site] = relationship(lazy="joined")


class CrawlLease(Base):
    """Who is crawling a site right now: one crawl per site, whoever started it.

    A lease expires unless its holder renews it, so one left by a killed process is
    taken over once ``expires_at`` has passed.
    """

    __tablename__ = "crawl_leases"

    site_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    holder: Mapped[str] = mapped_column(String(255))
    acquired_at: Mapped[timestamp]
    expires_at: Mapped[timestamp]


# -- scheduler: the recrawl queue (written by scheduler/queue.py) ---------------------------


class CrawlRequest(Base):
    """A crawl somebody asked for (``sct-archive recrawl``), waiting for the daemon.

    ``status``: queued → running → done | failed | busy | timeout | interrupted. A
    request whose crawl found the site busy (exit 75) or that a stopping daemon
    interrupted goes back to ``queued`` (``attempts`` counts its starts).
    """

    __tablename__ = "crawl_requests"

    id: Mapped[intpk]
    site_key: Mapped[str] = mapped_column(String(200), index=True)
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    urls: Mapped[list[str]] = mapped_column(JSONType, default=list)
    requested_at: Mapped[created_now]
    requested_by: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(255))  # host:pid of the daemon
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"))
    exit_code: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)


# -- end of the scheduler section ---------------------------------------------------------
