"""`newsbot search` through the real CLI, on SQLite and PostgreSQL: reindex, JSON, refusals."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.bot.harness import add_story, make_settings, running_bot
from tests.dbs import database_url
from tests.ingest.process import newsbot


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with database_url(request.param, tmp_path) as url:
        yield url


async def test_reindex_then_search_as_json_and_as_lines(tmp_path: Path, db_url: str) -> None:
    async with running_bot(make_settings(tmp_path, database_url=db_url)) as bot:
        flood = await add_story(
            bot.resources, "Banjir Rendam Jakarta", outlets=("Kompas", "Antara")
        )
        await add_story(bot.resources, "Banjir Bandang di Garut")
        await add_story(bot.resources, "Timnas Menang Tipis")

    # Stored without the pipeline: not indexed yet, and the operator is told so.
    code, out, err = await newsbot(tmp_path, "search", "banjir", "--json", DATABASE_URL=db_url)
    assert code == 0 and json.loads(out)["results"] == []
    assert "--reindex" in err

    code, out, err = await newsbot(tmp_path, "search", "--reindex", DATABASE_URL=db_url)
    assert code == 0 and "rebuilt: 3 stories" in err

    code, out, err = await newsbot(
        tmp_path, "search", "--json", "--", "banjir", "-garut", DATABASE_URL=db_url
    )
    assert code == 0 and err == ""
    code, same, _ = await newsbot(
        tmp_path, "search", "banjir -garut", "--json", DATABASE_URL=db_url
    )
    # The same search (scores move with the clock: recency is part of them).
    assert [r["id"] for r in json.loads(same)["results"]] == [
        r["id"] for r in json.loads(out)["results"]
    ]
    answer = json.loads(out)
    assert answer["query"] == {"required": [["banjir"]], "excluded": [["garut"]]}
    [hit] = answer["results"]
    assert (hit["id"], hit["title"]) == (flood, "Banjir Rendam Jakarta")
    assert [a["source"] for a in hit["articles"]] == ["Kompas", "Antara"]
    assert hit["score"] > 0 and answer["has_more"] is False

    code, out, _ = await newsbot(tmp_path, "search", "banjir", "--limit", "1", DATABASE_URL=db_url)
    header, *rows = out.splitlines()
    assert header.split("\t")[:3] == ["score", "id", "published"]
    assert len(rows) == 1


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("search", "?!"), "nothing to search for"),
        (("search", "--", "-banjir"), "not only what to leave out"),
        (("search",), "say what to search for"),
        (("search", "--reindex", "banjir"), "--reindex takes no words"),
    ],
)
async def test_refusals_say_why(tmp_path: Path, args: tuple[str, ...], said: str) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"
    code, out, err = await newsbot(tmp_path, *args, DATABASE_URL=url)
    assert code == 2 and out == ""
    assert said in err and "Traceback" not in err
