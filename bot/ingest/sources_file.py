"""The TOML list of sources: read and validated before anything is polled."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

Kind = Literal["rss", "atom", "jsonfeed", "sitemap", "html"]


class SourceSpec(BaseModel):
    """One `[[sources]]` entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=200)
    url: str
    kind: Kind | None = None
    topic: str | None = None
    interval: int | None = Field(default=None, ge=30, le=86_400)
    selector: str | None = None

    @field_validator("url")
    @classmethod
    def _http_only(cls, value: str) -> str:
        value = "".join(value.split())
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    def as_row(self) -> dict[str, object]:
        """The columns the store keeps for this source."""
        return {
            "name": self.name,
            "url": self.url,
            "kind": self.kind,
            "topic": self.topic,
            "interval": self.interval,
            "link_selector": self.selector,
        }


class SourcesFileError(Exception):
    """The sources file cannot be used; the message names the file and the entry."""


def load_sources(path: Path) -> list[SourceSpec]:
    """Read and validate a sources file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesFileError(f"sources file {path} does not exist") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourcesFileError(f"sources file {path} is not valid TOML: {exc}") from None
    entries = data.get("sources")
    if not isinstance(entries, list):
        raise SourcesFileError(f"sources file {path} has no [[sources]] entries")
    specs: list[SourceSpec] = []
    for number, entry in enumerate(entries, start=1):
        try:
            specs.append(SourceSpec.model_validate(entry))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'entry'}: {e['msg']}"
                for e in exc.errors()
            )
            raise SourcesFileError(f"{path}, source #{number}: {problems}") from None
    names = [s.name for s in specs]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise SourcesFileError(f"{path}: source names must be unique: {', '.join(duplicated)}")
    urls = [s.url for s in specs]
    shared = sorted({u for u in urls if urls.count(u) > 1})
    if shared:
        raise SourcesFileError(f"{path}: two sources share the URL {shared[0]}")
    return specs
