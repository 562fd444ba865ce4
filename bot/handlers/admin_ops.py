"""Admin commands for running the bot: /stats, /sources, /source, /pick, /pilihan_now."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy import update as sql_update
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.delivery import outbox, personal
from bot.delivery.audiences import describe
from bot.delivery.outcomes import EVENT_KIND as DELIVERY_EVENTS
from bot.delivery.outcomes import OUTCOMES
from bot.delivery.pilihan import local_day
from bot.delivery.progress import Tally
from bot.handlers.admin_guard import admin_lang, admin_only
from bot.handlers.chat_access import chat_tz, reply
from bot.news.fetch.source_guard import RefusedURL, check_source_url
from bot.news.topics.taxonomy import resolve_topic
from bot.telegram.formatting import esc
from bot.telegram.typed_context import BotContext
from storage import chats, ledger, sources
from storage.models import Article, Broadcast, Source, Story
from storage.stats import day_stats

PAGE = 500


@admin_only
async def stats_command(update: Update, ctx: BotContext) -> None:
    """Chats, followers, stories and messages today, failing sources."""
    lang = admin_lang(update)
    async with ctx.sessions() as session:
        today = await day_stats(session, ctx.now(), ctx.settings.tz, error_kind=DELIVERY_EVENTS)
        running = await _running_broadcasts(ctx, session, lang)
    none = ctx.text(lang, "admin.none")
    by_type = ", ".join(f"{k} {v}" for k, v in sorted(today.active_by_type.items())) or none
    topics = ", ".join(f"{k} {v}" for k, v in sorted(today.topics.items(), key=lambda kv: -kv[1]))
    failing = [name for name, _ in today.failing]
    text = ctx.text(
        lang,
        "admin.stats",
        active=today.active,
        inactive=today.inactive,
        by_type=esc(by_type),
        pilihan=today.pilihan,
        topics=esc(topics or none),
        stories=today.stories,
        **{name: today.outcomes.get(name, 0) for name in OUTCOMES},  # the catalogue's names
        pending=today.pending,
        last_error=esc((today.last_error or none)[:200]),
        failing=esc(", ".join(failing[:15]) or none) + (" …" if len(failing) > 15 else ""),
        shares=today.shares_today,
        shares_by_day=", ".join(f"{day[8:]}/{day[5:7]} {n}" for day, n in today.shares.items()),
        broadcasts=running,
    )
    await reply(update, text)


async def _running_broadcasts(ctx: BotContext, session: AsyncSession, lang: str) -> str:
    """A line for the running broadcasts: audience, reach and what is left, as the progress
    message counts them (the reach is the preview's count, fixed at Confirm)."""
    lines = []
    for broadcast_id in await outbox.running_broadcasts(session):
        broadcast = await session.get(Broadcast, broadcast_id)
        if broadcast is None:
            continue
        # Its tally (a few rows), as the progress message reads it: never its ledger rows.
        tally = Tally.of_tally(await ledger.tally(session, broadcast_id), broadcast.total, 0.0)
        lines.append(
            ctx.text(
                lang,
                "admin.stats.broadcast",
                id=broadcast_id,
                audience=describe(ctx.state.catalogue, lang, outbox.audience_of(broadcast)),
                total=broadcast.total,
                remaining=tally.remaining,
            )
        )
    if not lines:
        return ""
    return "\n" + ctx.text(lang, "admin.stats.broadcasts", lines="; ".join(lines))


@admin_only
async def sources_command(update: Update, ctx: BotContext) -> None:
    """Every source's health."""
    lang = admin_lang(update)
    async with ctx.sessions() as session:
        found = await sources.all_sources(session)
    lines = [ctx.text(lang, "admin.sources.header", count=len(found))]
    for src in found:
        if not src.enabled:
            mark = "⏸"
            state = ctx.text(lang, "admin.sources.paused", reason=esc(src.paused_reason or "—"))
        elif src.consecutive_failures:
            mark = "⚠️"
            error = esc((src.last_error or "?")[:80])
            state = ctx.text(
                lang, "admin.sources.failing", failures=src.consecutive_failures, error=error
            )
        elif src.last_success_at is not None:
            mark = "✅"
            when = src.last_success_at.astimezone(ctx.settings.tz).strftime("%d/%m %H:%M")
            state = ctx.text(lang, "admin.sources.ok", when=when)
        else:
            mark, state = "•", ctx.text(lang, "admin.sources.never")
        lines.append(
            ctx.text(lang, "admin.sources.line", mark=mark, name=esc(src.name), state=state)
        )
    # Telegram's 4096-character limit: send the list in chunks of whole lines.
    chunk: list[str] = []
    for line in lines:
        if sum(len(x) + 1 for x in chunk) + len(line) > 3800:
            await reply(update, "\n".join(chunk))
            chunk = []
        chunk.append(line)
    if chunk:
        await reply(update, "\n".join(chunk))


@admin_only
async def source_command(update: Update, ctx: BotContext) -> None:
    """`/source add <url> [topic]`, `/source pause|resume|remove <name>`."""
    lang, args, now = admin_lang(update), list(ctx.args or []), ctx.now()
    verb = args[0].lower() if args else ""
    if verb == "add" and len(args) in (2, 3):
        await _add_source(update, ctx, args[1], args[2] if len(args) == 3 else None)
        return
    if verb not in ("pause", "resume", "remove") or len(args) < 2:
        await reply(update, ctx.text(lang, "admin.source.usage"))
        return
    name = " ".join(args[1:])
    async with ctx.sessions.begin() as session:
        src = await sources.source_by_name(session, name)
        if src is not None and verb == "pause":
            await sources.update_source(session, src.id, enabled=False, paused_reason="admin")
        elif src is not None and verb == "resume":
            await sources.update_source(
                session, src.id, enabled=True, paused_reason=None, consecutive_failures=0,
                next_due_at=now,
            )  # fmt: skip
        elif src is not None:
            await session.execute(delete(Source).where(Source.id == src.id))
    key = "admin.source.not_found" if src is None else f"admin.source.{verb}d"
    await reply(update, ctx.text(lang, key, name=esc(name)))


async def _add_source(update: Update, ctx: BotContext, url: str, topic_name: str | None) -> None:
    lang = admin_lang(update)
    try:
        host = await check_source_url(url, allow_private=ctx.settings.allow_private_sources)
    except RefusedURL as exc:
        await reply(update, ctx.text(lang, "admin.source.refused", reason=esc(str(exc))))
        return
    topic = resolve_topic(topic_name) if topic_name else None
    if topic_name and topic is None:
        await reply(update, ctx.text(lang, "admin.source.usage"))
        return
    name = re.sub(r"^www\.", "", host)
    path = urlsplit(url).path.strip("/")
    if path:
        name = f"{name}/{path}"[:200]
    async with ctx.sessions.begin() as session:
        added = await sources.add_source(
            session, {"name": name, "url": url.strip(), "topic": topic}, ctx.now()
        )
    key = "admin.source.added" if added is not None else "admin.source.exists"
    await reply(update, ctx.text(lang, key, name=esc(name)))


@admin_only
async def pick_command(update: Update, ctx: BotContext) -> None:
    """`/pick <story link or id>`: pin a story into the next Berita Pilihan."""
    lang, args = admin_lang(update), list(ctx.args or [])
    if len(args) != 1:
        await reply(update, ctx.text(lang, "admin.pick.usage"))
        return
    wanted = args[0].strip()
    async with ctx.sessions.begin() as session:
        if wanted.isdigit():
            story_id: int | None = int(wanted)
        else:
            story_id = await session.scalar(
                select(Article.story_id).where(Article.url == wanted).limit(1)
            )
        story = await session.get(Story, story_id) if story_id is not None else None
        if story is not None:
            await session.execute(
                sql_update(Story).where(Story.id == story.id).values(pinned_at=ctx.now())
            )
    if story is None:
        await reply(update, ctx.text(lang, "admin.pick.not_found"))
        return
    await reply(update, ctx.text(lang, "admin.pick.done", title=esc(story.title)))


@admin_only
async def pilihan_now_command(update: Update, ctx: BotContext) -> None:
    """Owe every Berita Pilihan follower a digest now (not waiting for the next slot)."""
    lang, now = admin_lang(update), ctx.now()
    key = f"now:{now:%Y-%m-%dT%H:%M}"
    owed, after = 0, 0
    cache = personal.FeatureCache()
    while True:
        async with ctx.sessions.begin() as session:
            page = await chats.chats_page(session, after, PAGE, following="pilihan")
            zones = {chat.id: chat_tz(chat, ctx) for chat in page}
            picks = await personal.picks_for_chats(
                session, list(zones.items()), now=now, cache=cache
            )
            for chat in page:
                tz = zones[chat.id]
                ids = picks[chat.id].ids
                if ids and await outbox.enqueue_digest(
                    session, chat.id, key, ids, local_day(now, tz), now
                ):
                    owed += 1
        if not page:
            break
        after = page[-1].id
    service = ctx.state.delivery
    if service is not None:
        service.kick()
    await reply(update, ctx.text(lang, "admin.pilihan_now.done", count=owed))
