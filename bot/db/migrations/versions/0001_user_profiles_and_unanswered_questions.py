"""user profiles and unanswered questions

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 13:45:24.787625
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('unanswered_questions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('intent', sa.String(length=64), nullable=True),
    sa.Column('topic', sa.String(length=32), nullable=True),
    sa.Column('confidence', sa.Double(), nullable=True),
    sa.Column('question', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('user_profiles',
    sa.Column('user_key', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('language_confirmed', sa.Boolean(), nullable=False),
    sa.Column('privacy_accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('bundesland', sa.String(length=2), nullable=True),
    sa.Column('blocked_bot', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('user_key')
    )


def downgrade() -> None:
    op.drop_table('user_profiles')
    op.drop_table('unanswered_questions')
