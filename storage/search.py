"""The stories' full-text index: write analysed stories, find the ones a query matches.

Storage never analyses text (that is bot.news.search, and storage imports nothing from bot):
it takes tokens, stores them in its dialect's index (migration 0010_search says how and why)
and renders a query's terms into FTS5 or tsquery syntax itself. A query's terms are tuples of
tokens (letters and digits); they are quoted here all the same, and bound as one parameter, so
no text a reader typed becomes SQL or index syntax.

Ranking blends relevance with recency: BM25 (SQLite) or ts_rank (PostgreSQL), with title and
summary weighing more than the body, divided by 1 + age / `RECENCY_DAYS`: of two stories
equally relevant the newer comes first, and a story twice as relevant may be older by
`RECENCY_DAYS`. Only the newest `CANDIDATES` matches are ranked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import BigInteger, Float, bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import dialect_name
from storage.models import Article, Story, UTCDateTime

# Measured by bench.search on known-item queries: 30 days keeps MRR@10 at 0.80 (0.82 with no
# recency at all, 0.72 with 3 days) while a month-old story needs twice the relevance of
# today's to come first.
RECENCY_DAYS = 30.0
# FTS5's bm25() column weights (title, summary, body) and PostgreSQL's ts_rank weights for
# {D, C, B, A}: body (C) counts a quarter of a title word, summary (B) half.
FTS5_WEIGHTS = "4.0, 2.0, 1.0"
TS_WEIGHTS = "{0.1, 0.25, 0.5, 1.0}"
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS = 256  # positions PostgreSQL keeps per lexeme


class Terms(Protocol):
    """What a parsed query gives the store (bot.news.search.query.Query is one)."""

    @property
    def required(self) -> Sequence[Sequence[str]]: ...

    @property
    def excluded(self) -> Sequence[Sequence[str]]: ...


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One story's analysed fields, as the index stores them."""

    story_id: int
    published_at: datetime
    title: Sequence[str]
    summary: Sequence[str]
    body: Sequence[str]


@dataclass(frozen=True, slots=True)
class StoryText:
    """What a story's index entry is made from: every headline, the summary, one body."""

    story_id: int
    published_at: datetime
    titles: list[str]
    summary: str
    body: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A matching story and its blended score (higher is better)."""

    story_id: int
    score: float


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results, best first, and whether another page follows."""

    hits: list[SearchHit]
    has_more: bool

    @property
    def story_ids(self) -> list[int]:
        """The hits' story ids, in order."""
        return [hit.story_id for hit in self.hits]


# Relevance is computed for the newest `CANDIDATES` matches only: a word in most stories
# ("indonesia") would otherwise be ranked over every one of them (200 ms at 100,000 stories in
# bench.search). Story ids grow as stories arrive, so the highest ids are the newest. FTS5
# gives matches in id order; on PostgreSQL `story_id + 0` keeps the planner from walking the
# primary key backwards and testing each row's document (8 ms a query at 10,000 stories
# instead of 1): the GIN index finds the matches, a top-N sort keeps the newest.
CANDIDATES = 2000
_SQLITE_SEARCH = f"""
WITH hits AS (
    SELECT rowid AS id, bm25(story_fts, {FTS5_WEIGHTS}) AS rank
    FROM story_fts WHERE story_fts MATCH :query
    ORDER BY rowid DESC LIMIT :candidates
)
SELECT h.id AS id,
       -h.rank / (1.0 + max(0.0, julianday(:now) - julianday(x.published_at)) / :recency)
       AS score
FROM hits AS h JOIN story_search AS x ON x.story_id = h.id
ORDER BY score DESC, id DESC
LIMIT :limit OFFSET :offset
"""
_POSTGRESQL_SEARCH = f"""
WITH q AS (SELECT CAST(:query AS tsquery) AS q),
hits AS MATERIALIZED (
    SELECT x.story_id, x.published_at, x.document
    FROM story_search AS x, q WHERE x.document @@ q.q
    ORDER BY x.story_id + 0 DESC LIMIT :candidates
)
SELECT h.story_id AS id,
       ts_rank('{TS_WEIGHTS}', h.document, q.q)
       / (1.0 + greatest(0.0, extract(epoch FROM (:now - h.published_at)) / 86400.0) / :recency)
       AS score
FROM hits AS h, q
ORDER BY score DESC, id DESC
LIMIT :limit OFFSET :offset
"""


async def search_stories(
    session: AsyncSession,
    query: Terms,
    *,
    limit: int,
    offset: int = 0,
    now: datetime | None = None,
) -> SearchPage:
    """The stories matching every required term and no excluded one, best first."""
    query = _cleaned(query)
    if not query.required or limit <= 0:
        return SearchPage([], False)
    postgresql = dialect_name(session) == "postgresql"
    sql = _POSTGRESQL_SEARCH if postgresql else _SQLITE_SEARCH
    statement = (
        text(sql)
        .bindparams(bindparam("now", type_=UTCDateTime()))
        .columns(id=BigInteger, score=Float)
    )
    params = {
        "query": tsquery(query) if postgresql else fts5_query(query),
        "now": now or datetime.now(UTC),
        "recency": RECENCY_DAYS,
        "candidates": CANDIDATES,
        "limit": limit + 1,
        "offset": max(offset, 0),
    }
    rows = (await session.execute(statement, params)).all()
    hits = [SearchHit(int(row.id), float(row.score)) for row in rows[:limit]]
    return SearchPage(hits, len(rows) > limit)


def fts5_query(query: Terms) -> str:
    """The FTS5 MATCH expression: each term a quoted string, AND between, NOT per exclusion."""
    expression = " AND ".join(_fts5_string(t) for t in query.required)
    for term in query.excluded:
        expression = f"({expression}) NOT {_fts5_string(term)}"
    return expression


def tsquery(query: Terms) -> str:
    """The tsquery text: `&` between terms, `<->` inside a phrase, `!` before an exclusion."""
    parts = [_ts_term(t) for t in query.required]
    parts += [f"!{_ts_term(t)}" for t in query.excluded]
    return " & ".join(parts)


def tsvector(entry: IndexEntry) -> str:
    """The tsvector of an entry: weights A/B/C by field; positions run on through the fields
    with a gap between them, so a phrase never spans two (in FTS5 they are columns)."""
    positions: dict[str, list[str]] = {}
    at = 0
    for tokens, weight in ((entry.title, "A"), (entry.summary, "B"), (entry.body, "C")):
        for token in tokens:
            at += 1
            if at > MAX_POSITION:
                break
            positions.setdefault(token, []).append(f"{at}{weight}")
        at += 1
    return " ".join(
        f"{_ts_lexeme(token)}:{','.join(spots[:MAX_POSITIONS])}"
        for token, spots in positions.items()
    )


_SQLITE_PUT = """
INSERT INTO story_search (story_id, version, published_at, title, summary, body)
VALUES (:story_id, :version, :published_at, :title, :summary, :body)
ON CONFLICT (story_id) DO UPDATE SET
    version = excluded.version, published_at = excluded.published_at,
    title = excluded.title, summary = excluded.summary, body = excluded.body
"""
_POSTGRESQL_PUT = """
INSERT INTO story_search (story_id, version, published_at, document)
VALUES (:story_id, :version, :published_at, CAST(:document AS tsvector))
ON CONFLICT (story_id) DO UPDATE SET
    version = excluded.version, published_at = excluded.published_at,
    document = excluded.document
"""


async def put_entries(
    session: AsyncSession, entries: Sequence[IndexEntry], *, version: int
) -> None:
    """Index stories, replacing what was indexed for them before."""
    if not entries:
        return
    postgresql = dialect_name(session) == "postgresql"
    statement = text(_POSTGRESQL_PUT if postgresql else _SQLITE_PUT).bindparams(
        bindparam("published_at", type_=UTCDateTime())
    )
    rows: list[dict[str, object]] = []
    for entry in entries:
        row: dict[str, object] = {
            "story_id": entry.story_id,
            "version": version,
            "published_at": entry.published_at,
        }
        if postgresql:
            row["document"] = tsvector(entry)
        else:
            row.update(
                title=" ".join(entry.title),
                summary=" ".join(entry.summary),
                body=" ".join(entry.body),
            )
        rows.append(row)
    await session.execute(statement, rows)


async def remove_entries(session: AsyncSession, story_ids: Sequence[int]) -> None:
    """Drop stories from the index (on SQLite the FTS5 rows go with them, by trigger)."""
    if story_ids:
        await session.execute(
            text("DELETE FROM story_search WHERE story_id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": list(story_ids)},
        )


async def unindexed(
    session: AsyncSession, *, version: int, limit: int, after: int = 0
) -> list[int]:
    """Stories (ids above `after`) with no index entry, or one older than `version`."""
    rows = await session.execute(
        text(
            "SELECT s.id FROM stories AS s LEFT JOIN story_search AS x ON x.story_id = s.id"
            " WHERE s.id > :after AND (x.story_id IS NULL OR x.version < :version)"
            " ORDER BY s.id LIMIT :limit"
        ),
        {"after": after, "version": version, "limit": limit},
    )
    return [int(row[0]) for row in rows]


async def story_ids(session: AsyncSession, *, after: int, limit: int) -> list[int]:
    """Every story id above `after`, in order, `limit` at a time (a rebuild walks them)."""
    query = select(Story.id).where(Story.id > after).order_by(Story.id).limit(limit)
    return [int(i) for i in (await session.scalars(query)).all()]


async def optimise(session: AsyncSession) -> None:
    """After a rebuild: merge SQLite's FTS5 segments into one (PostgreSQL needs nothing)."""
    if dialect_name(session) == "sqlite":
        await session.execute(text("INSERT INTO story_fts (story_fts) VALUES ('optimize')"))


async def indexed_count(session: AsyncSession) -> int:
    """How many stories the index holds."""
    return int((await session.execute(text("SELECT count(*) FROM story_search"))).scalar_one())


async def story_texts(session: AsyncSession, story_ids: Sequence[int]) -> list[StoryText]:
    """The texts to index for each story: its title then every outlet's headline, its
    summary, and the body its summary came from (else its longest)."""
    if not story_ids:
        return []
    stories = (
        await session.execute(
            select(
                Story.id, Story.title, Story.summary, Story.published_at, Story.summary_article_id
            )
            .where(Story.id.in_(story_ids))
            .order_by(Story.id)
        )
    ).all()
    titles: dict[int, list[str]] = {}
    bodies: dict[int, dict[int, str]] = {}
    rows = await session.execute(
        select(Article.story_id, Article.id, Article.title, Article.body)
        .where(Article.story_id.in_(story_ids))
        .order_by(Article.id)
    )
    for row in rows:
        story_id = int(row.story_id or 0)
        titles.setdefault(story_id, []).append(row.title)
        if row.body:
            bodies.setdefault(story_id, {})[row.id] = row.body
    texts = []
    for story in stories:
        known = bodies.get(story.id, {})
        body = known.get(story.summary_article_id or 0) or max(known.values(), key=len, default="")
        texts.append(
            StoryText(
                story_id=story.id,
                published_at=story.published_at,
                titles=[story.title, *titles.get(story.id, [])],
                summary=story.summary or "",
                body=body,
            )
        )
    return texts


@dataclass(frozen=True, slots=True)
class _Cleaned:
    required: Sequence[Sequence[str]]
    excluded: Sequence[Sequence[str]]


def _cleaned(query: Terms) -> Terms:
    """The terms with anything but letters and digits dropped (analysed tokens lose nothing)."""

    def terms(given: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
        kept = (tuple(c for c in (_clean(t) for t in term) if c) for term in given)
        return [term for term in kept if term]

    return _Cleaned(terms(query.required), terms(query.excluded))


def _clean(token: str) -> str:
    # Tokens come analysed (letters and digits); anything else is dropped, never interpreted.
    return "".join(c for c in token if c.isalnum())


def _fts5_string(term: Sequence[str]) -> str:
    return '"' + " ".join(_clean(t) for t in term) + '"'


def _ts_lexeme(token: str) -> str:
    return "'" + _clean(token) + "'"


def _ts_term(term: Sequence[str]) -> str:
    quoted = [_ts_lexeme(t) for t in term]
    return quoted[0] if len(quoted) == 1 else "(" + " <-> ".join(quoted) + ")"
