"""The index in both stores: matching, stemming, phrases, exclusions, ranking, paging, upkeep."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery.pushes import matching_keywords
from bot.ingest.indexing import index_missing, index_stories, reindex
from bot.news.search.query import parse_query
from storage import search
from storage.models import Story
from tests.search.stories import NOW, add_story


async def find(sessions: async_sessionmaker[AsyncSession], typed: str, **kw: int) -> list[int]:
    async with sessions() as s:
        page = await search.search_stories(
            s, parse_query(typed), limit=kw.get("limit", 20), offset=kw.get("offset", 0), now=NOW
        )
    return page.story_ids


async def corpus(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with sessions.begin() as s:
        ids = {
            "pilih": await add_story(
                s,
                "KPU Siapkan Pemilihan Kepala Daerah Serentak",
                "Komisi menyiapkan logistik untuk pilkada di 37 provinsi.",
                "Ketua KPU mengatakan persiapan berjalan lancar.",
            ),
            "memilih": await add_story(
                s,
                "Warga Antusias Memilih di TPS",
                "Antrean panjang terlihat sejak pagi.",
                age=timedelta(hours=5),
            ),
            "wangyi": await add_story(
                s,
                "Menlu Sugiono Bertemu Wang Yi di Beijing",
                "Kedua menteri membahas kerja sama ekonomi.",
                "Wang Yi menyambut kunjungan itu. Pertemuan berlangsung hangat.",
                outlets=("Kompas", "Antara", "Detik"),
                headlines=("", "Sugiono dan Wang Yi Bahas Investasi", "Wang Yi Terima Menlu RI"),
            ),
            "wang_apart": await add_story(
                s,
                "Harga Emas Naik",
                "Pedagang bernama Wang menjual emas; Yi Jianlian hadir di pameran.",
            ),
            "banjir_jkt": await add_story(
                s, "Banjir Rendam Jakarta Utara", "Ratusan rumah terendam banjir di Jakarta."
            ),
            "banjir_bdg": await add_story(
                s,
                "Banjir Bandang Terjang Bandung",
                "Banjir bandang merusak jembatan.",
                age=timedelta(days=2),
            ),
            "banjir_body": await add_story(
                s,
                "Cuaca Ekstrem Sepekan ke Depan",
                "BMKG memperingatkan hujan lebat.",
                "Warga diminta waspada potensi banjir dan longsor.",
            ),
            "angka": await add_story(s, "UMP 2025 Naik 6,5 Persen", "Upah minimum naik."),
        }
        await index_stories(s, list(ids.values()))
    return ids


@pytest.fixture
async def ids(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    return await corpus(sessions)


async def test_stemming_finds_other_forms_of_a_word(
    sessions: async_sessionmaker[AsyncSession], ids: dict[str, int]
) -> None:
    found = await find(sessions, "pemilihan")
    assert set(found) == {ids["pilih"], ids["memilih"]}
    assert set(await find(sessions, "MEMILIH")) == {ids["pilih"], ids["memilih"]}


async def test_phrase_needs_the_words_in_a_row(
    sessions: async_sessionmaker[AsyncSession], ids: dict[str, int]
) -> None:
    assert set(await find(sessions, "wang yi")) == {ids["wangyi"], ids["wang_apart"]}
    assert await find(sessions, '"wang yi"') == [ids["wangyi"]]
    assert await find(sessions, '"yi wang"') == []


async def test_a_story_of_several_outlets_is_one_result(
    sessions: async_sessionmaker[AsyncSession], ids: dict[str, int]
) -> None:
    # "investasi" is only in Antara's headline: the story is found through it, once.
    assert await find(sessions, "investasi") == [ids["wangyi"]]
    assert (await find(sessions, "wang")).count(ids["wangyi"]) == 1


async def test_exclusions(sessions: async_sessionmaker[AsyncSession], ids: dict[str, int]) -> None:
    assert set(await find(sessions, "banjir")) == {
        ids["banjir_jkt"],
        ids["banjir_bdg"],
        ids["banjir_body"],
    }
    assert set(await find(sessions, "banjir -jakarta")) == {ids["banjir_bdg"], ids["banjir_body"]}
    assert await find(sessions, 'banjir -"banjir bandang" -longsor') == [ids["banjir_jkt"]]


async def test_title_and_summary_weigh_more_than_the_body(
    sessions: async_sessionmaker[AsyncSession], ids: dict[str, int]
) -> None:
    # Same age: the story with "banjir" in its title and summary comes before the one with it
    # only in its body.
    found = await find(sessions, "banjir")
    assert found.index(ids["banjir_jkt"]) < found.index(ids["banjir_body"])


async def test_numbers_and_names_as_typed(
    sessions: async_sessionmaker[AsyncSession], ids: dict[str, int]
) -> None:
    assert await find(sessions, "2025") == [ids["angka"]]
    assert await find(sessions, "6,5 persen") == [ids["angka"]]
    assert await find(sessions, "6,4") == []
    assert await find(sessions, "Sugiono") == [ids["wangyi"]]


async def test_newer_comes_first_among_equals(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as s:
        old = await add_story(s, "Gempa Guncang Cianjur", age=timedelta(days=6))
        new = await add_story(s, "Gempa Guncang Cianjur", age=timedelta(hours=2))
        await index_stories(s, [old, new])
    assert await find(sessions, "gempa") == [new, old]


async def test_paging_has_more_and_offsets(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as s:
        made = [await add_story(s, f"Timnas Menang {n}", age=timedelta(hours=n)) for n in range(7)]
        await index_stories(s, made)
    async with sessions() as s:
        first = await search.search_stories(s, parse_query("timnas"), limit=3, now=NOW)
        last = await search.search_stories(s, parse_query("timnas"), limit=3, offset=6, now=NOW)
    assert first.story_ids == made[:3] and first.has_more
    assert last.story_ids == made[6:] and not last.has_more


@pytest.mark.parametrize(
    "typed",
    [
        'banjir" OR "1"="1',
        "banjir'; DROP TABLE stories; --",
        "banjir NEAR(jakarta utara, 2)",
        "banjir* OR jakarta^ AND NOT {title}:x",
        'banjir "jakarta',
        "banjir\x00jakarta",
    ],
)
async def test_hostile_queries_run_as_words(
    sessions: async_sessionmaker[AsyncSession], ids: dict[str, int], typed: str
) -> None:
    await find(sessions, typed)  # no error from either store
    async with sessions() as s:
        assert (await s.execute(text("SELECT count(*) FROM stories"))).scalar_one() == len(ids)


async def test_missing_entries_are_filled_and_reindex_rebuilds(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        first = await add_story(s, "Harga Beras Turun")
        second = await add_story(s, "Harga Cabai Melonjak")
    assert await find(sessions, "harga") == []  # stored before any indexing
    assert await index_missing(sessions) == 2
    assert set(await find(sessions, "harga")) == {first, second}
    assert await index_missing(sessions) == 0
    async with sessions.begin() as s:
        await s.execute(
            Story.__table__.update().where(Story.id == first).values(summary="Harga gula stabil")
        )
    assert await find(sessions, "gula") == []  # not yet reindexed
    assert await reindex(sessions) == 2
    assert await find(sessions, "gula") == [first]


async def test_deleted_stories_leave_the_index(
    sessions: async_sessionmaker[AsyncSession], ids: dict[str, int]
) -> None:
    async with sessions.begin() as s:
        await search.remove_entries(s, [ids["banjir_jkt"]])
        await s.execute(delete(Story).where(Story.id == ids["banjir_bdg"]))  # the FK cascades
    assert await find(sessions, "banjir") == [ids["banjir_body"]]
    async with sessions() as s:
        assert await search.indexed_count(s) == len(ids) - 2


@pytest.mark.parametrize(
    "typed",
    [
        "banjir",
        "banjir -jakarta",
        '"wang yi"',
        "wang yi",
        "pemilihan -tps",
        '"6,5 persen"',
        'emas -"wang yi"',
        "kerja sama ekonomi",
    ],
)
async def test_keyword_matcher_agrees_with_the_store(
    sessions: async_sessionmaker[AsyncSession], ids: dict[str, int], typed: str
) -> None:
    query = parse_query(typed)
    async with sessions() as s:
        texts = await search.story_texts(s, list(ids.values()))
    in_memory = {t.story_id for t in texts if matching_keywords({typed: query}, t)}
    assert set(await find(sessions, typed)) == in_memory
    assert in_memory  # each query finds something: the comparison means something


async def test_only_the_newest_matches_are_ranked(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with sessions.begin() as s:
        # The oldest story is the most relevant ("gempa" three times), the newest the least.
        made = [await add_story(s, "Gempa gempa gempa", age=timedelta(days=1))]
        made += [
            await add_story(s, f"Gempa {n}", "Kabar", age=timedelta(hours=n)) for n in range(3)
        ]
        await index_stories(s, made)
    assert (await find(sessions, "gempa"))[0] == made[0]
    monkeypatch.setattr(search, "CANDIDATES", 3)  # ranked among the three newest ids only
    assert set(await find(sessions, "gempa")) == set(made[1:])
