"""Alembic environment for the archive. Run through ``sct-archive db upgrade`` (or
``archive.storage.db.upgrade``); the engine comes from the caller, never from an ini file."""

from alembic import context
from sqlalchemy import create_engine

from archive.storage.models import Base
from archive.storage.searchindex import is_index_table

config = context.config
target_metadata = Base.metadata

# Tables that belong to libraries, not to our migrations (APScheduler's job store).
EXTERNAL_TABLES = frozenset({"apscheduler_jobs"})


def include_object(obj, name, type_, reflected, compare_to):
    # the full-text index is dialect-specific DDL, not a model (archive/storage/searchindex.py)
    return not (type_ == "table" and (name in EXTERNAL_TABLES or is_index_table(name)))


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
            compare_server_default=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
