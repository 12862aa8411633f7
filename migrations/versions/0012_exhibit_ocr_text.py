"""the text OCR read in each image exhibit, and when, so searching finds words inside screenshots

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 14:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exhibits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ocr_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('ocr_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('exhibits', schema=None) as batch_op:
        batch_op.drop_column('ocr_at')
        batch_op.drop_column('ocr_text')
