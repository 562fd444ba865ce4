"""Turn HTTP statuses and aiohttp exceptions into one error type worded for operators."""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from http import HTTPStatus

import aiohttp

from bot.news.fetch.address_guard import REFUSED, RefusedAddress
from bot.news.fetch.headers import parse_retry_after

_TRANSIENT_STATUSES = frozenset({408, 425, 429})
_GONE_STATUSES = frozenset({404, 410})


class FetchError(Exception):
    """A fetch failed; the message says why in plain words, the flags say what to do next."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        transient: bool = False,
        gone: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after  # seconds, from Retry-After on 429/503
        self.transient = transient  # worth trying again later
        self.gone = gone  # 404/410: the caller may pause the source


def error_for_status(status: int, reason: str | None, headers: Mapping[str, str]) -> FetchError:
    """Return the error for a non-2xx, non-304 answer."""
    if not reason:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
    words = f"the server answered {status} {reason}".rstrip()
    retry_after = None
    if status in (429, 503):
        retry_after = parse_retry_after(headers.get("Retry-After"))
    if 300 <= status < 400:
        words += " without a usable Location"
    return FetchError(
        words,
        status=status,
        retry_after=retry_after,
        transient=status >= 500 or status in _TRANSIENT_STATUSES,
        gone=status in _GONE_STATUSES,
    )


def error_from_exception(exc: aiohttp.ClientError, max_redirects: int) -> FetchError:
    """Return the error for an aiohttp failure (connection, redirects, body)."""
    if isinstance(exc, aiohttp.TooManyRedirects):
        seen = [str(r.url) for r in exc.history]
        if len(set(seen)) < len(seen):
            return FetchError("redirect loop: the server keeps sending us back to the same page")
        return FetchError(f"too many redirects (more than {max_redirects})")
    if isinstance(exc, aiohttp.NonHttpUrlRedirectClientError):
        return FetchError("redirected to an address that is not http or https")
    if isinstance(exc, aiohttp.InvalidUrlRedirectClientError):
        return FetchError("redirected to an invalid address")
    if isinstance(exc, aiohttp.InvalidURL):
        return FetchError("the address is not a valid URL")
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return FetchError("cannot connect securely: the server's TLS certificate is not valid")
    if isinstance(exc, aiohttp.ClientConnectorSSLError):
        return FetchError("cannot connect securely: the TLS handshake failed", transient=True)
    if isinstance(exc, aiohttp.ClientConnectorError) and isinstance(exc.os_error, RefusedAddress):
        return FetchError(
            f"refused to connect to {exc.host}: {REFUSED} (a source added from chat may only "
            "reach public addresses)"
        )
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return FetchError("cannot connect: the host name was not found", transient=True)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return FetchError(f"cannot connect: {_os_words(exc.os_error)}", transient=True)
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return FetchError("the server closed the connection without answering", transient=True)
    if isinstance(exc, aiohttp.ClientPayloadError):
        return FetchError("the response body was cut off or badly encoded", transient=True)
    if isinstance(exc, aiohttp.ClientResponseError):
        # aiohttp raises these for answers it cannot parse (bad status line, huge headers).
        return FetchError(f"the server sent an answer that cannot be read ({exc.message})")
    if isinstance(exc, aiohttp.ClientConnectionError):
        return FetchError("the connection failed", transient=True)
    return FetchError(f"the request failed ({type(exc).__name__})", transient=True)


def _os_words(err: OSError) -> str:
    if isinstance(err, ConnectionRefusedError):
        return "connection refused"
    if isinstance(err, ConnectionResetError):
        return "the connection was reset"
    if isinstance(err, ssl.SSLError):
        return "the TLS handshake failed"
    if isinstance(err, TimeoutError):
        return "no answer"
    return (err.strerror or type(err).__name__).lower()


def fetch_error_kind(err: FetchError) -> str:
    """A short label for what went wrong, for metrics: from the status, else the cause."""
    status, cause = err.status, err.__cause__
    if status == 429:
        return "rate_limited"
    if status is not None:
        return "not_found" if err.gone else f"http_{status // 100}xx"
    if isinstance(cause, TimeoutError):
        return "timeout"
    if isinstance(cause, aiohttp.TooManyRedirects | aiohttp.RedirectClientError):
        return "redirect"
    if isinstance(cause, aiohttp.ClientConnectionError | aiohttp.ClientPayloadError):
        return "network"
    if isinstance(cause, aiohttp.ClientResponseError):
        return "bad_response"
    # Raised by the fetcher itself, with no cause: a body over the cap or a refused address.
    return "refused"
