"""The operator's commands, run as a newcomer would: real processes, real files, loopback feeds."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from alembic.script import ScriptDirectory

from storage.migrate import alembic_config
from tests.ingest.process import newsbot, on_terminal, start
from tests.ingest.site import T0, NewsSite, rss


@pytest.fixture
async def site_url() -> AsyncIterator[str]:
    site = NewsSite()
    server = TestServer(site.app(), host="127.0.0.1")
    await server.start_server()
    site.base = str(server.make_url("")).rstrip("/")
    yield site.base
    await server.close()


async def test_ingest_once_then_latest_json_and_sources(tmp_path: Path, site_url: str) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[sources]]\nname = "Tribun"\nurl = "{site_url}/a.xml"\ntopic = "internasional"\n\n'
        f'[[sources]]\nname = "Kompas"\nurl = "{site_url}/b.xml"\n\n'
        f'[[sources]]\nname = "Rusak"\nurl = "{site_url}/page.xml"\n',
        encoding="utf-8",
    )
    env = {"SOURCES_FILE": str(sources)}
    code, out, err = await newsbot(tmp_path, "ingest", "--once", **env)
    assert code == 0, err
    assert "3 new articles" in out
    assert "Wang Yi Bakal Kunjungi Rusia" in out and f"{site_url}/berita/retno-jepang" in out
    assert "Rusak" in out and "HTML page" in out

    code, out, err = await newsbot(tmp_path, "latest", "--json", "--limit", "5", **env)
    assert code == 0, err
    items = json.loads(out)
    assert len(items) == 2
    assert set(items[0]) >= {"id", "title", "summary", "published_at", "image_url", "articles"}
    wang = next(i for i in items if len(i["articles"]) == 2)
    assert {a["source"] for a in wang["articles"]} == {"Tribun", "Kompas"}
    assert all(set(a) == {"url", "source", "title", "section"} for a in wang["articles"])
    assert "internasional" in wang["topics"]
    # Each outlet's own section (JSON-LD articleSection) is kept beside the topics.
    assert set(wang["sections"]) == {"Internasional", "Global"}
    assert {a["source"]: a["section"] for a in wang["articles"]} == {
        "Tribun": "Internasional",
        "Kompas": "Global",
    }

    code, out, err = await newsbot(tmp_path, "latest", "--limit", "5", **env)
    assert code == 0, err
    assert "Internasional" in out and "Global" in out

    code, out, err = await newsbot(tmp_path, "sources", **env)
    assert code == 0, err
    assert "Rusak" in out and "failing" in out and "HTML page" in out


async def test_bad_configuration_is_explained_without_echoing_secrets(tmp_path: Path) -> None:
    secret = "123456:THIS-IS-NOT-A-REAL-TOKEN-but-secret"
    code, _, err = await newsbot(
        tmp_path, "latest", ADMIN_IDS="12,abc", BOT_TOKEN=secret + " with spaces"
    )
    assert code == 2
    assert "ADMIN_IDS" in err and "comma-separated" in err
    assert "BOT_TOKEN" not in err  # `latest` never calls Telegram: the token is not its concern
    assert secret not in err


@pytest.mark.parametrize("command", ["run", "web", "worker"])
async def test_processes_that_call_telegram_refuse_a_malformed_token(
    tmp_path: Path, command: str
) -> None:
    secret = "123456:THIS-IS-NOT-A-REAL-TOKEN-but-secret with spaces"
    env = {"WEBHOOK_URL": "https://bot.example.id/hook", "WEBHOOK_SECRET": "s3cret-s3cret"}
    code, out, err = await newsbot(tmp_path, command, BOT_TOKEN=secret, **env)
    assert code == 2
    assert err.strip() == (
        "newsbot: BOT_TOKEN does not look like a token from @BotFather: digits, a colon and "
        "about 35 letters, digits, _ or - (123456789:AAE…)."
    )
    assert "THIS-IS-NOT" not in out + err and "Traceback" not in err
    code, _, err = await newsbot(tmp_path, command, **env)
    assert code == 2 and err.startswith("newsbot: BOT_TOKEN is not set.")


async def test_commands_without_telegram_ignore_a_malformed_token(
    tmp_path: Path, site_url: str
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[sources]]\nname = "Tribun"\nurl = "{site_url}/a.xml"\n', "utf-8")
    env = {"SOURCES_FILE": str(sources), "FETCH_PAGES": "false", "BOT_TOKEN": "123456:ABC-typo"}
    code, out, err = await newsbot(tmp_path, "ingest", "--once", **env)
    assert code == 0, err
    assert "new articles" in out and "BOT_TOKEN" not in err
    for args in (["latest"], ["sources"], ["stats"], ["chats"], ["db", "upgrade"]):
        code, _, err = await newsbot(tmp_path, *args, **env)
        assert code == 0, (args, err)


async def test_broken_sources_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[sources]]\nname = "x"\nurl = "ftp://x"\n', encoding="utf-8")
    code, _, err = await newsbot(tmp_path, "ingest", "--once", SOURCES_FILE=str(bad))
    assert code == 2
    assert "source #1" in err and "http" in err


def table_rows(out: str) -> dict[str, list[str]]:
    """The body rows of a rich table, by first cell."""
    rows: dict[str, list[str]] = {}
    for line in out.splitlines():
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            rows[cells[0]] = cells
    return rows


def plain_rows(out: str) -> tuple[list[str], dict[str, list[str]]]:
    """The header and the rows, by first field, of tab-separated output."""
    header, *lines = out.splitlines()
    return header.split("\t"), {line.split("\t")[0]: line.split("\t") for line in lines}


async def test_sources_shows_every_health_column(tmp_path: Path, site_url: str) -> None:
    sources = tmp_path / "sources.toml"
    long_name = "Tribun " + "Jawa Timur " * 12  # wider than any terminal's column
    sources.write_text(
        f'[[sources]]\nname = "{long_name.strip()}"\nurl = "{site_url}/a.xml"\n\n'
        f'[[sources]]\nname = "Rusak"\nurl = "{site_url}/page.xml"\n',
        encoding="utf-8",
    )
    tribun_name = long_name.strip()
    env = {
        "SOURCES_FILE": str(sources),
        "FETCH_PAGES": "false",
        "PAUSE_AFTER_FAILURES": "2",
        "COLUMNS": "80",  # what a pipe gets without COLUMNS: nothing may wrap at it
    }
    for _ in range(2):  # the second cycle is answered by a 304 and pauses the broken source
        code, _, err = await newsbot(tmp_path, "ingest", "--once", **env)
        assert code == 0, err
    html_page = "the source answered with an HTML page, not a feed"

    # Piped: a header and one unwrapped, tab-separated line per source.
    code, out, err = await newsbot(tmp_path, "sources", **env)
    assert code == 0, err
    header, rows = plain_rows(out)
    assert header == [
        "source",
        "state",
        "last_success",
        "failures",
        "last_error",
        "next_poll",
        "conditional",
        "interval_s",
        "paused_reason",
    ]
    assert len(out.splitlines()) == 3 and "│" not in out
    moment = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$")  # TIMEZONE's
    tribun = rows[tribun_name]
    assert tribun[1] == "ok" and moment.match(tribun[2]) and tribun[3] == "0"
    assert tribun[4] == "" and moment.match(tribun[5])
    assert tribun[6:] == ["yes", "3600", ""]
    assert rows["Rusak"] == [
        "Rusak",
        "paused",
        "",
        "2",
        html_page,
        "",
        "unknown",
        "3600",
        f"paused after 2 failures in a row: {html_page}",
    ]

    code, out, err = await newsbot(tmp_path, "sources", "--json", **env)
    assert code == 0, err
    listed = {s["name"]: s for s in json.loads(out)}
    assert listed["Rusak"] == {
        "name": "Rusak",
        "url": f"{site_url}/page.xml",
        "kind": None,
        "topic": None,
        "state": "paused",
        "paused_reason": f"paused after 2 failures in a row: {html_page}",
        "last_polled_at": listed["Rusak"]["last_polled_at"],
        "last_success_at": None,
        "last_error": html_page,
        "last_error_at": listed["Rusak"]["last_error_at"],
        "consecutive_failures": 2,
        "next_poll_at": None,
        "conditional": None,
        "interval": 3600,
    }
    assert listed["Rusak"]["last_error_at"].endswith("+00:00")
    assert listed[tribun_name]["state"] == "ok" and listed[tribun_name]["conditional"] is True

    # On a terminal: the rich table, as wide as the terminal says.
    code, shown = await asyncio.to_thread(
        on_terminal, tmp_path, "sources", **env | {"COLUMNS": "400"}
    )
    assert code == 0, shown
    head = next(line for line in shown.splitlines() if "source" in line and "┃" in line)
    assert [c.strip() for c in head.strip("┃").split("┃")] == [
        "source",
        "state",
        "last success",
        "failures",
        "last error",
        "next poll",
        "conditional",
        "interval",
    ]
    table = table_rows(shown)
    when = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
    tribun = table[tribun_name]
    assert tribun[1] == "ok" and when.match(tribun[2]) and tribun[3] == "0"
    assert tribun[4] == "" and when.match(tribun[5])
    assert tribun[6:] == ["yes", "60 min"]
    assert table["Rusak"] == [
        "Rusak",
        f"paused: paused after 2 failures in a row: {html_page}",
        "—",
        "2",
        html_page,
        "—",
        "unknown",
        "60 min",
    ]


@pytest.fixture
async def markup_site() -> AsyncIterator[str]:
    """A regional outlet whose headline holds rich-markup-like brackets."""

    async def feed(request: web.Request) -> web.Response:
        base = str(request.url.origin())
        items = [(TRICKY_TITLE, "/berita/banjir-surabaya", T0)]
        return web.Response(body=rss(base, items), content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/jatim.xml", feed)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("/jatim.xml"))
    await server.close()


TRICKY_TITLE = "Banjir [/b] Rendam [bold]Surabaya[/bold] [link=x]"


async def test_latest_takes_provinces_and_prints_headlines_literally(
    tmp_path: Path, markup_site: str
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[sources]]\nname = "Tribun Jatim"\nurl = "{markup_site}"\n'
        'topic = "region:jawa-timur"\n',
        encoding="utf-8",
    )
    env = {"SOURCES_FILE": str(sources), "FETCH_PAGES": "false"}
    code, out, err = await newsbot(tmp_path, "ingest", "--once", **env)
    assert code == 0, err
    assert TRICKY_TITLE in out

    for topic in ("region:jawa-timur", "Jawa Timur", "jawa-timur"):
        code, out, err = await newsbot(tmp_path, "latest", "--topic", topic, **env)
        assert code == 0, err
        assert TRICKY_TITLE in out, topic
    code, out, err = await newsbot(tmp_path, "latest", "--json", "--topic", "Jawa Timur", **env)
    assert code == 0, err
    assert [i["title"] for i in json.loads(out)] == [TRICKY_TITLE]
    assert "region:jawa-timur" in json.loads(out)[0]["topics"]

    code, out, err = await newsbot(tmp_path, "latest", "--topic", "Atlantis", **env)
    assert code == 2
    assert "unknown topic 'Atlantis'" in err


async def test_db_upgrade_as_a_process_is_quiet_and_reaches_head(tmp_path: Path) -> None:
    for _ in range(2):  # and again, on an up-to-date database
        code, out, err = await newsbot(tmp_path, "db", "upgrade")
        assert code == 0, err
        assert out.strip() == "database is up to date"
        assert err == ""  # Alembic's INFO lines stay quiet
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]


async def test_continuous_ingest_survives_a_failed_cycle_and_stops_on_sigterm(
    tmp_path: Path, site_url: str
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[sources]]\nname = "Tribun"\nurl = "{site_url}/a.xml"\ntopic = "internasional"\n\n'
        f'[[sources]]\nname = "Hilang"\nurl = "{site_url}/gone.xml"\n',
        encoding="utf-8",
    )
    env = {"SOURCES_FILE": str(sources), "FETCH_PAGES": "false"}
    code, _, err = await newsbot(tmp_path, "db", "upgrade", **env)
    assert code == 0, err
    database = tmp_path / "cli.db"

    def rename(old: str, new: str) -> None:
        with sqlite3.connect(database, timeout=30) as conn:
            conn.execute(f"ALTER TABLE {old} RENAME TO {new}")

    def count(table: str, where: str = "1 = 1") -> int:
        with sqlite3.connect(database, timeout=30) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0])

    def pending() -> int:
        return count("articles", "story_id IS NULL")

    # A table the first cycle needs goes missing (a botched manual fix, a restore in progress):
    # storing the stories fails, so the cycle as a whole fails.
    await asyncio.to_thread(rename, "story_topics", "story_topics_away")
    proc = await start(tmp_path, "ingest", **env)
    assert proc.stderr is not None and proc.stdout is not None
    stderr: list[str] = []
    try:
        async with asyncio.timeout(60):
            while "an ingest cycle failed" not in "".join(stderr):
                line = await proc.stderr.readline()
                assert line, "newsbot ingest ended: " + "".join(stderr)
                stderr.append(line.decode())
        assert proc.returncode is None  # still running
        await asyncio.to_thread(rename, "story_topics_away", "story_topics")
        # The article whose story failed stays pending until a later cycle finishes it.
        for _ in range(300):
            if await asyncio.to_thread(pending) == 0:
                break
            await asyncio.sleep(0.2)
        assert await asyncio.to_thread(pending) == 0, "no cycle ran after the failure"
        proc.send_signal(signal.SIGTERM)
        out, rest = await asyncio.wait_for(proc.communicate(), timeout=60)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0, "".join(stderr) + rest.decode()
    assert out.decode().rstrip().endswith("stopped")
    assert await asyncio.to_thread(count, "articles") == 2
    assert await asyncio.to_thread(count, "stories") == 2
    assert "trying again in 5 s" in "".join(stderr)
    with sqlite3.connect(database) as conn:
        failures = conn.execute(
            "SELECT consecutive_failures FROM sources WHERE name = 'Hilang'"
        ).fetchone()[0]
    assert failures >= 1  # the failing source was recorded, not fatal
