"""Settings of the demo OpenID Connect provider (never LAPE's settings; see the package docstring)."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

if os.environ.get("LAPE_DEMO_IDP") != "1":
    raise ImproperlyConfigured(
        "The demo OpenID Connect provider runs only for the demo and the tests (LAPE_DEMO_IDP=1)."
    )

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("LAPE_DEMO_IDP_DIR", BASE_DIR.parent.parent / "var" / "demo-idp"))
ISSUER = os.environ.get("LAPE_DEMO_IDP_ISSUER", "http://127.0.0.1:8001/o")

DEBUG = False
# Demo and tests only: a fixed key signs nothing but this provider's own login sessions.
SECRET_KEY = "lape-demo-idp-not-a-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oauth2_provider",
    "lape_demo_idp",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "lape_demo_idp.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "provider.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/login/"
# The provider's own session cookie must not be LAPE's (both run on 127.0.0.1).
SESSION_COOKIE_NAME = "lape_demo_idp_session"
CSRF_COOKIE_NAME = "lape_demo_idp_csrftoken"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def _signing_key() -> str:
    """The provider's RSA key (PEM), made once and kept, so every process of it signs alike."""
    path = DATA_DIR / "signing-key.pem"
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return path.read_text(encoding="ascii")


OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _signing_key(),
    "OIDC_ISS_ENDPOINT": ISSUER,
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "lape_demo_idp.claims.SuomiFiLikeValidator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "Name and identity code"},
    # Demo and tests speak plain http on the loopback address.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
}
