"""paid broadcast: each broadcast's outcomes counted as they are recorded (broadcast_tallies);
on PostgreSQL, `newsbot_take_send_slots` takes the shared budget's slots for a batch of
messages in one round trip (at 1,000 a second, one call per message was the sender's limit)

Revision ID: 0011_paid
Revises: 0013_audiences
Create Date: 2026-12-06 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_paid"
down_revision = "0013_audiences"  # re-chained on merge (was 0009_story_updates)
branch_labels = None
depends_on = None


# Exactly `newsbot_take_send_slot` (0007_resilience) for each chat in turn, under one lock of
# the pace row: a chat not free by its slot, or a slot beyond the patience, is not taken (and
# the next chat may have that slot). Rows come back with their position in `p_chats`.
TAKE_SLOTS = """
CREATE OR REPLACE FUNCTION newsbot_take_send_slots(
    p_pace text, p_interval double precision, p_chats bigint[], p_gaps double precision[],
    p_patience double precision)
RETURNS TABLE (idx integer, granted boolean, wait double precision)
LANGUAGE plpgsql AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_next timestamptz;
    v_paused timestamptz;
    v_ready timestamptz;
    v_at timestamptz;
BEGIN
    INSERT INTO send_budget (pace, next_at, paused_until) VALUES (p_pace, v_now, v_now)
        ON CONFLICT (pace) DO NOTHING;
    SELECT next_at, paused_until INTO v_next, v_paused
        FROM send_budget WHERE pace = p_pace FOR UPDATE;
    v_at := greatest(v_now, v_next, v_paused);
    FOR i IN 1 .. coalesce(array_length(p_chats, 1), 0) LOOP
        idx := i;
        SELECT ready_at INTO v_ready FROM send_budget_chats WHERE chat_key = p_chats[i];
        IF v_ready IS NOT NULL AND v_ready > v_at THEN
            granted := false;
            wait := extract(epoch FROM v_ready - v_now);
        ELSIF extract(epoch FROM v_at - v_now) > p_patience THEN
            granted := false;
            wait := extract(epoch FROM v_at - v_now);
        ELSE
            INSERT INTO send_budget_chats (chat_key, ready_at)
                VALUES (p_chats[i], v_at + make_interval(secs => p_gaps[i]))
                ON CONFLICT (chat_key) DO UPDATE
                SET ready_at = greatest(send_budget_chats.ready_at, EXCLUDED.ready_at);
            granted := true;
            wait := extract(epoch FROM v_at - v_now);
            v_at := v_at + make_interval(secs => p_interval);
        END IF;
        RETURN NEXT;
    END LOOP;
    UPDATE send_budget SET next_at = v_at WHERE pace = p_pace;
END $$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(TAKE_SLOTS)
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
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DROP FUNCTION IF EXISTS newsbot_take_send_slots("
            "text, double precision, bigint[], double precision[], double precision)"
        )
