"""Acceptance: real crawls of the sample sites (one per CMS profile) on 127.0.0.1.

Each test starts a sample site on a free loopback port, runs ``sct-archive crawl``
in a child process, and asserts on the archived rows and on the requests the server
saw. Sites are changed between crawls the way real sites change: new and edited
articles, a header date widget and "most read" sidebar that change every day.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from datetime import date

import pytest

from tests.crawlkit import ROOT, later, mismatches, path_of, served, stop, wait_for
from tests.sample_sites import SITES

PROFILES = sorted(SITES)
pytestmark = pytest.mark.skipif(not PROFILES, reason="no sample sites")


def _robots_respected(s) -> None:
    for prefix in s.site.robots_disallow:
        assert not [r.path for r in s.server.log if r.path.startswith(prefix)], prefix
    assert any(r.path == "/robots.txt" for r in s.server.log)


@pytest.mark.parametrize("profile", PROFILES)
def test_full_crawl_archives_exactly_the_site(profile, tmp_path):
    with served(profile, tmp_path) as s:
        out = json.loads(s.crawl(s.key, "--json").stdout)
        run = out["runs"][0]
        assert run["outcome"] == "finished" and run["complete"], run
        assert run["new_articles"] == len(s.site.articles) and run["failed"] == 0
        assert mismatches(s) == []
        archived = s.archived()
        assert len(archived) == len(s.site.articles)
        assert all(a["versions"] == 1 for a in archived.values())
        assert any(a["attachments"] for a in archived.values()), "the corpus has attachments"
        # every article fetched once, whatever URL variants the pages link to
        per_key = s.keys_requested()
        assert set(per_key) == set(s.truth()) and max(per_key.values()) == 1, per_key.most_common(3)
        _robots_respected(s)
        agents = {r.headers.get("user-agent", "") for r in s.server.log}
        assert agents and all("sct-archive" in ua and "http" in ua for ua in agents)
        # health of the run is recorded
        health = s.runs()[-1].health
        assert health["article_pages"] >= len(s.site.articles) and health["empty_text"] == 0


@pytest.mark.parametrize("profile", PROFILES)
def test_recrawl_changes_nothing_and_asks_conditionally(profile, tmp_path):
    with served(profile, tmp_path) as s:
        s.crawl()
        s.server.clear_log()
        # at once: nothing is due for a revisit, so only the first listing page(s) are read
        now = json.loads(s.crawl(s.key, "--json").stdout)["runs"][0]
        assert (now["new_articles"], now["new_versions"]) == (0, 0), now
        assert s.article_requests() == []
        assert 1 <= len([r for r in s.server.log if r.path != "/robots.txt"]) <= 3
        s.server.clear_log()
        # 40 days on, every archived article is due for a revisit
        out = json.loads(s.crawl(s.key, "--json", now=later(40)).stdout)["runs"][0]
        assert out["new_articles"] == 0 and out["new_versions"] == 0, out
        revisits = s.article_requests()
        assert len(revisits) == len(s.site.articles)
        for r in revisits:
            assert "if-none-match" in r.headers or "if-modified-since" in r.headers, r.path
            assert r.status == 304, (r.path, r.status)
        # only the listing pages needed to see that nothing is new
        listing = [r for r in s.server.log if r not in revisits and r.path != "/robots.txt"
                   and not s.profile.attachment_url(s.site.base_url + r.path)]
        assert 1 <= len(listing) <= 3, [r.path for r in listing]
        assert out["not_modified"] == len(s.site.articles)


@pytest.mark.parametrize("profile", PROFILES)
def test_recrawl_after_additions_edits_and_new_widgets(profile, tmp_path):
    with served(profile, tmp_path) as s:
        s.crawl()
        before = s.archived()
        added = s.site.add_articles(5)
        edited = [s.site.articles[7], s.site.articles[12]]
        s.site.edit_article(edited[0].id, title=edited[0].title + " (cập nhật)")
        s.site.edit_article(edited[1].id, paragraphs=[*edited[1].paragraphs,
                                                      "Sở Công Thương sẽ tiếp tục theo dõi và báo cáo kết quả."])
        s.site.set_today(date(2026, 12, 25))  # every page's widget and sidebar change
        out = json.loads(s.crawl(s.key, "--json", now=later(40)).stdout)["runs"][0]
        assert (out["new_articles"], out["new_versions"]) == (5, 2), out
        after = s.archived()
        assert len(after) == len(before) + 5
        truth = s.truth()
        changed = {k for k in after if k in before and after[k]["versions"] > 1}
        assert changed == {s.profile.article_key(s.site.article_url(a)) for a in edited}
        for a in added:
            key = s.profile.article_key(s.site.article_url(a))
            assert after[key]["title"] == truth[key]["title"]
        assert mismatches(s) == []


@pytest.mark.parametrize("profile", [p for p in ("liferay", "websphere") if p in SITES] or PROFILES[:1])
def test_a_crawl_killed_midway_loses_and_duplicates_nothing(profile, tmp_path):
    with served(profile, tmp_path) as s:
        oldest = s.site.articles[-1]
        s.server.hang(path_of(s.profile.canonical_url(s.site.article_url(oldest))), 120)
        proc = s.start(s.key, "-s", "DOWNLOAD_TIMEOUT=3", "--lease-ttl", "2")
        wait_for(lambda: sum(r.status == 200 for r in s.article_requests()) >= 8,
                 what="some articles archived")
        assert stop(proc, signal.SIGTERM) != 0  # interrupted, not "finished"
        assert s.runs()[-1].outcome == "interrupted"
        partial = s.archived()
        assert 0 < len(partial) < len(s.site.articles)

        proc = s.start(s.key, "--lease-ttl", "2")
        wait_for(lambda: len(s.archived()) > len(partial), what="more articles")
        proc.kill()  # kill -9: no cleanup at all
        proc.wait()
        assert s.runs()[-1].outcome == "running"  # as the dead process left it

        s.server.clear_faults()
        s.crawl(s.key, "--full")
        runs = s.runs()
        assert [r.outcome for r in runs] == ["interrupted", "interrupted", "finished"]
        assert mismatches(s) == []
        assert all(a["versions"] == 1 for a in s.archived().values())


def test_transient_errors_are_retried(tmp_path):
    profile = PROFILES[0]
    with served(profile, tmp_path) as s:
        target = s.site.articles[2]
        # the URL the crawler asks for: the one the listing links
        path = path_of(s.site.article_url(target))
        s.server.fail_next(path, status=503, times=2)
        s.crawl(s.key, "-s", "ARCHIVE_RETRY_BACKOFF_BASE=0.05")
        hits = [r.status for r in s.article_requests() if r.path == path]
        assert hits == [503, 503, 200]
        assert mismatches(s) == []


def test_scrapy_crawl_news_works_too(tmp_path):
    profile = PROFILES[0]
    with served(profile, tmp_path) as s:
        done = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"site={s.key}",
             "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"],
            env=s.env, cwd=ROOT, capture_output=True, text=True, timeout=240)
        assert done.returncode == 0, done.stderr[-3000:]
        assert mismatches(s) == []


@pytest.mark.parametrize("profile", [p for p in ("wordpress", "joomla", "vhv") if p in SITES][:2])
def test_crawl_url_recognizes_the_cms_of_an_unregistered_site(profile, tmp_path):
    with served(profile, tmp_path) as s:
        start = s.site.start_urls()[0]
        env = {**s.env, "SCT_ARCHIVE_SITES": str(tmp_path / "none.toml")}
        (tmp_path / "none.toml").write_text("", encoding="utf-8")
        done = subprocess.run(s.command("--url", start, "--json"), env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=240)
        assert done.returncode == 0, done.stderr[-3000:]
        run = json.loads(done.stdout)["runs"][0]
        assert run["new_articles"] == len(s.site.articles), run
        assert f"looks like {profile}" in done.stderr or profile in done.stderr


def test_bad_arguments_fail_with_one_line(tmp_path):
    profile = PROFILES[0]
    with served(profile, tmp_path) as s:
        runs = [s.crawl(*args, check=False)
                for args in (("no-such-site",), ("--url", "ftp://x"), (s.key, "-s", "NOPE"))]
        runs.append(subprocess.run(s.command(s.key), env={**s.env, "SCT_ARCHIVE_LEASE_TTL": "soon"},
                                   cwd=ROOT, capture_output=True, text=True, timeout=120))
        assert "SCT_ARCHIVE_LEASE_TTL" in runs[-1].stderr
        for done in runs:
            assert done.returncode not in (0, None)
            assert "Traceback" not in done.stderr
            assert len([ln for ln in done.stderr.splitlines() if ln.strip()]) <= 3, done.stderr
        assert not s.article_requests()


def test_demo_crawls_the_sample_sites_and_a_second_run_is_incremental(tmp_path):
    db = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    argv = [sys.executable, "-m", "archive", "--db", db, "demo", "--articles", "12", "--json",
            "--site", PROFILES[0], "--site", PROFILES[-1]]
    first = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert first.returncode == 0, first.stderr[-3000:]
    report = {r["site"]: r for r in json.loads(first.stdout)}
    assert set(report) == {f"demo-{PROFILES[0]}", f"demo-{PROFILES[-1]}"}
    # 12 articles, then a second day that publishes 2 and edits 1
    assert all(r["articles"] == 14 and len(r["examples"]) == 3 for r in report.values())
    assert all(r["day2"] == {"new_articles": 2, "new_versions": 1} and r["history"]
               for r in report.values())
    second = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert second.returncode == 0, second.stderr[-3000:]
    assert [r["articles"] for r in json.loads(second.stdout)] == [14, 14]
    assert "incremental crawl, 14 articles already archived" in second.stderr
    assert (tmp_path / "flagged.atom").exists() or not any(
        sum(r["flagged"].values()) for r in report.values())


def test_validators_are_only_a_hint_the_content_hash_decides(tmp_path):
    profile = "liferay" if "liferay" in SITES else PROFILES[0]
    with served(profile, tmp_path) as s:
        s.site.stable_etag = True  # one ETag per URL for ever: a lying server
        s.crawl()
        target = s.site.articles[3]
        s.site.edit_article(target.id, paragraphs=[*target.paragraphs, "Nội dung bổ sung sau khi đăng."])
        s.site.set_today(date(2026, 12, 2))
        s.server.clear_log()
        lied = json.loads(s.crawl(s.key, "--json", now=later(40)).stdout)["runs"][0]
        assert lied["new_versions"] == 0 and lied["not_modified"] == len(s.site.articles)
        s.server.clear_log()
        full = json.loads(s.crawl(s.key, "--full", "--json", now=later(41)).stdout)["runs"][0]
        # every article fetched in full (200), only the edited one is a new version
        assert {r.status for r in s.article_requests()} == {200}
        assert "if-none-match" not in {h for r in s.article_requests() for h in r.headers}
        assert (full["new_articles"], full["new_versions"]) == (0, 1), full
        assert full["unchanged"] == len(s.site.articles) - 1
        assert mismatches(s) == []
