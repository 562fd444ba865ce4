"""affinities: what each chat likes (learned from its feedback) and its signals per story

Revision ID: 0014_affinities
Revises: 0011_paid
Create Date: 2026-12-06 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0014_affinities"
down_revision = "0011_paid"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat_affinities",
        sa.Column(
            "chat_pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey("chats.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("feature", sa.String(128), primary_key=True),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("learned_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "chat_feedback",
        sa.Column(
            "chat_pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey("chats.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "story_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey("stories.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("signal", sa.String(8), primary_key=True),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    # Retention deletes stories: their feedback rows go through this index, not a scan.
    op.create_index("ix_chat_feedback_story", "chat_feedback", ["story_id"])
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("learning_reset_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN, not a batch copy: on SQLite a batch would recreate `chats`, and
    # dropping the old table cascades to every delivery row of the chat (see 0013_audiences).
    op.execute("ALTER TABLE chats DROP COLUMN learning_reset_at")
    op.drop_index("ix_chat_feedback_story", table_name="chat_feedback")
    op.drop_table("chat_feedback")
    op.drop_table("chat_affinities")
