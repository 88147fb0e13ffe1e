"""Conference and funding flags of article versions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import archive.storage.models

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subtype', sa.String(length=30), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('evidence', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('facts', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('rules_version', sa.String(length=20), nullable=False),
    sa.Column('created_at', archive.storage.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['article_versions.id'], name=op.f('fk_flags_version_id_article_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags')),
    sa.UniqueConstraint('version_id', 'kind', name=op.f('uq_flags_version_id'))
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flags_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_version_id'), ['version_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flags_version_id'))
        batch_op.drop_index(batch_op.f('ix_flags_kind'))
    op.drop_table('flags')
