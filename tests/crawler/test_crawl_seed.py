"""The crawl command end to end on a minimal Liferay site serving the seed page.

A real HTTP server on 127.0.0.1 (free port) serves a listing, the seed article and
robots.txt; the crawl runs as a child process; assertions are on the archived rows
and the requests the server saw.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from archive.storage.models import Article, ArticleVersion, CrawlRun
from archive.storage.store import Archive
from tests.conftest import ROOT
from tests.seedsite import ARTICLE_PATH, EXPECTED, SeedSite, registry_toml, serving

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


@pytest.fixture
def site(tmp_path):
    with serving() as base:
        sites = tmp_path / "sites.toml"
        sites.write_text(registry_toml(base), encoding="utf-8")
        db = f"sqlite:///{tmp_path / 'a.sqlite3'}"
        yield base, db, {"SCT_ARCHIVE_SITES": str(sites), "SCT_ARCHIVE_DB": db}


def crawl(env, *args, check=True):
    import os

    done = subprocess.run([sys.executable, "-m", "archive", "crawl", *args, *FAST],
                          env={**os.environ, **env}, cwd=ROOT, capture_output=True, text=True,
                          timeout=180)
    if check:
        assert done.returncode == 0, done.stderr[-3000:]
    return done


def counts(db):
    with Archive.open(db) as a, a.sessions() as s:
        return (s.scalar(select(func.count()).select_from(Article)),
                s.scalar(select(func.count()).select_from(ArticleVersion)))


def test_crawl_archives_the_seed_once_whatever_url_variant(site):
    _base, db, env = site
    out = json.loads(crawl(env, "seed", "--json").stdout)
    run = out["runs"][0]
    assert (run["outcome"], run["new_articles"], run["failed"], run["complete"]) == ("finished", 1, 0, True)
    assert counts(db) == (1, 1)
    with Archive.open(db) as a, a.sessions() as s:
        version = s.scalars(select(ArticleVersion)).one()
        assert version.title == EXPECTED["title"] and str(version.published) == "2018-12-02"
        assert version.produced_by == "crawl"
    article_gets = [p for m, p in SeedSite.log if p.startswith(ARTICLE_PATH)]
    assert article_gets == [ARTICLE_PATH]  # both variants canonicalized to one request
    assert not [p for m, p in SeedSite.log if p.startswith("/tim-kiem")]  # robots.txt obeyed


def test_next_day_widget_is_not_a_new_version_and_recrawl_is_incremental(site):
    _base, db, env = site
    crawl(env, "seed")
    SeedSite.day = "article-next-day.html"
    SeedSite.log.clear()
    crawl(env, "seed", "--full")
    assert counts(db) == (1, 1)
    assert any(p == ARTICLE_PATH for _m, p in SeedSite.log)
    SeedSite.log.clear()
    crawl(env, "seed")  # incremental: the 2018 article is too old to revisit
    assert not [p for _m, p in SeedSite.log if p.startswith(ARTICLE_PATH)]
    with Archive.open(db) as a, a.sessions() as s:
        outcomes = [r.outcome for r in s.scalars(select(CrawlRun).order_by(CrawlRun.id))]
    assert outcomes == ["finished", "finished", "finished"]


def test_a_busy_site_is_skipped_with_exit_75(site):
    from archive.storage.db import open_engine
    from archive.storage.leases import acquire

    _base, db, env = site
    engine = open_engine(db)
    assert acquire(engine, "seed", "someone-else", 60)
    done = crawl(env, "seed", check=False)
    assert done.returncode == 75
    assert "being crawled by someone-else" in done.stderr
    assert not [p for _m, p in SeedSite.log if p != "/robots.txt"]
    engine.dispose()


def test_user_mistakes_are_one_line(site):
    _base, _db, env = site
    for args in (["nope"], ["seed", "-s", "NOEQUALS"], ["--url", "ftp://x"], []):
        done = crawl(env, *args, check=False)
        assert done.returncode != 0
        assert "Traceback" not in done.stderr
        assert len([x for x in done.stderr.strip().splitlines() if x.startswith("Error")]) == 1, done.stderr
    assert SeedSite.log == []
