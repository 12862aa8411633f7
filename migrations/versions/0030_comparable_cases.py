"""comparable cases and "seen before" (issue 17, items 7 and 8): the index the comparison of past cases reads
(allegations by clause, finding and subject), the reason a proposal far from its comparables gives, and the
normalised URL and handle of each reported post, indexed, filled for the posts stored before

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-01 23:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_allegations_clause_finding_subject', 'allegations', ['clause_id', 'finding_id', 'subject_id'], unique=False
    )
    with op.batch_alter_table('discipline_proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comparables_reason', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('reported_posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('url_key', sa.String(length=2048), nullable=True))
        batch_op.add_column(sa.Column('handle_key', sa.String(length=200), nullable=True))
    _fill_post_keys()
    op.create_index('ix_reported_posts_url_key', 'reported_posts', ['url_key'], unique=False)
    op.create_index(
        'ix_reported_posts_platform_handle_key', 'reported_posts', ['platform', 'handle_key'], unique=False
    )


def _fill_post_keys():
    from project.services.casework import handle_key, url_key  # the same keys the application writes

    conn = op.get_bind()
    posts = sa.table(
        'reported_posts', sa.column('id'), sa.column('url'), sa.column('account_handle'),
        sa.column('url_key'), sa.column('handle_key'),
    )
    rows = conn.execute(sa.select(posts.c.id, posts.c.url, posts.c.account_handle)).all()
    for row in rows:
        conn.execute(
            posts.update()
            .where(posts.c.id == row.id)
            .values(url_key=url_key(row.url), handle_key=handle_key(row.account_handle))
        )


def downgrade():
    op.drop_index('ix_reported_posts_platform_handle_key', table_name='reported_posts')
    op.drop_index('ix_reported_posts_url_key', table_name='reported_posts')
    with op.batch_alter_table('reported_posts', schema=None) as batch_op:
        batch_op.drop_column('handle_key')
        batch_op.drop_column('url_key')
    with op.batch_alter_table('discipline_proposals', schema=None) as batch_op:
        batch_op.drop_column('comparables_reason')
    op.drop_index('ix_allegations_clause_finding_subject', table_name='allegations')
