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
