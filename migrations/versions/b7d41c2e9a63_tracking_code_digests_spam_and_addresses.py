"""tracking codes kept as digests only; spam marks; the address of anonymous actors; login
sessions kept server-side

The tracking code authorizes a withdrawal, yet until this revision it was printed on the public
proposal page, in the open-data API and in the public CSV/XLSX exports: every code issued so far
must be treated as known to anyone. This migration therefore

* drops ``proposal.tracking_code`` (the plain codes are gone from the database and from every
  backup taken afterwards) and adds ``proposal.tracking_code_hash`` (SHA-256 of a new, longer
  code), NULL for every existing proposal: **old codes no longer withdraw or look anything up**.
  A proposal stays public under its reference number (its id); a proposer who still wants to
  withdraw an older proposal asks the village committee, which may withdraw before screening,
  or the plan office, which may issue a new code for it (shown once to the officer);
* adds ``proposal.submitted_from`` (the client address of an anonymous submission, seen by the
  office only) and ``proposal.spam`` (marked as spam by the office: hidden from public pages and
  the API, kept, reversible);
* adds ``decision.address`` (the client address when the actor is anonymous: a public submission
  or a withdrawal with the code). ``decision`` is append-only: the column is added with a plain
  ALTER TABLE (no batch copy), so its triggers stay in place;
* adds ``login_session``: one row per logged-in browser (the digest of a random token held in
  its session cookie); logging out ends it, so a copied cookie stops working. Sessions started
  before this revision carry no token: everyone logs in once more.

Downgrading restores a ``tracking_code`` column with fresh random codes nobody holds.

Revision ID: b7d41c2e9a63
Revises: ae3b5c7d9e42
Create Date: 2026-12-03 08:10:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = 'b7d41c2e9a63'
down_revision = 'b7d1e3f5a902'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_constraint('uq_proposal_tracking_code', type_='unique')
        batch_op.drop_column('tracking_code')
        batch_op.add_column(sa.Column('tracking_code_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('submitted_from', sa.String(length=45), nullable=True))
        batch_op.add_column(
            sa.Column('spam', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_unique_constraint(
            batch_op.f('uq_proposal_tracking_code_hash'), ['tracking_code_hash']
        )
    op.add_column('decision', sa.Column('address', sa.String(length=45), nullable=True))
    op.create_table(
        'login_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_login_session_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_session')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_login_session_token_hash')),
    )
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_session_user_id'), ['user_id'], unique=False)


def downgrade():
    op.drop_table('login_session')
    # A plain DROP COLUMN (SQLite 3.35+): a batch copy of the append-only table would lose
    # its triggers.
    op.execute('ALTER TABLE decision DROP COLUMN address')
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_proposal_tracking_code_hash'), type_='unique')
        batch_op.drop_column('spam')
        batch_op.drop_column('submitted_from')
        batch_op.drop_column('tracking_code_hash')
        batch_op.add_column(sa.Column('tracking_code', sa.String(length=16), nullable=True))
    bind = op.get_bind()
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    for (proposal_id,) in bind.execute(sa.text('SELECT id FROM proposal')).all():
        code = "".join(secrets.choice(alphabet) for _ in range(10))
        bind.execute(
            sa.text('UPDATE proposal SET tracking_code = :code WHERE id = :id'),
            {"code": code, "id": proposal_id},
        )
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.alter_column('tracking_code', nullable=False)
        batch_op.create_unique_constraint('uq_proposal_tracking_code', ['tracking_code'])
