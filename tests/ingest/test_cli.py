"""The operator's commands, run as a newcomer would: real processes, real files, loopback feeds."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from tests.ingest.site import NewsSite


@pytest.fixture
async def site_url() -> AsyncIterator[str]:
    site = NewsSite()
    server = TestServer(site.app(), host="127.0.0.1")
    await server.start_server()
    site.base = str(server.make_url("")).rstrip("/")
    yield site.base
    await server.close()


async def newsbot(tmp_path: Path, *args: str, **env: str) -> tuple[int, str, str]:
    environment = (
        {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
        | {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}", "COLUMNS": "200"}
        | env
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=tmp_path,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


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
    assert "ADMIN_IDS" in err and "BOT_TOKEN" in err
    assert secret not in err


async def test_broken_sources_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[sources]]\nname = "x"\nurl = "ftp://x"\n', encoding="utf-8")
    code, _, err = await newsbot(tmp_path, "ingest", "--once", SOURCES_FILE=str(bad))
    assert code == 2
    assert "source #1" in err and "http" in err
