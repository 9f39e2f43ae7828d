"""The embedded demo: ``make run`` with no environment set."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
SECRET_KEY = os.environ.get(
    "SECRET_KEY", "dev-only-secret-key-never-used-in-production-3f9b0c5e7a"
)
VAR_DIR.mkdir(parents=True, exist_ok=True)
