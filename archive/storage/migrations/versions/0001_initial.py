"""Initial archive schema: sites, payloads, snapshots, articles, URLs, versions, observations, runs

Revision ID: 0001
Revises: 
Create Date: 2026-11-24
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
import archive.storage.models

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('payloads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('compression', sa.String(length=10), nullable=False),
    sa.Column('data', sa.LargeBinary().with_variant(postgresql.BYTEA(), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payloads')),
    sa.UniqueConstraint('sha256', name=op.f('uq_payloads_sha256'))
    )
    op.create_table('sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=True),
    sa.Column('base_url', sa.String(length=2048), nullable=True),
    sa.Column('profile', sa.String(length=50), nullable=True),
    sa.Column('created_at', archive.storage.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sites')),
    sa.UniqueConstraint('key', name=op.f('uq_sites_key'))
    )
    op.create_table('articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('article_key', sa.String(length=512), nullable=False),
    sa.Column('canonical_url', sa.String(length=2048), nullable=False),
    sa.Column('first_seen', archive.storage.models.UTCDateTime(), nullable=False),
    sa.Column('last_seen', archive.storage.models.UTCDateTime(), nullable=False),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_articles_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_articles')),
    sa.UniqueConstraint('site_id', 'article_key', name=op.f('uq_articles_site_id'))
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_articles_site_id'), ['site_id'], unique=False)

    op.create_table('crawl_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('started_at', archive.storage.models.UTCDateTime(), nullable=False),
    sa.Column('finished_at', archive.storage.models.UTCDateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=True),
    sa.Column('host', sa.String(length=255), nullable=True),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('new_articles', sa.Integer(), nullable=False),
    sa.Column('new_versions', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('not_modified', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('stats', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('health', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_crawl_runs_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crawl_runs'))
    )
    with op.batch_alter_table('crawl_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crawl_runs_site_id'), ['site_id'], unique=False)

    op.create_table('article_urls',
    sa.Column('url', sa.String(length=2048), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_urls_article_id_articles')),
    sa.PrimaryKeyConstraint('url', name=op.f('pk_article_urls'))
    )
    with op.batch_alter_table('article_urls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_urls_article_id'), ['article_id'], unique=False)

    op.create_table('snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=2048), nullable=False),
    sa.Column('fetched_at', archive.storage.models.UTCDateTime(), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('headers', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('content_type', sa.String(length=200), nullable=True),
    sa.Column('payload_id', sa.Integer(), nullable=False),
    sa.Column('payload_digest', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('charset', sa.String(length=40), nullable=True),
    sa.Column('charset_source', sa.String(length=20), nullable=True),
    sa.Column('warc_record_id', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['payload_id'], ['payloads.id'], name=op.f('fk_snapshots_payload_id_payloads')),
    sa.ForeignKeyConstraint(['run_id'], ['crawl_runs.id'], name=op.f('fk_snapshots_run_id_crawl_runs')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_snapshots_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_snapshots'))
    )
    with op.batch_alter_table('snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_snapshots_payload_id'), ['payload_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_snapshots_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_snapshots_site_id'), ['site_id'], unique=False)
        batch_op.create_index('ix_snapshots_url_fetched_at', ['url', 'fetched_at'], unique=False)

    op.create_table('article_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('published_at', archive.storage.models.UTCDateTime(), nullable=True),
    sa.Column('published_source', sa.String(length=100), nullable=True),
    sa.Column('updated', archive.storage.models.UTCDateTime(), nullable=True),
    sa.Column('updated_source', sa.String(length=100), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=True),
    sa.Column('source_line', sa.Text(), nullable=True),
    sa.Column('fetched_at', archive.storage.models.UTCDateTime(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=True),
    sa.Column('produced_by', sa.String(length=20), nullable=False),
    sa.Column('extractor', sa.String(length=100), nullable=False),
    sa.Column('created_at', archive.storage.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_versions_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshots.id'], name=op.f('fk_article_versions_snapshot_id_snapshots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_versions')),
    sa.UniqueConstraint('article_id', 'content_hash', name='uq_article_versions_article_hash'),
    sa.UniqueConstraint('article_id', 'number', name=op.f('uq_article_versions_article_id'))
    )
    with op.batch_alter_table('article_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_versions_snapshot_id'), ['snapshot_id'], unique=False)

    # articles.current_version_id and article_versions.article_id point at each other:
    # the first of the two foreign keys is added once both tables exist.
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_articles_current_version_id_article_versions'), 'article_versions', ['current_version_id'], ['id'])

    op.create_table('observations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.Column('snapshot_id', sa.Integer(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('observed_at', archive.storage.models.UTCDateTime(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_observations_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['crawl_runs.id'], name=op.f('fk_observations_run_id_crawl_runs')),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshots.id'], name=op.f('fk_observations_snapshot_id_snapshots')),
    sa.ForeignKeyConstraint(['version_id'], ['article_versions.id'], name=op.f('fk_observations_version_id_article_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations'))
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observations_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_run_id'), ['run_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observations_run_id'))
        batch_op.drop_index(batch_op.f('ix_observations_article_id'))

    op.drop_table('observations')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_articles_current_version_id_article_versions'), type_='foreignkey')
    with op.batch_alter_table('article_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_versions_snapshot_id'))

    op.drop_table('article_versions')
    with op.batch_alter_table('snapshots', schema=None) as batch_op:
        batch_op.drop_index('ix_snapshots_url_fetched_at')
        batch_op.drop_index(batch_op.f('ix_snapshots_site_id'))
        batch_op.drop_index(batch_op.f('ix_snapshots_run_id'))
        batch_op.drop_index(batch_op.f('ix_snapshots_payload_id'))

    op.drop_table('snapshots')
    with op.batch_alter_table('article_urls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_urls_article_id'))

    op.drop_table('article_urls')
    with op.batch_alter_table('crawl_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crawl_runs_site_id'))

    op.drop_table('crawl_runs')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_site_id'))

    op.drop_table('articles')
    op.drop_table('sites')
    op.drop_table('payloads')
