"""``sct-archive reextract``: versions rebuilt from stored snapshots, never refetched."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from archive.cli import cli
from archive.storage.models import Article, ArticleVersion
from archive.storage.store import Archive
from crawler.extraction import reader as extraction
from tests.crawlkit import served


def reextract(db: str, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["--db", db, "reextract", "--json", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def versions_by(db: str) -> dict[str, int]:
    with Archive.open(db) as a, a.sessions() as s:
        return dict(s.execute(select(ArticleVersion.produced_by, func.count())
                              .group_by(ArticleVersion.produced_by)).all())


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """A crawled Liferay sample site whose server is gone: nothing can be refetched."""
    tmp = tmp_path_factory.mktemp("reextract")
    with served("liferay", tmp, n=12) as s:
        s.crawl()
        truth = s.truth()
    return s, truth


def test_reextract_without_changes_makes_no_version(crawled, monkeypatch):
    s, _truth = crawled
    monkeypatch.setenv("SCT_ARCHIVE_SITES", s.env["SCT_ARCHIVE_SITES"])
    out = reextract(s.db)
    assert out == {"articles": 12, "changed": 0, "unchanged": 12, "rejected": 0}
    assert versions_by(s.db) == {"crawl": 12}


def test_an_extractor_change_makes_new_versions_marked_reextract(crawled, monkeypatch):
    s, truth = crawled
    monkeypatch.setenv("SCT_ARCHIVE_SITES", s.env["SCT_ARCHIVE_SITES"])
    original = extraction._Reader.text

    def without_first_paragraph(self, *args, **kwargs):  # stands for a changed extractor
        return "\n".join(original(self, *args, **kwargs).split("\n")[1:])

    monkeypatch.setattr(extraction._Reader, "text", without_first_paragraph)
    assert reextract(s.db, "--since", "2999-01-01")["articles"] == 0
    out = reextract(s.db, "--site", s.key)
    assert (out["articles"], out["changed"]) == (12, 12)
    assert versions_by(s.db) == {"crawl": 12, "reextract": 12}
    with Archive.open(s.db) as a, a.sessions() as ses:
        for article, v in ses.execute(select(Article, ArticleVersion).join(
                ArticleVersion, ArticleVersion.id == Article.current_version_id)):
            want = truth[article.article_key]["text"]
            assert v.produced_by == "reextract" and v.number == 2
            assert v.text == "\n".join(want.split("\n")[1:])

    # the extractor back as it was: the first versions return, no third version
    monkeypatch.setattr(extraction._Reader, "text", original)
    out = reextract(s.db)
    assert (out["changed"], out["unchanged"]) == (0, 12)
    assert versions_by(s.db) == {"crawl": 12, "reextract": 12}
    with Archive.open(s.db) as a, a.sessions() as ses:
        current = ses.execute(select(ArticleVersion.number).join(
            Article, Article.current_version_id == ArticleVersion.id)).scalars().all()
        assert current == [1] * 12


def test_reextract_bad_site_is_one_line(crawled, monkeypatch):
    s, _truth = crawled
    monkeypatch.setenv("SCT_ARCHIVE_SITES", s.env["SCT_ARCHIVE_SITES"])
    result = CliRunner().invoke(cli, ["--db", s.db, "reextract", "--since", "yesterday"])
    assert result.exit_code == 2 and "Traceback" not in result.output


def _index_rows(con, after: int = 0) -> list[tuple]:
    """Every (term, version id, column, offset) the full-text index holds (FTS5's own
    vocabulary table): what a search can find, exactly."""
    con.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, search_fts, instance)")
    return con.execute("SELECT term, doc, col, offset FROM temp.vocab WHERE doc > ?"
                       " ORDER BY doc, col, offset", (after,)).fetchall()


def test_an_extraction_pool_writes_the_same_rows_as_one_process(crawled, tmp_path, monkeypatch):
    """Two workers read the pages, this process writes: same versions, same hashes, same order."""
    import shutil
    import sqlite3

    s, _truth = crawled
    monkeypatch.setenv("SCT_ARCHIVE_SITES", s.env["SCT_ARCHIVE_SITES"])
    source = s.db.removeprefix("sqlite:///")
    results, flags, observations, index = {}, {}, {}, {}
    for workers in ("0", "2"):
        path = tmp_path / f"copy-{workers}.sqlite3"
        shutil.copy(source, path)
        con = sqlite3.connect(path)  # stands for versions made by an older extractor
        con.execute("UPDATE article_versions SET content_hash = 'old-' || id, text = 'old text'")
        con.commit()
        before = con.execute("SELECT max(id) FROM article_versions").fetchone()[0]
        con.close()
        out = reextract(f"sqlite:///{path}", "--workers", workers)
        assert out == {"articles": 12, "changed": 12, "unchanged": 0, "rejected": 0}
        con = sqlite3.connect(path)
        results[workers] = con.execute(
            "SELECT v.id, a.article_key, v.number, v.content_hash, v.text, v.title, v.published "
            "FROM article_versions v JOIN articles a ON a.id = v.article_id "
            "WHERE v.id > ? ORDER BY v.id", (before,)).fetchall()
        flags[workers] = con.execute(  # computed by the workers with --workers 2
            "SELECT version_id, kind, subtype, score, evidence, facts, rules_version FROM flags "
            "WHERE version_id > ? ORDER BY id", (before,)).fetchall()
        observations[workers] = con.execute(
            "SELECT article_id, version_id, snapshot_id, outcome FROM observations ORDER BY id"
        ).fetchall()
        index[workers] = _index_rows(con, before)  # folded by the workers with --workers 2
        con.close()
    assert len(results["0"]) == 12
    assert results["2"] == results["0"]
    assert flags["0"], "the sample news has conference and funding articles"
    assert flags["2"] == flags["0"]
    assert observations["2"] == observations["0"]
    assert {doc for _t, doc, _c, _o in index["0"]} == {r[0] for r in results["0"]}
    assert index["2"] == index["0"]


def test_warc_import_with_an_extraction_pool_gives_the_same_rows(crawled, tmp_path, monkeypatch):
    import sqlite3

    s, truth = crawled
    monkeypatch.setenv("SCT_ARCHIVE_SITES", s.env["SCT_ARCHIVE_SITES"])
    warc = tmp_path / "out.warc.gz"
    done = CliRunner().invoke(cli, ["--db", s.db, "export", "--format", "warc", "--out", str(warc)])
    assert done.exit_code == 0, done.output
    rows, stored, repeated, index = {}, {}, {}, {}
    for workers in ("0", "2"):
        db = tmp_path / f"imported-{workers}.sqlite3"
        done = CliRunner().invoke(cli, ["--db", f"sqlite:///{db}", "import", str(warc),
                                        "--site", s.key, "--workers", workers])
        assert done.exit_code == 0, done.output
        con = sqlite3.connect(db)
        rows[workers] = con.execute(
            "SELECT a.article_key, v.content_hash, v.title, v.text FROM articles a "
            "JOIN article_versions v ON v.id = a.current_version_id ORDER BY a.id").fetchall()
        # bodies compressed, digests and flags computed by the workers with --workers 2
        stored[workers] = [con.execute(query).fetchall() for query in (
            "SELECT id, sha256, size, compression, data FROM payloads ORDER BY id",
            "SELECT id, url, fetched_at, status, payload_id, payload_digest, charset, kind "
            "FROM snapshots ORDER BY id",
            "SELECT version_id, kind, subtype, score, evidence, facts, rules_version FROM flags "
            "ORDER BY id",
            "SELECT article_id, version_id, snapshot_id, outcome FROM observations ORDER BY id",
        )]
        index[workers] = _index_rows(con)
        again = CliRunner().invoke(cli, ["--db", f"sqlite:///{db}", "import", str(warc),
                                         "--site", s.key, "--workers", workers])
        assert again.exit_code == 0, again.output  # the same captures again: nothing new
        assert "already archived" in again.output or "unchanged" in again.output
        repeated[workers] = con.execute("SELECT count(*) FROM snapshots").fetchone()[0]
        con.close()
    assert sorted(k for k, *_ in rows["0"]) == sorted(truth)
    assert rows["2"] == rows["0"]
    assert stored["0"][2], "the sample news has flagged articles"
    assert stored["2"] == stored["0"]
    assert index["0"] and index["2"] == index["0"]
    assert repeated["0"] == repeated["2"] == len(stored["0"][1])
