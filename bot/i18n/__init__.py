"""User-facing strings: one catalogue per language, merged from every `*_<lang>.py` module here.

Each module (`messages_id.py`, `messages_en.py`, `admin_id.py`, …) holds one dict `MESSAGES`.
Indonesian is the reference: a key missing in English falls back to Indonesian.
"""

from __future__ import annotations

import html
import importlib
import pkgutil
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
_MODULE_NAME = re.compile(r"^[a-z][a-z0-9]*_([a-z]{2})$")


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Every string the bot says, by language and key."""

    messages: Mapping[str, Mapping[str, str]]

    def text(self, lang: str, key: str, /, **values: Any) -> str:
        """The string for `key` in `lang` (Indonesian when missing), filled with `values`."""
        table = self.messages.get(lang) or self.messages[DEFAULT_LANGUAGE]
        template = table.get(key)
        if template is None:
            template = self.messages[DEFAULT_LANGUAGE][key]
        return template.format(**values) if values else template

    def keys(self, lang: str) -> frozenset[str]:
        """The keys a language defines."""
        return frozenset(self.messages.get(lang, {}))


def load_catalogue() -> Catalogue:
    """Merge every `<name>_<lang>.py` module's MESSAGES of this package into one catalogue."""
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        match = _MODULE_NAME.match(info.name)
        if match is None or match[1] not in merged:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        table: Mapping[str, str] = module.MESSAGES
        clash = merged[match[1]].keys() & table.keys()
        if clash:
            raise ValueError(f"{info.name} redefines {sorted(clash)}")
        merged[match[1]].update(table)
    return Catalogue(merged)


def as_plain(markup: str) -> str:
    """A catalogue string without its HTML: for a terminal or a page that shows text."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@cache
def default_catalogue() -> Catalogue:
    """The catalogue, loaded once per process (the modules never change while running)."""
    return load_catalogue()


def pick_language(chosen: str | None, user_language: str | None) -> str:
    """The chat's chosen language, else English for English-speaking users, else Indonesian."""
    if chosen in LANGUAGES:
        return chosen
    if user_language and user_language.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE
