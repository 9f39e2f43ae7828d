"""The WSGI application the web server loads."""

import os
import subprocess
import sys


def test_what_the_application_loaded_is_out_of_the_collectors_way():
    """Frozen after loading: full collections no longer walk the modules, apps
    and models every request would otherwise pay for."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"}
    probe = "import gc, lms.wsgi; print(gc.get_freeze_count())"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(out.stdout.strip().splitlines()[-1]) > 10_000
