"""The Mini App in a real browser: headless Chromium at a phone's width, clicking through.

Every view is saved as a screenshot, light and dark, in artifacts/screenshots/ (git-ignored) so
a person can look at them after CI.
"""

from __future__ import annotations

import pytest

from bot.ingest.indexing import index_missing
from bot.telegram.formatting import zone_name
from tests.bot.updates import ADMIN_ID, USER_ID
from tests.webapp.browser import DARK, LIGHT, Browser, launch_url
from tests.webapp.conftest import Site
from tests.webapp.harness import OTHER_BOT_TOKEN, init_data
from tests.webapp.stories import HOSTILE_BODY, HOSTILE_TITLE, seed, seed_admin, seed_hostile

CARDS = "document.querySelectorAll('.card').length"
CALLS = "Telegram.WebApp.__calls"


async def open_app(
    browser: Browser, site: Site, raw: str | None, *, dark: bool = False, query: str = ""
) -> None:
    await browser.open(
        launch_url(site.app.url, raw, theme=DARK if dark else LIGHT, query=query), dark
    )


async def test_pilihan_to_a_story_to_its_outlets_and_back(
    browser: Browser, sqlite_site: Site
) -> None:
    site = sqlite_site
    ids = await seed(site.bot.resources, site.app)
    for dark in (False, True):
        scheme = "dark" if dark else "light"
        await open_app(browser, site, init_data(USER_ID), dark=dark)
        await browser.wait(f"{CARDS} >= 5", "Berita Pilihan")
        assert await browser.js("return document.documentElement.dataset.scheme") == scheme
        first = await browser.text(".card .card-title")
        assert first == "Banjir rendam ratusan rumah di Jakarta Timur, 1.200 warga mengungsi"
        assert await browser.js(f"return {CALLS}.slice(0, 2)") == ["ready", "expand"]
        await browser.screenshot(f"pilihan-{scheme}")

        await browser.click(f".card[data-story='{ids['flood']}']")
        await browser.wait("document.querySelector('.story h1')", "the story")
        assert await browser.js("return Telegram.WebApp.BackButton.isVisible") is True
        assert "haptic.impact.light" in await browser.js(f"return {CALLS}")
        assert (await browser.text(".summary p")).startswith("Sungai Ciliwung meluap")
        paragraphs = await browser.js(
            "return [...document.querySelectorAll('.body p:not(.hint)')].map(p => p.innerText)"
        )
        assert len(paragraphs) == 4 and paragraphs[0].startswith("Hujan deras sejak Senin")
        captions = await browser.js(
            "return [...document.querySelectorAll('figcaption')].map(f => f.innerText)"
        )
        assert captions == [
            "Warga menembus banjir di Kampung Melayu, Selasa (2/12). — Foto: Kompas",
            "Petugas BPBD mengevakuasi lansia dengan perahu karet. — Foto: Detik",
        ]
        loaded = await browser.wait(
            "[...document.querySelectorAll('figure img')]"
            ".every(i => i.complete && i.naturalWidth > 0)",
            "the pictures",
        )
        assert loaded
        outlets = await browser.js(
            "return [...document.querySelectorAll('[data-outlet]')].map(li => li.innerText)"
        )
        assert [o.split()[0] for o in outlets] == ["Kompas", "Detik", "Tribunnews"]
        assert all("WIB" in o for o in outlets)  # each outlet with its time
        await browser.screenshot(f"story-{scheme}")

        await browser.click("[data-outlet='Detik'] a")
        calls = await browser.js(f"return {CALLS}")
        assert any(c.startswith("openLink https://detik.example/") for c in calls)

        await browser.js("Telegram.WebApp.__pressBack()")  # Telegram's back button
        await browser.wait(f"{CARDS} >= 5 && location.hash === '#/pilihan'", "back to Pilihan")
        assert await browser.js("return Telegram.WebApp.BackButton.isVisible") is False


async def test_the_latest_stories_filter_by_topic(browser: Browser, sqlite_site: Site) -> None:
    site = sqlite_site
    await seed(site.bot.resources, site.app)
    for dark in (False, True):
        await open_app(browser, site, init_data(USER_ID), dark=dark, query="?view=latest")
        await browser.wait(f"{CARDS} >= 6", "the latest stories")
        await browser.click("[data-topic='ekonomi']")
        await browser.wait(
            f"location.hash === '#/latest/ekonomi' && {CARDS} === 2", "the economy stories"
        )
        titles = await browser.js(
            "return [...document.querySelectorAll('.card-title')].map(e => e.innerText)"
        )
        assert titles == [
            "Harga beras turun di pasar induk Cipinang",
            "Bank Indonesia tahan suku bunga acuan di 6 persen",
        ]
        assert "haptic.selection" in await browser.js(f"return {CALLS}")
        await browser.screenshot(f"latest-{'dark' if dark else 'light'}")


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
async def test_a_topic_changed_in_the_app_is_the_one_topic_shows_in_chat(
    browser: Browser, site: Site, dark: bool
) -> None:
    raw = init_data(USER_ID)
    await open_app(browser, site, raw, dark=dark, query="?view=settings")
    await browser.wait("document.querySelector('#topics')", "the settings")
    await browser.click("[data-topic='teknologi']")
    await browser.wait(
        "document.querySelector(\"[data-topic='teknologi']\")"
        ".getAttribute('aria-pressed') === 'true'",
        "the topic followed",
    )
    assert "haptic.notification.success" in await browser.js(f"return {CALLS}")
    buttons = [b["text"] for b in (await site.bot.say("/topic")).buttons()]
    assert "✅ Teknologi" in buttons and "✅ Politik" not in buttons

    # The other way: a tap in chat, then the app opened again shows it.
    await site.bot.feed(site.bot.updates.callback("t|politik"))
    await site.bot.feed(site.bot.updates.callback("s|tz|WITA"))
    await open_app(browser, site, raw, dark=dark, query="?view=settings")
    await browser.wait("document.querySelector('#topics')", "the settings")
    pressed = await browser.js(
        "return [...document.querySelectorAll('#topics [aria-pressed=true]')]"
        ".map(b => b.dataset.topic)"
    )
    assert sorted(pressed) == ["politik", "teknologi"]
    zone = await browser.js(
        "return document.querySelector('.seg [aria-pressed=true]').dataset.value"
    )
    assert zone == "WITA"

    await browser.click(".seg [data-value='WIT']")
    await browser.wait(
        "document.querySelector(\".seg [data-value='WIT']\")"
        ".getAttribute('aria-pressed') === 'true'",
        "the zone saved",
    )
    assert (await site.bot.say("/settings")).text.endswith("Zona waktu: WIT")
    await browser.screenshot(f"settings-{'dark' if dark else 'light'}")


async def test_an_admins_charts_render(browser: Browser, sqlite_site: Site) -> None:
    site = sqlite_site
    await seed(site.bot.resources, site.app)
    tz = site.bot.app.bot_data.settings.tz  # type: ignore[union-attr]
    await seed_admin(site.bot.resources, tz)
    for dark in (False, True):
        await open_app(browser, site, init_data(ADMIN_ID), dark=dark, query="?view=admin")
        await browser.wait("document.querySelector('[data-chart=failing] svg')", "the charts")
        bars = await browser.js(
            "return document.querySelectorAll('[data-chart=hourly] svg rect').length"
        )
        assert bars > 0
        lines = await browser.js(
            "return document.querySelectorAll('[data-chart=followers] svg path.line').length"
        )
        assert lines == 5  # Berita Pilihan and four topics
        failing = await browser.js(
            "return [...document.querySelectorAll('[data-chart=failing] svg rect title')]"
            ".map(t => t.textContent)"
        )
        assert failing == ["Bola: 10", "Detik: 4"]
        progress = await browser.text("[data-broadcast]")
        assert "90" in progress and "6" in progress
        assert await browser.js("return document.querySelector('[data-tab=admin]') !== null")
        await browser.screenshot(f"admin-{'dark' if dark else 'light'}")


async def test_a_reader_is_no_admin_in_the_page_either(
    browser: Browser, sqlite_site: Site
) -> None:
    await open_app(browser, sqlite_site, init_data(USER_ID), query="?view=admin")
    await browser.wait("document.querySelector('[data-error]')", "the refusal")
    assert await browser.js("return document.querySelector('[data-tab=admin]')") is None
    assert await browser.js("return document.querySelectorAll('[data-chart]').length") == 0


@pytest.mark.parametrize(
    "raw",
    [
        init_data(USER_ID, token=OTHER_BOT_TOKEN),
        init_data(USER_ID).replace("Ani", "Budi"),
    ],
    ids=["another-bot", "forged"],
)
async def test_forged_init_data_gets_no_data(
    browser: Browser, sqlite_site: Site, raw: str
) -> None:
    await seed(sqlite_site.bot.resources, sqlite_site.app)
    await open_app(browser, sqlite_site, raw)
    key = await browser.wait(
        "document.querySelector('[data-error]')?.dataset.error", "the refusal"
    )
    assert key == "app.error.unauthorized"
    assert await browser.js(f"return {CARDS}") == 0
    assert "Banjir" not in await browser.text("body")
    assert "haptic.notification.error" in await browser.js(f"return {CALLS}")
    await browser.screenshot("refused-light")


async def test_a_hostile_story_renders_as_text(browser: Browser, sqlite_site: Site) -> None:
    site = sqlite_site
    story_id = await seed_hostile(site.bot.resources)
    await open_app(browser, site, init_data(USER_ID), query=f"?story={story_id}")
    await browser.wait("document.querySelector('.story h1')", "the story")
    assert await browser.text(".story h1") == HOSTILE_TITLE
    paragraphs = await browser.js(
        "return [...document.querySelectorAll('.body p')].map(p => p.innerText)"
    )
    assert paragraphs == HOSTILE_BODY.split("\n\n")
    assert await browser.js("return window.__pwned") is None
    assert (
        await browser.js("return document.querySelectorAll('main script, main b, main i').length")
        == 0
    )
    images = await browser.js("return [...document.querySelectorAll('main img')].map(i => i.src)")
    assert images == []  # the javascript: "picture" was never put in the page
    await browser.click("[data-tab=pilihan]")
    await browser.wait(f"{CARDS} === 1", "the list")
    assert await browser.js("return window.__pwned") is None
    await browser.screenshot("hostile-story-light")


async def test_an_ordinary_browser_reads_but_changes_nothing(
    browser: Browser, sqlite_site: Site
) -> None:
    site = sqlite_site
    await seed(site.bot.resources, site.app)
    for dark in (False, True):
        await open_app(browser, site, None, dark=dark)
        await browser.wait(f"{CARDS} >= 5", "Berita Pilihan without Telegram")
        assert await browser.js("return document.querySelector('[data-browser]') !== null")
        assert await browser.js("return document.documentElement.dataset.scheme") == (
            "dark" if dark else "light"
        )
        await browser.screenshot(f"browser-pilihan-{'dark' if dark else 'light'}")
    await browser.click("[data-tab=settings]")
    await browser.wait("document.querySelector('[data-browser]')", "read-only settings")
    assert await browser.js("return document.querySelectorAll('.switch').length") == 0


async def test_english_readers_get_the_page_in_english(
    browser: Browser, sqlite_site: Site
) -> None:
    await seed(sqlite_site.bot.resources, sqlite_site.app)
    await open_app(browser, sqlite_site, init_data(USER_ID, language="en"))
    await browser.wait(f"{CARDS} >= 5", "Berita Pilihan")
    assert await browser.text("[data-tab=latest]") == "Latest"
    assert await browser.js("return document.documentElement.lang") == "en"
    zone = zone_name(sqlite_site.bot.app.bot_data.settings.tz)  # type: ignore[union-attr]
    assert zone in await browser.text(".card .meta")


async def test_search_finds_a_story_and_opens_it(browser: Browser, sqlite_site: Site) -> None:
    site = sqlite_site
    ids = await seed(site.bot.resources, site.app)
    await index_missing(site.bot.resources.sessions)
    for dark in (False, True):
        scheme = "dark" if dark else "light"
        await open_app(browser, site, init_data(USER_ID), dark=dark, query="?view=search")
        await browser.wait("document.querySelector('input[type=search]')", "the search box")
        # Typed as a reader would, stemmed: "mengungsi" finds the flood story's "mengungsi",
        # "-timnas" leaves the football story out.
        await browser.js(
            "const box = document.querySelector('input[type=search]');"
            "box.value = 'banjir warga -timnas';"
            "box.form.requestSubmit();"
        )
        await browser.wait(f"{CARDS} === 1", "one result")
        assert await browser.js("return location.hash") == "#/search/banjir%20warga%20-timnas"
        assert await browser.text(".card .card-title") == (
            "Banjir rendam ratusan rumah di Jakarta Timur, 1.200 warga mengungsi"
        )
        # One result, no next page: no "more" button on screen.
        assert await browser.js("return document.querySelector('.more').offsetParent === null")
        await browser.screenshot(f"search-{scheme}")

        await browser.click(f".card[data-story='{ids['flood']}']")
        await browser.wait("document.querySelector('.story h1')", "the story")
        assert (await browser.text(".summary p")).startswith("Sungai Ciliwung meluap")
        await browser.js("Telegram.WebApp.__pressBack()")
        await browser.wait(f"{CARDS} === 1", "back to the results")
        assert await browser.js("return document.querySelector('input[type=search]').value") == (
            "banjir warga -timnas"
        )

    await browser.js(
        "const box = document.querySelector('input[type=search]');"
        "box.value = '-banjir'; box.form.requestSubmit();"
    )
    refused = await browser.wait("document.querySelector('[data-refused]')", "the refusal")
    assert refused
    assert "dikecualikan" in await browser.text("[data-refused]")
    await browser.js(
        "const box = document.querySelector('input[type=search]');"
        "box.value = 'gerhana'; box.form.requestSubmit();"
    )
    await browser.wait("document.querySelector('[data-empty]')", "no result")
    assert "«gerhana»" in await browser.text("[data-empty]")


async def test_a_reader_sees_what_was_learned_and_resets_it(
    browser: Browser, sqlite_site: Site
) -> None:
    site = sqlite_site
    ids = await seed(site.bot.resources, site.app)
    await site.bot.say("/start")
    await site.bot.feed(site.bot.updates.callback(f"fb|+|{ids['football']}"))
    await site.bot.feed(site.bot.updates.callback(f"fb|-|{ids['ekonomi0']}"))
    raw = init_data(USER_ID)
    for dark in (False, True):
        await open_app(browser, site, raw, dark=dark, query="?view=settings")
        await browser.wait("document.querySelector('#tastes-reset')", "the learned tastes")
        shown = await browser.js(
            "return [...document.querySelectorAll('#tastes .chip')]"
            ".map(c => `${c.dataset.taste} ${c.textContent}`)"
        )
        # Strongest first; one vote on an outlet (Kompas, Antara: 0.2) is not yet a taste.
        assert shown == ["more Olahraga", "more Sepak Bola", "less Ekonomi"]
        await browser.screenshot(f"tastes-{'dark' if dark else 'light'}")
    await browser.click("#tastes-reset")
    await browser.wait("!document.querySelector('#tastes-reset')", "the tastes forgotten")
    assert "Belum ada yang dipelajari" in await browser.js(
        "return document.querySelector('#tastes').textContent"
    )
    # The chat agrees: /pilihan has no reset button and no "because" any more.
    pilihan = await site.bot.say("/pilihan")
    assert "Karena Anda" not in pilihan.text and "fb|r" not in str(pilihan.buttons())
