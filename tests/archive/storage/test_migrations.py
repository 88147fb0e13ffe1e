"""One linear Alembic history whose head is exactly the models, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from archive.storage.db import (
    alembic_config,
    current_revision,
    head_revision,
    known_revisions,
    make_engine,
    open_engine,
)
from archive.storage.models import Base


def test_history_is_linear():
    engine = make_engine("sqlite://")
    script = ScriptDirectory.from_config(alembic_config(engine))
    assert len(script.get_heads()) == 1
    revisions = list(script.walk_revisions())
    assert revisions[-1].down_revision is None
    assert all(not isinstance(r.down_revision, tuple) for r in revisions)


def test_the_fast_revision_scan_agrees_with_alembic():
    # opening an archive reads the revisions from the scripts without importing Alembic
    script = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://")))
    revisions, head = known_revisions()
    assert head == script.get_current_head() == head_revision()
    assert revisions == {r.revision for r in script.walk_revisions()}


def _exclude(obj, name, type_, reflected, compare_to):
    from archive.storage.searchindex import is_index_table

    return not (type_ == "table" and (name == "apscheduler_jobs" or is_index_table(name)))


def test_migrated_database_matches_the_models(db_url):
    engine = open_engine(db_url)  # an empty database is migrated on first use
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": _exclude}
            )
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_db_upgrade_command_is_idempotent(tmp_path):
    from click.testing import CliRunner

    from archive.cli import cli

    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    for _ in range(2):
        result = CliRunner().invoke(cli, ["--db", url, "db", "upgrade"])
        assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["--db", url, "db", "current", "--json"])
    assert head_revision() in result.output
