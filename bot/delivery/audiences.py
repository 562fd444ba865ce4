"""A broadcast's audience in the admin's words: the typed forms, and the audience described.

`/broadcast topik:olahraga wilayah:jawa-timur …` would be two places at once, so an audience
names at most one of a topic, a province or a keyword; a language, a chat type and
`audiens:semua` (every chat the bot is in, followers or not) narrow or widen it. The forms
come first, before the text; the first word that is not one ends them. What the SQL means is
storage.audiences'.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from bot.i18n import Catalogue
from bot.news.topics.taxonomy import (
    REGION_PREFIX,
    find_region,
    find_topic,
    region_topic,
    topic_label,
)
from storage.audiences import Audience

KEYWORD_MAX = 100
# `key:value` where the value is a word, or a phrase in quotes (as HTML escapes them too).
_FORM = re.compile(
    r"\s*(?P<key>[A-Za-z-]+):(?P<value>&quot;.*?&quot;|\"[^\"]*\"|“[^”]*”|[^\s<]+)(?=\s|$)"
)
_KEYS = {
    "topik": "topic", "topic": "topic",
    "wilayah": "region", "provinsi": "region", "region": "region", "province": "region",
    "bahasa": "language", "language": "language", "lang": "language",
    "kata": "keyword", "keyword": "keyword", "kata-kunci": "keyword",
    "jenis": "type", "type": "type", "tipe": "type",
    "audiens": "base", "audience": "base", "untuk": "base", "to": "base",
}  # fmt: skip
_LANGUAGES = {"id": "id", "indonesia": "id", "en": "en", "inggris": "en", "english": "en"}
_TYPES = {
    "pribadi": "private", "private": "private", "privat": "private",
    "grup": "group", "group": "group", "supergrup": "group", "supergroup": "group",
    "kanal": "channel", "channel": "channel", "saluran": "channel",
}  # fmt: skip
_BASES = {
    "semua": True, "all": True, "everyone": True,
    "pengikut": False, "followers": False,
}  # fmt: skip


class AudienceError(ValueError):
    """A typed audience the bot cannot read: which form, and what was typed."""

    def __init__(self, kind: str, typed: str) -> None:
        super().__init__(f"{kind}:{typed}")
        self.kind = kind  # topic, region, language, keyword, type, base, both
        self.typed = typed


def parse_forms(text: str) -> tuple[Audience, str]:
    """The audience the leading `key:value` forms of `text` name, and the text after them.

    `text` may be the HTML of a message (quotes escaped as `&quot;`). A form with a known
    key and an unknown value raises AudienceError; an unknown key is just text.
    """
    audience, rest = Audience(), text
    while match := _FORM.match(rest):
        kind = _KEYS.get(match["key"].casefold())
        if kind is None:
            break
        audience = _with(audience, kind, _unquote(match["value"]))
        rest = rest[match.end() :]
    return audience, rest.strip()


def _unquote(value: str) -> str:
    value = html.unescape(value)
    if len(value) >= 2 and value[0] in '"“' and value[-1] in '"”':
        value = value[1:-1]
    return " ".join(value.split())


def _with(audience: Audience, kind: str, value: str) -> Audience:
    """The audience with one more form applied."""
    word = value.casefold()
    if kind == "topic":
        topic = find_topic(value)
        region = find_region(value) if topic is None else None
        if topic is None and region is None:
            raise AudienceError(kind, value)
        return _topical(audience, topic.slug if topic else region_topic(region or ""), value)
    if kind == "region":
        region = find_region(value)
        if region is None:
            raise AudienceError(kind, value)
        return _topical(audience, region_topic(region), value)
    if kind == "keyword":
        if not 2 <= len(word) <= KEYWORD_MAX:
            raise AudienceError(kind, value)
        if audience.topic is not None:
            raise AudienceError("both", value)
        return replace(audience, keyword=word)
    if kind == "language":
        if word not in _LANGUAGES:
            raise AudienceError(kind, value)
        return replace(audience, language=_LANGUAGES[word])
    if kind == "type":
        if word not in _TYPES:
            raise AudienceError(kind, value)
        return replace(audience, chat_type=_TYPES[word])
    if word not in _BASES:
        raise AudienceError("base", value)
    return replace(audience, everyone=_BASES[word])


def _topical(audience: Audience, topic: str, typed: str) -> Audience:
    if audience.keyword is not None or audience.topic not in (None, topic):
        raise AudienceError("both", typed)
    return replace(audience, topic=topic)


def describe(cat: Catalogue, lang: str, audience: Audience) -> str:
    """The audience in one line of the admin's language (HTML-safe)."""
    if audience.topic is not None and audience.topic.startswith(REGION_PREFIX):
        text = cat.text(lang, "admin.audience.region", name=topic_label(audience.topic, lang))
    elif audience.topic is not None:
        text = cat.text(lang, "admin.audience.topic", name=topic_label(audience.topic, lang))
    elif audience.keyword is not None:
        text = cat.text(lang, "admin.audience.keyword", keyword=html.escape(audience.keyword))
    elif audience.everyone:
        text = cat.text(lang, "admin.audience.everyone")
    else:
        text = cat.text(lang, "admin.audience.followers")
    if audience.chat_type is not None:
        text += cat.text(lang, f"admin.audience.type.{audience.chat_type}")
    if audience.language is not None:
        text += cat.text(lang, f"admin.audience.lang.{audience.language}")
    return text
