"""The fixed topic taxonomy and Indonesia's regions, with lookups by name in either language.

Topic strings used across the bot:

* a taxonomy slug such as ``"nasional"`` or ``"sepak-bola"`` (see ``TAXONOMY``);
* ``"region:<slug>"`` for a province, e.g. ``"region:jawa-timur"``; it always comes right after
  ``"regional"`` in a topic list, so a regional story carries both.

All strings are ASCII and safe in URLs and Telegram deep links (``[a-z0-9:-]``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

REGION_PREFIX = "region:"


@dataclass(frozen=True, slots=True)
class Topic:
    """One entry of the taxonomy: a link-safe slug with its Indonesian and English names."""

    slug: str
    name_id: str
    name_en: str


TAXONOMY: tuple[Topic, ...] = (
    Topic("nasional", "Nasional", "National"),
    Topic("internasional", "Internasional", "International"),
    Topic("politik", "Politik", "Politics"),
    Topic("hukum", "Hukum", "Law"),
    Topic("ekonomi", "Ekonomi", "Economy"),
    Topic("bisnis", "Bisnis", "Business"),
    Topic("olahraga", "Olahraga", "Sports"),
    Topic("sepak-bola", "Sepak Bola", "Football"),
    Topic("teknologi", "Teknologi", "Technology"),
    Topic("sains", "Sains", "Science"),
    Topic("hiburan", "Hiburan", "Entertainment"),
    Topic("seleb", "Seleb", "Celebrities"),
    Topic("kesehatan", "Kesehatan", "Health"),
    Topic("otomotif", "Otomotif", "Automotive"),
    Topic("gaya-hidup", "Gaya Hidup", "Lifestyle"),
    Topic("travel", "Travel", "Travel"),
    Topic("pendidikan", "Pendidikan", "Education"),
    Topic("regional", "Regional", "Regional"),
)

# A story about the child is always also about the parent.
IMPLIES: Mapping[str, str] = MappingProxyType({"sepak-bola": "olahraga", "seleb": "hiburan"})

# Section and category words outlets use for a topic, beyond the topic's own names.
_ALIASES: dict[str, str] = {
    "nasional": "news, peristiwa, national, berita nasional, indonesia",
    "internasional": "dunia, world, global, international, mancanegara, luar negeri",
    "politik": "politics, pemilu, pilkada, pilpres, pilkadaserentak, polhukam",
    "hukum": "law, kriminal, crime, hukum kriminal, kriminalitas, polisi",
    "ekonomi": "economy, finance, money, uang, keuangan, finansial, ekbis, market",
    "bisnis": "business, industri, korporasi, properti, umkm",
    "olahraga": (
        "sport, sports, sportainment, raket, bulu tangkis, bulutangkis, badminton, tenis, basket, "
        "voli, motogp, moto gp, f1, formula 1, otosport, arena, balap, multi event, sport lain, "
        "sports lainnya"
    ),
    "sepak-bola": (
        "bola, football, soccer, superskor, liga inggris, liga italia, liga spanyol, liga "
        "champions, liga indonesia, liga 1, timnas, bola dunia, bola indonesia, piala dunia, bola "
        "nasional, bola internasional"
    ),
    "teknologi": "tech, tekno, techno, technology, inet, gadget, sains tekno",
    "sains": "science, ilmu pengetahuan, sains",
    "hiburan": "entertainment, showbiz, hot, film, musik, music, movie, budaya",
    "seleb": "celebrity, celebrities, selebriti, selebritas, artis, celeb, gosip",
    "kesehatan": "health, sehat, medis",
    "otomotif": "oto, auto, automotive, otomotif, mobil, motor",
    "gaya-hidup": (
        "lifestyle, gaya, style, life, food, kuliner, fashion, wolipop, parenting, gayahidup, "
        "female, wanita, lifestyle kuliner"
    ),
    "travel": "wisata, pariwisata, traveling, jalan jalan, tourism",
    "pendidikan": "edukasi, education, edu, kampus, sekolah",
    "regional": (
        "daerah, nusantara, megapolitan, metropolitan, metro, jabodetabek, region, regions, lokal"
    ),
}

# Indonesia's 38 provinces (2022 onwards).
REGIONS: Mapping[str, str] = MappingProxyType(
    {
        "aceh": "Aceh",
        "sumatera-utara": "Sumatera Utara",
        "sumatera-barat": "Sumatera Barat",
        "riau": "Riau",
        "kepulauan-riau": "Kepulauan Riau",
        "jambi": "Jambi",
        "sumatera-selatan": "Sumatera Selatan",
        "kepulauan-bangka-belitung": "Kepulauan Bangka Belitung",
        "bengkulu": "Bengkulu",
        "lampung": "Lampung",
        "dki-jakarta": "DKI Jakarta",
        "jawa-barat": "Jawa Barat",
        "banten": "Banten",
        "jawa-tengah": "Jawa Tengah",
        "di-yogyakarta": "DI Yogyakarta",
        "jawa-timur": "Jawa Timur",
        "bali": "Bali",
        "nusa-tenggara-barat": "Nusa Tenggara Barat",
        "nusa-tenggara-timur": "Nusa Tenggara Timur",
        "kalimantan-barat": "Kalimantan Barat",
        "kalimantan-tengah": "Kalimantan Tengah",
        "kalimantan-selatan": "Kalimantan Selatan",
        "kalimantan-timur": "Kalimantan Timur",
        "kalimantan-utara": "Kalimantan Utara",
        "sulawesi-utara": "Sulawesi Utara",
        "gorontalo": "Gorontalo",
        "sulawesi-tengah": "Sulawesi Tengah",
        "sulawesi-barat": "Sulawesi Barat",
        "sulawesi-selatan": "Sulawesi Selatan",
        "sulawesi-tenggara": "Sulawesi Tenggara",
        "maluku": "Maluku",
        "maluku-utara": "Maluku Utara",
        "papua": "Papua",
        "papua-barat": "Papua Barat",
        "papua-barat-daya": "Papua Barat Daya",
        "papua-selatan": "Papua Selatan",
        "papua-tengah": "Papua Tengah",
        "papua-pegunungan": "Papua Pegunungan",
    }
)

# Names that point at one province without being ordinary words: abbreviations and large cities.
# Safe to look for in running text (the province names themselves are added automatically).
REGION_TEXT_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(("nad", "banda aceh", "lhokseumawe"), "aceh"),
        **dict.fromkeys(("sumut", "medan", "pematangsiantar", "deli serdang"), "sumatera-utara"),
        **dict.fromkeys(("sumbar", "bukittinggi", "pariaman"), "sumatera-barat"),
        **dict.fromkeys(("pekanbaru", "dumai"), "riau"),
        **dict.fromkeys(("kepri", "batam", "tanjungpinang"), "kepulauan-riau"),
        **dict.fromkeys(("sumsel", "palembang"), "sumatera-selatan"),
        **dict.fromkeys(
            ("babel", "bangka belitung", "pangkalpinang"), "kepulauan-bangka-belitung"
        ),
        "bandar lampung": "lampung",
        **dict.fromkeys(
            ("dki", "jakarta utara", "jakarta selatan", "jakarta barat"), "dki-jakarta"
        ),
        **dict.fromkeys(("jakarta timur", "jakarta pusat"), "dki-jakarta"),
        **dict.fromkeys(("jabar", "bandung", "bogor", "bekasi", "depok", "cirebon"), "jawa-barat"),
        **dict.fromkeys(("tasikmalaya", "sukabumi", "karawang", "cianjur"), "jawa-barat"),
        **dict.fromkeys(("tangerang", "cilegon", "tangerang selatan"), "banten"),
        **dict.fromkeys(
            ("jateng", "semarang", "surakarta", "magelang", "pekalongan"), "jawa-tengah"
        ),
        **dict.fromkeys(("banyumas", "purwokerto", "klaten", "boyolali", "sragen"), "jawa-tengah"),
        **dict.fromkeys(("yogyakarta", "jogja", "jogjakarta", "yogya", "sleman"), "di-yogyakarta"),
        **dict.fromkeys(("bantul", "gunungkidul", "kulon progo", "diy"), "di-yogyakarta"),
        **dict.fromkeys(("jatim", "surabaya", "sidoarjo", "jember", "banyuwangi"), "jawa-timur"),
        **dict.fromkeys(("mojokerto", "probolinggo", "tulungagung", "madiun"), "jawa-timur"),
        **dict.fromkeys(("lamongan", "gresik", "bojonegoro", "pasuruan"), "jawa-timur"),
        **dict.fromkeys(("denpasar", "gianyar", "buleleng", "tabanan"), "bali"),
        **dict.fromkeys(("ntb", "lombok", "sumbawa"), "nusa-tenggara-barat"),
        **dict.fromkeys(("ntt", "kupang", "flores", "labuan bajo"), "nusa-tenggara-timur"),
        **dict.fromkeys(("kalbar", "pontianak", "singkawang"), "kalimantan-barat"),
        **dict.fromkeys(("kalteng", "palangka raya", "palangkaraya"), "kalimantan-tengah"),
        **dict.fromkeys(("kalsel", "banjarmasin", "banjarbaru"), "kalimantan-selatan"),
        **dict.fromkeys(("kaltim", "samarinda", "balikpapan"), "kalimantan-timur"),
        **dict.fromkeys(("kaltara", "tarakan"), "kalimantan-utara"),
        **dict.fromkeys(("sulut", "manado", "bitung"), "sulawesi-utara"),
        **dict.fromkeys(("sulteng",), "sulawesi-tengah"),
        **dict.fromkeys(("sulbar", "mamuju"), "sulawesi-barat"),
        **dict.fromkeys(("sulsel", "makassar", "parepare"), "sulawesi-selatan"),
        **dict.fromkeys(("sultra", "kendari"), "sulawesi-tenggara"),
        "ambon": "maluku",
        **dict.fromkeys(("malut", "ternate"), "maluku-utara"),
        "jayapura": "papua",
        "manokwari": "papua-barat",
        "sorong": "papua-barat-daya",
        "merauke": "papua-selatan",
        **dict.fromkeys(("nabire", "timika", "mimika"), "papua-tengah"),
        **dict.fromkeys(("wamena", "jayawijaya"), "papua-pegunungan"),
    }
)

# Names that are ordinary words too ("malang" = unlucky, "solo" career, "serang" = attack):
# trusted in host names, URL sections, feed categories and datelines, not in running text.
REGION_PLACE_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        **REGION_TEXT_ALIASES,
        "padang": "sumatera-barat",
        **dict.fromkeys(("jakarta", "jabodetabek"), "dki-jakarta"),
        **dict.fromkeys(("serang", "banten"), "banten"),
        **dict.fromkeys(("solo", "kudus", "tegal", "jepara", "pati", "rembang"), "jawa-tengah"),
        **dict.fromkeys(("malang", "kediri", "blitar", "madura", "lumajang"), "jawa-timur"),
        **dict.fromkeys(("situbondo", "bondowoso", "ngawi", "magetan", "ponorogo"), "jawa-timur"),
        **dict.fromkeys(("pacitan", "trenggalek", "nganjuk", "jombang", "tuban"), "jawa-timur"),
        **dict.fromkeys(("sampang", "bangkalan", "pamekasan", "sumenep", "batu"), "jawa-timur"),
        **dict.fromkeys(("garut", "kuningan", "subang", "purwakarta"), "jawa-barat"),
        "badung": "bali",
        "mataram": "nusa-tenggara-barat",
        "palu": "sulawesi-tengah",
    }
)

# Regional papers, editions and metro desks: trusted in host names, sections and categories only
# (a "SURYA.co.id -" dateline says who wrote the story, not where it happened).
REGION_OUTLET_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(("serambinews", "serambi"), "aceh"),
        **dict.fromkeys(("sripoku", "sriwijaya"), "sumatera-selatan"),
        "bangkapos": "kepulauan-bangka-belitung",
        **dict.fromkeys(("wartakota", "megapolitan", "metropolitan", "metro"), "dki-jakarta"),
        **dict.fromkeys(("surya", "suryamalang", "jawatimur"), "jawa-timur"),
        "jawatengah": "jawa-tengah",
        "jawabarat": "jawa-barat",
        "poskupang": "nusa-tenggara-timur",
        "banjarmasinpost": "kalimantan-selatan",
        "tribuntimur": "sulawesi-selatan",  # Tribun Timur is Makassar's paper
    }
)


def _key(name: str) -> str:
    """Fold case, dashes, underscores and spaces so "Sepak-Bola" and "sepakbola" meet."""
    return re.sub(r"[\s\-_./]+", "", name.strip().lower())


def _topic_index() -> dict[str, str]:
    """Map every folded name of every topic to its slug."""
    index: dict[str, str] = {}
    for topic in TAXONOMY:
        aliases = _ALIASES.get(topic.slug, "").split(", ")
        for name in (topic.slug, topic.name_id, topic.name_en, *aliases):
            index.setdefault(_key(name), topic.slug)
    return index


def _region_index() -> dict[str, str]:
    """Map every folded province name, slug and place alias to its region slug."""
    aliases = {**REGION_PLACE_ALIASES, **REGION_OUTLET_ALIASES}
    index = {_key(alias): slug for alias, slug in aliases.items()}
    for slug, name in REGIONS.items():
        index[_key(slug)] = slug
        index[_key(name)] = slug
    index[_key("DIY")] = index[_key("Yogyakarta")] = "di-yogyakarta"
    return index


_TOPIC_INDEX = _topic_index()
_REGION_INDEX = _region_index()
_BY_SLUG = {topic.slug: topic for topic in TAXONOMY}


def topic_by_slug(slug: str) -> Topic | None:
    """Return the topic with this exact slug, or None."""
    return _BY_SLUG.get(slug)


def find_topic(name: str) -> Topic | None:
    """Return the topic a user or an outlet means by name, in Indonesian or English, or None."""
    slug = _TOPIC_INDEX.get(_key(name))
    return _BY_SLUG[slug] if slug else None


def find_region(name: str) -> str | None:
    """Return the region slug for a province name, abbreviation or city, or None."""
    key = _key(name.removeprefix(REGION_PREFIX))
    return _REGION_INDEX.get(key)


def region_topic(region: str) -> str:
    """Return the topic string that tags a story with a region slug."""
    return REGION_PREFIX + region


def is_valid_topic(topic: str) -> bool:
    """Tell whether a topic string is a taxonomy slug or a known ``region:`` string."""
    if topic.startswith(REGION_PREFIX):
        return topic.removeprefix(REGION_PREFIX) in REGIONS
    return topic in _BY_SLUG


def topic_label(topic: str, lang: str = "id") -> str:
    """Return a human name for a topic string ("Sepak Bola", "Football", "Jawa Timur")."""
    if topic.startswith(REGION_PREFIX):
        return REGIONS.get(topic.removeprefix(REGION_PREFIX), topic)
    found = _BY_SLUG.get(topic)
    if found is None:
        return topic
    return found.name_en if lang == "en" else found.name_id


def resolve_topic(name: str) -> str | None:
    """The stored topic string for what a reader or operator typed: a topic or a province."""
    name = name.strip()
    if not name:
        return None
    topic = find_topic(name)
    if topic is not None:
        return topic.slug
    region = find_region(name)
    return region_topic(region) if region else None
