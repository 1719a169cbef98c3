"""selection adoption: a committee adopts a round's selection, with overrides (append-only)

Two tables that can be added to, never changed or deleted (the same triggers as the decision
record, see migration 5e1a7c3b9d20). A round is adopted once (unique round_id).

Revision ID: b7e2c4a19d53
Revises: ae3b5c7d9e42
Create Date: 2026-12-03 08:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e2c4a19d53'
down_revision = 'b7d3e9f1a2c4'
branch_labels = None
depends_on = None

TABLES = ('selection_adoption', 'selection_override')


def upgrade():
    op.create_table('selection_adoption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=8), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('budget', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('voters', sa.String(length=8), nullable=False),
    sa.Column('rule_outcome', sa.JSON(), nullable=False),
    sa.Column('adopted', sa.JSON(), nullable=False),
    sa.Column('vote_result', sa.JSON(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("rule IN ('greedy', 'mes')", name=op.f('ck_selection_adoption_rule_known')),
    sa.CheckConstraint('budget > 0', name=op.f('ck_selection_adoption_budget_positive')),
    sa.CheckConstraint("voters IN ('villages', 'ballots')", name=op.f('ck_selection_adoption_voters_known')),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_selection_adoption_actor_id_user_account')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_selection_adoption_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['round_id'], ['ballot_round.id'], name=op.f('fk_selection_adoption_round_id_ballot_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_selection_adoption')),
    sa.UniqueConstraint('round_id', name=op.f('uq_selection_adoption_round_id'))
    )
    with op.batch_alter_table('selection_adoption', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_selection_adoption_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('selection_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('adoption_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.CheckConstraint("action IN ('add', 'remove')", name=op.f('ck_selection_override_action_known')),
    sa.CheckConstraint('length(reason) > 0', name=op.f('ck_selection_override_reason_given')),
    sa.ForeignKeyConstraint(['adoption_id'], ['selection_adoption.id'], name=op.f('fk_selection_override_adoption_id_selection_adoption')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_selection_override_proposal_id_proposal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_selection_override'))
    )
    with op.batch_alter_table('selection_override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_selection_override_adoption_id'), ['adoption_id'], unique=False)

    dialect = op.get_bind().dialect.name
    for table in TABLES:
        if dialect == 'postgresql':
            op.execute(
                f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON "{table}" '
                'FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change()'
            )
            op.execute(
                f'CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON "{table}" '
                'FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change()'
            )
        elif dialect == 'sqlite':
            for action in ('UPDATE', 'DELETE'):
                op.execute(
                    f'CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON "{table}" '
                    f"BEGIN SELECT RAISE(ABORT, '{table} records are append-only'); END"
                )


def downgrade():
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        if dialect == 'postgresql':
            op.execute(f'DROP TRIGGER IF EXISTS {table}_append_only ON "{table}"')
            op.execute(f'DROP TRIGGER IF EXISTS {table}_no_truncate ON "{table}"')
        elif dialect == 'sqlite':
            for action in ('update', 'delete'):
                op.execute(f'DROP TRIGGER IF EXISTS {table}_no_{action}')
    with op.batch_alter_table('selection_override', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_selection_override_adoption_id'))
    op.drop_table('selection_override')
    with op.batch_alter_table('selection_adoption', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_selection_adoption_meeting_id'))
    op.drop_table('selection_adoption')
