"""audiences: a broadcast's audience, and when a chat last had its data deleted

Revision ID: 0013_audiences
Revises: 0012_inline_shares
Create Date: 2026-12-06 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0013_audiences"
down_revision = "0012_inline_shares"  # re-chained on merge (was 0009_story_updates)
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL for broadcasts from before: they went to every active chat (Audience.from_json).
    with op.batch_alter_table("broadcasts") as batch:
        batch.add_column(sa.Column("audience", sa.JSON(), nullable=True))
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("erased_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+, PostgreSQL), not a batch copy: on SQLite a batch would
    # recreate `chats`, and dropping the old table cascades to every delivery row of the chat.
    op.execute("ALTER TABLE chats DROP COLUMN erased_at")
    op.execute("ALTER TABLE broadcasts DROP COLUMN audience")
