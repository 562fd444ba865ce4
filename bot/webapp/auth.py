"""Who is asking: a reader proven by Telegram's initData, an admin, or nobody (read-only).

The page sends initData as `Authorization: tma <initData>`. A request without it may read what
anyone may (stories); a request with initData that does not validate gets 401 and a log line,
whatever it asked for, so a forged or stale launch never sees data. Admin routes check the
admins after the initData is proven, never before.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.webapp.deps import deps_of, http_error
from bot.webapp.initdata import InitData, InitDataError, validate
from storage.models import Admin

log = logging.getLogger(__name__)
SCHEME = "tma "
READER = web.RequestKey("reader", InitData)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def unauthorized(reason: str) -> web.HTTPUnauthorized:
    """401 with a JSON reason the page can show."""
    return web.HTTPUnauthorized(
        text=json.dumps({"error": "unauthorized", "reason": reason}),
        content_type="application/json",
        headers={"WWW-Authenticate": "tma"},
    )


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Validate initData when a request carries it; refuse the request when it does not hold."""
    header = request.headers.get("Authorization")
    if header is not None and request.path.startswith("/api/"):
        deps = deps_of(request)
        raw = header[len(SCHEME) :] if header.startswith(SCHEME) else ""
        try:
            request[READER] = validate(raw, deps.token, max_age=deps.max_age, now=deps.clock())
        except InitDataError as exc:
            # The address and the reason, never the initData itself (it is a credential).
            log.warning("webapp: refused %s %s from %s: %s", request.method, request.path,
                        request.remote, exc)  # fmt: skip
            raise unauthorized(str(exc)) from None
    return await handler(request)


def reader_of(request: web.Request) -> InitData | None:
    """The proven reader, or None for an ordinary browser."""
    return request.get(READER)


def require_reader(request: web.Request) -> InitData:
    """The proven reader; 401 without one (a reader's data needs initData)."""
    found = reader_of(request)
    if found is None:
        log.warning("webapp: refused %s %s from %s: no initData",
                    request.method, request.path, request.remote)  # fmt: skip
        raise unauthorized("no initData")
    return found


async def require_admin(request: web.Request) -> InitData:
    """The proven reader if an admin (ADMIN_IDS or /admin add); 403 for anyone else."""
    reader = require_reader(request)
    async with deps_of(request).sessions() as session:
        if await is_admin(request, session, reader.user.id):
            return reader
    log.warning("webapp: refused admin %s to user %s", request.path, reader.user.id)
    raise http_error(web.HTTPForbidden, "forbidden")


async def is_admin(request: web.Request, session: AsyncSession, user_id: int) -> bool:
    """Whether a user is an admin (for the page to show the admin view)."""
    if user_id in deps_of(request).settings.admin_ids:
        return True
    return await session.get(Admin, user_id) is not None
