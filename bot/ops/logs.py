"""Logging set-up: one line per event, text or JSON, every configured secret redacted."""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any

from pythonjsonlogger.json import JsonFormatter

# Telegram tokens in URLs (…/bot123456:ABC…/sendMessage) even when the token is not configured.
_TOKEN_IN_URL = re.compile(r"bot\d{3,}:[A-Za-z0-9_-]{20,}")
# Credentials inside any URL (postgresql://user:password@host/db), configured or not.
_URL_PASSWORD = re.compile(r"([a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@/\s]+@", re.IGNORECASE)
# Attributes every LogRecord has; anything else on a record was passed as `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
}


class RedactSecrets(logging.Filter):
    """Replace secrets in a record's message, traceback, stack and extras before formatting."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if len(s) >= 6]

    def filter(self, record: logging.LogRecord) -> bool:
        message = redact(record.getMessage(), self._secrets)
        if record.exc_info and record.exc_info[1] is not None:
            # The traceback is rendered here, once, so no handler renders the raw one.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self._secrets)
        for key, value in vars(record).items():
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, redact(value, self._secrets))
        record.msg, record.args = message, None
        return True


class RedactingFormatter(logging.Formatter):
    """Redact the finished line too: a last guard for whatever a formatter adds."""

    def __init__(self, inner: logging.Formatter, secrets: Iterable[str]) -> None:
        super().__init__()
        self._inner = inner
        self._secrets = [s for s in secrets if len(s) >= 6]

    def format(self, record: logging.LogRecord) -> str:
        return redact(self._inner.format(record), self._secrets)


def redact(text: str, secrets: Iterable[str]) -> str:
    """Hide the given secrets, anything shaped like a bot token and passwords in URLs."""
    for secret in secrets:
        text = text.replace(secret, "***")
    text = _URL_PASSWORD.sub(r"\1***@", text)
    return _TOKEN_IN_URL.sub("bot***", text)


def line_formatter(log_format: str) -> logging.Formatter:
    """Plain text, or one JSON object per line (time, level, logger, message, extras)."""
    if log_format == "json":
        return JsonFormatter(
            "{levelname}{name}{message}",
            style="{",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
            json_ensure_ascii=False,
        )
    return logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


def setup_logging(level: str, secrets: Iterable[str], log_format: str = "text") -> None:
    """Log to stderr, one line per event, secrets redacted; uncaught errors go there too."""
    secrets = list(secrets)
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(line_formatter(log_format), secrets))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every Bot API URL, which carries the token; keep it quiet.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if root.getEffectiveLevel() > logging.DEBUG:
        # Alembic says "Context impl …" and "Will assume …" at INFO on every command.
        logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.captureWarnings(True)
    # Python prints an uncaught exception's traceback itself, past the handler's redaction.
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_thread_crash


def _log_uncaught(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    logging.getLogger("newsbot").critical("uncaught exception", exc_info=(kind, value, tb))


def _log_thread_crash(args: Any) -> None:
    if args.exc_value is not None:
        logging.getLogger("newsbot").error(
            "uncaught exception in thread %s",
            getattr(args.thread, "name", "?"),
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )
