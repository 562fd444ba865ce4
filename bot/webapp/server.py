"""The Mini App's aiohttp application: the page under `/app/`, its JSON under `/api/`.

Every answer carries the same strict headers: a Content-Security-Policy that lets the page run
only its own scripts and Telegram's, load nothing but its own styles, talk only to this
server and never be framed by a stranger; no CORS headers at all (other sites cannot read the
API); nosniff; no referrer.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.webapp import admin, reader, reading
from bot.webapp.auth import Handler, authenticate
from bot.webapp.deps import DEPS, AppDeps, http_error
from bot.webapp.static import INDEX, load_assets, respond

log = logging.getLogger(__name__)

TELEGRAM_SCRIPT = "https://telegram.org/js/telegram-web-app.js"
# Images are the outlets' own (https); Telegram Web shows Mini Apps in a frame of its own.
CSP = "; ".join(
    (
        "default-src 'none'",
        f"script-src 'self' {TELEGRAM_SCRIPT}",
        "style-src 'self'",
        "img-src 'self' https:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'self' https://web.telegram.org",
    )
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
ASSETS = web.AppKey("assets", dict)


async def _secure(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(HEADERS)
    if request.path.startswith("/api/"):
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """An unexpected failure is logged and answered with a JSON 500, never a traceback."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("webapp: %s %s failed", request.method, request.path)
        raise http_error(web.HTTPInternalServerError, "internal error") from None


async def _to_page(request: web.Request) -> web.StreamResponse:
    # The page's scripts are named relative to /app/; keep the query (?story=…).
    raise web.HTTPFound(request.rel_url.with_path("/app/"))


async def _page(request: web.Request) -> web.StreamResponse:
    return respond(request, request.app[ASSETS][INDEX], cache="no-cache")


async def _asset(request: web.Request) -> web.StreamResponse:
    asset = request.app[ASSETS].get(request.match_info["name"])
    if asset is None or request.match_info["name"] == INDEX:
        raise web.HTTPNotFound()
    versioned = "v" in request.query  # the page names every file with its version
    cache = "public, max-age=31536000, immutable" if versioned else "no-cache"
    return respond(request, asset, cache=cache)


def add_webapp(app: web.Application, deps: AppDeps) -> None:
    """Add the page and the API to `app` (the bot's one web server)."""
    app[DEPS] = deps
    app[ASSETS] = load_assets()
    reads = reading.PublicReads(deps)
    app[reading.READS] = reads

    async def close_reads(_: web.Application) -> None:
        await reads.close()

    app.on_cleanup.append(close_reads)
    app.middlewares.extend([json_errors, authenticate])
    app.on_response_prepare.append(_secure)
    app.router.add_get("/app", _to_page)
    app.router.add_get("/app/", _page)
    app.router.add_get(r"/app/{name:[a-z0-9_-]+\.[a-z]+}", _asset)
    for table in (reading.routes, reader.routes, admin.routes):
        app.router.add_routes(table)


def create_app(deps: AppDeps) -> web.Application:
    """An aiohttp application serving only the Mini App (tests and benchmarks use it alone)."""
    app = web.Application()
    add_webapp(app, deps)
    return app
