"""Word what stops a command, for the operator: one line, plain words, no secrets."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.config import Settings
from bot.ingest.sources_file import SourcesFileError
from bot.ops.logs import redact
from storage.db import DatabaseUnavailable

log = logging.getLogger("bot.cli.main")


def explain_failure(exc: BaseException, settings: Settings) -> tuple[str, int]:
    """Return the one-line message and exit code for an exception that ended a command.

    The detail (traceback included) is logged at DEBUG, redacted like every log line, so
    LOG_LEVEL=DEBUG shows it without the token ever reaching the terminal.
    """
    secrets = settings.secrets()
    log.debug("the command stopped", exc_info=exc)
    if isinstance(exc, SourcesFileError):
        return _line(str(exc), secrets), 2
    if isinstance(exc, DatabaseUnavailable):
        return _line(str(exc), secrets), 1
    detail = _line(f"{type(exc).__name__}: {exc}", secrets)
    telegram = _telegram_words(exc, settings)
    if telegram is not None:
        log.error("the Bot API call failed: %s", detail)
        return _line(telegram, secrets), 1
    log.error("stopped by an unexpected error: %s", detail)
    words = f"stopped by an unexpected error ({type(exc).__name__}); LOG_LEVEL=DEBUG shows why"
    return _line(words, secrets), 1


def _telegram_words(exc: BaseException, settings: Settings) -> str | None:
    # Imported here: commands other than `run` never load python-telegram-bot.
    from telegram.error import Forbidden, InvalidToken, NetworkError, TelegramError

    api = settings.telegram_api_url
    if isinstance(exc, InvalidToken):
        return (
            f"the Bot API at {api} rejected the bot token: check BOT_TOKEN "
            "(the token @BotFather gave you) and TELEGRAM_API_URL"
        )
    if isinstance(exc, Forbidden):
        return f"the Bot API at {api} refused the request: check BOT_TOKEN"
    if isinstance(exc, NetworkError):  # TimedOut is one too
        return f"cannot reach the Bot API at {api}: check TELEGRAM_API_URL and the network"
    if isinstance(exc, TelegramError):
        return f"the Bot API at {api} answered with an error ({type(exc).__name__})"
    return None


def _line(text: str, secrets: Iterable[str]) -> str:
    """One line, secrets and token-shaped strings hidden."""
    return redact(" ".join(text.split()), secrets)
