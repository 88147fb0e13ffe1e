"""One crawl per site at a time, whoever starts it: a lease row with an expiry.

A crawl takes its site's lease before it starts and renews it while it runs (a
background thread, every third of the lease time). Another crawl of the same site —
from a daemon, a manual recrawl, a second daemon on the same database — finds the
lease held and does not start. A lease left behind by a killed process expires and
is then taken over. Both steps are single statements, atomic on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .errors import ArchiveError
from .models import CrawlLease

log = logging.getLogger(__name__)

DEFAULT_TTL = 120.0
ENV_TTL = "SCT_ARCHIVE_LEASE_TTL"


class SiteBusy(ArchiveError):
    """The site's lease is held by another live crawl."""

    exit_code = 75  # EX_TEMPFAIL: try again later


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def default_ttl() -> float:
    """The lease time: ``$SCT_ARCHIVE_LEASE_TTL`` seconds, else 120."""
    value = os.environ.get(ENV_TTL, "").strip()
    try:
        ttl = float(value) if value else DEFAULT_TTL
    except ValueError:
        raise ArchiveError(f"{ENV_TTL} must be a number of seconds, got {value!r}") from None
    if ttl <= 0:
        raise ArchiveError(f"{ENV_TTL} must be positive, got {value!r}")
    return ttl


def _now() -> datetime:
    return datetime.now(UTC)


def acquire(engine: Engine, site_key: str, holder: str, ttl: float = DEFAULT_TTL) -> bool:
    """Take the lease if it is free, expired or already ours."""
    now = _now()
    expires = now + timedelta(seconds=ttl)
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    with engine.begin() as conn:
        inserted = conn.execute(
            insert(CrawlLease)
            .values(site_key=site_key, holder=holder, acquired_at=now, expires_at=expires)
            .on_conflict_do_nothing(index_elements=["site_key"])
            .returning(CrawlLease.site_key)
        ).first()
        if inserted is not None:
            return True
        taken = conn.execute(
            update(CrawlLease)
            .where(CrawlLease.site_key == site_key,
                   or_(CrawlLease.expires_at < now, CrawlLease.holder == holder))
            .values(holder=holder, acquired_at=now, expires_at=expires)
            .returning(CrawlLease.site_key)
        ).first()
    return taken is not None


def renew(engine: Engine, site_key: str, holder: str, ttl: float = DEFAULT_TTL) -> bool:
    """Extend our lease; False when it is no longer ours."""
    with engine.begin() as conn:
        return bool(conn.execute(
            update(CrawlLease)
            .where(CrawlLease.site_key == site_key, CrawlLease.holder == holder)
            .values(expires_at=_now() + timedelta(seconds=ttl))
            .returning(CrawlLease.site_key)
        ).first() is not None)


def release(engine: Engine, site_key: str, holder: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(CrawlLease).where(CrawlLease.site_key == site_key,
                                              CrawlLease.holder == holder))


def holder_of(engine: Engine, site_key: str) -> tuple[str, datetime] | None:
    """(holder, expires_at) of a live lease, else None."""
    with engine.connect() as conn:
        row = conn.execute(
            select(CrawlLease.holder, CrawlLease.expires_at).where(CrawlLease.site_key == site_key)
        ).first()
    if row is None or row.expires_at < _now():
        return None
    return row.holder, row.expires_at


def pid_alive(pid: int) -> bool:
    """Is process ``pid`` of this host running? A zombie (dead, not yet reaped) is not."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:  # exists, but we may not look at it
        return True


def release_dead_holders(engine: Engine, *, alive: Callable[[int], bool] | None = None) -> list[str]:
    """Release the leases of processes of this host that are gone; their site keys.

    Expiry frees them anyway; this frees them at once (a daemon calls it on start, and
    after a crawl it started has exited).
    """
    alive = alive or pid_alive
    host = socket.gethostname()
    with engine.connect() as conn:
        rows = conn.execute(select(CrawlLease.site_key, CrawlLease.holder)).all()
    freed = []
    for key, holder in rows:
        name, _, pid = holder.rpartition(":")
        if name == host and pid.isdigit() and int(pid) != os.getpid() and not alive(int(pid)):
            release(engine, key, holder)
            freed.append(key)
    return freed


@contextmanager
def hold_lease(engine: Engine, site_key: str, *, ttl: float | None = None,
               holder: str | None = None) -> Iterator[str]:
    """Hold the site's lease for the block, renewing it in the background; the holder.

    ``ttl`` defaults to :func:`default_ttl`. Raises :class:`SiteBusy` (exit code 75)
    when another live crawl holds it.
    """
    ttl = ttl or default_ttl()
    holder = holder or default_holder()
    if not acquire(engine, site_key, holder, ttl):
        current = holder_of(engine, site_key)
        who = f"{current[0]} until {current[1]:%H:%M:%S} UTC" if current else "another crawl"
        raise SiteBusy(f"site {site_key!r} is being crawled by {who}")
    stop = threading.Event()

    def keep_alive() -> None:
        while not stop.wait(ttl / 3):
            try:
                if not renew(engine, site_key, holder, ttl):
                    log.warning("lost the lease of %s", site_key)
                    return
            except Exception:
                log.exception("renewing the lease of %s failed", site_key)

    thread = threading.Thread(target=keep_alive, name=f"lease-{site_key}", daemon=True)
    thread.start()
    try:
        yield holder
    finally:
        stop.set()
        thread.join(timeout=5)
        release(engine, site_key, holder)
