"""Full-text search index of article versions (folded Vietnamese), filled from the archive

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

SQLite: an FTS5 table ``search_fts``; PostgreSQL: ``search_documents`` (tsvector + GIN).
Neither is a model (see archive/storage/searchindex.py). Filling it reads every
version once (about 0.5 ms per article).
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from archive.storage import searchindex

    searchindex.reindex(op.get_bind())


def downgrade() -> None:
    from archive.storage import searchindex

    searchindex.drop(op.get_bind())
