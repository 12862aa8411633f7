"""media exhibits (issue 17, item 3): an exhibit may be an audio recording (MP3, M4A, WAV) or a video (MP4,
MOV), with its duration and a transcript (who changed it last, and when); a video's key frames are derived
files of the kind 'frame'

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-01 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

BEFORE = "media_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/heic', 'application/pdf')"
AFTER = (
    "media_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/heic', 'application/pdf', 'audio/mpeg', "
    "'audio/mp4', 'audio/wav', 'video/mp4', 'video/quicktime')"
)

KINDS_BEFORE = "kind IN ('thumbnail', 'print', 'redacted', 'packet')"
KINDS_AFTER = "kind IN ('thumbnail', 'print', 'redacted', 'packet', 'frame')"


def upgrade():
    with op.batch_alter_table('derived_files', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_derived_files_known_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_derived_files_known_kind'), KINDS_AFTER)

    with op.batch_alter_table('exhibits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duration_ms', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('transcript', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('transcript_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('transcript_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_exhibits_transcript_by_id_users'), 'users', ['transcript_by_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_exhibits_known_media_type'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_exhibits_known_media_type'), AFTER)
        batch_op.create_check_constraint(
            batch_op.f('ck_exhibits_transcript_who_and_when'), "(transcript_by_id IS NULL) = (transcript_at IS NULL)"
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_exhibits_duration_not_negative'), "duration_ms IS NULL OR duration_ms >= 0"
        )


def downgrade():
    # the old check constraint refuses an audio or video exhibit: downgrading fails while one is stored
    with op.batch_alter_table('exhibits', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_exhibits_duration_not_negative'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_exhibits_transcript_who_and_when'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_exhibits_known_media_type'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_exhibits_known_media_type'), BEFORE)
        batch_op.drop_constraint(batch_op.f('fk_exhibits_transcript_by_id_users'), type_='foreignkey')
        batch_op.drop_column('transcript_at')
        batch_op.drop_column('transcript_by_id')
        batch_op.drop_column('transcript')
        batch_op.drop_column('duration_ms')
    with op.batch_alter_table('derived_files', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_derived_files_known_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_derived_files_known_kind'), KINDS_BEFORE)
