"""``sct-archive daemon``: crawl every enabled site on its schedule, serve the recrawl queue.

APScheduler 3 (``BackgroundScheduler``) keeps one job per enabled site, ``crawl:<key>``,
in the archive database (table ``apscheduler_jobs``), with ``coalesce=True`` and
``max_instances=1``: however many starts were missed, a site is crawled once. The
jobs are replaced on every start (``replace_existing=True``), their first run time
computed from the site's last crawl in ``crawl_runs`` — so a restart neither
duplicates jobs nor crawls a site twice, and a site that was due while the daemon
was down is crawled soon after it starts (with a random delay up to ``jitter``).

A due job only marks its site *due*. The daemon's main thread does everything else,
every ``poll_interval`` seconds: it claims queued recrawls, starts due sites, at most
``max_parallel`` crawls at a time and never two of one site, stops crawls that run
past their timeout (SIGTERM, then SIGKILL after ``kill_grace``) and records how each
ended. A crawl is a child process (:mod:`scheduler.process`) that takes its site's
lease itself, so a crawl started by hand, by another daemon or by a recrawl never
overlaps one started here.

Nothing else needs scheduling: each crawl also revisits the known articles that are
due (the spider's revisit policy), and flags new versions as it stores them.

SIGTERM or SIGINT: stop scheduling, SIGTERM the crawls (they close their runs as
interrupted), wait up to ``shutdown_grace`` seconds, SIGKILL what is left, exit 0.
A second signal skips the wait.
"""

from __future__ import annotations

import logging
import random
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from subprocess import Popen
from typing import Any

from sqlalchemy import Engine, func, inspect, or_, select, text

from archive.storage.db import open_engine
from archive.storage.leases import default_holder, holder_of, pid_alive, release_dead_holders
from archive.storage.models import CrawlRun
from archive.storage.models import Site as SiteRow
from scheduler import queue
from scheduler.config import SchedulerConfig
from scheduler.process import child_env, crawl_argv, describe_exit, record_exit, send, spawn

log = logging.getLogger(__name__)

JOB_PREFIX = "crawl:"
JOBS_TABLE = "apscheduler_jobs"

#: The daemon of this process, for :func:`scheduled_crawl` (jobs in a database job store
#: are stored as a reference to a module-level function, not as a bound method).
_active: Daemon | None = None


def scheduled_crawl(site_key: str) -> None:
    """The job of every site (``scheduler.daemon:scheduled_crawl``): mark the site due."""
    daemon = _active
    if daemon is None:
        log.warning("%s: scheduled crawl fired outside a running daemon; ignored", site_key)
        return
    daemon.due(site_key)


# -- schedules ------------------------------------------------------------------------------


def local_timezone(name: str | None = None) -> tzinfo:
    if name:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    from tzlocal import get_localzone

    return get_localzone()


def make_trigger(site: Any, tz: tzinfo, jitter: float = 0.0):
    """The APScheduler trigger of a registry site's ``schedule``."""
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    kind, spec = site.schedule_trigger()
    if kind == "interval":
        jitter = min(jitter, spec / 2)
        return IntervalTrigger(seconds=spec, timezone=tz, jitter=int(jitter) or None)
    trigger = CronTrigger.from_crontab(spec, timezone=tz)
    trigger.jitter = int(jitter) or None
    return trigger


#: Run outcomes that are no crawl: the site is retried after ``retry_backoff``.
RETRY_OUTCOMES = ("failed", "interrupted", "timeout", "unreachable")


def next_due(site: Any, last_started: datetime | None, now: datetime, tz: tzinfo, *,
             retry_at: datetime | None = None) -> datetime:
    """When the site is next due, given when its last scheduled or manual crawl started
    (and, when that crawl failed or was interrupted, when it may be retried)."""
    if last_started is None:
        return now
    regular = _regular_due(site, last_started, now, tz)
    return min(regular, retry_at) if retry_at is not None else regular


def _regular_due(site: Any, last_started: datetime, now: datetime, tz: tzinfo) -> datetime:
    kind, spec = site.schedule_trigger()
    if kind == "interval":
        return last_started + timedelta(seconds=spec)
    from apscheduler.triggers.cron import CronTrigger

    fire = CronTrigger.from_crontab(spec, timezone=tz).get_next_fire_time(None, last_started)
    return fire.astimezone(UTC) if fire is not None else now


def last_starts(engine: Engine) -> dict[str, datetime]:
    """Site key → start of its latest crawl that walked its listings (schedule, manual, --full).

    A ``recrawl --url`` run fetches only its URLs, so recrawls count only when full.
    """
    with engine.connect() as conn:
        rows = conn.execute(
            select(SiteRow.key, func.max(CrawlRun.started_at))
            .join(SiteRow, SiteRow.id == CrawlRun.site_id)
            .where(or_(CrawlRun.trigger.in_(["schedule", "manual"]), CrawlRun.full.is_(True)))
            .group_by(SiteRow.key)
        ).all()
    return {key: started for key, started in rows if started is not None}


def retry_times(engine: Engine, backoff: float) -> dict[str, datetime]:
    """Site key → when to retry it, for sites whose latest crawl (one that counts for the
    schedule, see :func:`last_starts`) failed, timed out or was interrupted."""
    counted = or_(CrawlRun.trigger.in_(["schedule", "manual"]), CrawlRun.full.is_(True))
    latest = (select(CrawlRun.site_id, func.max(CrawlRun.id).label("run_id"))
              .where(counted, CrawlRun.outcome != "running").group_by(CrawlRun.site_id).subquery())
    with engine.connect() as conn:
        rows = conn.execute(
            select(SiteRow.key, CrawlRun.outcome, CrawlRun.started_at, CrawlRun.finished_at)
            .join(latest, latest.c.run_id == CrawlRun.id)
            .join(SiteRow, SiteRow.id == CrawlRun.site_id)
        ).all()
    return {key: (finished or started) + timedelta(seconds=backoff)
            for key, outcome, started, finished in rows if outcome in RETRY_OUTCOMES}


def scheduled_jobs(engine: Engine) -> dict[str, datetime | None]:
    """Site key → next run time of its job in the job store ({} when there is no store)."""
    if not inspect(engine).has_table(JOBS_TABLE):
        return {}
    with engine.connect() as conn:
        rows = conn.execute(
            text(f"SELECT id, next_run_time FROM {JOBS_TABLE} WHERE id LIKE :prefix"),
            {"prefix": JOB_PREFIX + "%"},
        ).all()
    return {
        job_id[len(JOB_PREFIX):]: datetime.fromtimestamp(ts, UTC) if ts is not None else None
        for job_id, ts in rows
    }


def close_stale_runs(engine: Engine) -> int:
    """Close the runs that dead processes of this host left running (interrupted)."""
    from archive.storage.store import Archive

    with engine.connect() as conn:
        keys = conn.execute(
            select(SiteRow.key).distinct().join(CrawlRun, CrawlRun.site_id == SiteRow.id)
            .where(CrawlRun.outcome == "running", CrawlRun.host == socket.gethostname())
        ).scalars().all()
    archive = Archive(engine)  # shares our engine: not closed here
    return sum(archive.close_stale_runs(key, alive=pid_alive) for key in keys)


# -- the daemon ---------------------------------------------------------------------------------


@dataclass
class Child:
    """A running crawl."""

    site_key: str
    trigger: str
    proc: Popen[bytes]
    started: float  # daemon clock
    started_at: datetime
    deadline: float
    request: queue.Request | None = None
    timed_out: bool = False
    kill_at: float | None = None
    killed: bool = False
    stopping: bool = False


@dataclass
class Outcome:
    site_key: str
    code: int
    timed_out: bool
    request_id: int | None = None
    request_status: str = ""


def _stderr_fd() -> int | None:
    try:
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return None


@dataclass
class Daemon:
    """The scheduler of one process. :meth:`run` blocks until SIGTERM/SIGINT (or, with
    ``once``, until the due crawls and the queue are done)."""

    config: SchedulerConfig
    db_url: str
    registry: Any  # crawler.registry.Registry
    clock: Callable[[], float] = time.monotonic
    output: int | None = field(default_factory=_stderr_fd)  # where crawls write

    def __post_init__(self) -> None:
        self.engine = open_engine(self.db_url)
        self.holder = default_holder()
        self.tz = local_timezone(self.config.timezone)
        self.env = child_env(self.config)
        self.children: dict[str, Child] = {}
        self.pending: dict[str, None] = {}  # sites due, in order (an ordered set)
        self.outcomes: list[Outcome] = []
        self.stop_event = threading.Event()
        self.scheduler = None
        self._lock = threading.Lock()
        self._kill_now = False

    # -- what to crawl ------------------------------------------------------------------

    def sites(self) -> list[Any]:
        return list(self.registry.enabled())

    def due(self, site_key: str) -> None:
        """Mark a site due (from a scheduler thread); the main loop starts it when it can."""
        if self.stop_event.is_set():
            return
        with self._lock:
            if site_key not in self.pending:
                self.pending[site_key] = None
                log.debug("%s: due", site_key)

    # -- start and stop -----------------------------------------------------------------

    def recover(self) -> None:
        """After a crash: close runs of dead crawls, free their leases, requeue their requests."""
        closed = close_stale_runs(self.engine)
        freed = release_dead_holders(self.engine)
        requeued = queue.recover(self.engine)
        if closed or freed or requeued:
            log.warning("recovered after an unclean stop: %d run(s) closed as interrupted, "
                        "%d lease(s) freed, %d request(s) requeued", closed, len(freed), len(requeued))

    def install_signal_handlers(self) -> None:
        first: list[float] = []

        def stop(signum: int, _frame: Any) -> None:
            # A second signal skips the grace period; one sent with the first (a process
            # group signalled twice) does not count.
            if first and self.clock() - first[0] > 1.0:
                self._kill_now = True
                log.warning("%s again: killing the crawls now", signal.Signals(signum).name)
            elif not first:
                first.append(self.clock())
                log.info("%s: stopping", signal.Signals(signum).name)
            self.stop_event.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

    def _ensure_jobs_table(self, store: Any) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        for attempt in range(5):  # two daemons starting at once may race to create it
            try:
                store.jobs_t.create(self.engine, checkfirst=True)
                return
            except SQLAlchemyError:
                if attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))

    def start_scheduler(self) -> None:
        from apscheduler.events import EVENT_JOB_MISSED
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        from apscheduler.schedulers.background import BackgroundScheduler
        from apscheduler.schedulers.base import STATE_STOPPED

        class Scheduler(BackgroundScheduler):
            def _process_jobs(self):
                # APScheduler 3 wakes its thread on shutdown and processes due jobs once
                # more, submitting them to executors already shut down (an error per job).
                if self.state == STATE_STOPPED:
                    return None
                return super()._process_jobs()

        store = SQLAlchemyJobStore(engine=self.engine, tablename=JOBS_TABLE)
        self._ensure_jobs_table(store)
        sched = Scheduler(
            jobstores={"default": store},
            executors={"default": ThreadPoolExecutor(4)},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(self.config.misfire_grace_time) or None,
            },
            timezone=self.tz,
        )
        sched.add_listener(
            lambda event: log.warning("%s: a scheduled start was skipped, more than %g s late",
                                      event.job_id.removeprefix(JOB_PREFIX),
                                      self.config.misfire_grace_time),
            EVENT_JOB_MISSED,
        )
        sched.start(paused=True)
        self.scheduler = sched
        self.sync_jobs()
        sched.resume()

    def sync_jobs(self) -> None:
        """One job per enabled site, replaced; jobs of sites no longer enabled removed."""
        sched = self.scheduler
        wanted = {JOB_PREFIX + site.key: site for site in self.sites()}
        for key in scheduled_jobs(self.engine):
            if JOB_PREFIX + key not in wanted:
                try:
                    sched.remove_job(JOB_PREFIX + key)
                    log.info("%s: no longer enabled, its schedule removed", key)
                except Exception:  # another daemon removed it first
                    pass
        last = last_starts(self.engine)
        retry = retry_times(self.engine, self.config.retry_backoff)
        now = datetime.now(UTC)
        for job_id, site in wanted.items():
            first = next_due(site, last.get(site.key), now, self.tz, retry_at=retry.get(site.key))
            if first <= now:
                kind, spec = site.schedule_trigger()
                spread = min(self.config.jitter, spec / 2 if kind == "interval" else self.config.jitter)
                first = now + timedelta(seconds=random.uniform(0, spread))
            sched.add_job(
                scheduled_crawl, make_trigger(site, self.tz, self.config.jitter), args=[site.key],
                id=job_id, name=f"crawl {site.key}", replace_existing=True,
                next_run_time=first.astimezone(self.tz),
            )
        log.info("%d site(s) scheduled", len(wanted))

    def run(self, *, once: bool = False) -> int:
        """Run until stopped (0), or with ``once`` until nothing is due (0 if every crawl finished)."""
        global _active
        self.recover()
        try:
            if once:
                return self._run_once()
            _active = self
            self.start_scheduler()
            log.info("daemon %s started: at most %d crawl(s) at a time, queue polled every %g s",
                     self.holder, self.config.max_parallel, self.config.poll_interval)
            while not self.stop_event.is_set():
                self.tick()
                self.stop_event.wait(self.config.poll_interval)
            return 0
        finally:
            _active = None
            self.shutdown()

    def _run_once(self) -> int:
        last = last_starts(self.engine)
        retry = retry_times(self.engine, self.config.retry_backoff)
        now = datetime.now(UTC)
        for site in self.sites():
            if next_due(site, last.get(site.key), now, self.tz, retry_at=retry.get(site.key)) <= now:
                self.due(site.key)
        log.info("one pass: %d site(s) due", len(self.pending))
        while not self.stop_event.is_set():
            self.tick()
            if not self.children and not self.pending:
                break
            self.stop_event.wait(min(self.config.poll_interval, 0.25))
        ok = all(o.code in (0, 75) and not o.timed_out for o in self.outcomes)
        return 0 if ok else 1

    def shutdown(self) -> None:
        """Stop scheduling, stop the crawls (SIGTERM, then SIGKILL after ``shutdown_grace``)."""
        if self.scheduler is not None:
            try:
                self.scheduler.shutdown(wait=False)
            except Exception:
                log.exception("stopping the scheduler failed")
            self.scheduler = None
        with self._lock:
            self.pending.clear()
        try:
            queue.stop_heartbeat(self.engine, self.holder)
        except Exception:  # the database is gone: the heartbeat expires anyway
            log.debug("cannot remove the heartbeat", exc_info=True)
        if self.children:
            log.info("stopping %d crawl(s): %s", len(self.children), ", ".join(self.children))
        for child in self.children.values():
            child.stopping = True
            send(child.proc, signal.SIGTERM)
        deadline = self.clock() + self.config.shutdown_grace
        while self.children and self.clock() < deadline and not self._kill_now:
            self._reap()
            if self.children:
                time.sleep(0.05)
        for child in self.children.values():
            log.warning("%s: crawl did not stop in time, killing it", child.site_key)
            send(child.proc, signal.SIGKILL)
        for child in self.children.values():
            try:
                child.proc.wait(timeout=10)
            except Exception:
                log.error("%s: crawl pid %d would not die", child.site_key, child.proc.pid)
        self._reap()
        self.engine.dispose()

    # -- the main loop ----------------------------------------------------------------------

    def tick(self) -> None:
        """One round: record ended crawls, enforce timeouts, start what is queued or due."""
        try:
            self._beat()
            self._reap()
            self._enforce_timeouts()
            if self.stop_event.is_set():
                return
            self._start_requests()
            self._start_pending()
        except Exception:  # a database hiccup must not end the daemon
            log.exception("scheduler round failed; retrying in %g s", self.config.poll_interval)

    def _beat(self) -> None:
        """Tell ``recrawl`` a daemon is listening (renewed about every poll, a few polls of slack)."""
        now = self.clock()
        if now - getattr(self, "_last_beat", -1e9) < min(self.config.heartbeat_ttl / 3, 5.0):
            return
        ttl = max(self.config.heartbeat_ttl, 3 * self.config.poll_interval)
        queue.heartbeat(self.engine, self.holder, ttl=ttl)
        self._last_beat = now

    def _retry_soon(self, site_key: str) -> None:
        """A scheduled crawl failed or was interrupted: due again after ``retry_backoff``."""
        if self.scheduler is None:
            return
        when = datetime.now(UTC) + timedelta(seconds=self.config.retry_backoff)
        try:
            job = self.scheduler.get_job(JOB_PREFIX + site_key)
            if job is not None and (job.next_run_time is None or job.next_run_time > when):
                job.modify(next_run_time=when.astimezone(self.tz))
                log.info("%s: retrying at %s", site_key, when.astimezone(self.tz).strftime("%H:%M"))
        except Exception:  # another daemon removed the job
            log.debug("%s: cannot reschedule", site_key, exc_info=True)

    def _free_slots(self) -> int:
        return self.config.max_parallel - len(self.children)

    def _start_requests(self) -> None:
        while self._free_slots() > 0 and not self.stop_event.is_set():
            req = queue.claim_next(self.engine, self.holder, exclude=self.children)
            if req is None:
                return
            if req.site_key not in self.registry:
                queue.finish(self.engine, req.id, queue.FAILED,
                             note="site not in this daemon's registry")
                log.error("recrawl #%d: unknown site %r", req.id, req.site_key)
                continue
            if not req.full and not req.urls:  # an incremental recrawl is the scheduled crawl too
                with self._lock:
                    self.pending.pop(req.site_key, None)
            self._launch(req.site_key, "recrawl", full=req.full, urls=req.urls, request=req)

    def _start_pending(self) -> None:
        with self._lock:
            due = list(self.pending)
        for key in due:
            if self._free_slots() <= 0 or self.stop_event.is_set():
                return
            with self._lock:
                self.pending.pop(key, None)
            if key in self.children:
                log.info("%s: due again while still crawling; skipped", key)
                continue
            if key not in self.registry:
                continue
            lease = holder_of(self.engine, key)
            if lease is not None:
                log.info("%s: not started, being crawled by %s", key, lease[0])
                continue
            self._launch(key, "schedule")

    def _launch(self, site_key: str, trigger: str, *, full: bool = False,
                urls: Iterable[str] = (), request: queue.Request | None = None) -> None:
        argv = crawl_argv(self.config, self.db_url, site_key, full=full, urls=urls,
                          trigger=trigger, request_id=request.id if request else None)
        started_at = datetime.now(UTC)
        try:
            proc = spawn(argv, self.env, stdout=self.output, stderr=self.output)
        except OSError as exc:
            log.error("%s: cannot start the crawl %r: %s", site_key, argv[0], exc)
            if request is not None:
                queue.finish(self.engine, request.id, queue.FAILED, note=f"cannot start: {exc}")
            return
        now = self.clock()
        self.children[site_key] = Child(
            site_key, trigger, proc, now, started_at, now + self.config.timeout_for(site_key),
            request=request,
        )
        what = f"recrawl #{request.id}" if request else trigger
        log.info("%s: crawl started (%s%s), pid %d", site_key, what, ", full" if full else "", proc.pid)

    def _enforce_timeouts(self) -> None:
        now = self.clock()
        for child in self.children.values():
            if child.kill_at is None and now >= child.deadline:
                child.timed_out = True
                child.kill_at = now + self.config.kill_grace
                log.warning("%s: crawl ran past its %g s timeout; stopping it", child.site_key,
                            self.config.timeout_for(child.site_key))
                send(child.proc, signal.SIGTERM)
            elif child.kill_at is not None and not child.killed and now >= child.kill_at:
                child.killed = True
                log.warning("%s: crawl ignored SIGTERM for %g s; killing it", child.site_key,
                            self.config.kill_grace)
                send(child.proc, signal.SIGKILL)

    def _reap(self) -> None:
        for key, child in list(self.children.items()):
            code = child.proc.poll()
            if code is None:
                continue
            req = child.request
            status = record_exit(
                self.engine, site_key=key, pid=child.proc.pid, started_at=child.started_at,
                code=code, request_id=req.id if req else None, timed_out=child.timed_out,
                stopping=child.stopping, requeue_busy=True,
                attempts=req.attempts if req else 1, max_attempts=self.config.max_attempts,
            )
            # forgotten only once its exit is recorded: a database error here is retried
            # on the next tick instead of leaving the run and its request "running"
            del self.children[key]
            if (code not in (0, 75) or child.timed_out) and not child.stopping and \
                    child.trigger == "schedule":
                self._retry_soon(key)
            self.outcomes.append(Outcome(key, code, child.timed_out, req.id if req else None, status))
            took = self.clock() - child.started
            how = "timed out" if child.timed_out else describe_exit(code)
            level = logging.INFO if code in (0, 75) and not child.timed_out else logging.WARNING
            log.log(level, "%s: crawl %s after %.1f s (exit %d)%s", key, how, took, code,
                    f"; recrawl #{req.id} {status}" if req else "")
