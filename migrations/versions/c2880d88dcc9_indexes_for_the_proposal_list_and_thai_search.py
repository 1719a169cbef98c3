"""indexes for the proposal list and Thai title search

Composite indexes serve the proposal list and the organization page at province scale:
``WHERE organization_id = ? ORDER BY id DESC LIMIT n`` and the per-status counts.

On PostgreSQL a pg_trgm GIN index makes ``title ILIKE '%word%'`` an index search. Thai is
written without spaces, so a word is a substring of a longer run of letters; trigrams find
it as long as the database's ctype classifies Thai letters and marks as alphanumeric (true
for C.UTF-8 and th_TH.UTF-8; SCALING.md has the measurement). SQLite keeps the substring
scan, which is fast enough for one organization's proposals.

Revision ID: c2880d88dcc9
Revises: 421c906d60e9
Create Date: 2026-11-21 10:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c2880d88dcc9'
down_revision = '421c906d60e9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_organization_id_id', ['organization_id', 'id'])
        batch_op.create_index(
            'ix_proposal_organization_id_status_id', ['organization_id', 'status', 'id']
        )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.create_index(
            'ix_proposal_title_trgm',
            'proposal',
            ['title'],
            postgresql_using='gin',
            postgresql_ops={'title': 'gin_trgm_ops'},
        )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_proposal_title_trgm', table_name='proposal')
        # The extension stays: other databases' objects may use it, and it is harmless.
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_organization_id_status_id')
        batch_op.drop_index('ix_proposal_organization_id_id')
