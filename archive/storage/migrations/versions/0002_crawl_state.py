"""Crawl state: conditional-GET validators, revisit schedule, gone articles, complete runs, attachments

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import archive.storage.models

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2048), nullable=False),
    sa.Column('filename', sa.String(length=500), nullable=False),
    sa.Column('media_type', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('snapshot_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshots.id'], name=op.f('fk_attachments_snapshot_id_snapshots')),
    sa.ForeignKeyConstraint(['version_id'], ['article_versions.id'], name=op.f('fk_attachments_version_id_article_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('version_id', 'url', name=op.f('uq_attachments_version_id'))
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('etag', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('last_modified', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('last_checked_at', archive.storage.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('next_check_at', archive.storage.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('gone_at', archive.storage.models.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_articles_next_check_at'), ['next_check_at'], unique=False)

    with op.batch_alter_table('crawl_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complete', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('crawl_runs', schema=None) as batch_op:
        batch_op.drop_column('complete')

    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_next_check_at'))
        batch_op.drop_column('gone_at')
        batch_op.drop_column('next_check_at')
        batch_op.drop_column('last_checked_at')
        batch_op.drop_column('last_modified')
        batch_op.drop_column('etag')

    op.drop_table('attachments')
