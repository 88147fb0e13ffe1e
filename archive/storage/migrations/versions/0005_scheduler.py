"""Recrawl queue: crawl requests for the daemon

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import archive.storage.models

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('crawl_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_key', sa.String(length=200), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('urls', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('requested_at', archive.storage.models.UTCDateTime(), nullable=False),
    sa.Column('requested_by', sa.String(length=255), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_by', sa.String(length=255), nullable=True),
    sa.Column('started_at', archive.storage.models.UTCDateTime(), nullable=True),
    sa.Column('finished_at', archive.storage.models.UTCDateTime(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('exit_code', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['crawl_runs.id'], name=op.f('fk_crawl_requests_run_id_crawl_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crawl_requests'))
    )
    with op.batch_alter_table('crawl_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crawl_requests_site_key'), ['site_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_crawl_requests_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('crawl_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crawl_requests_status'))
        batch_op.drop_index(batch_op.f('ix_crawl_requests_site_key'))
    op.drop_table('crawl_requests')
