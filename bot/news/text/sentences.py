"""Split Indonesian news text into sentences.

Hand-written because the usual splitters (nltk punkt, pysbd, spaCy's sentencizer) either have no
Indonesian model or do not know Indonesian titles (Brigjen, AKBP, Kab.), thousand separators
(1.260.420.864), clock times (22.00 WIB) or the periods glued to the next word by scrapers
(``WIB.Sunoto``).
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of a word-list literal."""
    return frozenset(text.split())


# Abbreviations that are followed by a name or a number and so never end a sentence.
# Written for this module (titles, ranks, places, months, legal forms); compared with spaCy's
# Indonesian tokenizer exceptions, whose multi-dot degrees (S.H., M.Si.) are caught by the
# dotted-token rule below instead of being listed.
_NON_TERMINAL = _words(
    """
    dr drs dra drg drh prof ir h hj kh ust pdt rm ps st sdr sdri bpk bp ny tn nn yth
    mr mrs ms mme jr sr rev tb ra rr
    brigjen mayjen letjen jend jen kol letkol kapt lettu letda serka sertu
    kombes akbp akp iptu ipda aiptu aipda bripka brigpol briptu bripda irjen komjen pol
    kab kec kel ds dsn dk kp prov jl jln gg no rt rw kav lt rs pres ph
    rp usd tbk pt cv pte hlm tel telp faks fax vs kap
    jan feb mar apr jun jul agu ags agt agust sep sept okt nov des
    a.l a.n s.d u.p d.a n.b
    """
)

# Abbreviations that may close a sentence: split after them only before a capitalised word.
_TERMINAL_ABBREV = _words("dll dsb dst dkk tsb etc co corp inc ltd llc")

# Top-level domains: a period before one of these is part of a site name (Tribunnews.com).
_TLDS = _words("com co id net org go ac or tv info io news me biz my sg")

_TERMINATORS = re.compile(r"(?:\.{2,}|…|[.!?])+")
_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«"
_DOTTED = re.compile(r"^(?:[A-Za-z]{1,5}\.)+[A-Za-z]{0,5}$")
_STRAIGHT_QUOTE = re.compile('"')
_CURLY_QUOTE = re.compile("[“”]")
_DOMAIN_WORD = re.compile(r"^[\w-]+\.([A-Za-z]{2,})\b")
# A sentence end glued to a capitalised word ("dewasa.Pada", "ujarnya.\"Kedua", "2022).Dia"),
# with at most one quotation mark between them: paragraphs a scraper joined without a space.
# A quotation opened there may start in lower case, as typed ("kelangkaan.\"saya perintahkan").
_GLUED_END = re.compile(
    r"(?<=[\w)\]\"'”’])(?P<end>[.!?])(?P<quote>[\"”“’]?)(?P<next>[A-Z][a-z]|(?<=[\"“])[a-z]{2})"
)
_WORD_AT = re.compile(r"\S+")


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; every newline ends a sentence."""
    return [text[start:end] for start, end in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of text, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        cuts = [0, *_line_boundaries(line), len(line)]
        for start, end in zip(cuts, cuts[1:], strict=False):
            piece = line[start:end]
            stripped = piece.strip()
            if stripped:
                lead = len(piece) - len(piece.lstrip())
                spans.append((offset + start + lead, offset + start + lead + len(stripped)))
        offset += len(line) + 1
    return spans


def _quote_spans(line: str) -> list[tuple[int, int]]:
    """Return (open, close) indices of balanced double-quoted stretches of one line."""
    spans: list[tuple[int, int]] = []
    if '"' in line:
        straight = [m.start() for m in _STRAIGHT_QUOTE.finditer(line)]
        # An odd count means a quote is left open (often by the scraper): trust no pairs.
        if len(straight) % 2 == 0:
            spans += list(zip(straight[::2], straight[1::2], strict=True))
    if "“" in line:
        opened = -1
        for m in _CURLY_QUOTE.finditer(line):
            if m.group() == "“":
                opened = m.start()
            elif opened >= 0:
                spans.append((opened, m.start()))
                opened = -1
    return spans


def _token_before(line: str, dot: int) -> str:
    """Return the word that ends just before index dot, without opening punctuation."""
    start = dot
    while start > 0 and not line[start - 1].isspace():
        start -= 1
    return line[start:dot].lstrip(_OPENERS)


def _blocks_split(token: str, next_word: str, glued: bool) -> bool:
    """Tell whether the period after token belongs to the token rather than ending a sentence."""
    low = token.lower()
    if low in _NON_TERMINAL:
        return True
    if low in _TERMINAL_ABBREV:
        return not next_word[:1].isupper()
    if "://" in token or low.startswith("www"):
        return True
    if len(token) == 1 and token.isalpha():
        return True  # an initial: "Agus D. Martowardojo"
    if _DOTTED.match(token):
        # Initials and degrees (D.W., S.H., M.Si) unless it is a site name (detik.com).
        return token.rsplit(".", 1)[-1].lower() not in _TLDS
    if glued:
        # "detik.com", "SURYA.CO.ID", "kompas.co.id": a site name, unless the word after the
        # period is written like a sentence's first word ("hengkang.Info terbaru").
        domain = _DOMAIN_WORD.match(next_word)
        tld = next_word.rstrip(".,")
        if tld.lower() in _TLDS and not tld.istitle():
            return True
        if domain and domain[1].lower() in _TLDS:
            return True
    return False


def _line_boundaries(line: str) -> list[int]:
    """Return the offsets in one line where a new sentence starts.

    Paragraphs glued by a scraper ("dewasa.Pada", "imbaunya.\"Kedua") are cut first, and
    quotations are paired within each glued piece only: a quotation never spans a paragraph
    break, and pairing across one would hide every boundary up to the next quote.
    """
    glued = _glue_points(line)
    cuts: list[int] = []
    for start, end in zip([0, *glued], [*glued, len(line)], strict=True):
        cuts += [start + cut for cut in _piece_boundaries(line[start:end])]
        if end < len(line):
            cuts.append(end)
    return cuts


def _glue_points(line: str) -> list[int]:
    """Return where a paragraph starts glued to the previous one's final period."""
    points: list[int] = []
    for match in _GLUED_END.finditer(line):
        dot = match.start("end")
        quote = match.group("quote")
        # A quotation mark between the two either closes this paragraph's quotation or
        # opens the next one's: a straight one closes only a quotation left open before it.
        opens = quote == "“" or (quote == '"' and not _quote_open(line, points[-1:], dot))
        if not opens and match.group("next").islower():
            continue  # a closed quotation followed by lower case goes on the same sentence
        cut = match.start("quote") if opens else match.start("next")
        if match.group("end") == "." and _blocks_split(
            _token_before(line, dot), _word_at(line, match.start("next")), True
        ):
            continue
        if _is_list_marker(line, dot):
            continue
        points.append(cut)
    return points


def _word_at(line: str, start: int) -> str:
    # Not line[start:].split(): that copies the rest of the line at every glued point, and a
    # scraper-joined article is one line.
    found = _WORD_AT.match(line, start)
    return found.group() if found else ""


def _quote_open(line: str, since: list[int], dot: int) -> bool:
    """Tell whether the last straight quote before dot (in this paragraph) opened a quotation."""
    start = since[0] if since else 0
    last = line.rfind('"', start, dot)
    if last < 0:
        return False
    before = line[last - 1] if last > start else " "
    after = line[last + 1] if last + 1 < len(line) else " "
    # `kata "Saya` opens; `sedikit," kata`, `sini,"pungkasnya` and `bukti" dia` close.
    # Scrapers drop quotation marks, so counting them to pair them up cannot be trusted.
    if before.isspace() or before in "([":
        return True
    return not (before.isalnum() or before in ",.!?;:") and after.isalnum()


def _piece_boundaries(line: str) -> list[int]:
    """Return the offsets in a piece without glued paragraphs where a new sentence starts."""
    quotes = _quote_spans(line)
    closing = {close for _, close in quotes}
    cuts: list[int] = []
    n = len(line)
    for match in _TERMINATORS.finditer(line):
        end = match.end()
        while end < n and line[end] in _CLOSERS:
            # A straight quote right after the period closes a quote only if it pairs up
            # (or is followed by space); otherwise it opens the next, glued, sentence.
            opens_next = end + 1 < n and not line[end + 1].isspace()
            if line[end] in "\"'" and end not in closing and opens_next:
                break
            end += 1
        nxt = end
        while nxt < n and line[nxt].isspace():
            nxt += 1
        if nxt >= n:
            continue
        glued = nxt == end
        rest = line[nxt:]
        first = rest.lstrip(_OPENERS)[:1]
        if not first or not (first.isupper() or (first.isdigit() and not glued)):
            continue
        if rest[:1] == "(" or rest.startswith("Ltd"):
            continue  # "Pte. Ltd. (SPA) menjual": a parenthesis does not open a sentence
        if glued and not (rest[:1] in _OPENERS or (len(rest) > 1 and rest[1].islower())):
            continue  # "SURYA.CO.ID", "DPR.RI": capitals glued without a word shape
        if any(o < match.start() and c >= end for o, c in quotes):
            continue  # inside a quotation that closes later: one sentence
        next_word = rest.split(None, 1)[0]
        if match.group() == "." and _blocks_split(
            _token_before(line, match.start()), next_word, glued
        ):
            continue
        if _is_list_marker(line, match.start()):
            continue
        cuts.append(end if glued else nxt)
    return cuts


def _is_list_marker(line: str, dot: int) -> bool:
    """Tell whether the period closes a leading list number such as "2." in "2. Sekeluarga"."""
    return line[:dot].strip().isdigit() and dot <= 4
