"""What stops a command is one plain line, never a traceback or a secret: real processes."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.ingest.process import newsbot

TOKEN = "7654321:AAEx-secret-part-of-the-token_0123456789"
SECRET = TOKEN.split(":", 1)[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture(params=[401, 404])
async def refusing_api(request: pytest.FixtureRequest) -> AsyncIterator[tuple[str, list[str]]]:
    """A Bot API on loopback that rejects every call the way Telegram rejects a bad token."""
    status: int = request.param
    seen: list[str] = []

    async def refuse(request: web.Request) -> web.Response:
        seen.append(request.path)
        description = "Unauthorized" if status == 401 else "Not Found"
        return web.json_response(
            {"ok": False, "error_code": status, "description": description}, status=status
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", refuse)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("")).rstrip("/"), seen
    await server.close()


async def test_run_with_a_rejected_token_says_so_without_the_token(
    tmp_path: Path, refusing_api: tuple[str, list[str]]
) -> None:
    api_url, seen = refusing_api
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[sources]]\nname = "x"\nurl = "http://127.0.0.1:{free_port()}/feed.xml"\n', "utf-8"
    )
    code, out, err = await newsbot(
        tmp_path,
        "run",
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=api_url,
        SOURCES_FILE=str(sources),
        FETCH_PAGES="false",
    )
    assert seen, "the bot never called the API"
    assert code == 1
    assert SECRET not in out + err
    assert "Traceback" not in err
    assert "rejected the bot token: check BOT_TOKEN" in err
    # One line for the operator (after any log lines), starting with the program's name.
    assert err.strip().splitlines()[-1].startswith("newsbot: the Bot API at ")


async def test_unreachable_postgresql_is_one_clear_line_without_the_password(
    tmp_path: Path,
) -> None:
    url = f"postgresql+asyncpg://newsbot:hunter2-secret@127.0.0.1:{free_port()}/news"
    code, out, err = await newsbot(tmp_path, "sources", DATABASE_URL=url)
    assert code == 1
    assert "hunter2-secret" not in out + err
    assert "Traceback" not in err
    assert err.strip() == (
        f"newsbot: cannot open the database postgresql+asyncpg://newsbot:***@127.0.0.1:"
        f"{url.rsplit(':', 1)[1].split('/')[0]}/news: connection refused (is the database server "
        "running?)"
    )


async def test_sqlite_in_a_missing_folder_is_one_clear_line(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder"
    code, out, err = await newsbot(
        tmp_path, "ingest", "--once", DATABASE_URL=f"sqlite+aiosqlite:///{missing}/news.db"
    )
    assert code == 1
    assert "Traceback" not in err
    assert err.strip() == (
        f"newsbot: cannot open the database sqlite+aiosqlite:///{missing}/news.db: the folder "
        f"{missing} does not exist"
    )


async def test_unwritable_sqlite_file_is_one_clear_line(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    # A folder where the database file should be: SQLite cannot open it, whoever runs the test.
    code, _, err = await newsbot(tmp_path, "latest", DATABASE_URL=f"sqlite+aiosqlite:///{folder}")
    assert code == 1
    assert "Traceback" not in err
    assert err.strip() == (
        f"newsbot: cannot open the database sqlite+aiosqlite:///{folder}: unable to open "
        "database file"
    )
