"""Logging set-up with every configured secret redacted from every line."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

# Telegram tokens in URLs (…/bot123456:ABC…/sendMessage) even when the token is not configured.
_TOKEN_IN_URL = re.compile(r"bot\d{3,}:[A-Za-z0-9_-]{20,}")


class RedactSecrets(logging.Filter):
    """Replace secrets in a record's final message before any handler formats it."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if len(s) >= 6]

    def filter(self, record: logging.LogRecord) -> bool:
        message = redact(record.getMessage(), self._secrets)
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(
                logging.Formatter().formatException(record.exc_info), self._secrets
            )
            record.exc_info = None
        record.msg, record.args = message, None
        return True


def redact(text: str, secrets: Iterable[str]) -> str:
    """Hide the given secrets and anything shaped like a bot token."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return _TOKEN_IN_URL.sub("bot***", text)


def setup_logging(level: str, secrets: Iterable[str]) -> None:
    """Log to stderr, one line per event, secrets redacted."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every Bot API URL, which carries the token; keep it quiet.
    logging.getLogger("httpx").setLevel(logging.WARNING)
