"""Crawl leases: one crawl per site at a time

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import archive.storage.models

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('crawl_leases',
    sa.Column('site_key', sa.String(length=200), nullable=False),
    sa.Column('holder', sa.String(length=255), nullable=False),
    sa.Column('acquired_at', archive.storage.models.UTCDateTime(), nullable=False),
    sa.Column('expires_at', archive.storage.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('site_key', name=op.f('pk_crawl_leases'))
    )


def downgrade() -> None:
    op.drop_table('crawl_leases')
