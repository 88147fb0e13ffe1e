"""Where the archive lives.

The database URL comes from ``--db``, else the ``SCT_ARCHIVE_DB`` environment variable,
else a SQLite file under ``./data/``. A plain path (``--db my.sqlite3``) means SQLite.
``postgresql://`` URLs use psycopg 3.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_DB = "SCT_ARCHIVE_DB"
DEFAULT_SQLITE_PATH = Path("data") / "archive.sqlite3"


def default_db_url() -> str:
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def resolve_db_url(value: str | None = None) -> str:
    """The database URL to use: an explicit value, else ``$SCT_ARCHIVE_DB``, else the default."""
    url = (value or os.environ.get(ENV_DB) or "").strip() or default_db_url()
    if "://" not in url:  # a bare file path
        url = f"sqlite:///{url}"
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def redact(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in creds else url
