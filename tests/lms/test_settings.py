"""Production settings, checked in a fresh process as a deployment would load them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "SECRET_KEY": "x7!k2v#p9q@w3e$r5t^y8u&i1o*p0a(s)d-f_g+h=j4l6z;c.v,b",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "DATABASE_URL": "sqlite:///:memory:",
    "ALLOWED_HOSTS": "academy.example.com",
}


def run_manage(*args, env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in PRODUCTION_ENV
        and not key.startswith("LMS_")
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"  # set by the browser tests' conftest
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warning():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_reads_sessions_and_cache_from_redis():
    code = (
        "from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.DEBUG,"
        " s.ACCOUNT_EMAIL_VERIFICATION, s.LMS_REQUIRE_MFA_FOR_ADMIN)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django_redis.cache.RedisCache",
        "django.contrib.sessions.backends.cached_db",
        "False",
        "mandatory",
        "True",
    ]
