"""The TOML sources file: what it accepts and how it explains what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.sources_file import SourcesFileError, load_sources


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_full_entry_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[sources]]\nname = "Detik Indeks"\nurl = " https://news.detik.com/indeks "\n'
        'kind = "html"\ntopic = "nasional"\ninterval = 600\nselector = "h3 a"\n',
    )
    (spec,) = load_sources(path)
    assert spec.url == "https://news.detik.com/indeks"
    assert spec.as_row() == {
        "name": "Detik Indeks",
        "url": "https://news.detik.com/indeks",
        "kind": "html",
        "topic": "nasional",
        "interval": 600,
        "link_selector": "h3 a",
    }


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[[sources]]\nname = "x"\n', "source #1: url: Field required"),
        ('[[sources]]\nname = "x"\nurl = "https://x"\nkind = "pdf"\n', "kind"),
        ('[[sources]]\nname = "x"\nurl = "https://x"\ninterval = 1\n', "interval"),
        ('[[sources]]\nname = "x"\nurl = "https://x"\ncolour = "red"\n', "colour"),
        (
            '[[sources]]\nname = "x"\nurl = "https://x"\n[[sources]]\nname = "x"\nurl = "https://y"\n',
            "unique: x",
        ),
        (
            '[[sources]]\nname = "x"\nurl = "https://x/rss"\n'
            '[[sources]]\nname = "y"\nurl = "https://x/ rss"\n',
            "two sources share the URL https://x/rss",
        ),
        ("sources = 3\n", "no [[sources]]"),
        ("[[sources\n", "not valid TOML"),
    ],
)
def test_mistakes_are_named(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(SourcesFileError, match="sources.toml") as info:
        load_sources(write(tmp_path, text))
    assert words in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match="does not exist"):
        load_sources(tmp_path / "nope.toml")
