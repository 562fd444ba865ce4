"""The Mini App's JSON on both stores: who may read what, and chat and app agreeing."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.ingest.indexing import index_missing
from bot.webapp.admin import midnight
from storage import ledger, stats
from storage.models import ChatAffinity, ChatFeedback
from tests.bot.harness import add_story
from tests.bot.updates import ADMIN_ID, USER_ID
from tests.webapp.conftest import Site
from tests.webapp.harness import OTHER_BOT_TOKEN, init_data
from tests.webapp.stories import seed


def auth(raw: str) -> dict[str, str]:
    return {"Authorization": f"tma {raw}"}


async def get(site: Site, path: str, raw: str | None = None) -> tuple[int, Any]:
    headers = auth(raw) if raw is not None else {}
    async with (
        aiohttp.ClientSession() as http,
        http.get(site.app.url + path, headers=headers) as response,
    ):
        return response.status, await response.json()


async def post(site: Site, path: str, body: Any, raw: str | None = None) -> tuple[int, Any]:
    headers = auth(raw) if raw is not None else {}
    async with (
        aiohttp.ClientSession() as http,
        http.post(site.app.url + path, json=body, headers=headers) as response,
    ):
        return response.status, await response.json()


async def test_anyone_reads_stories_but_not_a_readers_data(site: Site) -> None:
    ids = await seed(site.bot.resources, site.app)
    status, pilihan = await get(site, "/api/pilihan")
    assert status == 200
    assert pilihan["stories"][0]["id"] == ids["flood"]  # three outlets make it the top pick
    assert pilihan["stories"][0]["outlets"] == "Kompas · Detik · Tribunnews"
    status, story = await get(site, f"/api/stories/{ids['flood']}")
    assert status == 200
    assert [o["source"] for o in story["outlets"]] == ["Kompas", "Detik", "Tribunnews"]
    assert story["text"]["source"] == "Kompas" and len(story["text"]["paragraphs"]) == 4
    assert story["images"][0]["caption"].startswith("Warga menembus banjir")
    status, latest = await get(site, "/api/stories?topic=ekonomi")
    assert status == 200
    assert {s["title"] for s in latest["stories"]} == {
        "Harga beras turun di pasar induk Cipinang",
        "Bank Indonesia tahan suku bunga acuan di 6 persen",
    }
    assert (await get(site, "/api/me"))[0] == 401
    assert (await get(site, "/api/admin"))[0] == 401
    assert (await post(site, "/api/me/follow", {"kind": "pilihan", "on": True}))[0] == 401


async def test_forged_stale_or_foreign_init_data_gets_401_everywhere_and_a_log_line(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    await seed(site.bot.resources, site.app)
    good = init_data(USER_ID)
    forged = good.replace("Ani", "Budi")
    bad = {
        "another bot": init_data(USER_ID, token=OTHER_BOT_TOKEN),
        "stale": init_data(USER_ID, age=timedelta(days=2)),
        "forged": forged,
        "garbage": "hash=abc",
    }
    caplog.set_level(logging.WARNING, logger="bot.webapp.auth")
    for name, raw in bad.items():
        for path in ("/api/pilihan", "/api/stories", "/api/me", "/api/admin"):
            status, body = await get(site, path, raw)
            assert status == 401, (name, path)
            assert "stories" not in body
        status, _ = await post(site, "/api/me/follow", {"kind": "pilihan", "on": True}, raw)
        assert status == 401
    refusals = [r.getMessage() for r in caplog.records if "webapp: refused" in r.getMessage()]
    assert len(refusals) == 4 * 5
    assert any("stale" in line for line in refusals)
    assert not any(good.split("hash=")[-1] in line for line in refusals)  # no credential logged
    async with site.bot.resources.sessions() as session:
        from storage import chats

        assert await chats.get_chat(session, USER_ID) is None  # nothing was written


async def test_settings_saved_in_the_app_are_the_ones_settings_shows_in_chat(site: Site) -> None:
    raw = init_data(USER_ID)
    status, me = await get(site, "/api/me", raw)
    assert status == 200 and me["known"] is False
    assert me["settings"]["zone"] == "WIB" and me["follows"]["topics"] == []
    status, me = await post(
        site,
        "/api/me/settings",
        {"zone": "WITA", "quiet": "22:00-06:00", "times": "06:30, 18:00", "push": False},
        raw,
    )
    assert status == 200, me
    assert me["settings"] | {"language": "id"} == {
        "language": "id",
        "zone": "WITA",
        "push": False,
        "times": ["06:30", "18:00"],
        "custom_times": True,
        "quiet": "22:00-06:00",
    }
    text = (await site.bot.say("/settings")).text
    assert "WITA" in text and "06:30, 18:00" in text and "22:00–06:00" in text
    # And back: what chat changes, the app reads.
    await site.bot.say("/settings zona WIT")
    await site.bot.say("/settings bahasa en")
    _, me = await get(site, "/api/me", raw)
    assert (me["settings"]["zone"], me["settings"]["language"]) == ("WIT", "en")
    _, pilihan = await get(site, "/api/pilihan", raw)
    assert "WIT" in pilihan["date"] or pilihan["stories"] == []


async def test_following_in_the_app_and_in_chat_is_one_list(site: Site) -> None:
    raw = init_data(USER_ID)
    status, me = await post(
        site, "/api/me/follow", {"kind": "topic", "value": "teknologi", "on": True}, raw
    )
    assert status == 200 and me["follows"]["topics"] == ["teknologi"]
    buttons = (await site.bot.say("/topic")).buttons()
    assert "✅ Teknologi" in [b["text"] for b in buttons]
    await site.bot.say('/subscribe "Banjir  Jakarta"')
    await site.bot.say("/subscribe")
    _, me = await get(site, "/api/me", raw)
    assert me["follows"] == {
        "pilihan": True,
        "topics": ["teknologi"],
        "keywords": ["banjir jakarta"],
    }
    _, me = await post(
        site, "/api/me/follow", {"kind": "keyword", "value": "Banjir Jakarta", "on": False}, raw
    )
    assert me["follows"]["keywords"] == []
    assert "tidak sedang mengikuti" in (await site.bot.say('/unsubscribe "banjir jakarta"')).text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"times": "25:00"}, "times"),
        ({"quiet": "22:00"}, "quiet"),
        ({"zone": "GMT"}, "zone"),
        ({"language": "fr"}, "language"),
        ({"push": "yes"}, "push"),
        ({"colour": "red"}, "colour"),
        ({}, "nothing to change"),
    ],
)
async def test_bad_settings_are_refused_and_change_nothing(
    site: Site, body: dict[str, Any], field: str
) -> None:
    raw = init_data(USER_ID)
    # A good change beside the bad one: refused together, nothing half-saved.
    change = {"zone": "WITA", **body} if body else {}
    status, answer = await post(site, "/api/me/settings", change, raw)
    assert (status, answer) == (400, {"error": field})
    _, me = await get(site, "/api/me", raw)
    assert me["settings"]["zone"] == "WIB"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "topic", "value": "astrologi", "on": True}, "topic"),
        ({"kind": "keyword", "value": "x", "on": True}, "keyword"),
        ({"kind": "keyword", "value": "y" * 101, "on": True}, "keyword"),
        ({"kind": "everything", "value": "", "on": True}, "kind"),
        ({"kind": "pilihan", "value": "", "on": "yes"}, "on"),
    ],
)
async def test_bad_follows_are_refused(site: Site, body: dict[str, Any], field: str) -> None:
    status, answer = await post(site, "/api/me/follow", body, init_data(USER_ID))
    assert (status, answer) == (400, {"error": field})


async def test_forged_paging_is_refused_before_the_database(site: Site) -> None:
    for query in ("offset=-1", "offset=5000", "before=99999999999999", "offset=x", "topic=zz"):
        status, _ = await get(site, f"/api/stories?{query}")
        assert status == 400, query
    assert (await get(site, "/api/stories/999999"))[0] == 404


async def test_admins_see_the_numbers_stats_reports_and_readers_do_not(site: Site) -> None:
    await seed(site.bot.resources, site.app)
    now = datetime.now(UTC)
    tz = site.bot.app.bot_data.settings.tz  # type: ignore[union-attr]
    start = midnight(now, tz)
    async with site.bot.resources.sessions.begin() as session:
        day = now.astimezone(tz).date().isoformat()
        # Outcomes recorded as the sender records them: the day's counter and the hour's.
        await ledger.add_outcomes(session, day, {"sent": 5, "blocked": 1}, at=start)
        await ledger.add_outcomes(session, day, {"sent": 7}, at=now)
        yesterday = (now - timedelta(days=1)).astimezone(tz).date().isoformat()
        await stats.record_followers(session, yesterday, {"olahraga": 3, "pilihan": 9})
    await site.bot.say("/subscribe olahraga")
    await site.bot.say("/subscribe")
    assert (await get(site, "/api/admin", init_data(USER_ID)))[0] == 403
    status, body = await get(site, "/api/admin", init_data(ADMIN_ID))
    assert status == 200
    today = body["today"]
    outcomes = dict(today["outcomes"])
    assert (outcomes["sent"], outcomes["blocked"]) == (12, 1)
    hourly = body["hourly"]["counts"]
    # In the local day's first hour (00:xx WIB, 17:xx UTC) both counts fall in that hour.
    first_hour = now - start < timedelta(hours=1)
    assert sum(hourly["sent"]) == 12 and sum(hourly["blocked"]) == 1
    assert hourly["sent"][0] == (12 if first_hour else 5)
    assert today["active"] == 1 and today["pilihan"] == 1
    assert today["followers"] == [["olahraga", 1]]
    series = {s["topic"]: s["values"] for s in body["followers"]["series"]}
    assert series["pilihan"][-2:] == [9, 1] and series["olahraga"][-2:] == [3, 1]
    assert series["pilihan"][0] is None  # no snapshot that day: a gap, not a zero
    stats_text = (await site.bot.say("/stats", user_id=ADMIN_ID)).text
    assert "Pesan hari ini: 12 terkirim, 1 diblokir" in stats_text  # the numbers /stats reports
    assert f"Berita hari ini: {today['stories']}" in stats_text
    assert "Pengikut Berita Pilihan: 1\n" in stats_text
    assert str(USER_ID) not in str(body)  # aggregates only: no reader named


async def test_every_answer_has_the_strict_headers_and_no_cors(site: Site) -> None:
    async with aiohttp.ClientSession() as http:
        for path in ("/app/", "/api/pilihan", "/api/me"):
            async with http.get(
                site.app.url + path, headers={"Origin": "https://evil.example"}
            ) as response:
                csp = response.headers["Content-Security-Policy"]
                assert "script-src 'self' https://telegram.org/js/telegram-web-app.js;" in csp
                assert "default-src 'none'" in csp and "connect-src 'self'" in csp
                assert response.headers["X-Content-Type-Options"] == "nosniff"
                assert "Access-Control-Allow-Origin" not in response.headers
        async with http.options(
            site.app.url + "/api/me/follow",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        ) as response:
            assert "Access-Control-Allow-Origin" not in response.headers
            assert response.status in (403, 405)


async def test_the_page_and_its_files_are_served_compressed_with_versions(site: Site) -> None:
    async with aiohttp.ClientSession(auto_decompress=False) as http:
        async with http.get(site.app.url + "/app", allow_redirects=False) as response:
            assert response.status == 302 and response.headers["Location"] == "/app/"
        async with http.get(
            site.app.url + "/app/", headers={"Accept-Encoding": "gzip"}
        ) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            page = await response.read()
        import gzip

        html = gzip.decompress(page).decode()
        assert '<script src="https://telegram.org/js/telegram-web-app.js"></script>' in html
        assert "{{v}}" not in html and "app.js?v=" in html
        version = html.split("app.js?v=")[1].split('"')[0]
        async with http.get(f"{site.app.url}/app/app.js?v={version}") as response:
            assert "immutable" in response.headers["Cache-Control"]
            etag = response.headers["ETag"]
        async with http.get(
            f"{site.app.url}/app/app.js?v={version}", headers={"If-None-Match": etag}
        ) as response:
            assert response.status == 304
        async with http.get(site.app.url + "/app/nothing.js") as response:
            assert response.status == 404


async def test_search_is_public_paged_and_refuses_with_the_reason(site: Site) -> None:
    ids = await seed(site.bot.resources, site.app)
    await index_missing(site.bot.resources.sessions)
    status, found = await get(site, "/api/search?q=Banjir%20Jakarta")
    assert status == 200
    assert [s["id"] for s in found["stories"]] == [ids["flood"]]
    assert found["stories"][0]["outlets"] == "Kompas · Detik · Tribunnews"
    assert found["next"] is None
    # Stemmed, and the same answer for a reader as for anyone: search reads no reader's data.
    status, same = await get(site, "/api/search?q=pengungsi", init_data(USER_ID))
    assert status == 200 and [s["id"] for s in same["stories"]] == [ids["flood"]]
    status, excluded = await get(site, "/api/search?q=harga%20-beras")
    assert status == 200 and excluded["stories"] == []
    for typed, key in (("", "search.empty"), ("-banjir", "search.only_excluded")):
        status, refused = await get(site, f"/api/search?q={typed}&lang=en")
        assert status == 400 and refused["error"] == key
        assert "<" not in refused["message"] and refused["message"]
    status, hostile = await get(site, "/api/search?q=%22banjir%22%20OR%20NEAR(x)%20*%27%3B--")
    assert status == 200 and hostile["stories"] == []
    for offset in ("-1", "x", "5000"):
        assert (await get(site, f"/api/search?q=banjir&offset={offset}"))[0] == 400


async def test_search_pages(site: Site) -> None:
    for n in range(12):
        await add_story(site.bot.resources, f"Gempa susulan {n} guncang Cianjur")
    await index_missing(site.bot.resources.sessions)
    status, first = await get(site, "/api/search?q=gempa")
    assert status == 200 and len(first["stories"]) == 10 and first["next"] == {"offset": 10}
    status, second = await get(site, "/api/search?q=gempa&offset=10")
    assert len(second["stories"]) == 2 and second["next"] is None
    titles = {s["title"] for s in first["stories"] + second["stories"]}
    assert len(titles) == 12


async def test_reading_a_story_in_the_app_teaches_the_readers_own_chat(site: Site) -> None:
    ids = await seed(site.bot.resources, site.app)
    raw = init_data(USER_ID)
    assert (await get(site, f"/api/stories/{ids['flood']}", raw))[0] == 200  # no chat yet
    async with site.bot.resources.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(ChatAffinity)) == 0
    await site.bot.say("/start")
    assert (await get(site, f"/api/stories/{ids['flood']}"))[0] == 200  # anonymous: nothing
    for _ in range(2):  # a story read twice counts once
        assert (await get(site, f"/api/stories/{ids['flood']}", raw))[0] == 200
    async with site.bot.resources.sessions() as s:
        learned = dict((await s.execute(select(ChatAffinity.feature, ChatAffinity.weight))).all())
        signals = (await s.scalars(select(ChatFeedback.signal))).all()
    assert signals == ["read"]
    assert learned and all(0 < w <= 0.2 for w in learned.values())
    _, me = await get(site, "/api/me", raw)
    assert me["tastes"] == {"more": [], "less": []}  # one read is not yet a habit
    await site.bot.feed(site.bot.updates.callback(f"fb|+|{ids['flood']}"))
    _, me = await get(site, "/api/me", raw)
    assert "Nasional" in me["tastes"]["more"] and me["tastes"]["less"] == []
    assert (await post(site, "/api/me/tastes/reset", {}))[0] == 401
    status, me = await post(site, "/api/me/tastes/reset", {}, raw)
    assert status == 200 and me["tastes"] == {"more": [], "less": []}
