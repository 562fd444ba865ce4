"""OPML 2.0 subscription lists: read a newsroom's feeds (with their categories), write ours.

Reading goes through defusedxml: no entity expansion (billion laughs), no external entities or
DTDs fetched, nothing read from the network.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from bot.news.topics.taxonomy import resolve_topic, topic_label

MAX_BYTES = 10_000_000
NAME_CHARS = 200  # the width of sources.name
MAX_DEPTH = 32


class OpmlError(Exception):
    """The file is not usable OPML; the message says where and why."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One subscription outline."""

    name: str
    url: str
    topic: str | None  # a taxonomy slug or "region:<slug>", from the nearest category that maps


@dataclass(frozen=True, slots=True)
class ExportedSource:
    """What the export needs of a source."""

    name: str
    url: str
    topic: str | None


def read_opml(data: bytes) -> list[OpmlFeed]:
    """Parse an OPML document into its feeds; raise OpmlError naming every problem."""
    if len(data) > MAX_BYTES:
        raise OpmlError(f"the file is larger than {MAX_BYTES // 1_000_000} MB")
    try:
        root = SafeET.fromstring(data, forbid_dtd=False)
    except DefusedXmlException as exc:
        raise OpmlError(f"the file uses XML entities or external references ({exc})") from None
    except ET.ParseError as exc:
        line, column = exc.position
        raise OpmlError(f"not well-formed XML at line {line}, column {column + 1}") from None
    if root.tag != "opml":
        raise OpmlError(f"the root element is <{root.tag}>, not <opml>")
    body = root.find("body")
    if body is None:
        raise OpmlError("there is no <body> element")
    feeds: list[OpmlFeed] = []
    problems: list[str] = []
    for outline, path in _outlines(body):
        url = "".join((outline.get("xmlUrl") or "").split())
        label = outline.get("title") or outline.get("text") or url
        if not url.startswith(("http://", "https://")) or not urlsplit(url).hostname:
            problems.append(f"outline {label!r} ({'/'.join(path) or 'top level'}): xmlUrl {url!r} "
                            "is not an http or https address")  # fmt: skip
            continue
        feeds.append(OpmlFeed(_name(outline, url), url, _topic(outline, path)))
    if problems:
        shown = "; ".join(problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise OpmlError(f"{len(problems)} outlines cannot be used: {shown}{more}")
    if not feeds:
        raise OpmlError("no outline has an xmlUrl: there are no feeds in this file")
    return feeds


def _outlines(body: ET.Element) -> Iterator[tuple[ET.Element, tuple[str, ...]]]:
    """Feed outlines (those with an xmlUrl), in document order, with the categories above."""
    stack: list[tuple[Iterator[ET.Element], tuple[str, ...]]] = [
        (iter(body.findall("outline")), ())
    ]
    while stack:
        children, path = stack[-1]
        outline = next(children, None)
        if outline is None:
            stack.pop()
        elif outline.get("xmlUrl") is not None:
            yield outline, path
        elif len(stack) >= MAX_DEPTH:
            raise OpmlError(f"outlines are nested deeper than {MAX_DEPTH} levels")
        else:
            label = " ".join((outline.get("text") or outline.get("title") or "").split())
            stack.append((iter(outline.findall("outline")), (*path, label) if label else path))


def _name(outline: ET.Element, url: str) -> str:
    name = " ".join((outline.get("title") or outline.get("text") or "").split())
    return (name or urlsplit(url).hostname or url)[:NAME_CHARS]


def _topic(outline: ET.Element, path: tuple[str, ...]) -> str | None:
    """The innermost category (enclosing outline, then the category attribute) that maps."""
    own = [part for cat in (outline.get("category") or "").split(",") for part in cat.split("/")]
    for label in (*reversed(path), *reversed(own)):
        label = label.strip()
        if not label:
            continue
        topic = resolve_topic(label)
        if topic is not None:
            return topic
    return None


def write_opml(sources: Iterable[ExportedSource], now: datetime) -> bytes:
    """An OPML 2.0 document: sources grouped under their topic, the rest at the top level."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "newsbot sources"
    ET.SubElement(head, "dateCreated").text = format_datetime(now)
    body = ET.SubElement(root, "body")
    groups: dict[str, ET.Element] = {}
    ordered = sorted(sources, key=lambda s: (s.topic is not None, s.topic or "", s.name.lower()))
    for source in ordered:
        parent = body
        if source.topic:
            parent = groups.get(source.topic) or _group(body, groups, source.topic)
        parts = urlsplit(source.url)
        ET.SubElement(
            parent,
            "outline",
            type="rss",
            text=source.name,
            title=source.name,
            xmlUrl=source.url,
            htmlUrl=f"{parts.scheme}://{parts.netloc}/",
        )
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _group(body: ET.Element, groups: dict[str, ET.Element], topic: str) -> ET.Element:
    label = topic_label(topic, "id")
    groups[topic] = ET.SubElement(body, "outline", text=label, title=label)
    return groups[topic]
