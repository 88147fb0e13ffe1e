"""The recrawl queue and the daemon: a warning when no daemon listens, identical requests merged,
failed or interrupted runs retried after a short backoff (issue 12)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

import scheduler.__main__  # noqa: F401  (registers daemon/recrawl/status on the cli group)
from archive.cli import cli
from archive.storage.db import open_engine
from archive.storage.models import CrawlRequest, CrawlRun
from archive.storage.store import Archive
from scheduler import queue
from scheduler.config import ENV

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
FAKE = TESTS / "fake_crawl.py"


def write_sites(tmp_path: Path, **schedules: str) -> Path:
    out = []
    for i, (key, schedule) in enumerate(schedules.items(), 1):
        out.append(
            f'[[site]]\nkey = "{key}"\nname = "Site {key}"\nkind = "sct"\nprovince = "Hà Nội"\n'
            f'base_url = "http://127.0.0.{i}:9"\nprofile = "liferay"\nschedule = "{schedule}"\n')
    path = tmp_path / "sites.toml"
    path.write_text("\n".join(out), encoding="utf-8")
    return path


@pytest.fixture
def sites(tmp_path, monkeypatch):
    path = write_sites(tmp_path, good="interval:12h", other="interval:12h")
    for var in ENV.values():
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SCT_ARCHIVE_SITES", str(path))
    return path


def recrawl(db: str, *args: str):
    return CliRunner().invoke(cli, ["--db", db, "recrawl", *args])


def n_requests(db: str) -> int:
    engine = open_engine(db)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(CrawlRequest)).scalar()
    finally:
        engine.dispose()


def test_recrawl_without_a_live_daemon_warns_and_says_how_to_run_now(sqlite_url, sites):
    result = recrawl(sqlite_url, "good")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["queued recrawl #1 of good"]
    warning = result.stderr.strip().splitlines()
    assert len(warning) == 1 and warning[0].startswith("Warning: no daemon has been seen")
    assert "sct-archive daemon" in warning[0] and "sct-archive recrawl good --now" in warning[0]
    assert n_requests(sqlite_url) == 1


def test_recrawl_with_a_live_daemon_does_not_warn(sqlite_url, sites):
    engine = open_engine(sqlite_url)
    queue.heartbeat(engine, "otherhost:4242", ttl=60)
    engine.dispose()
    result = recrawl(sqlite_url, "good")
    assert result.exit_code == 0 and result.stderr == ""


def test_an_identical_pending_request_is_merged(sqlite_url, sites):
    assert recrawl(sqlite_url, "good").exit_code == 0
    result = recrawl(sqlite_url, "good")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["recrawl of good already queued as #1"]
    assert n_requests(sqlite_url) == 1
    assert recrawl(sqlite_url, "good", "--full").stdout.splitlines() == ["queued recrawl #2 of good"]
    assert recrawl(sqlite_url, "other").stdout.splitlines() == ["queued recrawl #3 of other"]
    assert n_requests(sqlite_url) == 3
    # a request that already ran is not pending: a new one is queued
    engine = open_engine(sqlite_url)
    queue.finish(engine, 1, queue.DONE)
    engine.dispose()
    assert recrawl(sqlite_url, "good").stdout.splitlines() == ["queued recrawl #4 of good"]


def _daemon_once(tmp_path: Path, db: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SCT_ARCHIVE_")}
    base.update({"SCT_ARCHIVE_SITES": str(tmp_path / "sites.toml"),
                 "SCT_ARCHIVE_CRAWL_COMMAND": f"{sys.executable} -P {FAKE}",
                 "SCT_ARCHIVE_JITTER": "0", "SCT_ARCHIVE_POLL_INTERVAL": "0.1", **env})
    return subprocess.run([sys.executable, "-m", "scheduler", "--db", db, "daemon", "--once"],
                          env=base, cwd=tmp_path, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("outcome", ["interrupted", "failed"])
def test_an_interrupted_or_failed_run_is_retried_after_the_backoff_not_an_interval(
        outcome, tmp_path, sqlite_url):
    write_sites(tmp_path, good="interval:12h")
    with Archive.open(sqlite_url) as a:
        run = a.start_run("good", trigger="schedule")
        a.finish_run(run, outcome)
        when = datetime.now(UTC) - timedelta(minutes=20)
        with a.engine.begin() as conn:
            conn.execute(update(CrawlRun).values(started_at=when, finished_at=when))
    # 20 minutes ago, a 30-minute backoff: not yet
    done = _daemon_once(tmp_path, sqlite_url, SCT_ARCHIVE_RETRY_BACKOFF="1800")
    assert done.returncode == 0, done.stderr
    with Archive.open(sqlite_url) as a, a.sessions() as s:
        assert s.scalar(select(func.count()).select_from(CrawlRun)) == 1
    # the default backoff is minutes (10): the site is due again, not in 11 h 40 min
    done = _daemon_once(tmp_path, sqlite_url)
    assert done.returncode == 0, done.stderr
    with Archive.open(sqlite_url) as a, a.sessions() as s:
        outcomes = s.scalars(select(CrawlRun.outcome).order_by(CrawlRun.id)).all()
    assert outcomes == [outcome, "finished"]


def test_a_finished_run_waits_its_full_interval(tmp_path, sqlite_url):
    write_sites(tmp_path, good="interval:12h")
    with Archive.open(sqlite_url) as a:
        run = a.start_run("good", trigger="schedule")
        a.finish_run(run, "finished")
        when = datetime.now(UTC) - timedelta(minutes=20)
        with a.engine.begin() as conn:
            conn.execute(update(CrawlRun).values(started_at=when, finished_at=when))
    assert _daemon_once(tmp_path, sqlite_url).returncode == 0
    with Archive.open(sqlite_url) as a, a.sessions() as s:
        assert s.scalar(select(func.count()).select_from(CrawlRun)) == 1


def test_the_retry_backoff_is_a_documented_setting():
    from scheduler.config import SchedulerConfig, load_config

    assert SchedulerConfig().retry_backoff == 600.0
    assert load_config(env={"SCT_ARCHIVE_RETRY_BACKOFF": "120"}).retry_backoff == 120.0
    assert "SCT_ARCHIVE_RETRY_BACKOFF" in (ROOT / "docs" / "daemon.md").read_text(encoding="utf-8")


def test_a_running_daemon_keeps_a_heartbeat_and_removes_it_when_it_stops(tmp_path, sqlite_url, sites):
    from crawler.registry import load_registry
    from scheduler.config import SchedulerConfig
    from scheduler.daemon import Daemon

    registry = load_registry(sites)
    daemon = Daemon(SchedulerConfig(), sqlite_url, registry)
    daemon.tick()
    engine = open_engine(sqlite_url)
    try:
        assert queue.live_daemons(engine) == [daemon.holder]
        assert recrawl(sqlite_url, "good").stderr == ""  # someone is listening
        daemon.shutdown()
        assert queue.live_daemons(engine) == []
    finally:
        engine.dispose()
