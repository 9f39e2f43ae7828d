"""Production: every secret from the environment, Redis for cache and sessions."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import REDIS_URL, STORAGES, env_bool

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")
if not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL must be set: production keeps its cache and reads sessions from Redis."
    )

DEBUG = False
STORAGES["staticfiles"] = {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
# Sessions read from Redis, written through to the database: a request reads no
# session row, and a Redis restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
LMS_REQUIRE_MFA_FOR_ADMIN = env_bool("LMS_REQUIRE_MFA_FOR_ADMIN", True)
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
# Behind the TLS proxy every request comes from the proxy's address: rate limits
# (sign-in, sign-up, password reset, certificate verification) read the client's
# address from X-Forwarded-For, counting this many proxies from the right, or from
# one header the proxy sets (e.g. "X-Real-IP"). 0 trusts no header.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None

# Credentials are signed only with the issuer's own keys, mounted at
# CREDENTIAL_KEYS_DIR (see the README): never a key made on the fly.
CREDENTIAL_KEYS_CREATE = False
