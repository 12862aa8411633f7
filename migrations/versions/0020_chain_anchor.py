"""seal append-only records in the audit chain: audit_events.seals

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-01 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    # Records written before this revision carry no seal: `flask audit seal-existing` seals them once.
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seals', sa.JSON(none_as_null=True), nullable=True))


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('seals')
