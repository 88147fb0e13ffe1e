"""The daemon as a real process: queue pick-up, leases across daemons, timeouts, kill -9,
SIGTERM, restarts — with ``tests/fake_crawl.py`` as the crawl (same contract as
``sct-archive crawl``, no Scrapy) — and end to end with the real crawl of a local site.

Every wait polls the database or the process with a deadline; nothing sleeps for long.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest
from sqlalchemy import func, select, text

from archive.storage.db import open_engine
from archive.storage.leases import holder_of
from archive.storage.models import Article, ArticleVersion, CrawlRun, Site
from scheduler import queue
from tests.seedsite import EXPECTED, registry_toml, serving

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
FAKE = TESTS / "fake_crawl.py"


def write_sites(tmp_path: Path, **schedules: str) -> Path:
    """A registry of local sites: key=schedule (``off``: not enabled, recrawls only)."""
    out = []
    for i, (key, schedule) in enumerate(schedules.items(), 1):
        out.append(
            f'[[site]]\nkey = "{key}"\nname = "Site {key}"\nkind = "sct"\nprovince = "Hà Nội"\n'
            f'base_url = "http://127.0.0.{i}:9"\nprofile = "liferay"\n'
            + ("enabled = false\n" if schedule == "off" else f'schedule = "{schedule}"\n')
        )
    path = tmp_path / "sites.toml"
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def wait_until(predicate, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{tail}")


def dead(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


class Daemons:
    """Start daemon processes for a test; whatever is left is killed afterwards."""

    def __init__(self, tmp_path: Path, db: str) -> None:
        self.tmp_path, self.db = tmp_path, db
        self.procs: list[subprocess.Popen] = []

    def start(self, *args: str, fake: dict | None = None, env: dict | None = None,
              name: str = "daemon") -> subprocess.Popen:
        base = {k: v for k, v in os.environ.items()
                if not k.startswith("SCT_ARCHIVE_") and k != "FAKE_CRAWL"}
        base.update({
            "SCT_ARCHIVE_SITES": str(self.tmp_path / "sites.toml"),
            "SCT_ARCHIVE_CRAWL_COMMAND": f"{sys.executable} -P {FAKE}",
            "SCT_ARCHIVE_JITTER": "0",
            "SCT_ARCHIVE_LEASE_TTL": "2",
            "SCT_ARCHIVE_POLL_INTERVAL": "0.1",
            "SCT_ARCHIVE_SHUTDOWN_GRACE": "5",
            "FAKE_CRAWL": json.dumps(fake or {}),
            **(env or {}),
        })
        log = self.tmp_path / f"{name}.log"
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "scheduler", "--db", self.db, "daemon", *args],
                env=base, cwd=self.tmp_path, stdout=out, stderr=subprocess.STDOUT,
            )
        proc.log = log
        self.procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen, timeout: float = 15) -> int:
        proc.send_signal(signal.SIGTERM)
        return proc.wait(timeout=timeout)

    def cleanup(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'archive.sqlite3'}"


@pytest.fixture
def engine(db):
    engine = open_engine(db)
    yield engine
    engine.dispose()


@pytest.fixture
def daemons(tmp_path, db, engine):
    d = Daemons(tmp_path, db)
    yield d
    d.cleanup()


def runs(engine, key: str | None = None) -> list:
    stmt = (
        select(Site.key, CrawlRun.id, CrawlRun.outcome, CrawlRun.trigger, CrawlRun.full,
               CrawlRun.pid, CrawlRun.started_at, CrawlRun.finished_at, CrawlRun.error)
        .join(Site, Site.id == CrawlRun.site_id).order_by(CrawlRun.id)
    )
    if key:
        stmt = stmt.where(Site.key == key)
    with engine.connect() as conn:
        return list(conn.execute(stmt))


# -- with the fake crawl ------------------------------------------------------------------------


def test_a_queued_recrawl_is_picked_up_within_seconds(tmp_path, engine, daemons):
    write_sites(tmp_path, alpha="off")
    d = daemons.start()
    rid = queue.enqueue(engine, "alpha", full=True)
    t0 = time.monotonic()
    req = wait_until(lambda: (r := queue.get(engine, rid)).status == "done" and r,
                     20, "the recrawl", d.log)
    assert time.monotonic() - t0 < 10  # including the daemon's own start
    [run] = runs(engine, "alpha")
    assert (run.outcome, run.trigger, run.full, req.run_id, req.exit_code) == (
        "finished", "recrawl", True, run.id, 0)
    t0 = time.monotonic()
    assert daemons.stop(d) == 0
    assert time.monotonic() - t0 < 8  # nothing to wait for
    assert "recrawl #1 done" in d.log.read_text()


def test_sigterm_stops_the_crawls_cleanly_within_the_grace(tmp_path, engine, daemons):
    write_sites(tmp_path, gentle="off", stubborn="off")
    d = daemons.start(env={"SCT_ARCHIVE_SHUTDOWN_GRACE": "1.5"},
                      fake={"gentle": {"seconds": 60},
                            "stubborn": {"seconds": 60, "ignore_term": True}})
    ids = [queue.enqueue(engine, "gentle"), queue.enqueue(engine, "stubborn")]
    wait_until(lambda: len([r for r in runs(engine) if r.outcome == "running"]) == 2, 20,
               "both crawls to run", d.log)
    pids = [r.pid for r in runs(engine)]
    t0 = time.monotonic()
    assert daemons.stop(d) == 0
    assert time.monotonic() - t0 < 1.5 + 8, d.log.read_text()  # the grace, then SIGKILL
    assert all(dead(pid) for pid in pids)
    by_key = {r.key: r for r in runs(engine)}
    assert by_key["gentle"].outcome == "interrupted" and by_key["gentle"].error == "SIGTERM"
    assert by_key["stubborn"].outcome == "interrupted"
    assert "killed by SIGKILL" in by_key["stubborn"].error
    assert [queue.get(engine, i).status for i in ids] == ["queued", "queued"]  # run them later
    assert holder_of(engine, "gentle") is None and holder_of(engine, "stubborn") is None


def test_two_daemons_never_crawl_one_site_at_once(tmp_path, db_url):
    engine = open_engine(db_url)
    daemons = Daemons(tmp_path, db_url)
    try:
        write_sites(tmp_path, alpha="interval:1s", beta="interval:1s")
        fake = {"default": {"seconds": 0.4}}
        first = daemons.start(fake=fake, name="first")
        second = daemons.start(fake=fake, name="second")
        wait_until(lambda: all(len([r for r in runs(engine, k) if r.outcome == "finished"]) >= 3
                               for k in ("alpha", "beta")), 30, "three runs of each site", first.log)
        assert daemons.stop(first) == 0 and daemons.stop(second) == 0
        for key in ("alpha", "beta"):
            spans = [(r.started_at, r.finished_at) for r in runs(engine, key)]
            assert all(end is not None for _, end in spans)
            for (_, end), (start, _) in pairwise(spans):
                assert start >= end, f"{key}: runs overlap: {spans}"
        for proc in (first, second):  # both tried; whoever lost found the site busy
            log = proc.log.read_text()
            assert "crawl started" in log or "being crawled by" in log, log
            assert "Traceback" not in log, log
    finally:
        daemons.cleanup()
        engine.dispose()


def test_a_hanging_crawl_is_killed_at_its_timeout_while_others_keep_going(tmp_path, engine, daemons):
    write_sites(tmp_path, slow="interval:1h", fast="interval:1s")
    d = daemons.start(
        env={"SCT_ARCHIVE_SITE_TIMEOUTS": "slow=2.5", "SCT_ARCHIVE_KILL_GRACE": "0.5"},
        fake={"default": {"seconds": 0.2}, "slow": {"seconds": 60, "ignore_term": True}},
    )
    slow = wait_until(lambda: [r for r in runs(engine, "slow") if r.outcome == "timeout"],
                      20, "the slow crawl to time out", d.log)[0]
    assert (slow.finished_at - slow.started_at).total_seconds() < 10
    assert "timed out" in slow.error and dead(slow.pid)
    fast = [r for r in runs(engine, "fast") if r.outcome == "finished"]
    assert [r for r in fast if r.started_at < slow.finished_at and r.finished_at > slow.started_at]
    wait_until(lambda: len([r for r in runs(engine, "fast") if r.outcome == "finished"]) > len(fast),
               10, "fast to be crawled again after the timeout", d.log)
    assert holder_of(engine, "slow") is None
    assert daemons.stop(d) == 0
    assert "ran past its 2.5 s timeout" in d.log.read_text()


def test_kill_9_then_restart_recovers_and_runs_the_request(tmp_path, engine, daemons):
    write_sites(tmp_path, alpha="off")
    d = daemons.start(fake={"alpha": {"seconds": 60}})
    rid = queue.enqueue(engine, "alpha")
    [run] = wait_until(lambda: [r for r in runs(engine) if r.outcome == "running"], 20,
                       "the crawl to start", d.log)
    d.kill()
    d.wait(timeout=10)
    wait_until(lambda: dead(run.pid), 5, "the orphaned crawl to die with its daemon")
    assert queue.get(engine, rid).status == "running"  # as the dead daemon left it
    again = daemons.start(fake={"alpha": {"seconds": 0.2}}, name="again")
    wait_until(lambda: queue.get(engine, rid).status == "done", 20, "the request", again.log)
    first, second = runs(engine, "alpha")
    assert (first.outcome, second.outcome) == ("interrupted", "finished")
    assert "process ended without closing the run" in first.error
    assert queue.get(engine, rid).run_id == second.id and queue.get(engine, rid).attempts == 2
    assert daemons.stop(again) == 0
    assert "recovered after an unclean stop: 1 run(s) closed" in again.log.read_text()


def jobs(engine) -> dict[str, float]:
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT id, next_run_time FROM apscheduler_jobs")).all())


def test_restarts_neither_duplicate_jobs_nor_crawl_twice(tmp_path, engine, daemons):
    write_sites(tmp_path, alpha="interval:1h", beta="interval:2h", gone="interval:1h")
    d = daemons.start()
    wait_until(lambda: len([r for r in runs(engine) if r.outcome == "finished"]) == 3, 20,
               "the first crawls", d.log)
    assert sorted(jobs(engine)) == ["crawl:alpha", "crawl:beta", "crawl:gone"]
    assert daemons.stop(d) == 0
    write_sites(tmp_path, alpha="interval:1h", beta="interval:2h", gone="off")
    again = daemons.start(name="again")
    wait_until(lambda: "2 site(s) scheduled" in again.log.read_text(), 20, "the restart", again.log)
    time.sleep(1.0)  # several poll rounds: nothing may start
    after = jobs(engine)
    assert sorted(after) == ["crawl:alpha", "crawl:beta"]  # replaced, the disabled one removed
    last = {r.key: r.started_at.timestamp() for r in runs(engine)}
    assert abs(after["crawl:alpha"] - (last["alpha"] + 3600)) < 5  # due an hour after its crawl
    assert abs(after["crawl:beta"] - (last["beta"] + 7200)) < 5
    assert len(runs(engine)) == 3
    assert daemons.stop(again) == 0


def test_once_crawls_what_is_due_and_the_queue_then_exits(tmp_path, db, engine, daemons):
    write_sites(tmp_path, alpha="interval:1h", beta="off", broken="interval:1h")
    rid = queue.enqueue(engine, "beta")
    d = daemons.start("--once", fake={"broken": {"exit": 1}})
    assert d.wait(timeout=30) == 1  # broken failed
    assert sorted((r.key, r.outcome) for r in runs(engine)) == [
        ("alpha", "finished"), ("beta", "finished"), ("broken", "failed")]
    assert queue.get(engine, rid).status == "done"
    d = daemons.start("--once", name="again")
    assert d.wait(timeout=30) == 0
    assert len(runs(engine)) == 3  # nothing was due


# -- end to end, with the real crawl ---------------------------------------------------------------

try:
    import crawler.commands.crawl  # noqa: F401

    HAVE_CRAWL = True
except ImportError:
    HAVE_CRAWL = False

needs_crawl = pytest.mark.skipif(not HAVE_CRAWL, reason="crawler.commands.crawl not written yet")
FAST = "-s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=False"


def real_crawl_env(sites: Path) -> dict[str, str]:
    return {"SCT_ARCHIVE_SITES": str(sites), "SCT_ARCHIVE_CRAWL_COMMAND": f"{sys.executable} -m archive",
            "SCT_ARCHIVE_CRAWL_ARGS": FAST}


@pytest.fixture
def seed_server():
    with serving() as base:
        yield base, EXPECTED


@needs_crawl
@pytest.mark.slow
def test_daemon_runs_a_queued_recrawl_with_the_real_crawl(tmp_path, engine, daemons, seed_server):
    base, expected = seed_server
    sites = tmp_path / "sites.toml"
    sites.write_text(registry_toml(base, enabled=False), encoding="utf-8")
    d = daemons.start(env=real_crawl_env(sites))
    rid = queue.enqueue(engine, "seed")
    req = wait_until(lambda: (r := queue.get(engine, rid)).status not in ("queued", "running") and r,
                     90, "the real crawl", d.log)
    assert (req.status, req.exit_code) == ("done", 0), d.log.read_text()[-3000:]
    [run] = runs(engine, "seed")
    assert (run.outcome, run.trigger, req.run_id) == ("finished", "recrawl", run.id)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Article)).scalar() == 1
    assert daemons.stop(d) == 0
    assert expected["title"]


def _sample_sites():
    for name in ("sample_sites", "tests.sample_sites"):
        try:
            module = __import__(name, fromlist=["SITES", "SampleServer"])
            return module.SITES, module.SampleServer
        except (ImportError, AttributeError):
            continue
    return None


@needs_crawl
@pytest.mark.slow
@pytest.mark.skipif(_sample_sites() is None, reason="tests/sample_sites not written yet")
def test_daemon_archives_new_articles_of_a_sample_liferay_site(tmp_path, engine, daemons):
    SITES, SampleServer = _sample_sites()
    site = SITES["liferay"](n_articles=8)
    with SampleServer(site) as srv:
        sites = tmp_path / "sites.toml"
        starts = ", ".join(f'"{u}"' for u in site.start_urls())
        sites.write_text(
            f'[[site]]\nkey = "sample-liferay"\nname = "Sample Liferay"\nkind = "sct"\n'
            f'province = "Hồ Chí Minh"\nbase_url = "{srv.base_url}"\nstart_urls = [{starts}]\n'
            f'profile = "liferay"\nenabled = false\n', encoding="utf-8")
        d = daemons.start(env=real_crawl_env(sites))

        def crawl_and_count() -> int:
            rid = queue.enqueue(engine, "sample-liferay")
            req = wait_until(
                lambda: (r := queue.get(engine, rid)).status not in ("queued", "running") and r,
                120, "the real crawl", d.log)
            assert (req.status, req.exit_code) == ("done", 0), d.log.read_text()[-3000:]
            with engine.connect() as conn:
                return conn.execute(select(func.count()).select_from(Article)).scalar()

        assert crawl_and_count() == 8
        site.add_articles(3)
        assert crawl_and_count() == 11  # the new ones, incrementally
        assert daemons.stop(d) == 0


# -- end to end, real crawls of a sample site: kill -9 mid-crawl, two daemons ---------------------

SAMPLE_KEY = "sample-liferay"


def sample_registry(tmp_path: Path, srv, site, *, schedule: str | None = None) -> Path:
    """A registry holding the sample site served by ``srv`` (``schedule`` None: recrawls only)."""
    starts = ", ".join(f'"{u}"' for u in site.start_urls())
    path = tmp_path / "sites.toml"
    path.write_text(
        f'[[site]]\nkey = "{SAMPLE_KEY}"\nname = "Sample Liferay"\nkind = "sct"\n'
        f'province = "Hồ Chí Minh"\nbase_url = "{srv.base_url}"\nstart_urls = [{starts}]\n'
        f'profile = "liferay"\n'
        + (f'schedule = "{schedule}"\n' if schedule else "enabled = false\n"),
        encoding="utf-8")
    return path


def archived(engine) -> list:
    """(article key, number of versions, title of the current version) of every article."""
    with engine.connect() as conn:
        return list(conn.execute(
            select(Article.article_key, func.count(ArticleVersion.id),
                   func.max(ArticleVersion.title))
            .join(ArticleVersion, ArticleVersion.article_id == Article.id, isouter=True)
            .group_by(Article.id, Article.article_key).order_by(Article.article_key)
        ))


def assert_archived_once(engine, site) -> None:
    """Every article of the site is archived, each exactly once, with one version."""
    rows = archived(engine)
    truth = site.ground_truth()
    assert len(rows) == len(truth), [r.article_key for r in rows]
    assert len({r.article_key for r in rows}) == len(rows)
    assert [r for r in rows if r[1] != 1] == [], "articles with no or several versions"
    assert sorted(r[2] for r in rows) == sorted(a["title"] for a in truth)


@needs_crawl
@pytest.mark.slow
@pytest.mark.skipif(_sample_sites() is None, reason="tests/sample_sites not written yet")
def test_kill_9_mid_real_crawl_then_restart_loses_and_duplicates_nothing(tmp_path, engine, daemons):
    from crawler.profiles import get_profile

    SITES, SampleServer = _sample_sites()
    site = SITES["liferay"](n_articles=30)
    with SampleServer(site) as srv:
        env = real_crawl_env(sample_registry(tmp_path, srv, site))
        # one article in the middle of the site answers only when released: with one
        # request at a time per site, the crawl is stuck there, half-way
        victim = site.articles[len(site.articles) // 2]
        hung = urlsplit(get_profile("liferay").canonical_url(site.article_url(victim))).path
        assert [a for a in site.articles if urlsplit(site.article_url(a)).path.startswith(hung)] == [victim]
        srv.hang(hung, 120)
        d = daemons.start(env=env)
        rid = queue.enqueue(engine, SAMPLE_KEY)
        wait_until(lambda: srv.hanging, 90, "the crawl to reach the hung article", d.log)
        # pages are read in the extraction pool while the next one downloads: the articles
        # before the hung one reach the archive soon after it is requested, not before
        wait_until(lambda: len(archived(engine)) > 0, 60, "the first articles to be archived", d.log)
        [run] = runs(engine, SAMPLE_KEY)
        assert run.outcome == "running"
        lease = holder_of(engine, SAMPLE_KEY)
        assert lease is not None and lease[0].endswith(f":{run.pid}")
        crawl = [p.pid for p in psutil.Process(d.pid).children(recursive=True)]
        assert run.pid in crawl

        d.kill()
        d.wait(timeout=10)
        killed = time.time()
        wait_until(lambda: all(dead(pid) for pid in crawl), 5,
                   "the crawl to die with its daemon (no orphan keeps crawling)")
        before = len(archived(engine))
        assert 0 < before < 30  # killed mid-crawl
        srv.clear_faults()  # the hung request is answered, to nobody
        # nobody renews the lease now: it expires after the lease time (2 s)
        wait_until(lambda: holder_of(engine, SAMPLE_KEY) is None, 10, "the lease to expire")
        assert time.time() - killed < 2 + 3
        assert [r.outcome for r in runs(engine, SAMPLE_KEY)] == ["running"]  # as the crash left it
        assert queue.get(engine, rid).status == "running"
        assert len(archived(engine)) == before  # nothing crawled since the kill

        restarted = time.time()
        # no request reached the site while no daemon ran (the hung one arrived before)
        assert [e.path for e in srv.requests() if killed <= e.time < restarted] == []
        again = daemons.start(env=env, name="again")
        req = wait_until(
            lambda: (r := queue.get(engine, rid)).status not in ("queued", "running") and r,
            90, "the requeued request", again.log)
        assert (req.status, req.exit_code, req.attempts) == ("done", 0, 2), again.log.read_text()[-3000:]
        first, second = runs(engine, SAMPLE_KEY)
        assert first.id == run.id and first.outcome == "interrupted" and first.finished_at is not None
        assert "process ended without closing the run" in first.error
        assert (second.outcome, second.trigger, req.run_id) == ("finished", "recrawl", second.id)
        assert second.started_at >= first.finished_at
        assert_archived_once(engine, site)
        assert holder_of(engine, SAMPLE_KEY) is None
        assert daemons.stop(again) == 0
        assert "recovered after an unclean stop: 1 run(s) closed" in again.log.read_text()
        assert not srv.errors


@needs_crawl
@pytest.mark.slow
@pytest.mark.skipif(_sample_sites() is None, reason="tests/sample_sites not written yet")
def test_two_daemons_never_crawl_one_sample_site_at_once(tmp_path, db_url):
    SITES, SampleServer = _sample_sites()
    site = SITES["liferay"](n_articles=20)
    engine = open_engine(db_url)
    daemons = Daemons(tmp_path, db_url)
    try:
        with SampleServer(site) as srv:
            env = {**real_crawl_env(sample_registry(tmp_path, srv, site, schedule="interval:2s")),
                   "SCT_ARCHIVE_MAX_ATTEMPTS": "20"}
            first = daemons.start(env=env, name="first")
            second = daemons.start(env=env, name="second")
            ids = [queue.enqueue(engine, SAMPLE_KEY) for _ in range(3)]
            wait_until(lambda: all(queue.get(engine, i).status == "done" for i in ids)
                       and len([r for r in runs(engine) if r.outcome == "finished"]) >= 4,
                       120, "the recrawls and four finished runs", first.log)
            assert daemons.stop(first) == 0 and daemons.stop(second) == 0
            log = srv.requests()

        # crawl_runs: one site, runs one after the other
        done = sorted(runs(engine, SAMPLE_KEY), key=lambda r: r.started_at)
        spans = [(r.started_at, r.finished_at) for r in done]
        assert all(end is not None for _, end in spans), spans
        for (_, end), (start, _) in pairwise(spans):
            assert start >= end, f"runs overlap: {spans}"
        assert {r.outcome for r in done} <= {"finished", "interrupted"}  # the stop may cut one
        # the server's log: every request falls in exactly one run (none from a crawl
        # that found the site busy), and each run fetched robots.txt and the first
        # listing page once (a second crawl interleaved would have fetched them again)
        windows = [(s.timestamp(), e.timestamp()) for s, e in spans]
        per_run: list[list] = [[] for _ in windows]
        for entry in log:
            inside = [i for i, (s, e) in enumerate(windows) if s <= entry.time <= e]
            assert len(inside) == 1, (entry.path, entry.time, windows)
            per_run[inside[0]].append(entry.path)
        start_path = urlsplit(site.start_urls()[0]).path
        for run, paths in zip(done, per_run, strict=True):
            assert paths.count("/robots.txt") <= 1, paths
            listings = paths.count(start_path)
            assert listings == 1 or (listings == 0 and run.outcome == "interrupted"), paths
        assert_archived_once(engine, site)
        for proc in (first, second):
            assert "Traceback" not in proc.log.read_text(), proc.log.read_text()[-3000:]
        # both daemons crawled, and they did contend for the site: a due site found leased,
        # or a crawl started in the race that found the lease taken (exit 75)
        assert "crawl started" in first.log.read_text() and "crawl started" in second.log.read_text()
        logs = first.log.read_text() + second.log.read_text()
        assert "being crawled by" in logs or "skipped (site busy)" in logs, logs[-3000:]
    finally:
        daemons.cleanup()
        engine.dispose()
