"""search: a full-text index of stories, FTS5 on SQLite and a tsvector with GIN on PostgreSQL

Revision ID: 0010_search
Revises: 0009_story_updates
Create Date: 2026-12-06 13:00:00

Both stores index the same thing: each story's title, summary and body as *analysed* tokens
(folded, common words dropped, stemmed by Sastrawi in bot.news.search), one row per story.
The migration cannot stem (storage never imports bot), so it creates the index empty; the
ingest cycle fills in every story without a row (`storage.search.unindexed`), and
`newsbot search --reindex` rebuilds it whole.

SQLite: `story_search` holds the analysed tokens and `story_fts` is an FTS5 table with
external content over it, kept in sync by triggers. FTS5 then stores only its inverted index,
not a second copy of the text. Why not a contentless table: it could index without keeping the
tokens, but deleting one row needs SQLite 3.43's `contentless_delete` (Debian 12 and Python's
own builds ship 3.40), or the original tokens again, which only the stemmer could give back;
and why not external content over `stories`: FTS5 would then index the raw text, unstemmed.
The stemmed tokens are the one copy of what the index holds, and what a rebuild reads.

PostgreSQL: `story_search.document` is a tsvector built in Python from the same tokens
(weights A/B/C for title/summary/body), with a GIN index; no text parser or dictionary of
PostgreSQL's is involved, so both stores see the very same tokens.
"""

from __future__ import annotations

from alembic import op

revision = "0010_search"
down_revision = "0009_story_updates"
branch_labels = None
depends_on = None

SQLITE = [
    """
    CREATE TABLE story_search (
        story_id INTEGER NOT NULL PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        published_at DATETIME NOT NULL,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        body TEXT NOT NULL
    )
    """,
    # Tokens arrive folded and split; unicode61 without diacritic removal splits them the same.
    """
    CREATE VIRTUAL TABLE story_fts USING fts5(
        title, summary, body,
        content='story_search', content_rowid='story_id',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER story_search_inserted AFTER INSERT ON story_search BEGIN
        INSERT INTO story_fts (rowid, title, summary, body)
        VALUES (new.story_id, new.title, new.summary, new.body);
    END
    """,
    """
    CREATE TRIGGER story_search_deleted AFTER DELETE ON story_search BEGIN
        INSERT INTO story_fts (story_fts, rowid, title, summary, body)
        VALUES ('delete', old.story_id, old.title, old.summary, old.body);
    END
    """,
    """
    CREATE TRIGGER story_search_updated AFTER UPDATE ON story_search BEGIN
        INSERT INTO story_fts (story_fts, rowid, title, summary, body)
        VALUES ('delete', old.story_id, old.title, old.summary, old.body);
        INSERT INTO story_fts (rowid, title, summary, body)
        VALUES (new.story_id, new.title, new.summary, new.body);
    END
    """,
    "CREATE INDEX ix_story_search_version ON story_search (version)",
]

POSTGRESQL = [
    """
    CREATE TABLE story_search (
        story_id BIGINT NOT NULL PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
        version SMALLINT NOT NULL,
        published_at TIMESTAMP WITH TIME ZONE NOT NULL,
        document TSVECTOR NOT NULL
    )
    """,
    "CREATE INDEX ix_story_search_document ON story_search USING GIN (document)",
    "CREATE INDEX ix_story_search_version ON story_search (version)",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in POSTGRESQL if dialect == "postgresql" else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("inserted", "deleted", "updated"):
            op.execute(f"DROP TRIGGER IF EXISTS story_search_{trigger}")
        op.execute("DROP TABLE IF EXISTS story_fts")
    op.execute("DROP TABLE IF EXISTS story_search")
