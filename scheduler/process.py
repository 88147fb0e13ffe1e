"""Crawl child processes: how they are started, stopped, and how their end is recorded.

A crawl is ``sct-archive --db URL crawl SITE --trigger schedule|recrawl …`` in a child
process (a fresh Twisted reactor each time; ``scheduler`` imports no spider code). The
child takes the site's lease itself and records its own ``crawl_runs`` row; this module
adds what only the parent knows: that it timed out, or died without closing its run.

On Linux a child gets ``PR_SET_PDEATHSIG = SIGKILL``: if the daemon is killed -9, its
crawls die with it instead of crawling on unsupervised (their runs are then closed as
interrupted by the next start, their leases expire or are freed). The signal fires when
the *thread* that started the child ends, so children are started from the daemon's
main thread only.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import IO, Any

from sqlalchemy import Engine, select, update

from archive.storage.leases import holder_name, release
from archive.storage.models import CrawlRun
from scheduler import queue
from scheduler.config import SchedulerConfig

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BUSY = 75
EXIT_INTERRUPTED = (130, 143, -int(signal.SIGINT), -int(signal.SIGTERM))

_PR_SET_PDEATHSIG = 1


def crawl_argv(config: SchedulerConfig, db_url: str, site_key: str, *, full: bool = False,
               urls: Iterable[str] = (), trigger: str = "schedule",
               request_id: int | None = None) -> list[str]:
    """The command line of one crawl (the contract with ``sct-archive crawl``)."""
    argv = [*config.crawl_command, "--db", db_url, "crawl", site_key]
    if full:
        argv.append("--full")
    for url in urls:
        argv += ["--url", url]
    argv += ["--trigger", trigger]
    if request_id is not None:
        argv += ["--request-id", str(request_id)]
    return [*argv, *config.crawl_args]


def child_env(config: SchedulerConfig, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The daemon's environment, plus the registry file and the lease time of its config."""
    env = dict(os.environ if base is None else base)
    if config.sites_file:
        env["SCT_ARCHIVE_SITES"] = str(config.sites_file)
    env["SCT_ARCHIVE_LEASE_TTL"] = repr(float(config.lease_ttl))
    return env


def _die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child get SIGKILL when its parent dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()
    sigkill = int(signal.SIGKILL)

    def preexec() -> None:  # runs in the child between fork and exec: no imports, no locks
        prctl(_PR_SET_PDEATHSIG, sigkill, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


def spawn(argv: list[str], env: Mapping[str, str], *, own_group: bool = True,
          stdout: IO[Any] | int | None = None, stderr: IO[Any] | int | None = None,
          ) -> subprocess.Popen[bytes]:
    """Start a crawl. ``own_group``: in its own session, so the daemon alone decides when
    it gets SIGTERM (a terminal's Ctrl-C or systemd's stop signal goes to the daemon)."""
    return subprocess.Popen(
        argv, env=dict(env), stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
        start_new_session=own_group, preexec_fn=_die_with_parent(), close_fds=True,
    )


def send(proc: subprocess.Popen[bytes], sig: int, *, group: bool = True) -> None:
    """Signal a child (and its process group, when it leads one); quiet if it is gone."""
    try:
        if group:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
    except ProcessLookupError:
        pass
    except PermissionError:  # the group is gone and the id reused: signal the child only
        try:
            proc.send_signal(sig)
        except ProcessLookupError:
            pass


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return {0: "finished", 1: "failed", 75: "skipped (site busy)", 130: "interrupted",
            143: "interrupted"}.get(code, f"exit {code}")


def find_run(engine: Engine, pid: int, since: datetime) -> tuple[int, str] | None:
    """(id, outcome) of the run a child of this host with ``pid`` recorded, if any."""
    with engine.connect() as conn:
        row = conn.execute(
            select(CrawlRun.id, CrawlRun.outcome)
            .where(CrawlRun.pid == pid, CrawlRun.host == socket.gethostname(),
                   CrawlRun.started_at >= since - timedelta(seconds=5))
            .order_by(CrawlRun.id.desc()).limit(1)
        ).first()
    return (row.id, row.outcome) if row is not None else None


def record_exit(
    engine: Engine,
    *,
    site_key: str,
    pid: int,
    started_at: datetime,
    code: int,
    request_id: int | None = None,
    timed_out: bool = False,
    stopping: bool = False,
    requeue_busy: bool = False,
    attempts: int = 1,
    max_attempts: int = 1,
) -> str:
    """Record how a crawl child ended, on its run, its lease and its request; the request status.

    - a run the child left ``running`` (killed, crashed) is closed: ``timeout``,
      ``interrupted`` or ``failed``; a run of a crawl that timed out becomes ``timeout``
      even when the crawl closed it itself on SIGTERM;
    - the child's lease (``host:pid``) is released at once rather than left to expire;
    - its request: done / failed / timeout / interrupted; site busy (75) or a daemon
      stopping puts it back in the queue (``requeue_busy``, up to ``max_attempts``).
    """
    run = find_run(engine, pid, started_at)
    run_id = run[0] if run else None
    if run is not None and (run[1] == "running" or (timed_out and run[1] == "interrupted")):
        if timed_out:
            outcome, why = "timeout", "crawl timed out: stopped by the scheduler"
        elif code < 0 or code in EXIT_INTERRUPTED:
            outcome, why = "interrupted", f"process ended without closing the run ({describe_exit(code)})"
        else:
            outcome, why = "failed", f"process ended without closing the run ({describe_exit(code)})"
        with engine.begin() as conn:
            previous = conn.execute(
                select(CrawlRun.finished_at, CrawlRun.error).where(CrawlRun.id == run_id)
            ).one()
            conn.execute(
                update(CrawlRun).where(CrawlRun.id == run_id).values(
                    outcome=outcome, finished_at=previous.finished_at or datetime.now(UTC),
                    error="; ".join(x for x in (previous.error, why) if x),
                )
            )
    release(engine, site_key, holder_name(pid))
    if request_id is None:
        return ""
    note = describe_exit(code)
    if timed_out:
        status = queue.TIMEOUT
    elif code == EXIT_OK:
        status = queue.DONE
    elif stopping:
        queue.requeue(engine, request_id, note="requeued: the daemon stopped during the crawl",
                      exit_code=code, run_id=run_id)
        return queue.QUEUED
    elif code == EXIT_BUSY:
        if requeue_busy and attempts < max_attempts:
            queue.requeue(engine, request_id, note="requeued: site busy", exit_code=code)
            return queue.QUEUED
        status = queue.BUSY
    elif code < 0 or code in EXIT_INTERRUPTED:
        status = queue.INTERRUPTED
    else:
        status = queue.FAILED
    queue.finish(engine, request_id, status, exit_code=code, run_id=run_id, note=note)
    return status
