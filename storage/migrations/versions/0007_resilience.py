"""resilience: one send budget shared by every process, and when each sender last sent

Revision ID: 0007_resilience
Revises: 0003_f
Create Date: 2026-12-06 10:00:00

`send_budget` holds the next free send slot of each pace (free messages, paid broadcasts) and
until when flood control holds every send back; `send_budget_chats` holds when each chat may
next be sent to. On PostgreSQL both are UNLOGGED (the budget is worth nothing after a crash:
it only spaces sends out) and `newsbot_take_send_slot` takes a slot in one round trip. SQLite
runs one process, which keeps its budget in memory; the tables exist there for one schema.

`sender_heartbeats` has a row per sender with the last time it had a message accepted, so a
health check can tell "owed but nobody sends" without scanning the ledger.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0007_resilience"
down_revision = "0003_f"
branch_labels = None
depends_on = None

# Why a function: taking a slot reads the pace and the chat, decides, and writes both; one
# round trip under the pace row's lock keeps that atomic across processes and cheap.
TAKE_SLOT = """
CREATE OR REPLACE FUNCTION newsbot_take_send_slot(
    p_pace text, p_interval double precision, p_chat bigint, p_gap double precision,
    p_patience double precision, OUT granted boolean, OUT wait double precision)
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
    IF p_chat IS NOT NULL THEN
        SELECT ready_at INTO v_ready FROM send_budget_chats WHERE chat_key = p_chat;
        IF v_ready IS NOT NULL AND v_ready > v_at THEN
            -- The chat is not free by the next slot: take nothing, say when it will be.
            granted := false;
            wait := extract(epoch FROM v_ready - v_now);
            RETURN;
        END IF;
    END IF;
    IF extract(epoch FROM v_at - v_now) > p_patience THEN
        granted := false;
        wait := extract(epoch FROM v_at - v_now);
        RETURN;
    END IF;
    UPDATE send_budget SET next_at = v_at + make_interval(secs => p_interval)
        WHERE pace = p_pace;
    IF p_chat IS NOT NULL THEN
        INSERT INTO send_budget_chats (chat_key, ready_at)
            VALUES (p_chat, v_at + make_interval(secs => p_gap))
            ON CONFLICT (chat_key) DO UPDATE
            SET ready_at = greatest(send_budget_chats.ready_at, EXCLUDED.ready_at);
    END IF;
    granted := true;
    wait := extract(epoch FROM v_at - v_now);
END $$;
"""


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    unlogged: dict[str, Any] = {"prefixes": ["UNLOGGED"]} if postgres else {}
    op.create_table(
        "send_budget",
        sa.Column("pace", sa.String(16), primary_key=True),
        sa.Column("next_at", UTCDateTime(), nullable=False),
        sa.Column("paused_until", UTCDateTime(), nullable=False),
        **unlogged,
    )
    op.create_table(
        "send_budget_chats",
        sa.Column("chat_key", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("ready_at", UTCDateTime(), nullable=False),
        **unlogged,
    )
    op.create_index("ix_send_budget_chats_ready_at", "send_budget_chats", ["ready_at"])
    op.create_table(
        "sender_heartbeats",
        sa.Column("worker", sa.String(64), primary_key=True),
        sa.Column("last_sent_at", UTCDateTime(), nullable=False),
    )
    if postgres:
        op.execute(TAKE_SLOT)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DROP FUNCTION IF EXISTS newsbot_take_send_slot("
            "text, double precision, bigint, double precision, double precision)"
        )
    op.drop_table("sender_heartbeats")
    op.drop_index("ix_send_budget_chats_ready_at", "send_budget_chats")
    op.drop_table("send_budget_chats")
    op.drop_table("send_budget")
