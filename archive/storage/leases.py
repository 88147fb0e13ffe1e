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

from archive.errors import ArchiveError
from archive.storage.models import CrawlLease

log = logging.getLogger(__name__)

DEFAULT_TTL = 120.0
ENV_TTL = "SCT_ARCHIVE_LEASE_TTL"


class SiteBusy(ArchiveError):
    """The site's lease is held by another live crawl."""

    exit_code = 75  # EX_TEMPFAIL: try again later


def holder_name(pid: int | None = None, host: str | None = None) -> str:
    """The holder string of process ``pid`` (default: this one) of ``host`` (default: this
    one): ``host:pid``, what leases, request claims and daemons are recorded as."""
    return f"{host or socket.gethostname()}:{os.getpid() if pid is None else pid}"


def default_holder() -> str:
    return holder_name()


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


def live_leases(engine: Engine) -> dict[str, tuple[str, datetime]]:
    """{site key: (holder, expires_at)} of every live lease, in one query (see :func:`holder_of`)."""
    with engine.connect() as conn:
        rows = conn.execute(select(CrawlLease.site_key, CrawlLease.holder, CrawlLease.expires_at)).all()
    now = _now()
    return {row.site_key: (row.holder, row.expires_at) for row in rows if not row.expires_at < now}


def pid_alive(pid: int) -> bool:
    """Is process ``pid`` of this host running? A zombie (dead, not yet reaped) is not."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:  # exists, but we may not look at it
        return True


def process_is_dead_here(host: str | None, pid: int | None, *,
                         alive: Callable[[int], bool] | None = None) -> bool:
    """Is ``pid`` a process of this host (not this one) that is gone? Another host's
    processes are never judged: False."""
    if host != socket.gethostname() or pid is None or pid == os.getpid():
        return False
    return not (alive or pid_alive)(pid)


def holder_is_dead_here(holder: str | None, alive: Callable[[int], bool] | None = None) -> bool:
    """Is ``holder`` (``host:pid``, see :func:`holder_name`) a gone process of this host?"""
    host, _, pid = (holder or "").rpartition(":")
    return pid.isdigit() and process_is_dead_here(host, int(pid), alive=alive)


def release_dead_holders(engine: Engine, *, alive: Callable[[int], bool] | None = None) -> list[str]:
    """Release the leases of processes of this host that are gone; their site keys.

    Expiry frees them anyway; this frees them at once (a daemon calls it on start, and
    after a crawl it started has exited).
    """
    with engine.connect() as conn:
        rows = conn.execute(select(CrawlLease.site_key, CrawlLease.holder)).all()
    freed = []
    for key, holder in rows:
        if holder_is_dead_here(holder, alive):
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
