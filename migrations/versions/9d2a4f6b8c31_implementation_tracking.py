"""Implementation tracking and carry-over

Revision ID: 9d2a4f6b8c31
Revises: 8c1f3e5a7b20
Create Date: 2026-11-21 03:30:00

implementation_update: the append-only history of each plan project's implementation per
fiscal year (refused UPDATE/DELETE by triggers, like the decision record).
proposal.carried_from_id: the proposal a carried-over one came from; unique, so a proposal is
carried over at most once.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d2a4f6b8c31'
down_revision = '8c1f3e5a7b20'
branch_labels = None
depends_on = None

TABLE = 'implementation_update'


def upgrade():
    op.create_table(
        TABLE,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('fiscal_year', sa.Integer(), nullable=False),
        sa.Column('stage', sa.String(length=20), nullable=False),
        sa.Column('budget_amount', sa.BigInteger(), nullable=True),
        sa.Column('contract_date', sa.Date(), nullable=True),
        sa.Column('contract_amount', sa.BigInteger(), nullable=True),
        sa.Column('percent', sa.Integer(), nullable=True),
        sa.Column('completed_date', sa.Date(), nullable=True),
        sa.Column('amount_spent', sa.BigInteger(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_by_label', sa.String(length=255), nullable=False),
        sa.CheckConstraint(
            "stage IN ('budgeted', 'contracted', 'in_progress', 'completed', 'not_implemented')",
            name=op.f('ck_implementation_update_stage_known'),
        ),
        sa.CheckConstraint('fiscal_year > 2400', name=op.f('ck_implementation_update_buddhist_era')),
        sa.CheckConstraint(
            'percent IS NULL OR (percent >= 0 AND percent <= 100)',
            name=op.f('ck_implementation_update_percent'),
        ),
        sa.CheckConstraint(
            '(budget_amount IS NULL OR budget_amount >= 0)'
            ' AND (contract_amount IS NULL OR contract_amount >= 0)'
            ' AND (amount_spent IS NULL OR amount_spent >= 0)',
            name=op.f('ck_implementation_update_amounts_not_negative'),
        ),
        sa.CheckConstraint(
            "stage <> 'not_implemented' OR reason IS NOT NULL",
            name=op.f('ck_implementation_update_reason_when_not_implemented'),
        ),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_implementation_update_created_by_id_user_account')),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_implementation_update_proposal_id_proposal')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_implementation_update')),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index('ix_implementation_update_proposal_year', ['proposal_id', 'fiscal_year', 'id'], unique=False)

    # Adding a nullable column and an index needs no table rebuild, even on SQLite.
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_from_id', sa.Integer(), sa.ForeignKey('proposal.id', name=op.f('fk_proposal_carried_from_id_proposal')), nullable=True))
        batch_op.create_index(batch_op.f('ix_proposal_carried_from_id'), ['carried_from_id'], unique=True)

    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        # refuse_append_only_change() was created with the audit tables (5e1a7c3b9d20).
        op.execute(
            f'CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON "{TABLE}" '
            'FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()'
        )
        op.execute(
            f'CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON "{TABLE}" '
            'FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change()'
        )
    elif dialect == 'sqlite':
        for action in ('UPDATE', 'DELETE'):
            op.execute(
                f'CREATE TRIGGER {TABLE}_no_{action.lower()} BEFORE {action} ON "{TABLE}" '
                f"BEGIN SELECT RAISE(ABORT, '{TABLE} records are append-only'); END"
            )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        op.execute(f'DROP TRIGGER IF EXISTS {TABLE}_append_only ON "{TABLE}"')
        op.execute(f'DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON "{TABLE}"')
    elif dialect == 'sqlite':
        for action in ('update', 'delete'):
            op.execute(f'DROP TRIGGER IF EXISTS {TABLE}_no_{action}')
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_carried_from_id'))
        batch_op.drop_column('carried_from_id')
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index('ix_implementation_update_proposal_year')
    op.drop_table(TABLE)
