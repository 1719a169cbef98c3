"""Plan versions: frozen projects and stored annex PDFs

Revision ID: 7b4e2d9a1c35
Revises: c2880d88dcc9
Create Date: 2026-11-21 02:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7b4e2d9a1c35'
down_revision = 'c2880d88dcc9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'plan_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_period_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('number > 0', name=op.f('ck_plan_version_number_positive')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_plan_version_created_by_id_user_account')),
        sa.ForeignKeyConstraint(['plan_period_id'], ['plan_period.id'], name=op.f('fk_plan_version_plan_period_id_plan_period')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_version')),
        sa.UniqueConstraint('plan_period_id', 'number', name=op.f('uq_plan_version_plan_period_id_number')),
    )
    with op.batch_alter_table('plan_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_version_plan_period_id'), ['plan_period_id'], unique=False)

    op.create_table(
        'plan_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('form', sa.String(length=8), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['version_id'], ['plan_version.id'], name=op.f('fk_plan_document_version_id_plan_version')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_document')),
        sa.UniqueConstraint('version_id', 'form', name=op.f('uq_plan_document_version_id_form')),
    )
    with op.batch_alter_table('plan_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_document_version_id'), ['version_id'], unique=False)

    op.create_table(
        'plan_version_project',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('snapshot', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_plan_version_project_proposal_id_proposal')),
        sa.ForeignKeyConstraint(['version_id'], ['plan_version.id'], name=op.f('fk_plan_version_project_version_id_plan_version')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_version_project')),
        sa.UniqueConstraint('version_id', 'proposal_id', name=op.f('uq_plan_version_project_version_id_proposal_id')),
    )
    with op.batch_alter_table('plan_version_project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_version_project_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_version_project_version_id'), ['version_id'], unique=False)


def downgrade():
    with op.batch_alter_table('plan_version_project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_version_project_version_id'))
        batch_op.drop_index(batch_op.f('ix_plan_version_project_proposal_id'))
    op.drop_table('plan_version_project')
    with op.batch_alter_table('plan_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_document_version_id'))
    op.drop_table('plan_document')
    with op.batch_alter_table('plan_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_version_plan_period_id'))
    op.drop_table('plan_version')
