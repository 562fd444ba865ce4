"""sources.origin: the operator's sources file, or chat

Revision ID: 0003_a
Revises: 0002
Create Date: 2026-11-29 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_a"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing rows become "chat" (untrusted): where they came from is not known, and the next
    # start-up marks every source of the sources file "config" again.
    with op.batch_alter_table("sources") as batch:
        batch.add_column(
            sa.Column("origin", sa.String(length=16), nullable=False, server_default="chat")
        )


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("origin")
