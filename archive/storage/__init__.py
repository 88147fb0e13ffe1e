"""Storage: the typed models, engines (SQLite WAL / PostgreSQL), Alembic migrations, the
store that owns every write and its versioning rule, crawl leases, and the records
(``Fetch``, ``Extracted``) that extraction hands to the store.

May import the language package and the flags; never the CLI or the read side.
"""
