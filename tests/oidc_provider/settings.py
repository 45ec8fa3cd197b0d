"""Settings of the test OpenID Connect provider: its own, never the app's.

The database is the SQLite file named by OIDC_PROVIDER_DB. The issuer is OIDC_PROVIDER_ISSUER when given
(`__main__` gives http://127.0.0.1:<port>/o), so the ID tokens' `iss` is the same whatever Host a client sends.
Every process makes its own secret key and RSA signing key; nothing here is worth keeping.
"""

import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured

HERE = Path(__file__).resolve().parent

try:
    DATABASE_PATH = os.environ["OIDC_PROVIDER_DB"]
except KeyError:
    raise ImproperlyConfigured("Set OIDC_PROVIDER_DB to the provider's SQLite file (or use --db)") from None

SECRET_KEY = secrets.token_urlsafe(50)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "tests.oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.oidc_provider.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,  # the toolkit's error page for a refused authorization request
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATABASE_PATH,
        # `adduser` and `redirect-uris` write from another process while the server runs.
        "OPTIONS": {"timeout": 20},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
STATIC_URL = "/static/"  # the toolkit's templates name a stylesheet; it is never served

LOGIN_URL = "/accounts/login/"
# Browsers keep cookies per host, not per port: the app under test may run on the same host, so the
# provider's cookies must not share its names.
SESSION_COOKIE_NAME = "oidc_provider_session"
CSRF_COOKIE_NAME = "oidc_provider_csrftoken"

# Hashing at full strength costs about 0.3 s a time and every sign-in checks a password and a client
# secret. The client secret is still stored hashed, with this hasher, as the toolkit does by default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

_signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": os.environ.get("OIDC_PROVIDER_ISSUER", ""),
    "OIDC_RSA_PRIVATE_KEY": _signing_key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode(),
    "PKCE_REQUIRED": True,
    # Refuse the "plain" PKCE method and stop advertising it: S256 only.
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "SCOPES": {
        "openid": "Sign you in",
        "email": "Your email address",
        "profile": "Your name",
    },
    "DEFAULT_SCOPES": ["openid"],
    # The client is registered for the authorization-code grant only; say nothing of the others.
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validators.ClaimsValidator",
}
