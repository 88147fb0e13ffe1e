"""The crawl command end to end on a minimal Liferay site serving the seed page.

A real HTTP server on 127.0.0.1 (free port) serves a listing, the seed article and
robots.txt; the crawl runs as a child process; assertions are on the archived rows
and the requests the server saw.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, SEED_DIR
from sqlalchemy import func, select

from archive.models import Article, ArticleVersion, CrawlRun
from archive.store import Archive

EXPECTED = json.loads((SEED_DIR / "article.expected.json").read_text(encoding="utf-8"))
ARTICLE_PATH = urlsplit(EXPECTED["url"]).path
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


class SeedSite(BaseHTTPRequestHandler):
    log: ClassVar[list[tuple[str, str]]] = []
    day = "article.html"

    def do_GET(self):
        self.log.append(("GET", self.path))
        if self.path == "/robots.txt":
            body, ctype = b"User-agent: *\nDisallow: /tim-kiem\n", "text/plain"
        elif self.path.startswith("/web/guest/tin-tuc?") or self.path == "/web/guest/tin-tuc":
            body = (
                '<html><head><meta name="generator" content="Liferay Portal"></head><body>'
                '<a href="#main-content" id="skip-to-content">Truy cập nội dung luôn</a>'
                f'<div class="asset-publisher"><div class="asset-abstract"><a href="{ARTICLE_PATH}'
                '?redirect=%2Fweb%2Fguest%2Ftin-tuc&amp;p_p_id=101_INSTANCE_x">Hội nghị</a></div>'
                f'<div class="asset-abstract"><a href="{ARTICLE_PATH};jsessionid=ABC?viewMode=print">'
                'In</a></div></div><a href="/tim-kiem?q=x">Tìm kiếm</a></body></html>'
            ).encode()
            ctype = "text/html; charset=utf-8"
        elif self.path.split("?")[0].split(";")[0] == ARTICLE_PATH:
            body, ctype = (SEED_DIR / self.day).read_bytes(), "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site(tmp_path):
    SeedSite.log = []
    SeedSite.day = "article.html"
    server = ThreadingHTTPServer(("127.0.0.1", 0), SeedSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    sites = tmp_path / "sites.toml"
    sites.write_text(
        f'[[site]]\nkey = "seed"\nname = "Seed"\nkind = "sct-legacy"\nprovince = "Hồ Chí Minh"\n'
        f'former_province = "Bình Dương"\nbase_url = "{base}"\nstart_urls = ["{base}/web/guest/tin-tuc"]\n'
        f'profile = "liferay"\n', encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    env = {"SCT_ARCHIVE_SITES": str(sites), "SCT_ARCHIVE_DB": db}
    yield base, db, env
    server.shutdown()
    server.server_close()


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
    from archive.db import open_engine
    from archive.leases import acquire

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
