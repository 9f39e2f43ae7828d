"""Where the browser tests find Chromium, and why they skip without it."""

import os
import shutil
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
if not Path(CHROMIUM).exists():
    CHROMIUM = shutil.which("chromium") or CHROMIUM


def chromium_missing_reason() -> str | None:
    """None when Chromium is installed; else the one-line reason to skip."""
    if Path(CHROMIUM).exists():
        return None
    return (
        f"browser tests skipped: no Chromium at {CHROMIUM} "
        "(install Debian's chromium package, or set CHROMIUM_PATH)"
    )
