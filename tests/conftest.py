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


# -- the suite writes nothing into the checkout ------------------------------------------------

_CHECKOUT: dict = {}


def pytest_sessionstart(session):
    if hasattr(session.config, "workerinput"):  # an xdist worker: the controller checks
        return
    from tests.checkout_guard import snapshot, tracked_files

    _CHECKOUT["before"] = snapshot(ROOT)
    _CHECKOUT["tracked"] = tracked_files(ROOT)


def pytest_sessionfinish(session, exitstatus):
    if "before" not in _CHECKOUT or os.environ.get("SCT_ARCHIVE_TEST_ALLOW_WRITES") == "1":
        return
    from tests.checkout_guard import snapshot, written

    files = written(_CHECKOUT["before"], snapshot(ROOT), _CHECKOUT["tracked"])
    if files:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = ("the test suite wrote into the checkout (tests must use temporary "
                   "directories): " + ", ".join(files[:20]))
        if reporter is not None:
            reporter.write_line("")
            reporter.write_line(f"FAILED checkout guard: {message}", red=True, bold=True)
        session.exitstatus = 1
