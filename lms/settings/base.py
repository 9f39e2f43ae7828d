"""Settings shared by every environment.

Everything deploy-specific comes from the environment. With nothing set the project
runs on SQLite, an embedded Celery transport under ``var/`` and file-based e-mail, so
that it needs no server to install.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .csp import admin_policy, origin, site_policy

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("LMS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "accounts",
    "lms",
    "courses",
    "exams",
    "classes",
    "onboarding",
    "certificates",
    "assignments",
    "notifications",
    "reports",
    "people",
    "api",
    "webhooks",
    "xapi",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
]

MIDDLEWARE = [
    # Each generation number (the content version, a person's) read once per request.
    "accounts.generations.GenerationsPerRequest",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Outside everything that makes a page one visitor's (CSRF, sign-in,
    # messages, the CSP nonce), so a kept page carries the headers it was sent with.
    "lms.page_cache.VisitorPageCacheMiddleware",
    "api.middleware.ApiConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, keeping sessions of the sign-in backends' old paths signed in.
    "accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lms.security.ContentSecurityPolicyMiddleware",
    # Inside the policy's middleware, so it can widen form-action for one page.
    "people.middleware.SamlGuardMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.AdminMFARequiredMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # It calls the admin editors' views itself, under a lock per object.
    "lms.edit_lock.SerialisedEditsMiddleware",
    # Only a view hook: Wagtail's route to a page, from the cache.
    "lms.page_routes.KeptRouteMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "lms.context_processors.navigation",
                "lms.context_processors.choices",
                "notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Exam day's hottest statements (the autosave, the small reads of every page)
# are prepared on PostgreSQL: planned once per connection. Off behind a
# connection pooler that keeps no prepared statements (PgBouncer before 1.21).
LMS_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
if (
    LMS_PREPARED_STATEMENTS
    and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
):
    # psycopg prepares a statement on its first run. Only the cursors of
    # accounts.api.planned_cursor() send their parameters apart, so only their
    # statements are prepared (Django's own cursors bind on the client).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's, each reading the signed-in person with one statement.
AUTHENTICATION_BACKENDS = [
    "accounts.auth_backends.ModelBackend",
    "accounts.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    # ASVS 2.1.1: at least 12 characters.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    # ASVS 2.1.7: Django ships, offline, 20,000 passwords most often found in
    # breach corpora (Royce Williams' list); none of them is accepted.
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
# Candidates' exam hand-ins are never served from MEDIA_URL: only views that check
# who is asking read them.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": PRIVATE_MEDIA_ROOT,
        "base_url": "/private-files-are-not-served/",
    },
}
# An S3-compatible bucket replaces local media when its name is configured.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        # Private files leave only through a view that checks who asks; with S3 it
        # hands out a signed URL that expires within a minute.
        "OPTIONS": {
            "location": "private",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
        },
    }

# --- Redis: cache, sessions and the Celery broker -----------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    # Sessions read from Redis, written through to the database: a request reads
    # no session row, and a Redis restart signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # A real (not dummy) cache even in the demo: login rate limits need one.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # Room for the parts of pages kept for every learner (300 would
            # drop them as fast as they are kept).
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    }

# Visitors' pages are warmed this many seconds after a content change commits (a
# burst of publishes is warmed once); empty turns the warm-up off.
_WARM_DELAY = os.environ.get("VISITOR_PAGES_WARM_DELAY", "30")
VISITOR_PAGES_WARM_DELAY = int(_WARM_DELAY) if _WARM_DELAY else None
# A warm-up stops after this many seconds (it leaves the worker to exam-day tasks;
# pages it did not reach are kept by their first visitor instead).
VISITOR_PAGES_WARM_BUDGET = int(os.environ.get("VISITOR_PAGES_WARM_BUDGET") or "600")

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A task whose worker died unacknowledged is redelivered after this many
    # seconds; every task here is short and idempotent, so ten minutes is ample.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "600"))
    }
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    for _folder in (_queue_dir, VAR_DIR / "celery" / "control"):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
from .schedule import CELERY_BEAT_SCHEDULE  # noqa: E402, F401 - the periodic jobs

# --- E-mail ----------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "MWRASP Academy <academy@example.com>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts (django-allauth) ---------------------------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/dashboard/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupNameForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[MWRASP Academy] "
# Ten wrong passwords in a row lock the form for that address (and the client's IP).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/15m/ip,10/15m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "MWRASP Academy"
# Anyone who can open the Wagtail admin must have enrolled a second factor first.
LMS_REQUIRE_MFA_FOR_ADMIN = env_bool("LMS_REQUIRE_MFA_FOR_ADMIN", False)

# Enterprise single sign-on through OpenID Connect (Okta, Azure AD, Keycloak, ...).
SOCIALACCOUNT_PROVIDERS: dict = {}
if os.environ.get("OIDC_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": os.environ.get("OIDC_PROVIDER_ID", "sso"),
                "name": os.environ.get("OIDC_PROVIDER_NAME", "Company sign-in"),
                "client_id": os.environ["OIDC_CLIENT_ID"],
                "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
                "settings": {"server_url": os.environ.get("OIDC_SERVER_URL", "")},
            }
        ],
    }
SOCIALACCOUNT_ADAPTER = "people.social_adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True

# --- Content-Security-Policy (lms/security.py) ------------------------------------------
# Uploaded images may come from a bucket's domain; the SSO button's POST leads to the
# identity provider.
CSP_MEDIA_ORIGINS = [
    url
    for url in (
        origin(os.environ.get("MEDIA_ORIGIN", "")),
        origin(f"https://{os.environ.get('AWS_S3_CUSTOM_DOMAIN', '')}"),
    )
    if url
]
CSP_FORM_TARGETS = [
    url for url in (origin(os.environ.get("OIDC_SERVER_URL", "")),) if url
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": site_policy(
        form_targets=CSP_FORM_TARGETS, media_origins=CSP_MEDIA_ORIGINS
    )
}
CONTENT_SECURITY_POLICY_ADMIN = admin_policy(CONTENT_SECURITY_POLICY["DIRECTIVES"])

# --- Wagtail ---------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "MWRASP Academy"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# The admin asks no third party for anything: no Gravatar images (they would leak a
# hash of each editor's e-mail address), no release check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "zip"]
SITE_URL = WAGTAILADMIN_BASE_URL

# --- Credentials -------------------------------------------------------------------------
# The issuer's Ed25519 keys that sign Open Badges credentials and the status list: one
# PEM file each; the newest private key signs, every key stays published (JWKS) so
# credentials signed before a rotation still verify. Development makes a first key.
CREDENTIAL_KEYS_DIR = Path(
    os.environ.get("CREDENTIAL_KEYS_DIR", VAR_DIR / "keys" / "credentials")
)
CREDENTIAL_KEYS_CREATE = True
CREDENTIAL_ISSUER_NAME = WAGTAIL_SITE_NAME
# The issuer's PDF signing key and X.509 certificate (key.pem, cert.pem): every
# certificate PDF is signed with them. Development makes a self-signed pair.
CERTIFICATE_PDF_SIGNING_DIR = Path(
    os.environ.get("CERTIFICATE_PDF_SIGNING_DIR", VAR_DIR / "keys" / "pdf")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Page and task bookkeeping is chatty at INFO; keep the console readable.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"

# --- SCIM 2.0 provisioning (people/scim) ------------------------------------------------
SCIM_SERVICE_PROVIDER = {
    "SCHEME": urlsplit(SITE_URL).scheme or "https",
    "NETLOC": urlsplit(SITE_URL).netloc or "localhost",
    "USER_ADAPTER": "people.scim.adapters.PersonAdapter",
    "GROUP_ADAPTER": "people.scim.adapters.RoleAdapter",
    "AUTHENTICATION_SCHEMES": [
        {
            "type": "oauthbearertoken",
            "name": "Bearer token",
            "description": "A token per identity-provider connection, created "
            "by a training admin under Settings > Provisioning.",
            "primary": True,
        }
    ],
}

# --- REST API (api/) ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonalAccessTokenAuthentication",
        "api.authentication.ClientCredentialsAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScope"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.CallerRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "caller": os.environ.get("API_RATE_LIMIT", "600/min"),
    },
    "EXCEPTION_HANDLER": "api.problems.handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MWRASP Academy API",
    "DESCRIPTION": "People, catalog, learning, results and certificates. "
    "Authenticate with an OAuth2 client-credentials token or a personal access "
    "token (Authorization: Bearer). Errors are RFC 9457 problem details.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Only the public API: the Wagtail admin's own DRF endpoints stay out.
    "PREPROCESSING_HOOKS": ["api.schema.public_endpoints_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.problem_responses",
    ],
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "SCOPES_BACKEND_CLASS": "api.oauth.Scopes",
    "OAUTH2_VALIDATOR_CLASS": "api.oauth.Validator",
    "PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    # Every recommendation of the OAuth 2.0 Security BCP (RFC 9700), tokens
    # stored hashed included.
    **{
        f"COMPLIANT_BCP_RFC9700_{part}": True
        for part in (
            "IMPLICIT_GRANT",
            "PASSWORD_GRANT",
            "PKCE_METHOD",
            "ACCESS_TOKEN_TRANSPORT",
            "AUTHZ_RESPONSE_ISS",
            "TOKEN_STORAGE",
            "REFRESH_TOKEN",
            "REDIRECT_URI_SCHEME",
            "REDIRECT_URI_MATCHING",
            "PKCE_REQUIRED",
        )
    },
}

# --- Webhooks (webhooks/) -------------------------------------------------------------------
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
# Receivers must use HTTPS, except in development (a receiver on this machine).
WEBHOOKS_ALLOW_HTTP = env_bool("WEBHOOKS_ALLOW_HTTP")

# --- xAPI statements to learning record stores (xapi/) ------------------------------------
# Stores are set up in the admin (Settings → Learning record stores); the same
# HTTPS rule as webhooks applies to their endpoints.
XAPI_TIMEOUT_SECONDS = float(os.environ.get("XAPI_TIMEOUT_SECONDS", "10"))
