"""Notifications: channel settings per organization, subscriptions, the outbox and its attempts

Revision ID: b4e8d2f6a1c3
Revises: ae3b5c7d9e42
Create Date: 2026-12-03 08:04:03.098985

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4e8d2f6a1c3'
down_revision = 'b7d1e3f5a9c2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notify_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('email_enabled', sa.Boolean(), nullable=False),
    sa.Column('smtp_host', sa.String(length=255), nullable=True),
    sa.Column('smtp_port', sa.Integer(), nullable=False),
    sa.Column('smtp_security', sa.String(length=10), nullable=False),
    sa.Column('smtp_username', sa.String(length=255), nullable=True),
    sa.Column('smtp_password', sa.String(length=255), nullable=True),
    sa.Column('smtp_from', sa.String(length=255), nullable=True),
    sa.Column('sms_enabled', sa.Boolean(), nullable=False),
    sa.Column('sms_url', sa.String(length=500), nullable=True),
    sa.Column('sms_username', sa.String(length=255), nullable=True),
    sa.Column('sms_password', sa.String(length=255), nullable=True),
    sa.Column('sms_sender', sa.String(length=32), nullable=True),
    sa.Column('sms_encoding', sa.String(length=8), nullable=False),
    sa.Column('sms_body_template', sa.Text(), nullable=True),
    sa.Column('sms_success_marker', sa.String(length=120), nullable=True),
    sa.Column('sms_dedupes_reference', sa.Boolean(), nullable=False),
    sa.Column('line_enabled', sa.Boolean(), nullable=False),
    sa.Column('line_token', sa.String(length=500), nullable=True),
    sa.Column('line_base_url', sa.String(length=255), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("sms_encoding IN ('form', 'json')", name=op.f('ck_notify_settings_sms_encoding_known')),
    sa.CheckConstraint("smtp_security IN ('none', 'starttls', 'ssl')", name=op.f('ck_notify_settings_smtp_security_known')),
    sa.CheckConstraint('max_attempts BETWEEN 1 AND 50', name=op.f('ck_notify_settings_max_attempts_range')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_notify_settings_organization_id_organization')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_notify_settings_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_settings')),
    sa.UniqueConstraint('organization_id', name=op.f('uq_notify_settings_organization_id'))
    )
    op.create_table('notify_subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('address', sa.String(length=255), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('stopped_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("(kind = 'follower') = (organization_id IS NOT NULL)", name=op.f('ck_notify_subscription_follower_has_org')),
    sa.CheckConstraint("(kind = 'person') = (user_id IS NOT NULL)", name=op.f('ck_notify_subscription_person_has_user')),
    sa.CheckConstraint("(kind = 'proposer') = (proposal_id IS NOT NULL)", name=op.f('ck_notify_subscription_proposer_has_proposal')),
    sa.CheckConstraint("address IS NOT NULL OR (kind = 'proposer' AND channel = 'sms')", name=op.f('ck_notify_subscription_address_set')),
    sa.CheckConstraint("channel IN ('email', 'sms', 'line')", name=op.f('ck_notify_subscription_channel_known')),
    sa.CheckConstraint("kind IN ('person', 'follower', 'proposer')", name=op.f('ck_notify_subscription_kind_known')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_notify_subscription_organization_id_organization')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_notify_subscription_proposal_id_proposal')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notify_subscription_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_subscription'))
    )
    with op.batch_alter_table('notify_subscription', schema=None) as batch_op:
        batch_op.create_index('ix_notify_subscription_kind_user', ['kind', 'user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notify_subscription_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notify_subscription_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('notify_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=True),
    sa.Column('event', sa.String(length=32), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('address', sa.String(length=255), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('target_path', sa.String(length=255), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('idempotency_key', sa.String(length=36), nullable=False),
    sa.Column('dedupe_key', sa.String(length=160), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('last_answer', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("channel IN ('email', 'sms', 'line')", name=op.f('ck_notify_message_channel_known')),
    sa.CheckConstraint("status IN ('queued', 'sending', 'retry', 'sent', 'dead', 'unknown', 'cancelled')", name=op.f('ck_notify_message_status_known')),
    sa.CheckConstraint('attempts >= 0 AND max_attempts >= 1', name=op.f('ck_notify_message_attempts_ok')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_notify_message_organization_id_organization')),
    sa.ForeignKeyConstraint(['subscription_id'], ['notify_subscription.id'], name=op.f('fk_notify_message_subscription_id_notify_subscription')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_message')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_notify_message_dedupe_key')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_notify_message_idempotency_key')),
    sa.UniqueConstraint('reference', name=op.f('uq_notify_message_reference'))
    )
    with op.batch_alter_table('notify_message', schema=None) as batch_op:
        batch_op.create_index('ix_notify_message_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_notify_message_organization_id_id', ['organization_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notify_message_subscription_id'), ['subscription_id'], unique=False)

    op.create_table('notify_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_notify_attempt_actor_id_user_account')),
    sa.ForeignKeyConstraint(['message_id'], ['notify_message.id'], name=op.f('fk_notify_attempt_message_id_notify_message'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_attempt'))
    )
    with op.batch_alter_table('notify_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notify_attempt_message_id'), ['message_id'], unique=False)



def downgrade():
    with op.batch_alter_table('notify_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notify_attempt_message_id'))

    op.drop_table('notify_attempt')
    with op.batch_alter_table('notify_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notify_message_subscription_id'))
        batch_op.drop_index('ix_notify_message_organization_id_id')
        batch_op.drop_index('ix_notify_message_due')

    op.drop_table('notify_message')
    with op.batch_alter_table('notify_subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notify_subscription_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_notify_subscription_organization_id'))
        batch_op.drop_index('ix_notify_subscription_kind_user')

    op.drop_table('notify_subscription')
    op.drop_table('notify_settings')
