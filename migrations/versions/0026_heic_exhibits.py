"""heic exhibits (issue 16, item 6): an exhibit may be a HEIC/HEIF photo (the iPhone default), kept as it came
and converted for print only

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 12:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

BEFORE = "media_type IN ('image/png', 'image/jpeg', 'image/webp', 'application/pdf')"
AFTER = "media_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/heic', 'application/pdf')"


def upgrade():
    with op.batch_alter_table('exhibits', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_exhibits_known_media_type'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_exhibits_known_media_type'), AFTER)


def downgrade():
    # the old check constraint refuses a HEIC exhibit: downgrading fails while one is stored
    with op.batch_alter_table('exhibits', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_exhibits_known_media_type'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_exhibits_known_media_type'), BEFORE)
