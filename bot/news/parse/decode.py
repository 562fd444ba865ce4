"""Decode feed bytes to text despite wrong charset labels, and repair double-encoded UTF-8."""

from __future__ import annotations

import codecs
import re

_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Labels that real feeds put on bodies which are really UTF-8 or Windows-1252: for these the bytes
# decide (valid UTF-8 wins, anything else is read as Windows-1252, as browsers do for Latin-1).
_LATIN_OR_UTF8 = {"utf-8", "ascii", "latin-1", "iso8859-1", "cp1252", "iso8859-15"}

# A run that looks like UTF-8 bytes read as Windows-1252/Latin-1: a lead byte (Â-ô) followed by
# continuation bytes (0x80-0xBF shown as Latin-1 or as their Windows-1252 glyphs).
_CONT = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
    "\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|[\u00f0-\u00f4][{_CONT}]{{3}}"
)
_SUSPECT = re.compile("[\u00c2-\u00f4]")


def decode_body(body: bytes, content_type: str | None = None) -> str:
    """Decode a feed body: BOM, then declared charset, then UTF-8, then Windows-1252."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body.decode(name, errors="replace").lstrip("\ufeff")
    declared = _declared(body, content_type)
    if declared and declared not in _LATIN_OR_UTF8:
        try:
            return body.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_cp1252(body)


def _declared(body: bytes, content_type: str | None) -> str | None:
    names: list[str] = []
    match = _XML_DECL_ENCODING.match(body[:200])
    if match:
        names.append(match.group(1).decode("ascii"))
    if content_type:
        ct = _CT_CHARSET.search(content_type)
        if ct:
            names.append(ct.group(1))
    for name in names:
        try:
            return codecs.lookup(name).name
        except LookupError:
            continue
    return None


def _decode_cp1252(body: bytes) -> str:
    # cp1252 leaves five bytes undefined; a body holding them is read as plain Latin-1.
    try:
        return body.decode("cp1252")
    except UnicodeDecodeError:
        return body.decode("latin-1")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Windows-1252 (`Lâ€™Oreal` → `L’Oreal`) where it is clean."""
    # Hand-written rather than ftfy: one narrow, checkable fix, no new dependency, and the
    # fast-path below keeps clean text (the usual case) at one regex search.
    if _SUSPECT.search(text) is None:
        return text
    return _MOJIBAKE.sub(_repair_run, text)


def _repair_run(match: re.Match[str]) -> str:
    run = match.group(0)
    try:
        # Per character: cp1252 glyphs back to their bytes, and the five bytes cp1252 leaves
        # undefined (shown as C1 controls, e.g. the 0x9D ending "”") back through Latin-1.
        raw = b"".join(_byte_of(char) for char in run)
        fixed = raw.decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return run
    # Clean means: the bytes were one valid UTF-8 sequence giving one real character.
    return fixed if len(fixed) == 1 and fixed.isprintable() else run


def _byte_of(char: str) -> bytes:
    try:
        return char.encode("cp1252")
    except UnicodeEncodeError:
        return char.encode("latin-1")
