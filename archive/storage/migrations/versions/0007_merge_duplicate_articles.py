"""Merge the duplicate articles older releases made (no schema change)

Up to this release, ``reextract`` and the import of the archive's own WARC export
filed the snapshots of a site that is not in the default registry (the demo's
sites, or one crawled with ``crawl --url``) under a second, ad-hoc site named by
host and port (``127.0.0.1:18301``), each article a second time. This migration
moves every such duplicate into the article it duplicates: its versions (a version
whose content the original already has is folded into that version), observations,
URLs and snapshots; then the ad-hoc site's remaining snapshots and runs when it has
one original site, and the ad-hoc site itself once nothing refers to it.

An ad-hoc site is one whose key is the host (or host:port) of its own base URL; its
original is a site with a registry key on the same host and port that has an
article with the same key. Two registered sites are never merged.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from archive.storage.integrity import merge_duplicates

    merge_duplicates(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: the merged rows were copies."""
