"""Strip Indonesian news-site boilerplate from extracted article text.

Hand-written because extractors (trafilatura, readability) keep in-body furniture that Indonesian
sites write as ordinary paragraphs: "Baca juga:" links, datelines, reporter tags, follow prompts
and the Tribun network footer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.news.text.datelines import DASH, GLUED_DATELINE, SITE, dateline_at
from bot.news.text.sentences import sentence_spans

# Labelled metadata lines: "Penulis: X", "Editor : Y", "Sumber: Z" (several may share a line).
_CREDIT = r"Penulis|Editor|Sumber|Reporter|Pewarta|Kontributor|Penyunting|Redaktur|Fotografer"
_META_LINE = re.compile(
    rf"^(?:(?:{_CREDIT})\s*:|Laporan (?:Wartawan|Reporter|Koresponden|Jurnalis)\b)", re.I
)
_META_FIELD = re.compile(
    rf"({_CREDIT})\s*:\s*([^|\n]+?)\s*(?=\||$|(?:{_CREDIT})\s*:)",
    re.I,
)

# "Baca juga:" and its link title; the title ends at the line end or where the scraper glued the
# next paragraph to it ("...Nama LainDjumin tidak"), found by _link_end.
# Goal writes "SIMAK JUGA - Judul".
_READ_ALSO = re.compile(
    r"\b(?:Baca|BACA|Simak|SIMAK)\s+(?:juga|Juga|JUGA|pula|Pula|PULA)\s*(?::|--|-|–|—)\s*"
    r"|>{2,}\s*"
)

# Inline trailers that run to the end of their line wherever they start.
_TRAILERS = re.compile(
    r"(?:"
    r"Artikel ini (?:sebelumnya |telah |sudah )*(?:tayang|terbit|dipublikasikan) di"  # syndication
    r"|Naskah ini (?:bisa |dapat )?dibaca (?:juga )?di"  # BOLA's syndication note
    r"|\bDapatkan (?:update |informasi )?(?:Berita|Update|Informasi) (?:Pilihan|Terbaru|Terkini)"
    # ^ follow prompts: "Dapatkan Berita Pilihan…", "Dapatkan update berita pilihan dan…"
    r"|\bMari bergabung di (?:Grup|Channel|Saluran) (?:Telegram|WhatsApp)"  # Kompas
    r")[^\n]*",
    re.I,
)

# Follow prompts that scrapers glue to the story's last sentence ("…tandasnya.BACA BERITA
# SURABAYA LAINNYA", "…(HR Muslim)Ikuti Berita Lainnya di News Google SURYA.co.id"): only the
# prompt itself is removed, so a story glued after one is kept.
_SITE_NAME = r"(?:\s+(?:[A-Za-z0-9-]+\.)+(?:co\.id|CO\.ID|com|COM|id|ID|co|CO))?"
_INLINE_PROMPTS = re.compile(
    r"(?<![A-Z])(?:"  # glued after a lower-case letter too: "MagraoUpdate berita…"
    r"(?:BACA|Baca) (?:BERITA|Berita)\b[A-Za-z .]{0,60}?\b(?:LAINNYA|Lainnya)\b"
    r"|(?:Ikuti|IKUTI|Update|UPDATE|Simak|Baca|Dapatkan|Follow|Pantau)\b"
    r"[^\n]{0,60}?\b(?i:Google News|News Google)\b" + _SITE_NAME +
    # Kompas: "Simak breaking news … WhatsApp Channel : https://… Pastikan kamu sudah install
    # aplikasi WhatsApp ya."
    r"|Simak (?i:breaking news)[^\n]{0,200}?WhatsApp Channel\s*:\s*\S+"
    r"(?:\s*Pastikan kamu sudah (?:meng)?install aplikasi WhatsApp ya\.?)?"
    r")"
)

# Reporter tags: "(Tribunnews.com/Whiesa)", "(tribunnews.com/ Whiesa Daniswara)", "(Surya/...)",
# "(*)" - removed wherever they stand, the sentence before them is kept.
_REPORTER_TAG = re.compile(
    r"\s*\((?:\*|(?:[\w-]+\.(?:com|co\.id|id)|Surya|SURYA|Tribun\w*|Kompas\w*)\s*/\s*[^()\n]{1,60})\)"
    r"|\s*\((?:ant|Ant|antara|Antara)(?:\s*/\s*[A-Za-z*]{1,12}){0,3}\)"  # Antara: "(ant/ded)"
    # Detik closes a story with its writers' initials, "(idn/idn)"; units are not initials.
    r"|\s*\((?!(?:km|kg|cm|mm|ton|jam|kwh|mg|ml|ha)/)[a-z]{2,5}(?:/[a-z]{2,5}){1,3}\)\s*$"
)

# SURYA closes articles with a row of asterisks, sometimes glued to a fact box after it.
_END_MARK = re.compile(r"\s*\*{3,}\s*")

# Whole lines (or sentences) that are furniture, each with why it is recognisable. They are
# joined into one pattern: one match() per sentence instead of one per rule.
_DROP = re.compile(
    "|".join(
        f"(?:{pattern})"
        for pattern in (
            r"^Baca\s+juga\b",  # a "Baca juga" label left alone on its line
            r"^Berita\s+Rekomendasi\s*$",  # heading of the related-articles block
            r"^Simak\s+(?:juga\s+)?(?:berita|artikel|informasi|video|kabar|update)\b.*"
            r"\b(?:lain|lainnya|terkini|terbaru|menarik|selengkapnya)\b",  # reading prompts
            r"^Ikuti\s+(?:kami|kanal|saluran|channel|akun|berita|update)\b",  # follow prompts
            r"^(?:Ikuti|Follow|Gabung|Bergabung|Join|Klik|Pantau|Dapatkan|Baca|Yuk|Jangan lupa)\b"
            r".{0,120}\b(?:Google News|Telegram|WhatsApp|saluran|channel)\b",  # channel prompts
            r"^di WhatsApp Anda\s*$",  # second half of the split WhatsApp prompt
            r"^Klik\s+di\s*sini\b",  # link prompt
            r"^Nikmati berita interaktif",  # Tribun promo banner
            r"^Update berita (?:terkini|terbaru)\b",  # SURYA promo line
            r"^Halaman(?:\s+\d+)*\s*$|^Halaman\s+selanjutnya\b|^\d+(?:\s+\d+)*$",  # pagination
            r"^(?:Copyright\s*)?©|^Copyright\b|^.*All Rights? Reserved",  # copyright footer
            r"^(?:Breaking News|KOMENTAR|BERITA TERKINI|Atas|Tribun\w*|Tribun Network)\s*:?\s*$",
            # ^ Tribun page furniture lines
            r"^(?:Tribun Network\s*:\s*)?Mata Lokal\b",  # Tribun network tagline
            r"^zoom-in\b",  # photo viewer label
            rf"^(?:[a-z][\w.]*(?: [a-z][\w.]*){{0,3}}\s*,\s*)?{SITE}"
            rf"(?:\s*[,|]\s*[a-z][\w. ]{{0,40}})?\s*,?\s*{DASH}?\s*$",  # a lone dateline or site
            r"^(?:[\w-]+\.)+[a-z]{2,}\s+adalah\s+(?:portal|situs|media)\b",  # outlet's own promo
            r".*\bANTARA FOTO\s*/[^\n]*$",  # caption credited to Antara's photo desk
            r"^\(?Foto\s*:",  # photo caption credit line
            r".*\((?:Foto|FOTO|Dok|DOK)\s*[:.][^()]*\)\s*$",  # caption ending in a photo credit
            r".*\s\((?:[\w-]+\.)+[a-z]{2,}\)\s*$",  # caption ending in a bare domain
            r"(?-i:^[A-Z][\w.'-]*(?: [\w.'-]+){0,4}"
            r"(?:\s*/\s*[A-Z][\w.'-]*(?: [\w.'-]+){0,3}){1,3})(?<![.!?,;:])$",
            # ^ agency credit "Anton Novoderezhkin / SPUTNIK / AFP", "Tribunnews.com/Jeprima"
        )
    ),
    re.I,
)

# Markers after which the rest of the page is footer (comments, "BERITA TERKINI" lists).
_FOOTER = re.compile(
    r"^(?:Dapatkan Berita Pilihan|Ikuti kami di|KOMENTAR\s*$|BERITA TERKINI\s*$|©|Copyright ©)"
)
# A footer marker is the end only when no story follows it: lists of other headlines are short
# lines, while a follow prompt placed mid-article is followed by the story's paragraphs.
_STORY_PARAGRAPH = re.compile(r"^.{120,}[.!?\"”)]$")

# A dateline that appears further down than this is not the start of the body.
_MAX_HEADER_LINES = 15
# Where a scraper glued two paragraphs without a space: "...Nama LainDjumin tidak".
_GLUE = re.compile(r"(?<=[a-z0-9)?!'\"])(?=[A-Z\"“][a-z])|(?<=[A-Z]{2})(?=[A-Z][a-z]{2}|>>)")
# Brand words written in camel case, which are not two glued paragraphs.
_CAMEL_WORDS = re.compile(
    r"(?:WhatsApp|YouTube|YouTuber|TikTok|iPhone|iPad|iOS|LinkedIn|PlayStation|PayPal|GoPay|"
    r"ShopeePay|McDonald|DKI|Tribun\w+|[A-Z]\w*(?:News|Solo|Jogja|Jatim|Jateng|Malang))$"
)


@dataclass(frozen=True)
class CleanedArticle:
    """Article body without boilerplate, plus the credits found in it."""

    body: str
    paragraphs: list[str]
    author: str | None = None
    editor: str | None = None
    source_credit: str | None = None
    dateline: str | None = None


def clean_article(text: str) -> CleanedArticle:
    """Remove boilerplate from plain article text and collect its credits."""
    text = _normalize(text)
    text = GLUED_DATELINE.sub("\n", _END_MARK.sub("\n", text))
    text = _remove_read_also(text)
    text = _INLINE_PROMPTS.sub("\n", _TRAILERS.sub("", text))
    meta: dict[str, str] = {}
    lines: list[str] = []
    raw_lines = [line.strip() for line in text.split("\n")]
    raw_lines = [line for line in raw_lines if line]
    for index, line in enumerate(raw_lines):
        if _META_LINE.match(line):
            for label, value in _META_FIELD.findall(line):
                meta.setdefault(label.lower(), value.strip())
            continue
        if lines and _FOOTER.match(line):
            if _ends_story(raw_lines[index + 1 :]):
                break
            continue  # a prompt in the middle of the story: drop the line, keep the rest
        lines.append(line)
    lines, dateline = _cut_header(lines)
    # A caption is often repeated with its credit appended: drop the bare copy too.
    lines = [
        line
        for line, after in zip(lines, [*lines[1:], ""], strict=False)
        if not (after.startswith(line) and after != line and _is_furniture(after))
    ]
    paragraphs = [p for line in lines for p in _clean_paragraph(line)]
    return CleanedArticle(
        body="\n\n".join(paragraphs),
        paragraphs=paragraphs,
        author=meta.get("penulis") or meta.get("reporter"),
        editor=meta.get("editor"),
        source_credit=meta.get("sumber"),
        dateline=dateline,
    )


def _ends_story(rest: list[str]) -> bool:
    """Tell whether what follows a footer marker is page furniture rather than more story."""
    story = [line for line in rest if _STORY_PARAGRAPH.match(line) and not _FOOTER.match(line)]
    return len(story) < 2 or 2 * sum(map(len, story)) < sum(map(len, rest))


def _normalize(text: str) -> str:
    """Unify line ends and spaces the way scrapers vary them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00a0\u2007\u202f\t ]+", " ", text)
    return re.sub(r"[\u200b\u200c\u200d\ufeff]", "", text)


def _remove_read_also(text: str) -> str:
    """Delete every "Baca juga:" label with its link title."""
    out: list[str] = []
    pos = 0
    for match in _READ_ALSO.finditer(text):
        if match.start() < pos:
            continue
        out.append(text[pos : match.start()])
        pos = _link_end(text, match.end())
        out.append("\n")
    out.append(text[pos:])
    return "".join(out)


def _link_end(text: str, start: int) -> int:
    """Return where a link title starting at start ends."""
    line_end = text.find("\n", start)
    if line_end < 0:
        line_end = len(text)
    for glue in _GLUE.finditer(text, start, line_end):
        pos = glue.start()
        word_start = max(text.rfind(" ", start, pos) + 1, start)
        word_end = text.find(" ", pos, line_end)
        word = text[word_start : word_end if word_end >= 0 else line_end]
        if not _CAMEL_WORDS.match(word.strip(".,:;!?\"'")):
            return pos
    return line_end


def _cut_header(lines: list[str]) -> tuple[list[str], str | None]:
    """Drop title, teaser and captions above the dateline; return the lines and the dateline."""
    for index, line in enumerate(lines[:_MAX_HEADER_LINES]):
        found = dateline_at(line)
        if found is None:
            continue
        tag, end = found
        after = lines[index + 1 :]
        if not line[end:] and not after:
            continue  # a dateline left alone at the end ("Suara.com -"): _DROP removes it
        above = lines[:index]
        # A header holds a headline, a teaser and captions; three story paragraphs above a
        # late dateline are story, and are kept.
        story_above = sum(1 for kept in above if _STORY_PARAGRAPH.match(kept)) >= 3
        return [*(above if story_above else []), line[end:], *after], tag
    return lines, None


def _clean_paragraph(line: str) -> list[str]:
    """Split glued paragraphs, drop furniture sentences and reporter tags."""
    line = _REPORTER_TAG.sub("", line).strip()
    if not line or _is_furniture(line):
        return []
    paragraphs: list[str] = []
    current: list[str] = []
    previous_end = -1
    for start, end in sentence_spans(line):
        if current and start == previous_end:  # "WIB.Sunoto": paragraphs glued by a scraper
            paragraphs.append(" ".join(current))
            current = []
        sentence = line[start:end]
        if not _is_furniture(sentence):
            current.append(sentence)
        previous_end = end
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _is_furniture(text: str) -> bool:
    """Tell whether a whole line or sentence is boilerplate."""
    # match(), not search(): every rule is anchored at the start, which keeps this linear.
    return _DROP.match(text) is not None
