"""Opening the archive database: engines, SQLite pragmas, migrations on first use.

SQLite runs in WAL mode with a busy timeout, so a researcher's long read never
blocks the crawler's short write transactions (and vice versa).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from archive.errors import DatabaseError
from archive.storage.config import redact, resolve_db_url

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


class NoArchive(DatabaseError):
    """A read on a URL or path where no archive exists (reads never create one)."""


def no_archive(where: str) -> NoArchive:
    return NoArchive(
        f"no archive at {where}: create one with `sct-archive db upgrade --db {where}` "
        "or a crawl (`sct-archive crawl SITE`, `sct-archive demo`)"
    )


def make_engine(url: str | None = None, *, create: bool = True) -> Engine:
    """An engine for the archive URL (resolved like the CLI does), not yet migrated.

    ``create=False`` (every read): a SQLite file that does not exist is an error
    (:class:`NoArchive`), never a new empty database.
    """
    url = resolve_db_url(url)
    try:
        parsed = make_url(url)
    except (sa_exc.ArgumentError, ValueError):
        raise DatabaseError(f"not a database URL: {redact(url)!r}") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseError(
            f"unsupported database {backend!r} in {redact(url)}: use sqlite:///PATH or postgresql://…"
        )
    kwargs: dict = {"future": True}
    if backend == "sqlite":
        db = parsed.database or ""
        if db and db != ":memory:" and not db.startswith("file:"):
            path = Path(db)
            if path.is_dir():
                raise DatabaseError(f"database path is a directory: {path}")
            if not create:
                if not path.is_file() or path.stat().st_size == 0:
                    raise no_archive(db)
            try:
                if create:
                    path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(f"cannot create {path.parent}: {exc.strerror}") from None
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    else:
        kwargs["pool_pre_ping"] = True
        kwargs["connect_args"] = {"connect_timeout": 10}
    try:
        engine = create_engine(parsed, **kwargs)
    except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(f"cannot use {redact(url)}: {exc}") from None
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    cfg.attributes["engine"] = engine
    return cfg


_REVISION = re.compile(r"^revision(?:: str)? = [\"']([^\"']+)[\"']", re.M)
_DOWN = re.compile(r"^down_revision(?:: [^=]+)? = [\"']([^\"']+)[\"']", re.M)


@cache
def known_revisions() -> tuple[frozenset[str], str]:
    """(every revision, the head), read from the migration scripts' ``revision`` lines.

    Alembic itself is imported only to migrate: opening an archive that is at head (every
    command but ``db upgrade`` on a new database) costs no Alembic import.
    """
    revisions, downs = set(), set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        if m := _REVISION.search(source):
            revisions.add(m[1])
        downs.update(_DOWN.findall(source))
    heads = revisions - downs
    if len(heads) != 1:
        raise DatabaseError(f"the migration history has {len(heads)} heads: {sorted(heads)}")
    return frozenset(revisions), heads.pop()


def head_revision() -> str:
    return known_revisions()[1]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def _describe(exc: Exception, url: str) -> str:
    orig = getattr(exc, "orig", None) or exc
    msg = " ".join(str(orig).split())
    if len(msg) > 300:
        msg = msg[:300] + "…"
    return f"cannot open the archive database {redact(url)}: {msg}"


def ensure_schema(engine: Engine, *, create: bool = True) -> None:
    """Migrate an empty database to head; refuse a database that is behind or foreign.

    An outdated archive is never migrated silently: that is ``sct-archive db upgrade``.
    ``create=False`` (reads): an empty database is :class:`NoArchive`, not migrated.
    """
    url = engine.url.render_as_string(hide_password=True)
    try:
        current = current_revision(engine)
        if current is None:
            tables = set(inspect(engine).get_table_names())
            if tables - {"alembic_version"}:
                raise DatabaseError(
                    f"{url} holds tables but no sct-archive schema version; "
                    "point --db at an sct-archive database or an empty one"
                )
            if not create:
                raise no_archive(url)
            log.debug("new archive database %s: creating the schema", url)
            upgrade(engine)
            return
    except sa_exc.SQLAlchemyError as exc:
        raise DatabaseError(_describe(exc, url)) from None
    head = head_revision()
    if current != head:
        if current not in known_revisions()[0]:
            raise DatabaseError(
                f"{url} is at schema revision {current}, unknown to this version of sct-archive "
                "(a newer release made it?)"
            )
        raise DatabaseError(
            f"{url} is at schema revision {current}, this sct-archive needs {head}: "
            "run `sct-archive db upgrade`"
        )


def open_engine(url: str | None = None, *, migrate: bool = True, create: bool = True) -> Engine:
    """An engine on a ready archive: connect, check the schema, migrate a new database.

    ``create=False`` for commands that only read: where no archive exists they fail
    with :class:`NoArchive` (one line naming the path and how to create one).
    """
    engine = make_engine(url, create=create)
    if migrate:
        try:
            ensure_schema(engine, create=create)
        except DatabaseError:
            engine.dispose()
            raise
    else:
        try:
            with engine.connect():
                pass
        except sa_exc.SQLAlchemyError as exc:
            raise DatabaseError(_describe(exc, str(engine.url))) from None
    return engine


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: committed on success, rolled back on any error."""
    with factory() as session, session.begin():
        yield session
