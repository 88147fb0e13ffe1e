"""The recrawl queue: crawl requests in the archive database (table ``crawl_requests``).

``sct-archive recrawl`` adds requests; daemons claim them. A claim is one UPDATE of
the oldest queued request (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; on SQLite the
statement takes the database's write lock), so two daemons never get the same one.
A request is not claimed while its site's lease is held by a live crawl: it waits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, exists, select, update
from sqlalchemy.orm import aliased

from archive.storage.leases import holder_is_dead_here
from archive.storage.models import CrawlLease, CrawlRequest

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
BUSY = "busy"
TIMEOUT = "timeout"
INTERRUPTED = "interrupted"
STATUSES = (QUEUED, RUNNING, DONE, FAILED, BUSY, TIMEOUT, INTERRUPTED)
OPEN = (QUEUED, RUNNING)


@dataclass(frozen=True)
class Request:
    id: int
    site_key: str
    full: bool
    urls: tuple[str, ...]
    status: str
    attempts: int
    requested_at: datetime
    requested_by: str | None
    claimed_by: str | None
    started_at: datetime | None
    finished_at: datetime | None
    run_id: int | None
    exit_code: int | None
    note: str | None

    @classmethod
    def from_row(cls, row: Any) -> Request:
        values = {name: getattr(row, name) for name in cls.__dataclass_fields__}
        values["urls"] = tuple(values["urls"] or ())
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in self.__dataclass_fields__}
        out["urls"] = list(self.urls)
        for name in ("requested_at", "started_at", "finished_at"):
            out[name] = out[name].isoformat() if out[name] else None
        return out


_COLUMNS = [getattr(CrawlRequest, name) for name in Request.__dataclass_fields__]


def _now() -> datetime:
    return datetime.now(UTC)


def enqueue(engine: Engine, site_key: str, *, full: bool = False, urls: Iterable[str] = (),
            requested_by: str | None = None, claimed_by: str | None = None) -> int:
    """Queue a crawl of ``site_key``; its request id (:func:`submit` merges identical ones).

    With ``claimed_by`` the request is created already running (a foreground recrawl).
    """
    return submit(engine, site_key, full=full, urls=urls, requested_by=requested_by,
                  claimed_by=claimed_by, merge=False)[0]


def pending_like(engine: Engine, site_key: str, *, full: bool = False,
                 urls: Iterable[str] = ()) -> int | None:
    """The id of a queued (not yet claimed) request identical to this one, else None."""
    want = sorted(dict.fromkeys(urls))
    with engine.connect() as conn:
        rows = conn.execute(
            select(CrawlRequest.id, CrawlRequest.urls)
            .where(CrawlRequest.site_key == site_key, CrawlRequest.status == QUEUED,
                   CrawlRequest.full.is_(bool(full)))
            .order_by(CrawlRequest.id)
        ).all()
    return next((rid for rid, got in rows if sorted(got or ()) == want), None)


def submit(engine: Engine, site_key: str, *, full: bool = False, urls: Iterable[str] = (),
           requested_by: str | None = None, claimed_by: str | None = None,
           merge: bool = True) -> tuple[int, bool]:
    """(request id, merged): a queued request identical to this one absorbs it (``merge``)."""
    urls = list(dict.fromkeys(urls))
    if merge and not claimed_by:
        same = pending_like(engine, site_key, full=full, urls=urls)
        if same is not None:
            return same, True
    values: dict[str, Any] = {
        "site_key": site_key, "full": full, "urls": list(urls), "requested_at": _now(),
        "requested_by": requested_by, "status": QUEUED, "attempts": 0,
    }
    if claimed_by:
        values.update(status=RUNNING, claimed_by=claimed_by, started_at=_now(), attempts=1)
    with engine.begin() as conn:
        return conn.execute(
            CrawlRequest.__table__.insert().values(values).returning(CrawlRequest.id)
        ).scalar_one(), False


def claim_next(engine: Engine, claimer: str, *, exclude: Iterable[str] = ()) -> Request | None:
    """Take the oldest queued request whose site is free and not in ``exclude``; None if none."""
    now = _now()
    req = aliased(CrawlRequest)
    leased = exists().where(CrawlLease.site_key == req.site_key, CrawlLease.expires_at > now)
    oldest = select(req.id).where(req.status == QUEUED, ~leased)
    excluded = sorted(set(exclude))
    if excluded:
        oldest = oldest.where(req.site_key.not_in(excluded))
    oldest = oldest.order_by(req.id).limit(1)
    if engine.dialect.name == "postgresql":
        oldest = oldest.with_for_update(skip_locked=True)
    stmt = (
        update(CrawlRequest)
        .where(CrawlRequest.id == oldest.scalar_subquery(), CrawlRequest.status == QUEUED)
        .values(status=RUNNING, claimed_by=claimer, started_at=now,
                attempts=CrawlRequest.attempts + 1, finished_at=None, exit_code=None)
        .returning(*_COLUMNS)
    )
    with engine.begin() as conn:
        row = conn.execute(stmt).first()
    return Request.from_row(row) if row is not None else None


def finish(engine: Engine, request_id: int, status: str, *, exit_code: int | None = None,
           run_id: int | None = None, note: str | None = None) -> None:
    """Close a request (done, failed, busy, timeout, interrupted)."""
    if status not in STATUSES or status in OPEN:
        raise ValueError(f"not a final request status: {status!r}")
    with engine.begin() as conn:
        conn.execute(
            update(CrawlRequest).where(CrawlRequest.id == request_id)
            .values(status=status, finished_at=_now(), exit_code=exit_code, run_id=run_id,
                    note=note)
        )


def requeue(engine: Engine, request_id: int, *, note: str | None = None,
            exit_code: int | None = None, run_id: int | None = None) -> None:
    """Put a running request back in the queue (site busy, daemon stopping)."""
    with engine.begin() as conn:
        conn.execute(
            update(CrawlRequest).where(CrawlRequest.id == request_id)
            .values(status=QUEUED, claimed_by=None, started_at=None, note=note,
                    exit_code=exit_code, run_id=run_id)
        )


def recover(engine: Engine, *, alive: Callable[[int], bool] | None = None) -> list[int]:
    """Requeue requests left running by dead processes of this host (a daemon killed -9)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(CrawlRequest.id, CrawlRequest.claimed_by).where(CrawlRequest.status == RUNNING)
        ).all()
    orphans = [request_id for request_id, claimer in rows if holder_is_dead_here(claimer, alive)]
    if orphans:
        with engine.begin() as conn:
            conn.execute(
                update(CrawlRequest)
                .where(CrawlRequest.id.in_(orphans), CrawlRequest.status == RUNNING)
                .values(status=QUEUED, claimed_by=None, started_at=None,
                        note="requeued: the daemon that started it died")
            )
    return orphans


def requests(engine: Engine, *, statuses: Sequence[str] = OPEN,
             site_key: str | None = None, limit: int | None = None) -> list[Request]:
    """Requests with these statuses, oldest first."""
    stmt = select(*_COLUMNS).where(CrawlRequest.status.in_(statuses)).order_by(CrawlRequest.id)
    if site_key is not None:
        stmt = stmt.where(CrawlRequest.site_key == site_key)
    if limit is not None:
        stmt = stmt.limit(limit)
    with engine.connect() as conn:
        return [Request.from_row(row) for row in conn.execute(stmt)]


def get(engine: Engine, request_id: int) -> Request | None:
    with engine.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(CrawlRequest.id == request_id)).first()
    return Request.from_row(row) if row is not None else None


# -- daemon heartbeats --------------------------------------------------------------------------

HEARTBEAT_PREFIX = "daemon:"


def heartbeat(engine: Engine, holder: str, *, ttl: float) -> None:
    """A daemon says it is alive for ``ttl`` seconds (a ``daemon:HOLDER`` lease row)."""
    from archive.storage.leases import acquire

    acquire(engine, HEARTBEAT_PREFIX + holder, holder, ttl)


def stop_heartbeat(engine: Engine, holder: str) -> None:
    from archive.storage.leases import release

    release(engine, HEARTBEAT_PREFIX + holder, holder)


def live_daemons(engine: Engine) -> list[str]:
    """Holders (``host:pid``) of the daemons whose heartbeat is fresh."""
    from archive.storage.leases import live_leases

    return sorted(holder for key, (holder, _expires) in live_leases(engine).items()
                  if key.startswith(HEARTBEAT_PREFIX))
