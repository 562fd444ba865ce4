"""affinity age: an index on chat_affinities.learned_at, for retention's batches

Retention deletes tastes not taught for eight half-lives. Without an index each run read the
whole table (up to 200 rows a chat) to find them.

Revision ID: 0015_affinity_age
Revises: 0014_affinities
Create Date: 2026-12-06 20:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0015_affinity_age"
down_revision = "0014_affinities"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_chat_affinities_learned_at", "chat_affinities", ["learned_at"])


def downgrade() -> None:
    op.drop_index("ix_chat_affinities_learned_at", table_name="chat_affinities")
