"""paid broadcast: each broadcast's outcomes counted as they are recorded (broadcast_tallies)

Revision ID: 0011_paid
Revises: 0009_story_updates
Create Date: 2026-12-06 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_paid"
down_revision = "0009_story_updates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "broadcast_tallies",
        sa.Column(
            "broadcast_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey("broadcasts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("outcome", sa.String(16), primary_key=True),
        sa.Column("count", sa.BigInteger(), nullable=False, server_default="0"),
    )
    # Broadcasts already under way (or done) start from what their rows say, once.
    op.execute(
        "INSERT INTO broadcast_tallies (broadcast_id, outcome, count) "
        "SELECT broadcast_id, CASE status WHEN 'skipped' THEN 'blocked' ELSE status END, "
        "count(*) FROM deliveries "
        "WHERE broadcast_id IS NOT NULL AND status IN ('sent', 'skipped', 'failed', 'cancelled') "
        "GROUP BY broadcast_id, status"
    )


def downgrade() -> None:
    op.drop_table("broadcast_tallies")
