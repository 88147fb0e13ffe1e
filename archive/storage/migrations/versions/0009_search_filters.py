"""Search filters inside the index: the publication date in it (SQLite's FTS5 table: a
``tags`` column of date tokens; PostgreSQL's search_documents: a ``published`` column),
articles an index on (current_version_id, site_id)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

SQLite: ``search_fts`` is rebuilt with its ``tags`` column (searchindex.reindex: about
0.5 ms per article); PostgreSQL: the column is added and copied from the versions.
Nothing to do when the index has them already (0008 run by this version builds it so).
Both: ``ix_articles_current_version_site``, which joins a match to its article by the
latest version without reading the article row.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from archive.storage import searchindex

    searchindex.upgrade_layout(op.get_bind())
    op.create_index("ix_articles_current_version_site", "articles", ["current_version_id", "site_id"])


def downgrade() -> None:
    op.drop_index("ix_articles_current_version_site", table_name="articles")
    # the index keeps its date column (tags, published): 0008's code works on it unchanged
