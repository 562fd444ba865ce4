"""Datelines that open Indonesian news stories, in every form the outlets write them.

"TRIBUNNEWS.COM, JAKARTA -", "SURYA.co.id | OGAN KOMERING Ilir –", "SURYA.co.id, -" (no city),
"JAKARTA, KOMPAS.com -", "JAKARTA, KOMPAS.TV -", "Liputan6.com, Jakarta -", "Jakarta, CNN
Indonesia --", "Jakarta (ANTARA) -", "JAKARTA - " (Okezone, Sindonews) and Detik's "Jakarta - ":
hyphen, en dash or em dash, with or without spaces, in any case.
"""

from __future__ import annotations

import re

from bot.news.text.article_sentences import words_of

DASH = r"(?:--|- -|-|–|—)"  # "- -": a "--" that a tokenizer split
# A site name as written in datelines: TRIBUNNEWS.COM, SURYA.co.id, Tribun-Bali.com, JUARA.NET,
# KOMPAS.TV, TEMPO.CO, iNews.id; or a name without a domain: CNN Indonesia, ANTARA News.
SITE = (
    r"(?:(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+(?i:co\.id|com|co|id|net|tv|news)\b"
    r"|(?:CNN|CNBC) Indonesia|ANTARA News|VIVA(?:\.co\.id)?)"
)
# A city next to a site name, in any case ("surabaya" in a lower-cased scrape): the dash that must
# follow within four words keeps this from taking a sentence.
_CITY = r"[A-Za-z][A-Za-z.'/]*(?: [A-Za-z][A-Za-z.'/]*){0,3}"
# What ends a dateline: a dash and the story, or a dash at the end of its own line (a page that
# set the dateline in a paragraph of its own: "SURYA.co.id, -" then the story below).
_END = rf"\s*,?\s*{DASH}(?:\s*(?=\S)|\s*$)"

# Cities Detik and others write in title case with no site name ("Jakarta - "). Without a site
# name only a known place tells a dateline from a sentence ("Kevin - Prince Boateng sudah…"):
# the provincial capitals, the large cities and the capitals most often datelined abroad.
_PLACES = words_of(
    """
    jakarta bandung surabaya semarang yogyakarta medan makassar palembang denpasar malang solo
    surakarta bogor depok bekasi tangerang serang cilegon cirebon tasikmalaya sukabumi garut
    kediri blitar jember banyuwangi madiun pasuruan probolinggo mojokerto sidoarjo gresik
    lamongan tuban bojonegoro magelang pekalongan tegal purwokerto banyumas kudus pati
    padang pekanbaru jambi bengkulu lampung batam tanjungpinang pangkalpinang pontianak
    banjarmasin palangkaraya samarinda balikpapan tarakan manado gorontalo palu kendari
    mamuju ambon ternate jayapura manokwari sorong merauke mataram kupang aceh lhokseumawe
    sabang cianjur karawang purwakarta subang sumedang kuningan indramayu klaten sleman bantul
    washington london beijing moskow tokyo paris berlin roma madrid jenewa brussel kairo
    riyadh canberra sydney singapura bangkok manila hanoi seoul yerusalem teheran ankara
    istanbul doha dubai islamabad kabul gaza beirut damaskus kiev kyiv wellington ottawa
    """
)
_TWO_WORD_PLACES = frozenset(
    {"kuala lumpur", "new york", "new delhi", "hong kong", "bandar lampung", "banda aceh"}
)

# The dateline opening the first body paragraph; the named group holds what is reported.
# SURYA separates site and city with "|", and sometimes with a typed "I" or "l"; the city may be
# missing ("SURYA.co.id, -"). Antara writes "Jakarta (ANTARA) -", once "(ANTARA Bews)".
DATELINE = re.compile(
    rf"^(?P<tag>(?:{_CITY}\s*,\s*)?{SITE}(?:\s*(?:[,|]|\s[Il]\s)\s*{_CITY})?"
    rf"|{_CITY}\s*\((?i:antara)(?: \w+)?\))(?:{_END})"
    # No dash: "SURYA.co.id | Liverpool …", and with a typed "I": "SURYA.co.id I Liverpool …".
    rf"|^(?P<tag2>{SITE})\s*(?:\||\sI\s)\s*(?=[A-Z\"“])"
    # A city alone in capitals, as Okezone and Sindonews write it: "JAKARTA - ", "BANDUNG – ".
    rf"|^(?P<tag3>[A-Z]{{3,}}(?: [A-Z]{{2,}}){{0,2}})\s*{DASH}\s*(?=[A-Z\"“])"
    # A city alone in title case, Detik's form: checked against _PLACES by dateline_at().
    rf"|^(?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+)?)\s*{DASH}\s*(?=[A-Z\"“])"
)
# A dateline glued to a breadcrumb by the scraper ("Berita SurabayaSURYA.co.id | SURABAYA –").
GLUED_DATELINE = re.compile(
    rf"(?<=[a-z])(?=[A-Z]{{3,}}[A-Z0-9]*\.(?:co\.id|CO\.ID|COM|com)\s*(?:[,|]|\s[Il]\s|{DASH}))"
)


def dateline_at(line: str) -> tuple[str, int] | None:
    """Return the dateline opening line and where the story after it starts, or None."""
    match = DATELINE.match(line)
    if match is None:
        return None
    place = match["place"]
    if place is not None and place.lower() not in _PLACES | _TWO_WORD_PLACES:
        return None
    tag = next(t for t in match.groupdict().values() if t)
    return tag.strip(), match.end()
