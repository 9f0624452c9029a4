"""Django settings, read from the environment (see README "Configuration")."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
# The project root when running from a checkout; var/ holds the default SQLite file.
PROJECT_ROOT = Path(os.environ.get("LAPE_HOME", BASE_DIR.parent.parent)).resolve()
VAR_DIR = Path(os.environ.get("LAPE_VAR_DIR", PROJECT_ROOT / "var"))


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int, minimum: int = 0) -> int:
    """A whole number from the environment; a bad value stops the start with its name, not a traceback."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


DEBUG = _env_bool("LAPE_DEBUG", False)

SECRET_KEY = os.environ.get("LAPE_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or os.environ.get("LAPE_ALLOW_INSECURE_KEY") == "1":
        # Only for the demo and tests: a fixed development key, never used in production.
        SECRET_KEY = "lape-insecure-development-key-not-for-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("Set LAPE_SECRET_KEY (or LAPE_DEBUG=1 for development).")

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("LAPE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("LAPE_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "django_htmx",  # ships htmx.min.js as a static file: no CDN, nothing fetched at run time
    "django_otp",  # two-factor authentication (TOTP) for professionals: see docs/accounts.md
    "django_otp.plugins.otp_totp",
    "axes",  # login throttling: locks a username at an address out after repeated failures
    "lape.areas",
    "lape.directory",
    "lape.search",
    "lape.accounts",
    "lape.people",
    "lape.access",
    "lape.referrals",
    "lape.plans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After OTP and messages: ends sessions idle too long, too old, or logged out everywhere
    # (docs/accounts.md), and says why on the next page.
    "lape.accounts.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lape.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "lape.wsgi.application"

DEFAULT_DATABASE_URL = f"sqlite:///{(VAR_DIR / 'lape.sqlite3').as_posix()}"
DATABASE_URL = os.environ.get("LAPE_DATABASE_URL", DEFAULT_DATABASE_URL)
if DATABASE_URL == DEFAULT_DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as exc:  # an unknown scheme or a malformed URL
    raise ImproperlyConfigured(f"LAPE_DATABASE_URL is not a database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A worker keeps its connection between requests, as on PostgreSQL: opening one costs about 2 ms
    # (SQLite reads the schema again), more than a cached page. WAL lets the server read while an
    # import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Finnish first: the base language of the Finnish HSDS profile.
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_SECURE = _env_bool("LAPE_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGIN_URL = "/accounts/login/"

# Accounts (docs/accounts.md): axes checks every login before Django's own backend does.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _env_int("LAPE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("LAPE_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
# Count failures per username at one address: a typo elsewhere does not lock the person out everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Masked in the failure records axes keeps (the password is masked always).
AXES_SENSITIVE_PARAMETERS = ["code", "csrfmiddlewaretoken"]
AXES_LOCKOUT_CALLABLE = "lape.accounts.views.locked_out"
# The client's address: REMOTE_ADDR, or behind LAPE_PROXY_COUNT trusted proxies, from X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "lape.accounts.throttling.client_ip"
AXES_USERNAME_CALLABLE = "lape.accounts.throttling.client_username"
LAPE_PROXY_COUNT = _env_int("LAPE_PROXY_COUNT", 0)
OTP_TOTP_ISSUER = "LAPE"
# The admin never shows a TOTP key or its QR code: a device is set up by its owner.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LAPE_SESSION_IDLE_MINUTES = _env_int("LAPE_SESSION_IDLE_MINUTES", 30, minimum=1)
LAPE_SESSION_MAX_HOURS = _env_int("LAPE_SESSION_MAX_HOURS", 10, minimum=1)
# How long a concern signal stays in force (docs/plans.md, "Concern signals"): two years, as in the
# Dutch reference index (Verwijsindex), long enough for a second service to meet the first.
LAPE_CONCERN_SIGNAL_DAYS = _env_int("LAPE_CONCERN_SIGNAL_DAYS", 730, minimum=1)

# How many years client data is kept after the record ended (a plan closed, a concern signal ended,
# a contact request closed, a referral ended), per information category, before `lape purge`
# removes it. The basis of each default is in docs/plans.md ("Retention"): the longest periods are
# the law's (child protection, health), the others are cautious defaults for the controller to set
# from its own archive plan. LAPE_RETENTION_YEARS="social_services:12,ngo_support:3" changes some.
RETENTION_DEFAULT_YEARS: dict[str, int] = {
    "child_protection": 120,
    "health": 120,
    "social_services": 12,
    "pupil_welfare": 12,
    "early_education": 12,
    "ngo_support": 5,
    "contact": 12,
    "concern_signal": 5,
}


def _env_years(name: str, defaults: dict[str, int]) -> dict[str, int]:
    """`category:years,...` over the defaults; a bad one stops the start with its name and what was wrong."""
    years = dict(defaults)
    for part in filter(None, (p.strip() for p in os.environ.get(name, "").split(","))):
        key, sep, value = part.partition(":")
        key = key.strip()
        if not sep or key not in defaults:
            known = ", ".join(defaults)
            raise ImproperlyConfigured(f"{name}: {part!r} is not category:years with a category of {known}.")
        try:
            years[key] = int(value.strip())
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: the years of {key} must be a whole number, not {value!r}."
            ) from None
        if years[key] < 1:
            raise ImproperlyConfigured(f"{name}: the years of {key} must be at least 1, not {years[key]}.")
    return years


LAPE_RETENTION_YEARS = _env_years("LAPE_RETENTION_YEARS", RETENTION_DEFAULT_YEARS)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Identity codes never reach a log: every handler masks them (lape.people.log_masking).
    "filters": {"mask_identity_codes": {"()": "lape.people.log_masking.MaskIdentityCodes"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_identity_codes"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LAPE_LOG_LEVEL", "WARNING")},
    # Django's own handlers (console in DEBUG, mail_admins) would not mask: its records go to the root's.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}


# Identity codes (lape.people.sealing, docs/people.md): AES-256-GCM keys "id:base64key,…" (the first
# seals, all open) and the HMAC key of the lookup hash, kept apart from the data and the other keys.
# Each may also come from a file (…_FILE). None set: development keys in DEBUG or with
# LAPE_ALLOW_INSECURE_KEY=1; otherwise sealing a code raises ImproperlyConfigured.
def _env_or_file(name: str) -> str:
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {exc}") from exc
    return os.environ.get(name, "").strip()


IDENTITY_CODE_KEYS = _env_or_file("LAPE_IDENTITY_CODE_KEYS")
IDENTITY_CODE_LOOKUP_KEY = _env_or_file("LAPE_IDENTITY_CODE_LOOKUP_KEY")
IDENTITY_CODE_INSECURE_KEYS = DEBUG or os.environ.get("LAPE_ALLOW_INSECURE_KEY") == "1"

# Searched pages of the HSDS API are kept this long, or until the directory changes (0: not kept);
# see lape.directory.api_cache. Each server process has its own cache (LocMem); a shared backend
# (Redis, Memcached) can be set in CACHES["api"] when there are several servers.
API_CACHE_SECONDS = _env_int("LAPE_API_CACHE_SECONDS", 300)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "api": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "api",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

# Referrals (docs/referrals.md): notifications by e-mail carry no client details, only a link to
# LAPE_BASE_URL. With LAPE_EMAIL_HOST set they go by SMTP; without it (the demo) to the console.
# The family's strong identification through OpenID Connect (docs/accounts.md, "Family sign-in"):
# in production an OIDC broker of Suomi.fi e-Identification; in the demo the local provider.
# No issuer: family sign-in is off.
LAPE_FAMILY_OIDC = {
    "issuer": os.environ.get("LAPE_FAMILY_OIDC_ISSUER", "").strip(),
    "client_id": os.environ.get("LAPE_FAMILY_OIDC_CLIENT_ID", "").strip(),
    "client_secret": _env_or_file("LAPE_FAMILY_OIDC_CLIENT_SECRET"),
    "scope": os.environ.get("LAPE_FAMILY_OIDC_SCOPE", "openid profile"),
    # Suomi.fi's nationalIdentificationNumber attribute, as the brokers pass it on.
    "identity_code_claim": os.environ.get("LAPE_FAMILY_OIDC_IDENTITY_CODE_CLAIM", "urn:oid:1.2.246.21"),
    # The `acr` values of a strong identification: the Finnish Trust Network's LoA substantial and high.
    "strong_acr": [
        value.strip()
        for value in os.environ.get(
            "LAPE_FAMILY_OIDC_STRONG_ACR", "http://ftn.ficora.fi/2017/loa2,http://ftn.ficora.fi/2017/loa3"
        ).split(",")
        if value.strip()
    ],
}

LAPE_BASE_URL = os.environ.get("LAPE_BASE_URL", "http://127.0.0.1:8000")
EMAIL_HOST = os.environ.get("LAPE_EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "LAPE_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = _env_int("LAPE_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = os.environ.get("LAPE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = _env_or_file("LAPE_EMAIL_PASSWORD")
EMAIL_USE_TLS = _env_bool("LAPE_EMAIL_TLS", True)
EMAIL_TIMEOUT = 10
EMAIL_FILE_PATH = os.environ.get("LAPE_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("LAPE_EMAIL_FROM", "LAPE <noreply@lape.invalid>")
# Public contact requests: at most this many from one address in one window (lape.referrals.throttle).
LAPE_CONTACT_REQUEST_LIMIT = _env_int("LAPE_CONTACT_REQUEST_LIMIT", 5, minimum=1)
LAPE_CONTACT_REQUEST_WINDOW_MINUTES = _env_int("LAPE_CONTACT_REQUEST_WINDOW_MINUTES", 60, minimum=1)

# Where the public reference data lives (../shared/data next to the project root).
SHARED_DATA_DIR = Path(os.environ.get("LAPE_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))
