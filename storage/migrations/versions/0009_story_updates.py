"""story updates: a story whose later outlet added facts owes its readers one update push

Revision ID: 0009_story_updates
Revises: 0005_webapp
Create Date: 2026-12-06 11:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0009_story_updates"
down_revision = "0005_webapp"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.add_column(
            sa.Column("update_owed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("update_pushed_at", UTCDateTime(), nullable=True))
    op.create_index(
        "ix_stories_update_owed",
        "stories",
        ["update_owed"],
        postgresql_where=sa.text("update_owed"),
        sqlite_where=sa.text("update_owed = 1"),
    )


def downgrade() -> None:
    op.drop_index("ix_stories_update_owed", "stories")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("update_pushed_at")
        batch.drop_column("update_owed")
