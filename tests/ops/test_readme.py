"""Every `newsbot …` example in the README works as written: parsed, and run where it ends.

Run in a fresh folder with the README's defaults (the SQLite file `newsbot.db`), against a
sources file of feeds served on 127.0.0.1; the token example runs `newsbot run` against a Bot
API on loopback that rejects it, which shows the placeholder passes the token check.
"""

from __future__ import annotations

import itertools
import re
import shlex
from collections.abc import AsyncIterator, Iterator
from importlib.metadata import version
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.cli.main import build_parser
from tests.ingest.process import newsbot
from tests.ingest.site import NewsSite

README = Path(__file__).parents[2] / "README.md"
ENV_EXAMPLE = README.parent / ".env.example"
# The README's placeholders, as an operator would fill them in (FILE and URL: see below).
PLACEHOLDERS = {"N": "30", "T": "internasional", "WHEN": "2026-11-24", "FILE": "langganan.opml"}
LONG_RUNNING = ("run", "web", "worker", "ingest")  # `ingest` without --once keeps polling


def readme_commands() -> list[str]:
    """Each `newsbot …` in a code span or an indented code line, in the README's order."""
    text = README.read_text(encoding="utf-8")
    found: list[str] = []
    start = re.compile(r"(?:^|(?<=[\s`]))newsbot (?=[a-z-])")
    for line in text.splitlines():
        pieces = re.findall(r"`([^`]+)`", line) if not line.startswith("    ") else [line]
        for piece in pieces:
            match = start.search(piece)
            if match is None:
                continue
            command = piece[match.start() :].replace("\\|", "|")
            command = re.split(r"\s(?:&&|#|>)\s", command)[0].strip()
            if "…" not in command:
                found.append(command)
    return found


def variants(command: str) -> Iterator[list[str]]:
    """The command with no optional part, then with each alternative of each optional part."""
    groups = re.findall(r"\[([^\]]+)\]", command)
    bare = re.sub(r"\s*\[[^\]]+\]", "", command)
    yield fill(bare)
    for group in groups:
        for alternative in group.split("|"):
            yield fill(f"{bare} {alternative.strip()}")


def runs(command: str) -> Iterator[list[str]]:
    """Fewer runs for the same ground: bare, then the k-th alternative of every optional part."""
    groups = [g.split("|") for g in re.findall(r"\[([^\]]+)\]", command)]
    bare = re.sub(r"\s*\[[^\]]+\]", "", command)
    yield fill(bare)
    for k in range(max((len(g) for g in groups), default=0)):
        picked = [g[k].strip() for g in groups if k < len(g)]
        yield fill(" ".join([bare, *picked]))


def fill(command: str) -> list[str]:
    words = shlex.split(command)[1:]
    return [PLACEHOLDERS.get(w, w) for w in words]


def test_the_readme_names_every_command() -> None:
    commands = readme_commands()
    assert len(commands) > 20
    named = {tuple(w for w in c.split()[1:3] if not w.startswith(("-", "["))) for c in commands}
    for expected in (
        ("ingest",), ("sources",), ("sources", "import-opml"), ("sources", "export-opml"),
        ("latest",), ("stats",), ("chats",), ("db", "upgrade"), ("db", "prune"), ("db", "copy"),
        ("run",), ("web",), ("worker",), (),
    ):  # fmt: skip
        assert expected in named, expected


def test_every_readme_command_parses() -> None:
    parser = build_parser()
    for command in readme_commands():
        for words in variants(command):
            if words == ["--version"]:
                continue  # prints and exits: run for real below
            try:
                parser.parse_args(words)
            except SystemExit:
                pytest.fail(f"the README's `{command}` does not parse as {words}")


def test_the_placeholder_tokens_are_token_shaped() -> None:
    from bot.config import load_settings, token_problem

    readme = set(re.findall(r"BOT_TOKEN=(\S+)", README.read_text(encoding="utf-8")))
    env_example = re.findall(r"\b\d+:[A-Za-z0-9_-]{20,}\b", ENV_EXAMPLE.read_text("utf-8"))
    assert readme and env_example
    for token in readme | set(env_example):
        assert token_problem(load_settings(bot_token=token, _env_file=None)) is None, token


@pytest.fixture
async def site() -> AsyncIterator[str]:
    news = NewsSite()
    server = TestServer(news.app(), host="127.0.0.1")
    await server.start_server()
    news.base = str(server.make_url("")).rstrip("/")
    yield news.base
    await server.close()


async def test_every_readme_command_runs(tmp_path: Path, site: str) -> None:
    sources = tmp_path / "feeds.toml"
    sources.write_text(
        f'[[sources]]\nname = "Tribun"\nurl = "{site}/a.xml"\ntopic = "internasional"\n\n'
        f'[[sources]]\nname = "Kompas"\nurl = "{site}/b.xml"\n',
        encoding="utf-8",
    )
    # The README's defaults: DATABASE_URL is the SQLite file newsbot.db where it runs.
    env = {"SOURCES_FILE": str(sources), "DATABASE_URL": "sqlite+aiosqlite:///newsbot.db"}
    code, _, err = await newsbot(tmp_path, "ingest", "--once", **env)
    assert code == 0, err
    code, _, err = await newsbot(tmp_path, "sources", "export-opml", "langganan.opml", **env)
    assert code == 0, err
    copies = itertools.count()
    done: set[tuple[str, ...]] = set()
    for command in readme_commands():
        for words in runs(command):
            if words and words[0] in LONG_RUNNING and words[:2] != ["ingest", "--once"]:
                continue  # processes that keep running: tests/bot/test_run.py runs them
            if words[:2] == ["db", "copy"]:
                words = ["sqlite+aiosqlite:///newsbot.db" if w == "URL" else w for w in words]
            if tuple(words) in done:
                continue
            done.add(tuple(words))
            here = dict(env)
            if words[:2] == ["db", "copy"]:
                # Into an empty database, from the README's own file.
                here["DATABASE_URL"] = f"sqlite+aiosqlite:///copy-{next(copies)}.db"
            code, out, err = await newsbot(tmp_path, *words, **here)
            assert code == 0, f"`{command}` as {words}: {err}"
            assert "Traceback" not in err
            if words == ["--version"]:
                assert out.strip() == f"newsbot {version('newsbot')}"
    assert len(done) > 15 and ("--version",) in done
    assert ("latest", "--all", "--jsonl") in done  # each alternative of an option is run


@pytest.fixture
async def refusing_api() -> AsyncIterator[tuple[str, list[str]]]:
    """A Bot API on loopback that answers every call as Telegram answers an unknown token."""
    seen: list[str] = []

    async def refuse(request: web.Request) -> web.Response:
        seen.append(request.path)
        body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
        return web.json_response(body, status=401)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", refuse)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("")).rstrip("/"), seen
    await server.close()


async def test_the_quick_start_token_reaches_telegram(
    tmp_path: Path, site: str, refusing_api: tuple[str, list[str]]
) -> None:
    line = next(x for x in README.read_text("utf-8").splitlines() if "newsbot run" in x)
    token = re.findall(r"BOT_TOKEN=(\S+) newsbot run$", line)[0]
    sources = tmp_path / "feeds.toml"
    sources.write_text(f'[[sources]]\nname = "Tribun"\nurl = "{site}/a.xml"\n', "utf-8")
    api_url, seen = refusing_api
    code, out, err = await newsbot(
        tmp_path, "run", BOT_TOKEN=token, TELEGRAM_API_URL=api_url, SOURCES_FILE=str(sources)
    )
    # Past the token check: the (fake) Bot API was asked, and refused this placeholder.
    assert seen and seen[0].endswith("/getMe")
    assert code == 1 and "rejected the bot token: check BOT_TOKEN" in err
    assert token.split(":")[1] not in out + err
