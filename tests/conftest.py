"""Fixtures shared by every test module."""

from __future__ import annotations

from pathlib import Path

import pytest

# Real data lives beside the repository (../shared/data) and is never copied into it.
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """The real-data folder, or skip when this machine does not have it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not available at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 deprecates RetryAfter.retry_after as seconds; the bot reads it as a timedelta
    # (`newsbot` sets this switch itself; in-process tests start no `newsbot`).
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
