"""inline shares: how many stories readers shared through inline mode, per local day

Revision ID: 0012_inline_shares
Revises: 0010_search
Create Date: 2026-12-06 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_inline_shares"
down_revision = "0010_search"  # re-chained after merging issue-12 (was 0009_story_updates)
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "share_counts",
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("count", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("share_counts")
