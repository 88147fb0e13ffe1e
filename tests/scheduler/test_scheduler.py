"""The scheduler's parts: settings, the recrawl queue, schedules, exit records, ``status``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

import scheduler.__main__  # noqa: F401  (registers daemon/recrawl/status on the cli group)
from archive.cli import cli
from archive.errors import InputError
from archive.storage.db import open_engine
from archive.storage.leases import acquire
from archive.storage.models import CrawlRequest, CrawlRun
from archive.storage.store import Archive
from crawler.registry import parse_registry
from scheduler import queue
from scheduler.config import ENV, SchedulerConfig, load_config
from scheduler.daemon import make_trigger, next_due, scheduled_jobs
from scheduler.process import crawl_argv, record_exit

ROOT = Path(__file__).resolve().parents[2]


def registry_toml(**schedules: str) -> str:
    """A registry of local sites: key=schedule (``off`` → disabled)."""
    out = []
    for i, (key, schedule) in enumerate(schedules.items(), 1):
        out.append(
            f'[[site]]\nkey = "{key}"\nname = "Site {key}"\nkind = "sct"\nprovince = "Hà Nội"\n'
            f'base_url = "http://127.0.0.{i}:9"\nprofile = "liferay"\n'
            + ("enabled = false\n" if schedule == "off" else f'schedule = "{schedule}"\n')
        )
    return "\n".join(out)


@pytest.fixture
def engine(db_url):
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


# -- settings -----------------------------------------------------------------------------------


def test_config_defaults_file_then_environment(tmp_path):
    assert load_config(env={}) == SchedulerConfig()
    path = tmp_path / "daemon.toml"
    path.write_text('max_parallel = 4\npoll_interval = 0.5\ncrawl_command = ["crawl-it"]\n'
                    '[site_timeouts]\n"sct-hanoi" = 60\n', encoding="utf-8")
    config = load_config(path, env={"SCT_ARCHIVE_MAX_PARALLEL": "3",
                                    "SCT_ARCHIVE_CRAWL_ARGS": "-s 'DOWNLOAD_DELAY=2'"})
    assert (config.max_parallel, config.poll_interval) == (3, 0.5)  # env wins over the file
    assert config.crawl_command == ("crawl-it",)
    assert config.crawl_args == ("-s", "DOWNLOAD_DELAY=2")
    assert config.timeout_for("sct-hanoi") == 60 and config.timeout_for("x") == 4 * 3600
    config = load_config(env={"SCT_ARCHIVE_CONFIG": str(path)})
    assert config.max_parallel == 4
    assert config.with_overrides(max_parallel=None, poll_interval=0.1).poll_interval == 0.1


@pytest.mark.parametrize("text, message", [
    ("max_paralel = 3", "unknown setting(s) max_paralel"),
    ("max_parallel = 'two'", "max_parallel must be a whole number"),
    ("max_parallel = 0", "max_parallel must be positive"),
    ("health_max_no_date = 2", "share between 0 and 1"),
    ("timezone = 'Mars/Olympus'", "unknown time zone"),
    ("max_parallel = [", "not valid TOML"),
])
def test_config_mistakes_are_one_clear_error(tmp_path, text, message):
    path = tmp_path / "daemon.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        load_config(path, env={})


def test_docs_name_every_setting_and_environment_variable():
    doc = (ROOT / "docs" / "daemon.md").read_text(encoding="utf-8")
    missing = [f"{name} / {var}" for name, var in ENV.items()
               if f"`{name}`" not in doc or f"`{var}`" not in doc]
    assert missing == [], "document these in docs/daemon.md"
    unit = (ROOT / "deploy" / "sct-archive.service").read_text(encoding="utf-8")
    stop = int(re.search(r"^TimeoutStopSec=(\d+)", unit, re.M).group(1))
    assert stop > SchedulerConfig().shutdown_grace
    assert "KillMode=mixed" in unit and "sct-archive daemon" in unit


# -- the queue ----------------------------------------------------------------------------------


def test_claim_takes_the_oldest_free_request(engine):
    first = queue.enqueue(engine, "a", requested_by="me")
    second = queue.enqueue(engine, "b", full=True, urls=["https://b.example/1"])
    third = queue.enqueue(engine, "a")
    assert acquire(engine, "b", "someone", 60)  # b is being crawled: its request waits
    got = queue.claim_next(engine, "d1")
    assert (got.id, got.status, got.attempts, got.claimed_by) == (first, "running", 1, "d1")
    assert queue.claim_next(engine, "d1", exclude=["a"]) is None
    got = queue.claim_next(engine, "d1")
    assert got.id == third
    queue.finish(engine, first, queue.DONE, exit_code=0)
    queue.requeue(engine, third, note="site busy")
    assert [r.id for r in queue.requests(engine)] == [second, third]
    assert queue.get(engine, first).status == "done"
    with engine.begin() as conn:
        conn.execute(update(CrawlRequest).values(status="running", claimed_by="ghost"))
    assert queue.recover(engine) == []  # another host's claims are not ours to judge
    with pytest.raises(ValueError):
        queue.finish(engine, first, "running")


def test_recover_requeues_requests_of_a_dead_daemon(engine):
    import socket

    rid = queue.enqueue(engine, "a")
    queue.claim_next(engine, f"{socket.gethostname()}:4242")
    assert queue.recover(engine, alive=lambda pid: True) == []
    assert queue.recover(engine, alive=lambda pid: pid != 4242) == [rid]
    req = queue.get(engine, rid)
    assert (req.status, req.claimed_by) == ("queued", None)


def test_recover_requeues_every_orphan_and_nothing_else(engine):
    import socket

    host = socket.gethostname()
    ids = {}
    for key, claimer in (("a", f"{host}:4242"), ("b", f"{host}:4343"), ("c", f"{host}:5151"),
                         ("d", "elsewhere:4242")):
        ids[key] = queue.enqueue(engine, key)
        queue.claim_next(engine, claimer)
    done = queue.enqueue(engine, "e")
    queue.claim_next(engine, f"{host}:4242")
    queue.finish(engine, done, queue.DONE, exit_code=0)
    assert queue.recover(engine, alive=lambda pid: pid == 4343) == [ids["a"], ids["c"]]
    status = {key: queue.get(engine, rid).status for key, rid in ids.items()}
    assert status == {"a": "queued", "b": "running", "c": "queued", "d": "running"}
    assert queue.get(engine, done).status == "done"
    assert queue.get(engine, ids["a"]).note == "requeued: the daemon that started it died"


CLAIMER = """
import sys
from archive.storage.db import open_engine
from scheduler.queue import claim_next
engine = open_engine(sys.argv[1])
got = []
while (req := claim_next(engine, sys.argv[2])) is not None:
    got.append(req.id)
print(" ".join(map(str, got)))
"""


def test_concurrent_claimers_never_share_a_request(db_url, engine):
    ids = [queue.enqueue(engine, f"site-{i}") for i in range(30)]
    procs = [subprocess.Popen([sys.executable, "-c", CLAIMER, db_url, f"c{i}"],
                              stdout=subprocess.PIPE, text=True) for i in range(3)]
    claimed = [int(x) for p in procs for x in p.communicate(timeout=60)[0].split()]
    assert all(p.returncode == 0 for p in procs)
    assert sorted(claimed) == ids  # each exactly once


# -- schedules and the crawl contract ----------------------------------------------------------


def test_next_due_from_the_last_crawl():
    registry = parse_registry(registry_toml(a="interval:6h", c="cron:0 */4 * * *"))
    now = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
    a, c = registry.get("a"), registry.get("c")
    assert next_due(a, None, now, UTC) == now  # never crawled: now
    assert next_due(a, now - timedelta(hours=1), now, UTC) == now + timedelta(hours=5)
    assert next_due(c, datetime(2026, 11, 24, 8, 1, tzinfo=UTC), now, UTC) == datetime(
        2026, 11, 24, 12, 0, tzinfo=UTC)
    assert make_trigger(a, UTC, jitter=10).jitter == 10
    assert make_trigger(c, UTC, jitter=0).jitter is None


def test_crawl_command_line_is_the_agreed_contract():
    config = SchedulerConfig(crawl_command=("py", "-m", "archive"), crawl_args=("-s", "X=1"))
    assert crawl_argv(config, "sqlite:///a", "k", full=True, urls=["https://u/1"],
                      trigger="recrawl", request_id=7) == [
        "py", "-m", "archive", "--db", "sqlite:///a", "crawl", "k", "--full", "--url",
        "https://u/1", "--trigger", "recrawl", "--request-id", "7", "-s", "X=1"]


def test_record_exit_closes_what_a_dead_crawl_left(archive):
    import os

    engine = archive.engine
    started = datetime.now(UTC)
    run_id = archive.start_run("a", trigger="recrawl")  # "its" pid: ours
    rid = queue.enqueue(engine, "a")
    queue.claim_next(engine, "d")
    pid = os.getpid()
    # killed at its timeout: the run becomes "timeout", the request too, the lease is freed
    holder = f"{__import__('socket').gethostname()}:{pid}"
    assert acquire(engine, "a", holder, 60)
    status = record_exit(engine, site_key="a", pid=pid, started_at=started, code=-9,
                         request_id=rid, timed_out=True)
    with archive.sessions() as s:
        run = s.get(CrawlRun, run_id)
        assert (run.outcome, run.finished_at is not None) == ("timeout", True)
        assert "timed out" in run.error
    assert status == "timeout" and queue.get(engine, rid).run_id == run_id
    assert acquire(engine, "a", "next", 60)
    # busy: back in the queue until the attempts are used up
    rid = queue.enqueue(engine, "b")
    req = queue.claim_next(engine, "d")
    assert record_exit(engine, site_key="b", pid=1, started_at=started, code=75, request_id=rid,
                       requeue_busy=True, attempts=req.attempts, max_attempts=2) == "queued"
    req = queue.claim_next(engine, "d")
    assert record_exit(engine, site_key="b", pid=1, started_at=started, code=75, request_id=rid,
                       requeue_busy=True, attempts=req.attempts, max_attempts=2) == "busy"
    rid = queue.enqueue(engine, "c")
    queue.claim_next(engine, "d")
    assert record_exit(engine, site_key="c", pid=1, started_at=started, code=1,
                       request_id=rid) == "failed"


# -- status -------------------------------------------------------------------------------------


@pytest.fixture
def sites_file(tmp_path, monkeypatch):
    path = tmp_path / "sites.toml"
    path.write_text(registry_toml(good="interval:1h", broken="interval:1h", failing="interval:2h",
                                  fresh="interval:1h", off="off"), encoding="utf-8")
    monkeypatch.setenv("SCT_ARCHIVE_SITES", str(path))
    for var in ENV.values():
        if var not in ("SCT_ARCHIVE_SITES",):
            monkeypatch.delenv(var, raising=False)
    return path


def _run(archive, key, outcome, health=None, **values):
    run_id = archive.start_run(key, trigger="schedule")
    archive.finish_run(run_id, outcome, health=health, **values)
    return run_id


def status_cli(db_url, *args):
    return CliRunner().invoke(cli, ["--db", db_url, "status", *args], catch_exceptions=False)


def test_status_json_shape_and_exit_code(db_url, archive, sites_file):
    ok = {"listing_pages": 2, "empty_listings": 0, "article_pages": 10, "empty_text": 1, "no_date": 0}
    _run(archive, "good", "finished", ok, new_articles=3)
    _run(archive, "good", "finished", {"listing_pages": 1})  # tolerant of missing keys
    _run(archive, "broken", "finished", {"listing_pages": 3, "empty_listings": 3})
    _run(archive, "broken", "finished", {"listing_pages": 2, "empty_listings": 0,
                                         "article_pages": 8, "empty_text": 6, "no_date": 8})
    _run(archive, "failing", "failed", error="closed: twisted failure\nmore")
    _run(archive, "failing", "timeout")
    _run(archive, "off", "failed")
    _run(archive, "off", "failed")  # disabled sites never make status fail
    rid = queue.enqueue(archive.engine, "good", full=True)
    acquire(archive.engine, "good", "somehost:1", 60)

    result = status_cli(db_url, "--json")
    assert result.exit_code == 1, result.output
    out = json.loads(result.output)
    assert set(out) == {"checked_at", "sites", "unhealthy", "queued"}
    assert out["unhealthy"] == ["broken", "failing"] and out["queued"] == 1
    by_key = {s["site"]: s for s in out["sites"]}
    assert list(by_key) == ["good", "broken", "failing", "fresh"]  # enabled, registry order
    good = by_key["good"]
    assert set(good) == {"site", "name", "enabled", "schedule", "last_run", "running", "next_run",
                         "queued", "lease", "healthy", "warnings", "notes", "discovery"}
    assert good["healthy"] and good["warnings"] == []
    assert good["last_run"]["outcome"] == "finished" and good["last_run"]["new_articles"] == 0
    assert good["queued"][0]["id"] == rid and good["queued"][0]["full"] is True
    assert good["lease"]["holder"] == "somehost:1"
    assert good["next_run"] is None  # no daemon has scheduled anything yet
    broken = " | ".join(by_key["broken"]["warnings"])
    assert "75% of 8 article pages without main text" in broken
    assert "without a publication date" in broken
    assert "no article links" not in broken  # one of the two runs found links
    assert by_key["failing"]["warnings"] == [
        "failing: the last 2 runs failed or timed out"]
    assert by_key["fresh"]["notes"] == ["never crawled"] and by_key["fresh"]["healthy"]

    result = status_cli(db_url, "good", "fresh")
    assert result.exit_code == 0
    assert result.output.startswith("good: ok — last ")
    assert "crawled by somehost:1" in result.output and "1 recrawl(s) open" in result.output
    result = status_cli(db_url, "--all")
    assert "off: UNHEALTHY (disabled)" in result.output and result.exit_code == 1


def test_status_flags_listings_without_links_and_shows_the_next_run(db_url, archive, sites_file):
    for _ in range(3):
        _run(archive, "good", "finished", {"listing_pages": 2, "empty_listings": 2})
    result = json.loads(status_cli(db_url, "good", "--json").output)
    assert result["sites"][0]["warnings"] == [
        "no article links on any listing page in the last 3 runs"]

    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    when = datetime(2030, 1, 1, 6, 0, tzinfo=UTC)
    sched = BackgroundScheduler(jobstores={"default": SQLAlchemyJobStore(engine=archive.engine)},
                                timezone=UTC)
    sched.start(paused=True)
    sched.add_job("scheduler.daemon:scheduled_crawl", "interval", hours=1, args=["good"],
                  id="crawl:good", next_run_time=when)
    sched.shutdown(wait=False)
    assert scheduled_jobs(archive.engine) == {"good": when}
    site = json.loads(status_cli(db_url, "good", "--json").output)["sites"][0]
    assert site["next_run"] == when.isoformat()


def test_recrawl_queues_and_prints_request_ids(db_url, sites_file):
    result = CliRunner().invoke(cli, ["--db", db_url, "recrawl", "good", "failing", "--full"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["queued recrawl #1 of good", "queued recrawl #2 of failing"]
    assert "Warning: no daemon has been seen" in result.stderr  # nothing would run them
    result = CliRunner().invoke(cli, ["--db", db_url, "recrawl", "good", "--url",
                                      "http://127.0.0.1:9/a/1", "--json"])
    request = json.loads(result.stdout)["requests"][0]
    assert (request["id"], request["urls"], request["status"]) == (3, ["http://127.0.0.1:9/a/1"], "queued")
    for args, message in ((["nope"], "unknown site 'nope'"),
                          (["good", "--url", "ftp://x"], "not an http(s) URL"),
                          (["good", "failing", "--url", "http://127.0.0.1:9/a"], "one SITE")):
        result = CliRunner().invoke(cli, ["--db", db_url, "recrawl", *args])
        assert result.exit_code != 0 and message in result.output, result.output
    engine = open_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(select(CrawlRequest.id)).scalars().all() == [1, 2, 3]
    engine.dispose()


def test_recrawl_now_runs_the_crawl_in_the_foreground(sqlite_url, sites_file, monkeypatch):
    db_url = sqlite_url
    fake = Path(__file__).resolve().parents[1] / "fake_crawl.py"
    monkeypatch.setenv("SCT_ARCHIVE_CRAWL_COMMAND", f"{sys.executable} -P {fake}")
    monkeypatch.setenv("FAKE_CRAWL", json.dumps({"broken": {"exit": 1}}))
    done = subprocess.run([sys.executable, "-m", "scheduler", "--db", db_url, "recrawl", "good",
                           "--now", "--json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "fake crawl of good" in done.stderr  # the crawl's output reaches the terminal
    assert json.loads(done.stdout)["requests"] == [
        {"id": 1, "site": "good", "status": "done", "exit_code": 0}]
    done = subprocess.run([sys.executable, "-m", "scheduler", "--db", db_url, "recrawl", "broken",
                           "--now"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    with Archive.open(db_url) as a, a.sessions() as s:
        runs = s.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
        assert [(r.trigger, r.outcome) for r in runs] == [("recrawl", "finished"), ("recrawl", "failed")]
        assert [r.status for r in s.scalars(select(CrawlRequest).order_by(CrawlRequest.id))] == [
            "done", "failed"]


def test_recrawl_now_with_a_wrong_crawl_command_is_one_line_and_leaves_no_request(
        sqlite_url, sites_file, monkeypatch):
    monkeypatch.setenv("SCT_ARCHIVE_CRAWL_COMMAND", "/nonexistent/sct-crawl")
    done = subprocess.run([sys.executable, "-m", "scheduler", "--db", sqlite_url, "recrawl", "good",
                           "--now"], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "cannot start the crawl (/nonexistent/sct-crawl)" in done.stderr
    with Archive.open(sqlite_url) as a, a.sessions() as s:
        assert [(r.status, r.note.startswith("cannot start")) for r in s.scalars(select(CrawlRequest))] == [
            ("failed", True)]


def test_the_scheduler_imports_no_spider_code():
    code = ("import sys, scheduler.commands, scheduler.daemon, scheduler.status, scheduler.process;"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted')"
            " or m.startswith('crawler.spiders')]; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
