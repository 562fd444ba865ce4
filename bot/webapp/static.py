"""The page, its scripts and styles: read from the package once, gzip-compressed once.

Nothing is built: `static/` holds plain HTML, JavaScript and CSS. The page names its scripts
and styles with a version (a hash of their contents), so browsers keep them until they change.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from importlib.resources import files

from aiohttp import web

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
INDEX = "index.html"
VERSION_MARK = "{{v}}"


@dataclass(frozen=True, slots=True)
class Asset:
    """One file, plain and gzip-compressed, with its ETag."""

    body: bytes
    gzipped: bytes
    content_type: str
    etag: str

    @classmethod
    def of(cls, name: str, body: bytes) -> Asset:
        """An asset from a file's bytes."""
        suffix = name[name.rfind(".") :]
        digest = hashlib.sha256(body).hexdigest()[:16]
        # mtime=0: the same bytes every start, so every process answers the same ETag.
        return cls(body, gzip.compress(body, 9, mtime=0), TYPES[suffix], f'"{digest}"')


def load_assets() -> dict[str, Asset]:
    """Every file of `static/`, the page with the version of the others written into it."""
    folder = files("bot.webapp") / "static"
    raw = {
        entry.name: entry.read_bytes()
        for entry in folder.iterdir()
        if entry.is_file() and entry.name[entry.name.rfind(".") :] in TYPES
    }
    version = hashlib.sha256(
        b"".join(raw[name] for name in sorted(raw) if name != INDEX)
    ).hexdigest()[:12]
    page = raw[INDEX].replace(VERSION_MARK.encode(), version.encode())
    return {name: Asset.of(name, page if name == INDEX else body) for name, body in raw.items()}


def respond(request: web.Request, asset: Asset, *, cache: str) -> web.Response:
    """The asset, compressed when the browser takes gzip; 304 when it has this version."""
    headers = {"ETag": asset.etag, "Cache-Control": cache, "Vary": "Accept-Encoding"}
    if request.headers.get("If-None-Match") == asset.etag:
        return web.Response(status=304, headers=headers)
    body = asset.body
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        body = asset.gzipped
        headers["Content-Encoding"] = "gzip"
    return web.Response(body=body, headers={**headers, "Content-Type": asset.content_type})
