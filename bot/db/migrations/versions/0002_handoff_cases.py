"""handoff cases, case messages, translation cache, console users

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('cases',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_key', sa.String(64), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('language', sa.String(8), nullable=False),
    sa.Column('topic', sa.String(32), nullable=False),
    sa.Column('bundesland', sa.String(2), nullable=True),
    sa.Column('organisation_id', sa.String(64), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('consent_at', TS, nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('status', sa.String(16), nullable=False),
    sa.Column('assigned_to', sa.String(128), nullable=True),
    sa.Column('staff_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('staff_thread_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', TS, server_default=sa.func.now(), nullable=False),
    sa.Column('claimed_at', TS, nullable=True),
    sa.Column('first_reply_at', TS, nullable=True),
    sa.Column('closed_at', TS, nullable=True),
    sa.Column('updated_at', TS, server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_cases_user_key', 'cases', ['user_key'])
    op.create_index('ix_cases_organisation_id', 'cases', ['organisation_id'])
    op.create_index('ix_cases_status', 'cases', ['status'])
    op.create_table('case_messages',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.Integer(), sa.ForeignKey('cases.id', ondelete='CASCADE'), nullable=False),
    sa.Column('direction', sa.String(8), nullable=False),
    sa.Column('author', sa.String(128), nullable=True),
    sa.Column('original', sa.Text(), nullable=False),
    sa.Column('translation', sa.Text(), nullable=True),
    sa.Column('language', sa.String(8), nullable=False),
    sa.Column('translation_failed', sa.Boolean(), nullable=False),
    sa.Column('created_at', TS, server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_case_messages_case_id', 'case_messages', ['case_id'])
    op.create_table('translation_cache',
    sa.Column('key', sa.String(64), nullable=False),
    sa.Column('translation', sa.Text(), nullable=False),
    sa.Column('created_at', TS, server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('key'))
    op.create_table('console_users',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(64), nullable=False, unique=True),
    sa.Column('password_hash', sa.String(256), nullable=False),
    sa.Column('role', sa.String(16), nullable=False),
    sa.Column('organisation_id', sa.String(64), nullable=False),
    sa.Column('bundeslaender', sa.String(64), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', TS, nullable=True),
    sa.Column('created_at', TS, server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('id'))


def downgrade() -> None:
    op.drop_table('console_users')
    op.drop_table('translation_cache')
    op.drop_table('case_messages')
    op.drop_table('cases')
