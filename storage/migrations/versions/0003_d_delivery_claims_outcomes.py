"""delivery claims (lease), priority, held pushes; durable push marker; outcome counts

Revision ID: 0003_d
Revises: 0003_b
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0003_d"
down_revision = "0003_b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("priority", sa.SmallInteger(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", UTCDateTime(), nullable=True))
        batch_op.create_index(
            "ix_deliveries_status_priority_not_before",
            ["status", "priority", "not_before"],
            unique=False,
        )
    op.execute("UPDATE deliveries SET priority = 1 WHERE kind = 'broadcast'")
    with op.batch_alter_table("stories", schema=None) as batch_op:
        # Stories stored before this migration are not owed pushes: only new ones are.
        batch_op.add_column(
            sa.Column("pushes_owed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(
            "ix_stories_pushes_owed",
            ["pushes_owed"],
            unique=False,
            postgresql_where=sa.text("pushes_owed"),
            sqlite_where=sa.text("pushes_owed = 1"),
        )
    op.create_table(
        "delivery_outcomes",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "outcome"),
    )


def downgrade() -> None:
    op.drop_table("delivery_outcomes")
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_index("ix_stories_pushes_owed")
        batch_op.drop_column("pushes_owed")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_status_priority_not_before")
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("priority")
