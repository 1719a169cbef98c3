"""Proposal photos: up to three per proposal, the files in the upload store

Revision ID: ae3b5c7d9e42
Revises: 9d2a4f6b8c31
Create Date: 2026-11-21 03:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ae3b5c7d9e42'
down_revision = '9d2a4f6b8c31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'proposal_photo',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('stored_name', sa.String(length=40), nullable=False),
        sa.Column('media_type', sa.String(length=32), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('position BETWEEN 1 AND 3', name=op.f('ck_proposal_photo_position_in_range')),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_photo_proposal_id_proposal'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_photo')),
        sa.UniqueConstraint('proposal_id', 'position', name=op.f('uq_proposal_photo_proposal_id_position')),
        sa.UniqueConstraint('stored_name', name=op.f('uq_proposal_photo_stored_name')),
    )
    with op.batch_alter_table('proposal_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_photo_proposal_id'), ['proposal_id'], unique=False)


def downgrade():
    with op.batch_alter_table('proposal_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_photo_proposal_id'))
    op.drop_table('proposal_photo')
