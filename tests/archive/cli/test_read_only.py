"""Read commands never create an archive; the suite never writes into the checkout (issue 12)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli

ROOT = Path(__file__).resolve().parents[3]

READS = [
    ("export", "--format", "jsonl"),
    ("export", "--format", "csv"),
    ("show", "1"),
    ("history", "1"),
    ("status",),
    ("flags",),
]


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a))
@pytest.mark.parametrize("how", ["option", "env"])
def test_a_read_command_on_a_missing_archive_is_one_error_and_creates_nothing(
        args, how, tmp_path, monkeypatch):
    path = tmp_path / "typo.sqlite"
    monkeypatch.chdir(tmp_path)
    if how == "env":
        monkeypatch.setenv("SCT_ARCHIVE_DB", str(path))
        argv = list(args)
    else:
        monkeypatch.delenv("SCT_ARCHIVE_DB", raising=False)
        argv = ["--db", str(path), *args]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: no archive at ") and str(path) in lines[0]
    assert "sct-archive db upgrade" in lines[0] and "crawl" in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_the_default_archive_is_not_created_by_a_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCT_ARCHIVE_DB", raising=False)
    result = CliRunner().invoke(cli, ["export"])
    assert result.exit_code == 1
    assert "no archive at data/archive.sqlite3" in result.output
    assert not (tmp_path / "data").exists()


def test_an_empty_postgres_database_is_not_an_archive_for_a_read(postgres):
    url = postgres.url(postgres.create_database())
    result = CliRunner().invoke(cli, ["--db", url, "show", "1"])
    assert result.exit_code == 1 and "no archive at" in result.output
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_writing_commands_still_create_an_archive(tmp_path):
    from tests.conftest import SEED_DIR

    db = tmp_path / "new.sqlite3"
    url = "http://sct.binhduong.gov.vn/x"
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(SEED_DIR / "article.html"),
                                      "--url", url])
    assert db.exists(), result.output
    result = CliRunner().invoke(cli, ["--db", str(db), "export"])
    assert result.exit_code == 0, result.output


def test_export_of_an_unknown_site_is_an_error(tmp_path):
    db = tmp_path / "a.sqlite3"
    assert CliRunner().invoke(cli, ["--db", str(db), "db", "upgrade"]).exit_code == 0
    result = CliRunner().invoke(cli, ["--db", str(db), "export", "--site", "nosuch"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: no site 'nosuch' in this archive")


def test_no_stray_file_is_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.splitlines()
    assert "::not a url::" not in tracked
    assert not any(p.endswith((".sqlite3", ".sqlite", ".atom")) for p in tracked
                   if not p.startswith("tests/data/"))


def test_flags_of_an_unknown_site_is_an_error(tmp_path):
    db = tmp_path / "a.sqlite3"
    assert CliRunner().invoke(cli, ["--db", str(db), "db", "upgrade"]).exit_code == 0
    result = CliRunner().invoke(cli, ["--db", str(db), "flags", "--site", "nosuch"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no site 'nosuch' in this archive; it has no sites yet"
