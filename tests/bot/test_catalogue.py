"""Every user-facing string comes from the catalogues, none is hard-coded in reader code."""

from __future__ import annotations

import ast
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.i18n import Catalogue, load_catalogue
from bot.telegram.formatting import render_list, render_story
from storage.stories import ArticleRef, StoryView

ROOT = Path(__file__).resolve().parents[2]
# The reader-facing code; the admin handlers belong to another part of the bot.
READER_CODE = [
    *(
        p
        for p in sorted((ROOT / "bot" / "handlers").glob("*.py"))
        if not p.name.startswith("admin")
    ),
    ROOT / "bot" / "telegram" / "formatting.py",
    ROOT / "bot" / "telegram" / "deep_links.py",
]


def _strings(path: Path) -> list[tuple[int, str]]:
    """String constants of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_symbols_or_example_words_are_hard_coded() -> None:
    found = []
    for path in READER_CODE:
        for line, text in _strings(path):
            symbols = [c for c in text if unicodedata.category(c) == "So"]
            if symbols or "olahraga" in text.casefold():
                found.append(f"{path.name}:{line}: {text!r}")
    assert found == []


def _view(outlets: int) -> StoryView:
    return StoryView(
        id=1,
        title="Judul",
        summary="Satu. Dua.",
        topics=["nasional"],
        published_at=datetime(2026, 11, 25, 12, 5, tzinfo=UTC),
        image_url=None,
        articles=[
            ArticleRef(f"https://o{n}.example/a", f"Outlet{n}", "t") for n in range(outlets)
        ],
    )


def test_more_outlets_come_from_the_catalogue() -> None:
    wib = ZoneInfo("Asia/Jakarta")
    story_id = render_story(_view(6), lang="id", tz=wib, bot_username="b_bot").text
    assert "Outlet0 · Outlet1 · Outlet2 · Outlet3 · +2 media —" in story_id
    story_en = render_story(_view(6), lang="en", tz=wib, bot_username="b_bot").text
    assert "Outlet3 · +2 outlets —" in story_en
    listed = render_list([_view(5)], heading="<b>H</b>", lang="en", tz=wib, bot_username=None)
    assert "Outlet0 · Outlet1 · Outlet2 · +2 outlets —" in listed.text


def test_the_prompt_link_is_the_catalogues() -> None:
    base = load_catalogue()
    changed = {lang: dict(table) for lang, table in base.messages.items()}
    changed["en"]["follow.link"] = '➡️ <a href="{link}"><i>{prompt}</i></a>'
    rendered = render_story(
        _view(1),
        lang="en",
        tz=ZoneInfo("Asia/Jakarta"),
        bot_username="b_bot",
        catalogue=Catalogue(changed),
    )
    link = '<a href="https://t.me/b_bot?start=pilihan">'
    assert rendered.text.endswith(f"➡️ {link}<i>Get Berita Pilihan on your Telegram</i></a>")
