"""A migrated database per test (SQLite, and PostgreSQL when TEST_DATABASE_URL is set), and
the sender's two paths to Telegram."""

from collections.abc import Iterator

import pytest

from tests.dbs import engine, sessions
from tests.delivery import harness

__all__ = ["engine", "send_path", "sessions"]


@pytest.fixture(params=["ptb", "lean"])
def send_path(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test with the sender on PTB's Bot, then on the lean HTTP path."""
    harness.SEND_PATH = request.param
    try:
        yield request.param
    finally:
        harness.SEND_PATH = "ptb"
