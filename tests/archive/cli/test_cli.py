"""The command line, end to end: import, extract, show, history, export, bad input."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from tests.conftest import SEED_DIR

EXPECTED = json.loads((SEED_DIR / "article.expected.json").read_text(encoding="utf-8"))
URL = EXPECTED["url"]
ARTICLE = SEED_DIR / "article.html"
NEXT_DAY = SEED_DIR / "article-next-day.html"


def run(*args: str, ok: bool = True, input: str | bytes | None = None):
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'a.sqlite3'}"


@pytest.fixture
def imported(db) -> str:
    run("--db", db, "import", str(ARTICLE), "--url", URL, "--fetched-at", "2018-12-03")
    run("--db", db, "import", str(NEXT_DAY), "--url", URL, "--fetched-at", "2018-12-04")
    return db


def test_extract_json_prints_the_fields():
    out = run("extract", str(ARTICLE), "--url", URL, "--json").stdout
    data = json.loads(out)
    assert data["title"] == EXPECTED["title"]
    assert data["published"] == "2018-12-02"
    assert data["url"] == URL
    assert data["site"] == "sct-binhduong"
    assert data["text"].startswith(EXPECTED["text_starts_with"])


def test_extract_reads_stdin():
    out = run("extract", "-", "--url", URL, "--json", input=ARTICLE.read_bytes()).stdout
    assert json.loads(out)["published"] == "2018-12-02"


def test_import_twice_gives_one_article_one_version(imported):
    from sqlalchemy import func, select

    from archive.storage.models import Article, ArticleVersion, Observation
    from archive.storage.store import Archive

    with Archive.open(imported) as archive, archive.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 1
        assert s.scalar(select(func.count()).select_from(ArticleVersion)) == 1
        outcomes = s.scalars(select(Observation.outcome).order_by(Observation.id)).all()
        assert outcomes == ["new", "unchanged"]
        version = s.scalars(select(ArticleVersion)).one()
        assert version.produced_by == "import"
        assert version.title == EXPECTED["title"]


def test_show_json_and_text(imported):
    data = json.loads(run("--db", imported, "show", URL, "--json").stdout)
    assert data["current"]["title"] == EXPECTED["title"]
    assert data["current"]["published"] == "2018-12-02"
    assert data["observations"] == {"new": 1, "unchanged": 1}
    assert len(data["versions"]) == 1
    text = run("--db", imported, "show", "1").output
    assert EXPECTED["title"] in text


def test_history_diffs_consecutive_versions(db, tmp_path):
    run("--db", db, "import", str(ARTICLE), "--url", URL, "--fetched-at", "2018-12-03")
    edited = ARTICLE.read_text(encoding="utf-8").replace("Chiều ngày 11/7/2018", "Sáng ngày 11/7/2018")
    page = tmp_path / "edited.html"
    page.write_text(edited, encoding="utf-8")
    run("--db", db, "import", str(page), "--url", URL, "--fetched-at", "2018-12-05")
    out = run("--db", db, "history", URL).output
    assert "-Chiều ngày 11/7/2018" in out and "+Sáng ngày 11/7/2018" in out


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_records(imported, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    run("--db", imported, "export", "--format", fmt, "--out", str(out))
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    else:
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 1
    row = rows[0]
    for field in ("id", "site", "url", "title", "published", "text", "first_seen", "last_seen",
                  "versions", "flags"):
        assert field in row
    assert row["title"] == EXPECTED["title"]
    assert str(row["versions"]) == "1"
    assert not list(tmp_path.glob("*.part"))


def test_export_filters(imported):
    unknown = run("--db", imported, "export", "--site", "nope", ok=False)
    assert unknown.exit_code == 1 and unknown.stdout == ""
    assert _one_error_line(unknown) == ("Error: no site 'nope' in this archive; "
                                        "it has sct-binhduong")
    assert run("--db", imported, "export", "--since", "2030-01-01").stdout == ""
    assert run("--db", imported, "export", "--since", "2018-01-01").stdout.count("\n") == 1


def test_export_warc_reads_back_with_warcio(imported, tmp_path):
    out = tmp_path / "snap.warc.gz"
    run("--db", imported, "export", "--format", "warc", "--out", str(out))
    index = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "index", str(out), "-f", "warc-type,warc-target-uri"],
        capture_output=True, text=True, check=True,
    ).stdout
    lines = [json.loads(line) for line in index.splitlines()]
    assert lines[0]["warc-type"] == "warcinfo"
    responses = [x for x in lines if x["warc-type"] == "response"]
    assert len(responses) == 2 and all(x["warc-target-uri"] == URL for x in responses)
    with gzip.open(out, "rb") as fh:
        assert b"WARC/1.1" in fh.read(200)


def test_import_warc_keeps_fetch_dates(imported, db, tmp_path):
    out = tmp_path / "snap.warc.gz"
    run("--db", imported, "export", "--format", "warc", "--out", str(out))
    other = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    result = run("--db", other, "import", str(out), "--json")
    data = json.loads(result.stdout)
    assert data["totals"] == {"new": 1, "unchanged": 1}
    shown = json.loads(run("--db", other, "show", URL, "--json").stdout)
    assert shown["first_seen"].startswith("2018-12-03")


# -- bad input: one line, non-zero exit, nothing written -------------------------------


def _one_error_line(result) -> str:
    assert result.exit_code != 0
    lines = [x for x in result.output.strip().splitlines() if x.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize(
    "content, suffix, needle",
    [
        (None, ".html", "no such file"),
        (b"", ".html", "empty"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", ".html", "not an HTML page"),
        (b"WARC/1.0\r\nWARC-Type: garbage\r\n\r\nnot really", ".warc", "WARC"),
        (b"\x1f\x8b\x08\x00broken gzip", ".warc.gz", "WARC"),
    ],
    ids=["missing", "empty", "pdf", "malformed-warc", "broken-gzip-warc"],
)
def test_import_bad_files(db, tmp_path, content, suffix, needle):
    path = tmp_path / f"input{suffix}"
    if content is not None:
        path.write_bytes(content)
    result = run("--db", db, "import", str(path), "--url", URL, ok=False)
    line = _one_error_line(result)
    assert needle.lower() in line.lower()
    from sqlalchemy import func, select

    from archive.storage.models import Article
    from archive.storage.store import Archive

    with Archive.open(db) as archive, archive.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 0


@pytest.mark.parametrize(
    "url, needle",
    [
        ("postgresql://nobody@127.0.0.1:1/nothing", "cannot open the archive database"),
        ("mysql+nosuchdriver://x/y", "unsupported database"),
        ("postgresql://user@host:notaport/db", "not a database URL"),
        ("not-a-scheme://", "not a database URL"),
        ("FILE_AS_DIR", "no archive at"),  # a read never creates one
    ],
)
def test_bad_database_urls(url, needle, tmp_path):
    if url == "FILE_AS_DIR":
        (tmp_path / "file").write_text("x")
        url = f"sqlite:///{tmp_path / 'file' / 'x.sqlite3'}"
    result = run("--db", url, "show", "1", ok=False)
    assert needle.lower() in _one_error_line(result).lower()


def test_unknown_article_and_bad_flag(imported):
    assert "no archived article" in _one_error_line(run("--db", imported, "show", "999", ok=False)).lower()
    result = run("--db", imported, "export", "--format", "xml", ok=False)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_installed_console_script(tmp_path):
    exe = Path(sys.executable).with_name("sct-archive")
    assert exe.exists(), "sct-archive console script not installed (./scripts/install)"
    db = tmp_path / "c.sqlite3"
    env = {**os.environ, "SCT_ARCHIVE_DB": str(db)}
    done = subprocess.run([str(exe), "import", str(ARTICLE), "--url", URL], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    shown = subprocess.run([str(exe), "show", URL, "--json"], env=env, capture_output=True,
                           text=True, timeout=120)
    assert json.loads(shown.stdout)["current"]["published"] == "2018-12-02"
    bad = subprocess.run([str(exe), "--db", "postgresql://x@127.0.0.1:1/y", "show", "1"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
