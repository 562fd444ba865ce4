"""Story, list and digest rendering: escaping, sizes, outlets, time zones, the follow prompt."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.i18n import load_catalogue
from bot.telegram.formatting import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    render_digest,
    render_list,
    render_story,
    zone_name,
)
from storage.stories import ArticleRef, StoryView
from tests.bot.fakeapi import _EntityChecker

NASTY = '<b>Rp 1.000</b> & "AT&T"'
WIB = ZoneInfo("Asia/Jakarta")


def story(title: str = NASTY, summary: str = "Satu. Dua! Tiga? Empat.", **kw: object) -> StoryView:
    values: dict[str, object] = {
        "id": 1,
        "title": title,
        "summary": summary,
        "topics": ["ekonomi"],
        "published_at": datetime(2026, 11, 25, 12, 5, tzinfo=UTC),
        "image_url": "https://img.example/lead.jpg",
        "articles": [
            ArticleRef("https://tribunnews.example/a?x=1&y=2", "Tribunnews", "t"),
            ArticleRef("https://kompas.example/b", "Kompas", "t"),
            ArticleRef("https://detik.example/c", "Detik", "t"),
            ArticleRef("https://kompas.example/d", "Kompas", "t"),
        ],
    }
    values.update(kw)
    return StoryView(**values)  # type: ignore[arg-type]


def visible(html_text: str) -> str:
    checker = _EntityChecker()
    checker.feed(html_text)
    checker.close()
    assert checker.error is None and not checker.stack, html_text
    return "".join(checker.plain)


def test_feed_markup_arrives_as_text() -> None:
    rendered = render_story(story(), lang="id", tz=WIB, bot_username="berita_bot")
    plain = visible(rendered.text)
    assert NASTY in plain  # the reader sees the characters, not bold text
    assert rendered.text.startswith(
        "<b>&lt;b&gt;Rp 1.000&lt;/b&gt; &amp; &quot;AT&amp;T&quot;</b>"
    )


def test_story_parts() -> None:
    rendered = render_story(story(), lang="id", tz=WIB, bot_username="berita_bot")
    plain = visible(rendered.text)
    assert "Tribunnews · Kompas · Detik — 25 Nov 19.05 WIB" in plain
    assert "Satu. Dua! Tiga? Empat." in plain  # the whole summary (at most five sentences)
    six = render_story(
        story(summary="A1. B2. C3. D4. E5. F6."), lang="id", tz=WIB, bot_username=None
    )
    assert "E5." in six.text and "F6." not in six.text
    assert "Dapatkan Berita Pilihan di Telegram Anda" in plain
    assert 'href="https://t.me/berita_bot?start=pilihan"' in rendered.text
    assert rendered.buttons == [[("Baca selengkapnya", "https://tribunnews.example/a?x=1&y=2")]]
    assert rendered.preview_url == "https://img.example/lead.jpg"


def test_story_in_english_and_other_zones() -> None:
    rendered = render_story(
        story(image_url=None), lang="en", tz=ZoneInfo("Asia/Jayapura"), bot_username=None
    )
    assert "25 Nov 21:05 WIT" in visible(rendered.text)
    assert rendered.buttons[0][0][0] == "Read more"
    assert rendered.preview_url == "https://tribunnews.example/a?x=1&y=2"
    assert "Get Berita Pilihan on your Telegram" in rendered.text and "t.me" not in rendered.text
    assert zone_name(ZoneInfo("Asia/Makassar")) == "WITA"


def test_huge_feed_text_fits_text_and_caption_limits() -> None:
    huge = story(title="&<" * 3000, summary=("Kalimat panjang & aneh <i>. " * 800))
    for limit in (TEXT_LIMIT, CAPTION_LIMIT):
        rendered = render_story(huge, lang="id", tz=WIB, bot_username="b_bot", limit=limit)
        assert len(rendered.text) <= limit
        visible(rendered.text)  # still well-formed HTML


def test_list_numbers_links_and_drops_what_does_not_fit() -> None:
    views = [story(id=i, title=f"Judul {i} " + "x" * 280) for i in range(30)]
    rendered = render_list(
        views, heading="<b>H</b>", lang="id", tz=WIB, bot_username="b_bot", start=6
    )
    assert len(rendered.text) <= TEXT_LIMIT
    assert 0 < rendered.items < 30
    assert visible(rendered.text).count("\n6. ") == 1
    assert '<a href="https://tribunnews.example/a?x=1&amp;y=2">' in rendered.text


def test_digest_heading_is_dated_in_the_chat_zone() -> None:
    late = datetime(2026, 11, 25, 18, 30, tzinfo=UTC)  # already the 26th in Jakarta
    rendered = render_digest([story()], lang="id", tz=WIB, bot_username="b_bot", now=late)
    assert visible(rendered.text).startswith("Berita Pilihan · 26 Nov 2026")
    assert rendered.items == 1


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    import string

    catalogue = load_catalogue()
    assert catalogue.keys("id") == catalogue.keys("en")
    for key in catalogue.keys("id"):
        fields = [
            {f for _, f, _, _ in string.Formatter().parse(catalogue.messages[lang][key]) if f}
            for lang in ("id", "en")
        ]
        assert fields[0] == fields[1], key


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_sizes_count_utf16_units_like_telegram() -> None:
    # 🇮🇩 and 😀 lie outside the BMP: one code point each, two UTF-16 units.
    emoji = story(title="😀 " * 1500, summary="🇮🇩 Banjir. " * 900)
    for limit in (TEXT_LIMIT, CAPTION_LIMIT):
        rendered = render_story(emoji, lang="id", tz=WIB, bot_username="b_bot", limit=limit)
        assert utf16(visible(rendered.text)) <= limit
        assert utf16(rendered.text) > limit * 0.9  # cut to the limit, not far below it
    views = [story(id=i, title="😀" * 300, summary="🇮🇩" * 240) for i in range(20)]
    rendered = render_list(views, heading="<b>H</b>", lang="id", tz=WIB, bot_username="b_bot")
    assert utf16(visible(rendered.text)) <= TEXT_LIMIT
    assert len(rendered.text) < TEXT_LIMIT * 0.75  # in code points it would have looked short
