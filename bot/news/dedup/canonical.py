"""One stable spelling for every URL of the same article.

The canonical form is what the store keys articles on, so two links that a reader would see as
the same page must map to the same string, and the rules must never change silently.

Rules, in order:

* surrounding whitespace is removed; a missing scheme means ``https``; ``http`` becomes ``https``
  (Indonesian outlets serve the same article on both);
* the host is lower-cased, IDNA-encoded, its trailing dot and default port removed, user info
  dropped, and one leading ``www.``, ``m.``, ``mobile.`` or ``amp.`` label removed (repeatedly,
  so ``m.www.`` goes too) as long as a registrable name remains.  ``m.detik.com/news/x`` therefore
  becomes ``detik.com/news/x``; it does not become ``news.detik.com/x``: mapping a mobile path
  back to a desktop subdomain is per-site knowledge this module does not carry;
* in the path, ``amp`` segments (``/amp/``, a trailing ``/amp``) and an ``.amp`` suffix
  (``x.amp``, ``x.amp.html``) are removed, dot segments resolved, duplicate and trailing slashes
  removed (the root stays ``/``), and percent-escapes normalised: escapes of unreserved
  characters decoded, the others upper-cased, raw spaces and non-ASCII characters escaped;
* in the query, tracking parameters (``utm_*``, click ids, Mailchimp, Google Analytics,
  ``ref``/``src``/``source``, ...), AMP switches (``amp``, ``outputType=amp``) and pagination or
  single-page switches (``page``, ``single``, ``showall``) are removed: Tribun and Kompas
  ``?page=2``/``?page=all`` are pages of one article.  The rest is sorted by name then value;
* the fragment is removed.

A page's own ``<link rel="canonical">`` is followed only within its site (registrable domain)
and only to an article address (see trusted_canonical): syndicated copies name the original
outlet's page, and some templates name the home page.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from bot.news.parse.links import site_of

# Exact query names (lower-cased) that never select different content on a news site.
_DROP_PARAMS = frozenset(
    {
        # click ids and analytics
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
        "igshid", "igsh", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok",
        "__twitter_impression", "spm", "cmpid", "xtor", "ito", "ocid", "soc_src", "soc_trk",
        # traffic-source tags: on article URLs these name the referring widget, never content
        "ref", "ref_src", "ref_url", "referrer", "src", "source", "from", "tag_from", "share",
        "shared", "utm",
        # AMP switches
        "amp", "amp_js_v", "usqp",
        # pagination and single-page views of one article
        "page", "single", "showall", "nextpage",
    }
)  # fmt: skip
_DROP_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_", "__hs")
# Names whose meaning depends on the value.
_DROP_IF_VALUE = {"outputtype": "amp", "output": "amp", "format": "amp"}

_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
# Characters left as they are when (re-)escaping a path: RFC 3986 pchar plus "/" and "%".
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
# "mailto:x" has a scheme; "example.com:8080/x" has a port.
_HAS_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?![0-9])")
_AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$|$)", re.IGNORECASE)


def canonical_url(url: str) -> str:
    """Return the canonical spelling of an http(s) article URL; raise ValueError otherwise."""
    text = url.strip()
    if not text:
        raise ValueError("empty URL")
    if text.startswith("//"):
        text = "https:" + text
    elif not _HAS_SCHEME.match(text):
        text = "https://" + text
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = _canonical_host(parts.hostname or "")
    if not host:
        raise ValueError(f"URL without a host: {url!r}")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"bad port in URL: {url!r}") from exc
    # http's default port goes with http itself: the result is always https.
    netloc = host if port is None or port in _DEFAULT_PORTS.values() else f"{host}:{port}"
    return urlunsplit(
        ("https", netloc, _canonical_path(parts.path), _canonical_query(parts.query), "")
    )


def _canonical_host(host: str) -> str:
    host = host.lower().rstrip(".")
    if not host.isascii():
        host = host.encode("idna").decode("ascii")
    stripped = True
    while stripped:
        stripped = False
        for prefix in _HOST_PREFIXES:
            rest = host.removeprefix(prefix)
            # Keep at least "name.tld" so "m.id" or "www.com" are not emptied.
            if rest != host and "." in rest:
                host, stripped = rest, True
    return host


def _canonical_path(path: str) -> str:
    segments: list[str] = []
    for segment in _normalise_escapes(path).split("/"):
        if segment in ("", ".") or segment.lower() == "amp":
            continue
        if segment == "..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    if segments:
        segments[-1] = _AMP_SUFFIX.sub("", segments[-1]) or segments[-1]
    return "/" + "/".join(segments)


def _normalise_escapes(path: str) -> str:
    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return quote(_ESCAPE.sub(fix, path), safe=_PATH_SAFE)


def _canonical_query(query: str) -> str:
    kept = []
    for name, value in parse_qsl(query, keep_blank_values=True):
        key = name.lower()
        if key in _DROP_PARAMS or key.startswith(_DROP_PREFIXES):
            continue
        if _DROP_IF_VALUE.get(key) == value.lower():
            continue
        kept.append((name, value))
    return urlencode(sorted(kept), quote_via=quote)


# What an article's address has and home, section and archive pages ("/", "/nasional",
# "/news/jatim", "/jatim/2023") lack: a numeric id anywhere ("d-7000000", "/3731234/"), or a
# last segment that is a slug of three or more words or a page file ("story.html").
_ARTICLE_ID = re.compile(r"\d{5,}")
_ARTICLE_SEGMENT = re.compile(r"\w+-\w+-\w+|\.s?html?$|\.php$", re.IGNORECASE)
# A shorter slug counts under a dated path: /nasional/2023/09/18/wang-yi.
_DATE_SEGMENT = re.compile(r"/(?:19|20)\d{2}/")


def trusted_canonical(declared: str, page_url: str) -> str | None:
    """Return the canonical form of a page's rel=canonical link, or None when it is not trusted.

    A page may only name itself under another address on its own site, and only an article
    address: a copy pointing at another outlet's original, or a template pointing every story
    at the home page, would otherwise merge different outlets' (or different) articles.
    """
    try:
        canonical = canonical_url(declared)
        own = canonical_url(page_url)
    except ValueError:
        return None
    if canonical == own:
        return canonical  # the usual case: the page names the address it was read at
    if site_of(canonical) != site_of(own):
        return None
    path = urlsplit(canonical).path
    last = path.rstrip("/").rsplit("/", 1)[-1]
    dated_slug = "-" in last and _DATE_SEGMENT.search(path)
    if not (_ARTICLE_ID.search(path) or _ARTICLE_SEGMENT.search(last) or dated_slug):
        return None
    if urlsplit(own).path.startswith(path.rstrip("/") + "/"):
        return None  # the page's own section, e.g. /nasional for /nasional/2023/…/slug
    return canonical
