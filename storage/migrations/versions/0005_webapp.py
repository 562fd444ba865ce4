"""webapp: send outcomes per hour and daily follower counts, for the admins' charts

Revision ID: 0005_webapp
Revises: 0006_summary
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0005_webapp"
down_revision = "0006_summary"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery_outcomes_hourly",
        sa.Column("hour", UTCDateTime(), primary_key=True),
        sa.Column("outcome", sa.String(32), primary_key=True),
        sa.Column("count", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "follower_counts",
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("topic", sa.String(64), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("follower_counts")
    op.drop_table("delivery_outcomes_hourly")
