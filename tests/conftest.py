"""Shared fixtures: archive databases on SQLite and on a real, throwaway PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
ROOT = TESTS.parent
# The seed page replica and its expected extraction, copied from ../shared/samples
# (test_seed_copy checks the copy is still identical when ../shared is present).
SEED_DIR = TESTS / "data" / "sct-binhduong"
SHARED_SEED_DIR = ROOT.parent / "shared" / "samples" / "sct-binhduong"

from tests.pgserver import PostgresServer  # noqa: E402

TEMPLATE_DB = "sct_template"


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return SEED_DIR


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL 15 server for this test session (per xdist worker), with a migrated template."""
    if os.environ.get("SCT_ARCHIVE_TEST_POSTGRES") == "off":
        pytest.skip("SCT_ARCHIVE_TEST_POSTGRES=off")
    server = PostgresServer().start()
    try:
        server.create_database()  # warm-up check that we can connect
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={server.port} user={server.superuser} dbname=postgres",
            autocommit=True,
        ) as conn:
            conn.execute(f"CREATE DATABASE {TEMPLATE_DB}")
        from archive.storage.db import open_engine

        open_engine(server.url(TEMPLATE_DB)).dispose()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """An empty, migrated archive on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    server = request.getfixturevalue("postgres")
    return server.url(server.create_database(template=TEMPLATE_DB))


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'archive.sqlite3'}"


@pytest.fixture
def archive(db_url):
    from archive.storage.store import Archive

    with Archive.open(db_url) as a:
        yield a
