"""OPML import and export: the parser on its own, then `newsbot sources …` as real processes."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.ingest.opml import ExportedSource, OpmlError, OpmlFeed, read_opml, write_opml
from storage.db import create_engine
from storage.models import Source

NEWSROOM = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Langganan redaksi</title></head>
  <body>
    <outline text="Olahraga">
      <outline type="rss" text="Bola Kita" xmlUrl="http://127.0.0.1:9/bola.xml"
               htmlUrl="http://127.0.0.1:9/"/>
      <outline text="Sport lain">
        <outline type="rss" title="Raket" text="raket" xmlUrl=" http://127.0.0.1:9/raket.xml "/>
      </outline>
    </outline>
    <outline text="Regional">
      <outline text="Jatim">
        <outline type="rss" text="Surya" xmlUrl="https://127.0.0.1:9/surya.xml"/>
      </outline>
    </outline>
    <outline text="Favorit">
      <outline type="rss" text="Kabar" xmlUrl="http://127.0.0.1:9/kabar.xml"
               category="/Teknologi"/>
      <outline type="rss" xmlUrl="http://127.0.0.1:9/tanpa-nama.xml"/>
    </outline>
    <outline type="rss" text="Tribun" xmlUrl="http://127.0.0.1:9/tribun.xml"/>
    <outline type="rss" text="Tribun" xmlUrl="http://127.0.0.1:9/tribun-lain.xml"/>
    <outline type="rss" text="Bola Kita lagi" xmlUrl="http://127.0.0.1:9/bola.xml"/>
    <outline type="link" text="Beranda" url="http://127.0.0.1:9/"/>
  </body>
</opml>
"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<opml version="2.0"><body><outline text="&lol2;" xmlUrl="http://127.0.0.1:9/a"/></body></opml>
"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<opml version="2.0"><body><outline text="&secret;" xmlUrl="http://127.0.0.1:9/a"/></body></opml>
"""

FTP_SURYA = NEWSROOM.replace(b"https://127.0.0.1:9/surya.xml", b"ftp://x/surya")


def test_feeds_take_the_topic_of_the_nearest_category_that_maps() -> None:
    feeds: dict[str, OpmlFeed] = {}
    for feed in read_opml(NEWSROOM):
        feeds.setdefault(feed.url, feed)  # the first of a repeated URL
    assert feeds["http://127.0.0.1:9/bola.xml"] == OpmlFeed(
        "Bola Kita", "http://127.0.0.1:9/bola.xml", "olahraga"
    )
    assert feeds["http://127.0.0.1:9/raket.xml"].name == "Raket"  # title before text
    assert feeds["http://127.0.0.1:9/raket.xml"].topic == "olahraga"  # "Sport lain" is an alias
    assert feeds["https://127.0.0.1:9/surya.xml"].topic == "region:jawa-timur"  # inner wins
    assert feeds["http://127.0.0.1:9/kabar.xml"].topic == "teknologi"  # the category attribute
    assert feeds["http://127.0.0.1:9/tanpa-nama.xml"].name == "127.0.0.1"  # no title: the host
    assert feeds["http://127.0.0.1:9/tanpa-nama.xml"].topic is None
    assert len(read_opml(NEWSROOM)) == 8  # the link outline is not a feed


@pytest.mark.parametrize(
    ("document", "words"),
    [
        # Column 53 is where the mismatched </body> names its tag.
        (b"<opml><body><outline text='x' xmlUrl='http://a/b'></body>", "line 1, column 53"),
        (LAUGHS, "entities"),
        (EXTERNAL, "entities"),
        (b"<rss version='2.0'><channel/></rss>", "root element is <rss>"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
        (b"<opml version='2.0'><body><outline text='x'/></body></opml>", "no feeds"),
        (
            b"<opml><body><outline text='Aman' xmlUrl='http://a.example/rss'/>"
            b"<outline text='Jahat' xmlUrl='javascript:alert(1)'/></body></opml>",
            "outline 'Jahat' (top level): xmlUrl 'javascript:alert(1)' is not an http",
        ),
        (
            b"<opml><body>" + b"<outline text='a'>" * 40 + b"</outline>" * 40 + b"</body></opml>",
            "nested deeper than 32 levels",
        ),
    ],
)
def test_bad_opml_is_refused_with_the_reason(document: bytes, words: str) -> None:
    with pytest.raises(OpmlError) as info:
        read_opml(document)
    assert words in str(info.value)


def test_export_reads_back_as_the_same_sources() -> None:
    sources = [
        ExportedSource("Bola & Co", "https://bola.example/rss?a=1&b=2", "olahraga"),
        ExportedSource("Surya", "https://surya.example/feed", "region:jawa-timur"),
        ExportedSource("Umum", "https://umum.example/rss", None),
    ]
    document = write_opml(sources, datetime(2026, 11, 25, tzinfo=UTC))
    assert document.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<opml version=\"2.0\">")
    assert b"<dateCreated>Wed, 25 Nov 2026 00:00:00 +0000</dateCreated>" in document
    assert b'<outline text="Jawa Timur" title="Jawa Timur">' in document
    back = sorted(read_opml(document), key=lambda f: f.name)
    assert [(f.name, f.url, f.topic) for f in back] == [(s.name, s.url, s.topic) for s in sources]


async def newsbot(tmp_path: Path, *args: str, **env: str) -> tuple[int, str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    sources = tmp_path / "sources.toml"
    if not sources.exists():
        sources.write_text(
            '[[sources]]\nname = "Tribun"\nurl = "http://127.0.0.1:9/tribun.xml"\n'
            'topic = "nasional"\n',
            "utf-8",
        )
    environment = clean | {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
        "SOURCES_FILE": str(sources),
        "COLUMNS": "200",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=tmp_path, env=environment | env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def stored(tmp_path: Path) -> dict[str, tuple[str, str | None]]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(select(Source.name, Source.url, Source.topic))).all()
    finally:
        await engine.dispose()
    return {r.name: (r.url, r.topic) for r in rows}


async def test_import_adds_and_updates_sources_and_export_round_trips(tmp_path: Path) -> None:
    (tmp_path / "newsroom.opml").write_bytes(NEWSROOM)
    code, out, err = await newsbot(tmp_path, "sources", "import-opml", "newsroom.opml")
    assert code == 0, err
    assert out.splitlines()[0] == (
        "6 added, 0 updated, 0 unchanged, 1 kept as SOURCES_FILE says, 1 repeated outlines skipped"
    )
    sources = await stored(tmp_path)
    assert sources["Tribun"] == ("http://127.0.0.1:9/tribun.xml", "nasional")  # the file's
    assert sources["Tribun (127.0.0.1)"] == ("http://127.0.0.1:9/tribun-lain.xml", None)
    assert sources["Surya"] == ("https://127.0.0.1:9/surya.xml", "region:jawa-timur")
    assert sources["Bola Kita"] == ("http://127.0.0.1:9/bola.xml", "olahraga")
    assert len(sources) == 7

    code, out, err = await newsbot(tmp_path, "sources")  # the health listing, as before
    assert code == 0, err
    assert "Surya" in out and "Tribun (127.0.0.1)" in out and "last_success" in out

    moved = NEWSROOM.replace(b'<outline text="Olahraga">', b'<outline text="Hiburan">')
    (tmp_path / "moved.opml").write_bytes(moved)
    code, out, err = await newsbot(tmp_path, "sources", "import-opml", "moved.opml")
    assert code == 0, err
    assert out.splitlines()[0].startswith("0 added, 1 updated, 5 unchanged, 1 kept")
    assert "~ Bola Kita (topic)" in out
    after = await stored(tmp_path)
    assert after["Bola Kita"][1] == "hiburan"
    assert after["Raket"][1] == "olahraga"  # its own category, "Sport lain", still maps

    code, out, err = await newsbot(tmp_path, "sources", "export-opml")
    assert code == 0, err
    exported = {(f.name, f.url, f.topic) for f in read_opml(out.encode())}
    assert exported == {(name, url, topic) for name, (url, topic) in after.items()}
    code, _, err = await newsbot(tmp_path, "sources", "export-opml", "out.opml")
    assert code == 0 and "7 sources written to out.opml" in err
    assert read_opml((tmp_path / "out.opml").read_bytes()) == read_opml(out.encode())

    # A fresh database takes the export and ends up with the same sources.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "sources.toml").write_text((tmp_path / "sources.toml").read_text())
    code, out, err = await newsbot(fresh, "sources", "import-opml", str(tmp_path / "out.opml"))
    assert code == 0, err
    assert await stored(fresh) == await stored(tmp_path)


async def test_bad_opml_imports_nothing(tmp_path: Path) -> None:
    code, _, err = await newsbot(tmp_path, "sources")
    assert code == 0, err
    before = await stored(tmp_path)
    for document, words in (
        (LAUGHS, "uses XML entities"),
        (FTP_SURYA, "'Surya' (Regional/Jatim): xmlUrl 'ftp://x/surya' is not"),
        (NEWSROOM[:300], "not well-formed XML at line"),
    ):
        (tmp_path / "bad.opml").write_bytes(document)
        code, out, err = await newsbot(tmp_path, "sources", "import-opml", "bad.opml")
        assert code == 2
        assert err.startswith("newsbot: bad.opml is not usable OPML, nothing was imported: ")
        assert words in err and "Traceback" not in err
        assert await stored(tmp_path) == before


async def test_missing_file_and_unwritable_target_are_explained(tmp_path: Path) -> None:
    code, _, err = await newsbot(tmp_path, "sources", "import-opml", "nope.opml")
    assert code == 2 and "cannot read nope.opml: No such file or directory" in err
    code, _, err = await newsbot(tmp_path, "sources", "export-opml", "no/such/dir/x.opml")
    assert code == 2 and "cannot write no/such/dir/x.opml" in err and "Traceback" not in err
