"""Identity survives every path: reextract, the WARC round trip, ad-hoc keys, ``db check``,
and the 0007 migration that merges the duplicates older releases made (issue 12)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import func, insert, select

from archive.cli import cli
from archive.storage.models import Article, ArticleUrl, ArticleVersion, Observation, Site, Snapshot
from archive.storage.store import Archive
from tests.crawlkit import served


def invoke(*args: str, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def counts(db: str) -> dict[str, int]:
    with Archive.open(db) as a, a.sessions() as s:
        return {
            name: s.scalar(select(func.count()).select_from(model))
            for name, model in (("sites", Site), ("articles", Article), ("versions", ArticleVersion),
                                ("urls", ArticleUrl), ("snapshots", Snapshot))
        }


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """A crawled sample site whose registry is gone: like the demo's archive afterwards."""
    tmp = tmp_path_factory.mktemp("identity")
    with served("joomla", tmp, n=8) as s:
        s.crawl()
    return s


def test_reextract_of_an_unregistered_site_updates_its_own_articles(crawled, monkeypatch):
    monkeypatch.delenv("SCT_ARCHIVE_SITES", raising=False)  # the default registry: no demo-*
    before = counts(crawled.db)
    result = invoke("--db", crawled.db, "reextract")
    assert result.exit_code == 0, result.output
    assert "re-extracted 8 articles: 0 new versions, 8 unchanged, 0 not readable" in result.output
    assert counts(crawled.db) == before
    with Archive.open(crawled.db) as a, a.sessions() as s:
        assert s.scalars(select(Site.key)).all() == ["demo-joomla"]


def test_warc_round_trip_records_observations_not_articles(crawled, tmp_path, monkeypatch):
    monkeypatch.delenv("SCT_ARCHIVE_SITES", raising=False)
    warc = tmp_path / "all.warc.gz"
    result = invoke("--db", crawled.db, "export", "--format", "warc", "--out", str(warc))
    assert result.exit_code == 0, result.output
    before = counts(crawled.db)
    result = invoke("--db", crawled.db, "import", str(warc))
    assert result.exit_code == 0, result.output
    assert "8 unchanged" in result.output and "new" not in result.output
    assert counts(crawled.db) == before  # no new site, article, version, URL or snapshot
    with Archive.open(crawled.db) as a, a.sessions() as s:
        outcomes = dict(s.execute(select(Observation.outcome, func.count())
                                  .group_by(Observation.outcome)).all())
    assert outcomes.get("unchanged", 0) >= 8


def test_db_check_passes_on_a_clean_archive(crawled):
    result = invoke("--db", crawled.db, "db", "check")
    assert result.exit_code == 0, result.output
    assert "no integrity problems" in result.output


def test_adhoc_key_does_not_depend_on_a_loopback_port():
    from crawler.registry import adhoc_site

    assert adhoc_site("http://127.0.0.1:8123/a").key == adhoc_site("http://127.0.0.1:8124/b").key
    assert adhoc_site("http://localhost:8123/a").key == adhoc_site("http://127.0.0.1/b").key
    assert adhoc_site("http://127.0.0.1:8123/a").base_url == "http://127.0.0.1:8123"
    assert adhoc_site("https://example.gov.vn:8443/").key == "example.gov.vn:8443"


# -- what older releases left behind: made with the 0005 schema, as their reextract did -------


T0 = datetime(2026, 11, 1, 8, tzinfo=UTC).replace(tzinfo=None)
T1 = datetime(2026, 11, 2, 8, tzinfo=UTC).replace(tzinfo=None)


def _old_release_archive(url: str) -> None:
    """Sites, articles and versions as the current release's demo + reextract wrote them."""
    from sqlalchemy import MetaData

    from archive.storage.db import make_engine, upgrade

    engine = make_engine(url)
    upgrade(engine, "0005")
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    with engine.begin() as c:
        c.execute(insert(t["sites"]), [
            {"id": 1, "key": "demo-joomla", "name": "Sample", "base_url": "http://127.0.0.1:18304",
             "profile": "joomla", "created_at": T0},
            {"id": 2, "key": "127.0.0.1:18304", "name": "127.0.0.1:18304",
             "base_url": "http://127.0.0.1:18304", "profile": "auto", "created_at": T1},
            {"id": 3, "key": "127.0.0.1:40000", "name": "127.0.0.1:40000",
             "base_url": "http://127.0.0.1:40000", "profile": "auto", "created_at": T1},
            {"id": 4, "key": "127.0.0.1:40001", "name": "127.0.0.1:40001",
             "base_url": "http://127.0.0.1:40001", "profile": "auto", "created_at": T1},
        ])
        c.execute(insert(t["payloads"]), [{"id": 1, "sha256": "a" * 64, "size": 1,
                                          "compression": "none", "data": b"x"}])
        snap = {"url": "http://127.0.0.1:18304/tin/1", "status": 200, "headers": [],
                "payload_id": 1, "payload_digest": "a" * 64, "source": "crawl", "kind": "page"}
        c.execute(insert(t["snapshots"]), [
            {"id": 1, "site_id": 1, "fetched_at": T0, **snap},
            {"id": 2, "site_id": 1, "fetched_at": T0, **snap, "url": "http://127.0.0.1:18304/tin/2"},
            {"id": 3, "site_id": 2, "fetched_at": T1, **snap, "source": "warc"},
            {"id": 4, "site_id": 3, "fetched_at": T1, **snap, "source": "warc"},
        ])
        art = {"first_seen": T0, "last_seen": T0}
        c.execute(insert(t["articles"]), [
            {"id": 1, "site_id": 1, "article_key": "id=1", "canonical_url": snap["url"], **art},
            {"id": 2, "site_id": 1, "article_key": "id=2", "canonical_url": snap["url"] + "x", **art},
            # the reextract copies: same key, the ad-hoc site (no URLs: they were taken)
            {"id": 3, "site_id": 2, "article_key": "id=1", "canonical_url": snap["url"],
             "first_seen": T1, "last_seen": T1},
            {"id": 4, "site_id": 2, "article_key": "id=2", "canonical_url": snap["url"] + "x",
             "first_seen": T1, "last_seen": T1},
        ])
        ver = {"title": "T", "text": "x" * 300, "produced_by": "crawl", "extractor": "joomla/1",
               "created_at": T0}
        c.execute(insert(t["article_versions"]), [
            {"id": 1, "article_id": 1, "number": 1, "content_hash": "h1", "fetched_at": T0,
             "snapshot_id": 1, **ver},
            {"id": 2, "article_id": 2, "number": 1, "content_hash": "h2", "fetched_at": T0,
             "snapshot_id": 2, **ver},
            {"id": 3, "article_id": 3, "number": 1, "content_hash": "h1", "fetched_at": T1,
             "snapshot_id": 1, **ver, "produced_by": "reextract"},
            # a copy that read differently: it becomes the original's second version
            {"id": 4, "article_id": 4, "number": 1, "content_hash": "h2b", "fetched_at": T1,
             "snapshot_id": 2, **ver, "produced_by": "reextract"},
        ])
        for aid, vid in ((1, 1), (2, 2), (3, 3), (4, 4)):
            c.execute(t["articles"].update().where(t["articles"].c.id == aid)
                      .values(current_version_id=vid))
        c.execute(insert(t["article_urls"]), [
            {"url": "http://127.0.0.1:18304/tin/1", "article_id": 1},
            {"url": "http://127.0.0.1:18304/tin/2", "article_id": 2},
        ])
        c.execute(insert(t["observations"]), [
            {"article_id": 1, "version_id": 1, "snapshot_id": 1, "observed_at": T0, "outcome": "new"},
            {"article_id": 2, "version_id": 2, "snapshot_id": 2, "observed_at": T0, "outcome": "new"},
            {"article_id": 3, "version_id": 3, "snapshot_id": 1, "observed_at": T1, "outcome": "new"},
            {"article_id": 4, "version_id": 4, "snapshot_id": 2, "observed_at": T1, "outcome": "new"},
        ])
    engine.dispose()


def test_db_check_reports_what_an_old_release_left(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    _old_release_archive(url)
    from archive.storage.db import current_revision, make_engine

    engine = make_engine(url)
    try:
        result = invoke("--db", url, "db", "check", "--json")
    finally:
        engine.dispose()
    # an archive that needs `db upgrade` is checked all the same (read-only)
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    kinds = {p["kind"]: p["count"] for p in report["problems"]}
    assert kinds["duplicate_articles"] == 2
    assert kinds["sites_differing_by_port"] == 3  # 127.0.0.1 on ports 18304, 40000, 40001
    text = invoke("--db", url, "db", "check")
    assert text.exit_code == 1
    assert "2 duplicate articles" in text.output
    engine = make_engine(url)
    assert current_revision(engine) == "0005"  # nothing was written
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path) -> str:
    """An empty database (no schema yet) on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.sqlite3'}"
    server = request.getfixturevalue("postgres")
    return server.url(server.create_database())


def test_migration_0007_merges_the_duplicates(empty_url):
    url = empty_url
    _old_release_archive(url)
    result = invoke("--db", url, "db", "upgrade")
    assert result.exit_code == 0, result.output
    with Archive.open(url) as a, a.sessions() as s:
        assert s.scalars(select(Site.key).order_by(Site.id)).all() == [
            "demo-joomla", "127.0.0.1:40000", "127.0.0.1:40001"]
        rows = s.execute(select(Article.id, Article.article_key, Article.current_version_id)
                         .order_by(Article.id)).all()
        assert rows == [(1, "id=1", 1), (2, "id=2", 4)]
        vs = s.execute(select(ArticleVersion.article_id, ArticleVersion.number,
                              ArticleVersion.content_hash).order_by(ArticleVersion.id)).all()
        assert vs == [(1, 1, "h1"), (2, 1, "h2"), (2, 2, "h2b")]
        obs = s.execute(select(Observation.article_id, Observation.version_id)
                        .order_by(Observation.id)).all()
        assert obs == [(1, 1), (2, 2), (1, 1), (2, 4)]
        # the ad-hoc copy's snapshot now belongs to the original site
        assert s.scalar(select(Snapshot.site_id).where(Snapshot.id == 3)) == 1
    check = invoke("--db", url, "db", "check", "--json")
    kinds = {p["kind"] for p in json.loads(check.stdout)["problems"]}
    assert "duplicate_articles" not in kinds


def test_an_adhoc_site_keeps_its_identity_across_ports_reextract_and_warc(tmp_path, monkeypatch):
    """``crawl --url`` of a loopback site, twice on two ports, then reextract and a WARC round trip."""
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("SCT_ARCHIVE_SITES", str(tmp_path / "none.toml"))
    import subprocess

    for _ in range(2):  # a new free port each time the server starts
        with served("wordpress", tmp_path, n=6) as s:
            env = {**s.env, "SCT_ARCHIVE_SITES": str(tmp_path / "none.toml")}
            done = subprocess.run(s.command("--url", s.site.start_urls()[0]), env=env,
                                  cwd=tmp_path, capture_output=True, text=True, timeout=240)
            assert done.returncode == 0, done.stderr[-3000:]
    db = s.db
    with Archive.open(db) as a, a.sessions() as ses:
        assert ses.scalars(select(Site.key)).all() == ["localhost"]
    before = counts(db)
    assert before["articles"] == 6
    result = invoke("--db", db, "reextract")
    assert result.exit_code == 0 and "0 new versions, 6 unchanged" in result.output, result.output
    warc = tmp_path / "x.warc.gz"
    assert invoke("--db", db, "export", "--format", "warc", "--out", str(warc)).exit_code == 0
    result = invoke("--db", db, "import", str(warc))
    assert result.exit_code == 0 and "new" not in result.output, result.output
    assert counts(db) == before
    assert invoke("--db", db, "db", "check").exit_code == 0


def test_db_check_finds_versions_without_snapshots_and_orphans(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    _old_release_archive(url)
    from archive.storage.db import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        conn.exec_driver_sql("UPDATE article_versions SET snapshot_id = 99 WHERE id = 2")
        conn.exec_driver_sql("INSERT INTO article_urls (url, article_id) VALUES ('http://x/', 77)")
        conn.exec_driver_sql(
            "INSERT INTO articles (site_id, article_key, canonical_url, first_seen, last_seen) "
            "VALUES (1, 'lonely', 'http://x/l', '2026-11-01 08:00:00', '2026-11-01 08:00:00')")
    engine.dispose()
    result = invoke("--db", url, "db", "check", "--json")
    assert result.exit_code == 1
    kinds = {p["kind"]: p["count"] for p in json.loads(result.stdout)["problems"]}
    assert kinds["versions_without_snapshot"] == 1
    assert kinds["orphan_article_urls"] == 1
    assert kinds["articles_without_versions"] == 1


def test_db_check_on_a_missing_archive_is_one_error(tmp_path):
    result = invoke("--db", str(tmp_path / "nope.sqlite3"), "db", "check")
    assert result.exit_code == 1 and result.output.startswith("Error: no archive at ")
    assert list(tmp_path.iterdir()) == []


def test_db_check_repair_merges_duplicates_an_archive_at_head_still_has(tmp_path):
    """Duplicates made after the migration ran (an old binary on a new archive): --repair."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    _old_release_archive(url)
    assert invoke("--db", url, "db", "upgrade").exit_code == 0  # merges what it finds
    before = counts(url)
    _old_release_archive_copies(url)
    assert counts(url)["articles"] == before["articles"] + 1
    result = invoke("--db", url, "db", "check", "--repair", "--json")
    report = json.loads(result.stdout)
    assert report["merged"] == {"articles": 1, "versions": 0, "sites": 1}
    assert "duplicate_articles" not in {p["kind"] for p in report["problems"]}
    assert counts(url)["articles"] == before["articles"]


def _old_release_archive_copies(url: str) -> None:
    """One more ad-hoc copy of article id=1, as the old reextract made it."""
    with Archive.open(url) as a, a.engine.begin() as c:
        c.execute(insert(Site).values(id=9, key="127.0.0.1:18304", name="copy",
                                      base_url="http://127.0.0.1:18304", profile="auto",
                                      created_at=datetime(2026, 11, 3, tzinfo=UTC)))
        c.execute(insert(Article).values(id=9, site_id=9, article_key="id=1",
                                         canonical_url="http://127.0.0.1:18304/tin/1",
                                         first_seen=datetime(2026, 11, 3, tzinfo=UTC),
                                         last_seen=datetime(2026, 11, 3, tzinfo=UTC)))
        c.execute(insert(ArticleVersion).values(
            id=9, article_id=9, number=1, content_hash="h1", title="T", text="x" * 300,
            fetched_at=datetime(2026, 11, 3, tzinfo=UTC), snapshot_id=1, produced_by="reextract",
            extractor="joomla/1", created_at=datetime(2026, 11, 3, tzinfo=UTC)))
        c.execute(Article.__table__.update().where(Article.id == 9).values(current_version_id=9))
        c.execute(insert(Observation).values(article_id=9, version_id=9, snapshot_id=1,
                                             observed_at=datetime(2026, 11, 3, tzinfo=UTC),
                                             outcome="new"))
