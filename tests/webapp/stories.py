"""Stories the app tests read: several outlets, clean text, pictures with captions."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta, tzinfo

from sqlalchemy import insert, select, update

from bot.delivery.pilihan import local_day
from bot.runtime import Resources
from bot.webapp.admin import midnight
from storage import ledger, stats
from storage.models import Broadcast, Chat, Delivery, Source, Subscription
from tests.webapp.harness import WebApp, add_full_story

FLOOD_BODY = "\n\n".join(
    (
        "Hujan deras sejak Senin malam membuat Sungai Ciliwung meluap dan merendam ratusan "
        "rumah di Jakarta Timur dan Jakarta Selatan.",
        "Badan Penanggulangan Bencana Daerah (BPBD) DKI Jakarta mencatat ketinggian air "
        "mencapai 1,5 meter di Kampung Melayu pada Selasa pagi.",
        "Sebanyak 1.200 warga mengungsi ke sekolah dan masjid terdekat. Petugas membagikan "
        "makanan, air bersih dan selimut sejak subuh.",
        "Gubernur meminta warga di bantaran sungai tetap waspada karena hujan diperkirakan "
        "turun lagi hingga akhir pekan.",
    )
)
HOSTILE_TITLE = 'Awas <script>window.__pwned = "title"</script> dan <b>tebal</b>'
HOSTILE_BODY = "\n\n".join(
    (
        'Paragraf pertama <img src="x" onerror="window.__pwned = \'img\'"> tetap teks.',
        "<script>window.__pwned = 'body'</script>",
        "Tautan <a href=\"javascript:window.__pwned='link'\">klik</a> juga teks.",
    )
)


async def seed(resources: Resources, app: WebApp) -> dict[str, int]:
    """A morning's stories: a flood carried by three outlets, a football story, and more."""
    now = datetime.now(UTC)
    ids: dict[str, int] = {}
    ids["flood"] = await add_full_story(
        resources,
        "Banjir rendam ratusan rumah di Jakarta Timur, 1.200 warga mengungsi",
        summary=(
            "Sungai Ciliwung meluap setelah hujan deras semalam. Air setinggi 1,5 meter "
            "merendam Kampung Melayu. BPBD mencatat 1.200 warga mengungsi."
        ),
        topics=("nasional", "regional"),
        outlets=("Kompas", "Detik", "Tribunnews"),
        published_at=now - timedelta(minutes=40),
        image_url=app.picture("a"),
        body=FLOOD_BODY,
        images=(
            (app.picture("a"), "Warga menembus banjir di Kampung Melayu, Selasa (2/12)."),
            (app.picture("b"), "Petugas BPBD mengevakuasi lansia dengan perahu karet."),
        ),
        authors=("Ani Suryani",),
    )
    ids["football"] = await add_full_story(
        resources,
        "Timnas menang 2-0 atas Vietnam di Stadion Gelora Bung Karno",
        summary="Dua gol di babak kedua membawa Indonesia ke puncak klasemen grup.",
        topics=("olahraga", "sepak-bola"),
        outlets=("Bola", "Kompas"),
        published_at=now - timedelta(hours=2),
        image_url=app.picture("c"),
        body="Indonesia menang 2-0.\n\nGol dicetak pada menit ke-61 dan ke-84.",
        images=((app.picture("c"), "Para pemain merayakan gol kedua."),),
    )
    for n, (title, topic) in enumerate(
        (
            ("Harga beras turun di pasar induk Cipinang", "ekonomi"),
            ("Bank Indonesia tahan suku bunga acuan di 6 persen", "ekonomi"),
            ("Kemendikbud umumkan jadwal ujian sekolah 2027", "pendidikan"),
            ("Startup Bandung raih pendanaan untuk mobil listrik", "teknologi"),
        )
    ):
        ids[topic + str(n)] = await add_full_story(
            resources,
            title,
            summary=f"{title}. Kalimat kedua ringkasan.",
            topics=(topic,),
            outlets=("Antara",),
            published_at=now - timedelta(hours=3 + n),
        )
    return ids


async def seed_hostile(resources: Resources) -> int:
    """A story whose feed text carries markup and scripts."""
    return await add_full_story(
        resources,
        HOSTILE_TITLE,
        summary="Ringkasan <script>window.__pwned = 'summary'</script> <img src=x onerror=f()>",
        topics=("nasional",),
        outlets=("Situs <i>Aneh</i>",),
        body=HOSTILE_BODY,
        images=(("javascript:window.__pwned='src'", '<img src=x onerror="window.__pwned=1">'),),
        authors=("<script>window.__pwned='author'</script>",),
    )


async def seed_admin(resources: Resources, tz: tzinfo) -> None:
    """A month of followers, today's sends hour by hour, failing sources, a running broadcast."""
    now = datetime.now(UTC)
    start = midnight(now, tz)
    rows = []
    for n in range(140):
        rows.append(
            {
                "chat_id": 900_000 + n,
                "thread_id": 0,
                "type": "private" if n % 9 else "group",
                "language": "id",
                "active": n % 23 != 0,
                "push_enabled": True,
                "created_at": now,
                "updated_at": now,
            }
        )
    async with resources.sessions.begin() as session:
        await session.execute(insert(Chat), rows)
        pks = (await session.scalars(select(Chat.id).order_by(Chat.id))).all()
        follows = []
        for i, pk in enumerate(pks):
            follows.append({"chat_pk": pk, "kind": "pilihan", "value": "", "created_at": now})
            for topic, every in (
                ("olahraga", 2),
                ("nasional", 3),
                ("ekonomi", 5),
                ("teknologi", 7),
            ):
                if i % every == 0:
                    follows.append(
                        {"chat_pk": pk, "kind": "topic", "value": topic, "created_at": now}
                    )
        await session.execute(insert(Subscription), follows)
        for back in range(29, 0, -1):
            day = local_day(now - timedelta(days=back), tz)
            grow = (30 - back) / 30
            await stats.record_followers(
                session,
                day,
                {
                    "pilihan": int(60 + 70 * grow),
                    "olahraga": int(30 + 35 * grow),
                    "nasional": int(35 + 10 * grow),
                    "ekonomi": int(12 + 14 * grow),
                    "teknologi": int(8 + 10 * grow),
                },
            )
        hours = int((now - start).total_seconds() // 3600) + 1
        for h in range(hours):
            at = start + timedelta(hours=h)
            busy = 40 if h in (0, 5, 12) else 6 + (h * 7) % 11
            counts = {"sent": busy, "blocked": h % 3, "deferred": 2 if h == 12 else 0}
            counts["failed"] = 1 if h % 5 == 4 else 0
            await ledger.add_outcomes(session, local_day(at, tz), counts, at=at)
        await session.execute(
            update(Source)
            .where(Source.name == "Detik")
            .values(consecutive_failures=4, last_error="HTTP 503 dari server")
        )
        await session.execute(
            update(Source)
            .where(Source.name == "Bola")
            .values(consecutive_failures=10, enabled=False, paused_reason="10 kali gagal")
        )
        broadcast = Broadcast(
            admin_id=5151,
            text="Halo pembaca!",
            status="running",
            total=len(pks),
            created_at=now - timedelta(minutes=3),
        )
        session.add(broadcast)
        await session.flush()
        owed = []
        for i, pk in enumerate(pks):
            status = "sent" if i < 90 else "skipped" if i < 96 else "pending"
            owed.append(
                {
                    **ledger.owed_row(pk, "broadcast", now, broadcast_id=broadcast.id),
                    "status": status,
                    "priority": 1,
                }
            )
        await session.execute(insert(Delivery), owed)
        # As the recorder would have counted them while recording (storage.ledger tallies).
        await ledger.add_tallies(session, {broadcast.id: Counter(sent=90, blocked=6)})
