"""The demo shows the product: registered sites, a second day with new and edited articles,
a ``history`` hint with two versions; its archive survives reextract and a WARC round trip;
signals end it honestly; crawl logs are quiet (issue 12)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

import scheduler.__main__  # noqa: F401  (registers daemon/recrawl/status on the cli group)
from archive.cli import cli
from archive.storage.models import Article, ArticleVersion, Site
from archive.storage.store import Archive

ROOT = Path(__file__).resolve().parents[2]


def env_without_archive_vars(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCT_ARCHIVE_")}
    env.update(PYTHONPATH=str(ROOT), **extra)
    return env


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo")
    db = tmp / "demo.sqlite3"
    done = subprocess.run(
        [sys.executable, "-m", "archive", "--db", str(db), "demo", "--site", "liferay",
         "--site", "joomla", "--articles", "8"],
        env=env_without_archive_vars(), cwd=tmp, capture_output=True, text=True, timeout=300)
    return tmp, f"sqlite:///{db}", done


def n_articles(db: str) -> int:
    with Archive.open(db) as a, a.sessions() as s:
        return s.scalar(select(func.count()).select_from(Article))


def test_the_demo_plays_two_days_and_points_at_an_article_with_two_versions(demo):
    _tmp, db, done = demo
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    out = done.stdout
    assert re.search(r"day 2: the sample sites published \d+ new articles and edited \d+", out), out
    hint = re.search(r"sct-archive history (\d+)", out)
    assert hint, out
    history = CliRunner().invoke(cli, ["--db", db, "history", hint.group(1)])
    assert history.exit_code == 0 and ": 2 version(s)" in history.output, history.output
    with Archive.open(db) as a, a.sessions() as s:
        keys = s.scalars(select(Site.key).order_by(Site.key)).all()
        assert keys == ["demo-joomla", "demo-liferay"]
        two = s.scalar(select(func.count()).select_from(
            select(ArticleVersion.article_id).group_by(ArticleVersion.article_id)
            .having(func.count() > 1).subquery()))
        assert two >= 2  # one edited article per site


def test_demo_sites_are_known_to_status_recrawl_and_sites(demo, monkeypatch):
    _tmp, db, _done = demo
    for var in [v for v in os.environ if v.startswith("SCT_ARCHIVE_")]:
        monkeypatch.delenv(var)
    status = CliRunner().invoke(cli, ["--db", db, "status", "demo-liferay", "--json"])
    assert status.exit_code in (0, 1) and "unknown site" not in status.output, status.output
    assert '"site": "demo-liferay"' in status.output
    before = n_articles(db)
    recrawl = CliRunner().invoke(cli, ["--db", db, "recrawl", "demo-joomla"])
    assert recrawl.exit_code == 0, recrawl.output
    assert recrawl.stdout.startswith("queued recrawl #")
    sites = CliRunner().invoke(cli, ["--db", db, "sites"])
    assert "demo-liferay" in sites.output and "demo-joomla" in sites.output
    assert n_articles(db) == before


def test_reextract_and_the_warc_round_trip_leave_the_demo_archive_unchanged(demo, tmp_path,
                                                                             monkeypatch):
    _tmp, db, _done = demo
    monkeypatch.delenv("SCT_ARCHIVE_SITES", raising=False)
    before = n_articles(db)
    result = CliRunner().invoke(cli, ["--db", db, "reextract"])
    assert result.exit_code == 0, result.output
    assert re.search(rf"re-extracted {before} articles: 0 new versions, {before} unchanged", result.output)
    warc = tmp_path / "demo.warc.gz"
    assert CliRunner().invoke(cli, ["--db", db, "export", "--format", "warc",
                                    "--out", str(warc)]).exit_code == 0
    result = CliRunner().invoke(cli, ["--db", db, "import", str(warc)])
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.output and " new" not in result.output
    assert n_articles(db) == before
    check = CliRunner().invoke(cli, ["--db", db, "db", "check"])
    assert check.exit_code == 0, check.output


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
                         ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_the_demo_ends_it_interrupted(sig, code, tmp_path):
    db = tmp_path / "demo.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-m", "archive", "--db", str(db), "demo", "--site", "liferay",
         "--articles", "400"],
        env=env_without_archive_vars(), cwd=tmp_path, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:  # the crawl has started
            if line.startswith("serving "):
                break
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == code, err[-3000:]
    assert (out + err).strip().splitlines()[-1].startswith("interrupted")
    assert "Traceback" not in err
    check = CliRunner().invoke(cli, ["--db", str(db), "db", "check"])
    assert check.exit_code == 0, check.output  # only whole articles were committed


def test_a_refused_connection_is_one_warning_line_naming_the_host(tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = subprocess.run(
        [sys.executable, "-m", "archive", "--db", str(tmp_path / "a.sqlite3"), "crawl", "--url",
         f"http://127.0.0.1:{port}/tin-tuc", "-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_TIMES=1"],
        env=env_without_archive_vars(), cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    network = [line for line in done.stderr.splitlines() if "127.0.0.1" in line
               and "refused" in line.lower()]
    assert len(network) == 1, done.stderr
    assert " WARNING " in network[0] and f"127.0.0.1:{port}" in network[0]


def test_the_public_suffix_list_is_never_fetched():
    from scrapy.downloadermiddlewares import cookies

    import crawler.netlog  # noqa: F401  (configures what Scrapy uses, at import)

    extractor = cookies._split_domain
    assert tuple(extractor.suffix_list_urls) == ()
    assert extractor("www.sct.binhduong.gov.vn").suffix == "gov.vn"


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
                         ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_a_crawl_ends_it_interrupted(sig, code, tmp_path):
    from tests.crawlkit import served

    with served("liferay", tmp_path, n=300) as s:
        proc = s.start()
        try:
            for line in proc.stderr:  # the spider has started
                if "full crawl" in line:
                    break
            proc.send_signal(sig)
            _out, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert proc.returncode == code, err[-3000:]
        assert err.strip().splitlines()[-1].startswith("interrupted")
        assert "Traceback" not in err
        with Archive.open(s.db) as a, a.sessions() as ses:
            from archive.storage.models import CrawlRun

            assert ses.scalars(select(CrawlRun.outcome)).all() == ["interrupted"]
        check = CliRunner().invoke(cli, ["--db", s.db, "db", "check"])
        assert check.exit_code == 0, check.output


def test_a_dns_failure_is_one_warning_line_and_other_errors_pass():
    import logging

    from twisted.internet.error import DNSLookupError

    from crawler.netlog import NetworkErrors

    f = NetworkErrors()

    def record(name, level, msg, exc=None):
        return logging.LogRecord(name, level, __file__, 1, msg, (),
                                 (type(exc), exc, None) if exc else None)

    exc = DNSLookupError("no results for hostname lookup: nosuch.invalid.")
    first = record("scrapy.downloadermiddlewares.robotstxt", logging.ERROR,
                   "Error downloading <GET http://nosuch.invalid/robots.txt>: DNS lookup failed", exc)
    assert f.filter(first)
    assert (first.levelname, first.getMessage(), first.exc_info) == (
        "WARNING", "nosuch.invalid: DNS lookup failed (no such host, or no network)", None)
    again = record("scrapy.core.scraper", logging.ERROR, "Error downloading <GET http://nosuch.invalid/>", exc)
    assert not f.filter(again)  # the same host and cause: said once
    bug = record("scrapy.core.scraper", logging.ERROR, "Spider error processing <GET http://x/>",
                 ValueError("a bug"))
    assert f.filter(bug) and bug.exc_info is not None  # tracebacks stay for bugs


def test_demo_serve_lets_ops_recrawl_a_demo_site_now(tmp_path):
    db = tmp_path / "demo.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-m", "archive", "--db", str(db), "demo", "--site", "liferay",
         "--articles", "4", "--no-day2", "--serve"],
        env=env_without_archive_vars(), cwd=tmp_path, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:
            if line.startswith("serving the sample sites until Ctrl-C"):
                break
        done = subprocess.run(
            [sys.executable, "-m", "archive", "--db", str(db), "recrawl", "demo-liferay", "--now"],
            env=env_without_archive_vars(SCT_ARCHIVE_CRAWL_ARGS="-s DOWNLOAD_DELAY=0"),
            cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    with Archive.open(f"sqlite:///{db}") as a, a.sessions() as s:
        from archive.storage.models import CrawlRun

        assert s.scalars(select(CrawlRun.trigger).order_by(CrawlRun.id)).all() == [
            "manual", "recrawl"]
