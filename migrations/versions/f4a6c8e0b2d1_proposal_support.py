"""Proposal support: another village asks for an existing proposal (forum.assist)

Revision ID: f4a6c8e0b2d1
Revises: ae3b5c7d9e42
Create Date: 2026-12-03 08:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f4a6c8e0b2d1'
down_revision = 'b7e2c4a19d53'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'proposal_support',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.Column('supporter_name', sa.String(length=255), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_proposal_support_created_by_id_user_account')),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_support_proposal_id_proposal')),
        sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_proposal_support_village_id_village')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_support')),
        sa.UniqueConstraint('proposal_id', 'village_id', name=op.f('uq_proposal_support_proposal_id_village_id')),
    )
    with op.batch_alter_table('proposal_support', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_support_proposal_id'), ['proposal_id'], unique=False)


def downgrade():
    with op.batch_alter_table('proposal_support', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_support_proposal_id'))
    op.drop_table('proposal_support')
