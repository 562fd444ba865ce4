"""Assign taxonomy topics to a story from its feed categories, its URL and its text.

Evidence is scored per topic and added up: an outlet's own labels (feed categories, URL
sections, section subdomains, single-topic outlets) weigh most, because editors chose them; the
text lexicon ranks topics relative to the text's strongest one. Implications (``sepak-bola`` →
``olahraga``, ``seleb`` → ``hiburan``) lift the parent to the child's score, and a regional story
gets ``"regional"`` followed by ``"region:<province>"`` (see ``bot.news.topics.taxonomy``).
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.news.topics.lexicon import LEXICON
from bot.news.topics.taxonomy import (
    IMPLIES,
    REGION_OUTLET_ALIASES,
    REGION_PLACE_ALIASES,
    REGION_TEXT_ALIASES,
    REGIONS,
    TAXONOMY,
    find_region,
    find_topic,
    is_valid_topic,
    region_topic,
)

# Weights on one scale: the text's strongest topic scores TEXT_TOP.
TEXT_TOP = 10.0
CATEGORY_WEIGHT = 12.0
SECTION_WEIGHT = 12.0
OUTLET_WEIGHT = 10.0
SOURCE_WEIGHT = 8.0
DATELINE_REGION_WEIGHT = 6.0
MENTION_REGION_WEIGHT = 4.0
MIN_TEXT_SCORE = 3.0  # raw lexicon points below which the text says nothing
KEEP_RATIO = 0.4  # topics scoring under this share of the best one are dropped
MAX_TOPICS = 4
RELATED = (("ekonomi", "bisnis", 0.7), ("bisnis", "ekonomi", 0.7))

# Path segments that are never a section: article markers, language codes, mobile prefixes.
_GENERIC_SEGMENTS = frozenset(
    [
        "read",
        "berita",
        "post",
        "posts",
        "artikel",
        "article",
        "articles",
        "amp",
        "m",
        "id",
        "id-id",
        "en",
        "s",
        "detail",
        "view",
        "index",
        "content",
        "story",
        "stories",
        "baca",
        "p",
        "news-detail",
    ]
)
_GENERIC_SUBDOMAINS = frozenset(["www", "www2", "m", "mobile", "amp", "beta", "en", "id", "web"])
# URL words that name no topic even though find_topic knows them ("news" means everything).
_URL_NEUTRAL = frozenset(["news", "berita", "indonesia"])
# Outlets that cover one topic only; their registered name (without TLD) → topic slug.
_OUTLET_TOPICS = {
    "goal": "sepak-bola",
    "bola": "sepak-bola",
    "bolasport": "olahraga",
    "juara": "olahraga",
    "skor": "olahraga",
    "dailysocial": "teknologi",
    "techinasia": "teknologi",
    "jagatreview": "teknologi",
    "kapanlagi": "seleb",
    "kincir": "hiburan",
    "fimela": "gaya-hidup",
    "otomotifnet": "otomotif",
    "gridoto": "otomotif",
    "oto": "otomotif",
    "alodokter": "kesehatan",
    "hellosehat": "kesehatan",
    "kontan": "ekonomi",
    "katadata": "ekonomi",
    "cnbcindonesia": "ekonomi",
    "bisnis": "bisnis",
}
_SECOND_LEVEL = frozenset(["co", "or", "go", "ac", "web", "my", "sch", "com", "net", "org"])
_SLUG_RE = re.compile(r"^[a-z@][a-z0-9-]*$")
_ID_RE = re.compile(r"^[a-z]?-?\d")


@dataclass(frozen=True, slots=True)
class _Lexicon:
    pattern: re.Pattern[str]
    terms: dict[str, tuple[tuple[str, int], ...]]
    regions: re.Pattern[str]
    places: re.Pattern[str]


def _alternation(words: Iterable[str]) -> str:
    """Return a regex matching any of words, longest first; a space or hyphen matches either.

    The words are merged into a trie ("liga(?:[ -]champions)?") rather than listed: the
    regex engine tries alternatives one by one at every word start, and 900 listed terms made
    topic scoring the slowest step of enrichment. Greedy optional tails keep longest-first.
    """
    trie: dict[str, Any] = {}
    for word in set(words):
        node = trie
        for char in word.replace("-", " "):
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, Any]) -> str:
    ends = "" in node
    branches = [
        ("[ -]" if char == " " else re.escape(char)) + _trie_pattern(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?"
    return body


def _norm_term(term: str) -> str:
    return term.replace("-", " ")


@functools.cache
def _lexicon() -> _Lexicon:
    """Compile the lexicon and the region names into matchers, once per process."""
    terms: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for slug, block in LEXICON.items():
        for line in block.strip().splitlines():
            weight, _, words = line.partition(":")
            for word in words.split(","):
                if word.strip():
                    terms[_norm_term(word.strip())].append((slug, int(weight)))
    text_regions = {**REGION_TEXT_ALIASES, **{n.lower(): s for s, n in REGIONS.items()}}
    bound = r"(?<![\w-])(?:{})(?![\w-])"
    return _Lexicon(
        pattern=re.compile(bound.format(_alternation(terms))),
        terms={term: tuple(hits) for term, hits in terms.items()},
        regions=re.compile(bound.format(_alternation(text_regions))),
        places=re.compile(bound.format(_alternation([*text_regions, *REGION_PLACE_ALIASES]))),
    )


def _normalise_text(text: str) -> str:
    # Tokenised corpora write "Undang - undang"; rejoin so hyphenated terms match.
    return re.sub(r"\s+", " ", re.sub(r"(?<=\w) - (?=\w)", "-", text.lower()))


def text_scores(title: str, text: str) -> dict[str, float]:
    """Score each topic by weighted lexicon hits; the title counts three times."""
    lexicon = _lexicon()
    scores: dict[str, float] = defaultdict(float)
    for body, factor, cap in ((_normalise_text(title), 3.0, 1), (_normalise_text(text), 1.0, 3)):
        counts = Counter(_norm_term(m) for m in lexicon.pattern.findall(body))
        for term, count in counts.items():
            for slug, weight in lexicon.terms[term]:
                scores[slug] += factor * weight * min(count, cap)
    return dict(scores)


def _dateline_region(text: str) -> str | None:
    """Return the province of the dateline city ("SURABAYA, KOMPAS.com -"), Jakarta excluded."""
    head = text[:120]
    cut = re.search(r"\s*[-–—]+\s|\(antara|\(ant\)", head, re.IGNORECASE)
    if cut is None:
        return None
    for match in _lexicon().places.finditer(_normalise_text(head[: cut.start()])):
        region = find_region(match.group())
        if region and region != "dki-jakarta":
            return region
    return None


def _mention_region(title: str, text: str) -> str | None:
    """Return the province a story keeps naming (three times or more, clearly the most)."""
    counts: Counter[str] = Counter()
    for body, factor in ((title, 2), (text, 1)):
        for match in _lexicon().regions.findall(_normalise_text(body)):
            region = find_region(match)
            if region and region != "dki-jakarta":
                counts[region] += factor
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 3:
        return None
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None
    return ranked[0][0]


def _registered_split(host: str) -> tuple[list[str], str]:
    """Split a host into its subdomain labels and the outlet name ("surya" for surya.co.id)."""
    labels = host.lower().removesuffix(".").split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    if len(labels) < keep:
        return [], labels[0] if labels else ""
    subs = [label for label in labels[:-keep] if label not in _GENERIC_SUBDOMAINS]
    return subs, labels[-keep]


def _path_sections(url: str) -> list[str]:
    """Return the path segments of a URL that can be sections, outermost first."""
    parts = urlsplit(url if "//" in url else "//" + url)
    host = (parts.hostname or "").lower()
    segments = [s.lower() for s in parts.path.split("/") if s]
    if len(segments) >= 2:
        segments = segments[:-1]  # the last one is the article's slug or id
    kumparan = host.endswith("kumparan.com")
    sections: list[str] = []
    for seg in segments:
        if kumparan:
            # kumparan paths start with an author's handle; only "@kumparanbola" names a section
            if seg.startswith("@kumparan") and len(seg) > len("@kumparan"):
                sections.append(seg.removeprefix("@kumparan"))
            continue
        if seg in _GENERIC_SEGMENTS or _ID_RE.match(seg) or not _SLUG_RE.match(seg):
            continue
        if seg.count("-") > 3 or len(seg) > 40:
            continue  # an article slug, not a section
        sections.append(seg)
    return sections


def section_of(url: str) -> str | None:
    """Return the outlet's own section (or edition) for a URL, e.g. "internasional", "jatim"."""
    sections = _path_sections(url)
    if sections:
        return sections[0]
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    subs, _ = _registered_split(host)
    return subs[0] if subs else None


def _label_evidence(label: str) -> tuple[str | None, str | None]:
    """Map an outlet's label (category, section) to a topic slug and/or a region slug."""
    topic = find_topic(label)
    if topic is not None:
        return topic.slug, find_region(label) if topic.slug == "regional" else None
    region = find_region(label)
    return ("regional", region) if region else (None, None)


def _category_evidence(category: str) -> list[tuple[str | None, str | None]]:
    """Read a feed category whole, then by its parts ("Ekonomi Bisnis", "Sport / Bola")."""
    whole = _label_evidence(category)
    if whole != (None, None):
        return [whole]
    found: list[tuple[str | None, str | None]] = []
    for chunk in re.split(r"\s*[/&|,>;]\s*|\s+dan\s+|\s+and\s+", category.strip()):
        evidence = _label_evidence(chunk)
        if evidence != (None, None):
            found.append(evidence)
            continue
        # words alone name topics only, never places ("Timur Tengah" is not Jawa Timur)
        found += [(topic.slug, None) for word in chunk.split() if (topic := find_topic(word))]
    return found


def _url_evidence(url: str) -> list[tuple[str | None, str | None, float]]:
    """Collect (topic, region, weight) from the host and the path of a URL."""
    if not url:
        return []
    parts = urlsplit(url if "//" in url else "//" + url)
    subs, outlet = _registered_split(parts.hostname or "")
    found: list[tuple[str | None, str | None, float]] = []
    if outlet in _OUTLET_TOPICS:
        found.append((_OUTLET_TOPICS[outlet], None, OUTLET_WEIGHT))
    core = outlet.removeprefix("tribun").strip("-")
    if core != outlet or outlet in REGION_OUTLET_ALIASES:
        region = find_region(core)
        if region:
            found.append(("regional", region, OUTLET_WEIGHT))
    labels = [(s, SECTION_WEIGHT) for s in subs]
    labels += [
        (s, SECTION_WEIGHT if i == 0 else SECTION_WEIGHT * 0.7)
        for i, s in enumerate(_path_sections(url))
    ]
    for label, weight in labels:
        if label in _URL_NEUTRAL:
            continue
        topic, region = _label_evidence(label)
        if topic:
            found.append((topic, region, weight))
    return found


def classify(
    *,
    title: str,
    text: str,
    url: str,
    categories: Sequence[str] = (),
    source_topic: str | None = None,
) -> list[str]:
    """Return a story's topic strings, most confident first; never empty."""
    scores: dict[str, float] = defaultdict(float)
    regions: dict[str, float] = defaultdict(float)
    raw = text_scores(title, text)
    best = max(raw.values(), default=0.0)
    if best >= MIN_TEXT_SCORE:
        for slug, value in raw.items():
            scores[slug] += TEXT_TOP * value / best
    evidence: list[tuple[str | None, str | None, float]] = [
        (topic, region, CATEGORY_WEIGHT)
        for category in categories
        for topic, region in _category_evidence(category)
    ]
    evidence += _url_evidence(url)
    if source_topic and is_valid_topic(source_topic):
        if source_topic.startswith("region:"):
            evidence.append(("regional", find_region(source_topic), SOURCE_WEIGHT))
        else:
            evidence.append((source_topic, None, SOURCE_WEIGHT))
    seen: set[tuple[str | None, str | None]] = set()
    for topic, region, weight in evidence:
        if topic and (topic, region) not in seen:  # one outlet label counts once
            seen.add((topic, region))
            scores[topic] += weight
        if region:
            regions[region] += weight
    if (region := _dateline_region(text)) is not None:
        regions[region] += DATELINE_REGION_WEIGHT
        scores["regional"] = max(scores["regional"], DATELINE_REGION_WEIGHT)
    elif not regions and (region := _mention_region(title, text)) is not None:
        regions[region] += MENTION_REGION_WEIGHT
        scores["regional"] = max(scores["regional"], MENTION_REGION_WEIGHT)
    return _rank(scores, regions, source_topic)


def _rank(
    scores: dict[str, float], regions: dict[str, float], source_topic: str | None
) -> list[str]:
    """Apply implications, keep the strong topics in order and attach the region."""
    for source, target, share in RELATED:
        if scores.get(source) and scores.get(target):
            scores[target] = max(scores[target], share * scores[source])
    for child, parent in IMPLIES.items():
        if scores.get(child):
            scores[parent] = max(scores.get(parent, 0.0), scores[child])
    order = {topic.slug: i for i, topic in enumerate(TAXONOMY)}
    top = max(scores.values(), default=0.0)
    kept = [slug for slug, value in scores.items() if value > 0 and value >= KEEP_RATIO * top]
    # a child ranks before the parent it lifted; otherwise taxonomy order breaks ties
    kept.sort(key=lambda s: (-scores[s], s not in IMPLIES, order.get(s, len(order))))
    kept = kept[:MAX_TOPICS]
    for child, parent in IMPLIES.items():
        if child in kept and parent not in kept:
            kept.append(parent)
    if not kept:
        fallback = source_topic if source_topic and is_valid_topic(source_topic) else "nasional"
        kept = ["regional", fallback] if fallback.startswith("region:") else [fallback]
    if "regional" in kept and regions and not any(t.startswith("region:") for t in kept):
        kept.insert(
            kept.index("regional") + 1, region_topic(max(regions, key=regions.__getitem__))
        )
    return kept
