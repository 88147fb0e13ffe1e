"""A read-only engine on the archive: SQLite opened ``mode=ro``, PostgreSQL in read-only transactions.

The web interface never writes: the database refuses it even if a bug tried. The
schema must be at this version's head (``sct-archive db upgrade`` otherwise): the
search index belongs to it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from archive.errors import DatabaseError
from archive.storage.config import redact, resolve_db_url
from archive.storage.db import SQLITE_BUSY_TIMEOUT_MS, current_revision, head_revision


def readonly_engine(url: str | None = None, *, check_schema: bool = True) -> Engine:
    url = resolve_db_url(url)
    try:
        parsed = make_url(url)
    except (sa_exc.ArgumentError, ValueError):
        raise DatabaseError(f"not a database URL: {redact(url)!r}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        db = parsed.database or ""
        if not db or db == ":memory:":
            raise DatabaseError("an in-memory SQLite database has no archive to serve")
        path = Path(db)
        if not path.is_file():
            raise DatabaseError(f"no archive database at {path}")
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"

        def connect() -> sqlite3.Connection:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False,
                                   timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
            conn.execute("PRAGMA query_only = ON")
            return conn

        engine = create_engine("sqlite://", creator=connect)
    elif backend == "postgresql":
        engine = create_engine(
            parsed, pool_pre_ping=True,
            connect_args={"connect_timeout": 10,
                          "options": "-c default_transaction_read_only=on"},
            execution_options={"postgresql_readonly": True},
        )

        @event.listens_for(engine, "connect")
        def _read_only(dbapi_conn, _record) -> None:  # belt and braces: the session too
            with dbapi_conn.cursor() as cur:
                cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            dbapi_conn.commit()
    else:
        raise DatabaseError(f"unsupported database {backend!r} in {redact(url)}")
    if check_schema:
        try:
            current = current_revision(engine)
        except sa_exc.SQLAlchemyError as exc:
            engine.dispose()
            detail = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
            raise DatabaseError(f"cannot open {redact(url)}: {detail}") from None
        head = head_revision()
        if current != head:
            engine.dispose()
            raise DatabaseError(
                f"{redact(url)} is at schema revision {current or '(none)'}, this sct-archive "
                f"needs {head}: run `sct-archive db upgrade` first"
            )
    return engine
