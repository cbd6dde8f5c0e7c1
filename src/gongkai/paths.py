"""Where gongkai keeps the user's data: ``$GONGKAI_DATA_DIR``, else the XDG data directory."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The data directory (SQLite database, secret key, calendar files, letter templates)."""
    env = os.environ.get("GONGKAI_DATA_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "gongkai"
