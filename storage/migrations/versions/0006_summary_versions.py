"""story summaries: which outlet's version the summary comes from, and what a later one added

Revision ID: 0006_summary
Revises: 0007_resilience
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0006_summary"
down_revision = "0007_resilience"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("summary_article_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("whats_new", sa.Text(), nullable=True))
        batch.add_column(sa.Column("whats_new_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("whats_new_at")
        batch.drop_column("whats_new")
        batch.drop_column("summary_article_id")
