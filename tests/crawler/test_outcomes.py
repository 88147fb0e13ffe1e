"""Outcomes that tell the truth: one crawl per outcome through the CLI — its exit code, its
summary line, its ``crawl_runs`` row and what ``status`` says about the site afterwards."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys

import pytest

from archive.outcomes import EXIT_EMPTY, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_UNREACHABLE
from tests.crawlkit import ROOT, path_of, served, served_site, stop, wait_for


def _status(s, *keys: str) -> tuple[int, dict]:
    done = subprocess.run([sys.executable, "-m", "archive", "status", *keys, "--json"], env=s.env,
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)


def _summary(done: subprocess.CompletedProcess, key: str) -> str:
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith(f"{key}: ")]
    assert len(lines) == 1, done.stdout + done.stderr[-2000:]
    return lines[0]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


def test_finished(tmp_path):
    with served("wordpress", tmp_path, n=12) as s:
        done = s.crawl(s.key)
        assert done.returncode == 0
        assert _summary(done, s.key).startswith(f"{s.key}: finished")
        assert s.runs()[-1].outcome == "finished" and s.runs()[-1].error is None
        code, report = _status(s, s.key)
        assert code == 0 and report["sites"][0]["healthy"], report


def test_partial_when_an_article_fails(tmp_path):
    with served("wordpress", tmp_path, n=12) as s:
        gone = s.site.articles[3]
        s.server.fail_next(path_of(s.site.article_url(gone)), status=404, times=50)
        done = s.crawl(s.key)
        assert done.returncode == 0
        line = _summary(done, s.key)
        assert line.startswith(f"{s.key}: partial") and "1 article(s) failed" in line, line
        run = s.runs()[-1]
        assert (run.outcome, run.failed) == ("partial", 1)
        assert len(s.archived()) == 11
        code, report = _status(s, s.key)
        assert code == 0, report


def test_empty_when_the_listing_yields_nothing(tmp_path):
    with served_site("dnnportal", tmp_path, n=0) as s:
        done = s.crawl(s.key, check=False)
        assert done.returncode == EXIT_EMPTY, done.stderr[-3000:]
        line = _summary(done, s.key)
        assert line.startswith(f"{s.key}: empty") and "no article" in line, line
        run = s.runs()[-1]
        assert run.outcome == "empty" and run.pages > 0
        code, report = _status(s, s.key)
        site = report["sites"][0]
        assert code == 1 and not site["healthy"]
        assert any("empty" in w for w in site["warnings"]), site


def test_empty_when_every_article_request_fails(tmp_path):
    with served("wordpress", tmp_path, n=6) as s:
        for a in s.site.articles:
            s.server.fail_next(path_of(s.site.article_url(a)), status=500, times=50)
        done = s.crawl(s.key, "-s", "ARCHIVE_RETRY_BACKOFF_BASE=0.01", check=False)
        assert done.returncode == EXIT_EMPTY
        assert "every article request failed" in _summary(done, s.key)
        assert s.runs()[-1].outcome == "empty"


def test_unreachable_closed_port_is_quick_and_known_to_status(tmp_path):
    with served("wordpress", tmp_path, n=1) as s:
        port = _closed_port()
        env = {**s.env, "SCT_ARCHIVE_SITES": str(tmp_path / "none.toml")}
        (tmp_path / "none.toml").write_text("", encoding="utf-8")
        done = subprocess.run(s.command("--url", f"http://127.0.0.1:{port}/"), env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == EXIT_UNREACHABLE, done.stderr[-3000:]
        assert "Traceback" not in done.stderr
        from crawler.registry import adhoc_site

        key = adhoc_site(f"http://127.0.0.1:{port}/").key
        line = _summary(done, key)
        assert line.startswith(f"{key}: unreachable"), line
        # the closing progress line on stderr names the outcome, not Scrapy's "finished"
        closing = [ln for ln in done.stderr.splitlines() if f"{key}: unreachable (" in ln]
        assert closing and "pages 0" in closing[-1] and "done (finished)" not in done.stderr, done.stderr[-2000:]
        s.env = env
        code, report = _status(s, key)  # an ad hoc site: known from its runs
        site = report["sites"][0]
        assert code == 1 and site["last_run"]["outcome"] == "unreachable"
        assert any("unreachable" in w for w in site["warnings"]), site
        # every site with runs is listed, registered or not
        code, everything = _status(s)
        assert key in {x["site"] for x in everything["sites"]} and code == 1


def test_the_feed_announces_an_unhealthy_run_only_when_asked(tmp_path):
    from xml.etree import ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    with served("wordpress", tmp_path, n=6) as s:
        for a in s.site.articles:
            s.server.fail_next(path_of(s.site.article_url(a)), status=500, times=50)
        quiet, told = tmp_path / "quiet.atom", tmp_path / "told.atom"
        done = s.crawl(s.key, "-s", "ARCHIVE_RETRY_BACKOFF_BASE=0.01", "-s", f"ARCHIVE_FEED_PATH={quiet}",
                       check=False)
        assert done.returncode == EXIT_EMPTY and not quiet.exists()  # off by default
        done = s.crawl(s.key, "-s", "ARCHIVE_RETRY_BACKOFF_BASE=0.01", "-s", f"ARCHIVE_FEED_PATH={told}",
                       "-s", "ARCHIVE_FEED_HEALTH=True", check=False)
        assert done.returncode == EXIT_EMPTY
        entries = ET.parse(told).getroot().findall(f"{atom}entry")
        assert [e.find(f"{atom}category").get("label") for e in entries] == ["health/empty"]
        assert entries[0].findtext(f"{atom}title") == f"{s.key}: crawl empty"
        assert entries[0].findtext(f"{atom}id") == f"urn:sct-archive:run:{s.runs()[-1].id}"


def test_failed_when_the_crawler_breaks(tmp_path):
    with served("wordpress", tmp_path, n=3) as s:
        done = s.crawl(s.key, "-s", 'SPIDER_MIDDLEWARES={"tests.broken_crawl.Explode": 10}',
                       check=False)
        assert done.returncode == EXIT_FAILED
        assert _summary(done, s.key).startswith(f"{s.key}: failed")
        run = s.runs()[-1]
        assert run.outcome == "failed" and "error" in (run.error or "")
        code, report = _status(s, s.key)
        assert code == 1 and report["sites"][0]["warnings"], report


def test_interrupted(tmp_path):
    with served("wordpress", tmp_path, n=12) as s:
        s.server.hang(path_of(s.site.article_url(s.site.articles[-1])), 120)
        proc = s.start(s.key, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
        wait_for(lambda: s.server.hanging >= 1, what="a request held")
        assert stop(proc, signal.SIGTERM) == EXIT_INTERRUPTED
        out = proc.stdout.read()
        assert f"{s.key}: interrupted" in out, out
        assert s.runs()[-1].outcome == "interrupted"
        code, report = _status(s, s.key)
        assert code == 0 and "interrupted" in " ".join(report["sites"][0]["notes"])


@pytest.mark.parametrize("flag", ["--help"])
def test_exit_codes_are_documented(flag):
    done = subprocess.run([sys.executable, "-m", "archive", "crawl", flag], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    for code in ("65", "69", "75", "143"):
        assert code in done.stdout
    docs = (ROOT / "docs" / "outcomes.md").read_text(encoding="utf-8")
    for word in ("finished", "partial", "empty", "unreachable", "failed", "interrupted"):
        assert f"`{word}`" in docs


@pytest.mark.parametrize(("outcome", "code", "status"), [
    ("partial", 0, "done"), ("empty", EXIT_EMPTY, "failed"), ("unreachable", EXIT_UNREACHABLE, "failed"),
])
def test_a_recrawl_request_records_its_runs_outcome(tmp_path, outcome, code, status):
    import os
    from datetime import UTC, datetime, timedelta

    from archive.storage.store import Archive
    from scheduler import queue
    from scheduler.process import record_exit

    db = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    with Archive.open(db) as archive:
        started = datetime.now(UTC) - timedelta(seconds=1)
        run_id = archive.start_run("s1", trigger="recrawl")
        archive.finish_run(run_id, outcome, error=f"why {outcome}")
        rid = queue.enqueue(archive.engine, "s1")
        got = record_exit(archive.engine, site_key="s1", pid=os.getpid(), started_at=started,
                          code=code, request_id=rid)
        assert got == status
        req = queue.requests(archive.engine, statuses=queue.STATUSES)[0]
        assert req.run_id == run_id and req.note == f"run #{run_id} {outcome}: why {outcome}"
