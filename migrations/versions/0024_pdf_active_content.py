"""PDF active content (issue 15, F17): the kinds of active content found in a PDF exhibit at upload
(JavaScript, launch action, embedded file ...), so the exhibit page and the packet warn whoever opens
the original. Exhibits uploaded before this revision stay NULL: they were not scanned.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 19:50:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("exhibits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("active_content", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("exhibits", schema=None) as batch_op:
        batch_op.drop_column("active_content")
