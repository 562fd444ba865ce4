"""Where benchmarks find the real data kept outside the repository."""

from __future__ import annotations

import sys
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def require_shared_data() -> Path:
    """Return ../shared/data, or exit with a clear message when it is absent."""
    if not SHARED_DATA.is_dir():
        sys.exit(f"this benchmark needs the real data at {SHARED_DATA}")
    return SHARED_DATA
