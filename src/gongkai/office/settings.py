"""Django settings for the office's system. One source per setting: the environment.

- ``GONGKAI_DATA_DIR``: where the embedded database and the generated secret key live
  (default ``~/.local/share/gongkai``).
- ``GONGKAI_DATABASE_URL``: ``postgres://user:password@host:port/name`` for PostgreSQL
  (the production engine); unset: SQLite at ``$GONGKAI_DATA_DIR/gongkai.sqlite3``.
- ``GONGKAI_SECRET_KEY``: the secret key; unset: generated once and kept in the data dir.
- ``GONGKAI_ALLOWED_HOSTS``: host names the site answers to, comma-separated (default local only).
- ``GONGKAI_HTTPS_PROXY``: ``1`` when a reverse proxy in front ends HTTPS (X-Forwarded-Proto).
- ``GONGKAI_TRUSTED_PROXIES``: addresses or networks (``10.0.0.0/8``) of the reverse proxies whose
  ``X-Forwarded-For`` names the client, comma-separated; default the loopback (``127.0.0.1,::1``)
  when ``GONGKAI_HTTPS_PROXY`` is set, none otherwise (the peer's address is the client's).
- ``GONGKAI_DEBUG``: ``1`` for Django's debug mode.
- ``GONGKAI_EMAIL_HOST``, ``GONGKAI_EMAIL_PORT`` (default 25; 465 with ``GONGKAI_EMAIL_SSL=1``),
  ``GONGKAI_EMAIL_USER``, ``GONGKAI_EMAIL_PASSWORD``, ``GONGKAI_EMAIL_TLS=1`` / ``GONGKAI_EMAIL_SSL=1``,
  ``GONGKAI_EMAIL_FROM``: the mail server the reminders go through (``gongkai office digest``).
- ``GONGKAI_NOTIFIER``: the class sending reminders (dotted path; default e-mail; see ``notify.py``
  for plugging in an SMS gateway).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from gongkai.errors import GongkaiError
from gongkai.paths import data_dir


def database_from_url(url: str) -> dict:
    """A Django ``DATABASES`` entry from ``postgres://user:pw@host:port/name?opt=v`` or ``sqlite:////abs/path``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise GongkaiError(f"数据库地址 {url} 缺少数据库名，应写成 postgres://用户@主机:端口/数据库名")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
            # Each server process keeps its connection: opening one costs PostgreSQL a new
            # backend process, more than a whole page of queries.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    if scheme == "sqlite":
        path = unquote(parts.path)[1:]  # sqlite:///relative.db, sqlite:////absolute/path.db
        if not path:
            raise GongkaiError(f"数据库地址 {url} 缺少文件路径，应写成 sqlite:////绝对路径")
        return sqlite_database(path)
    raise GongkaiError(f"不支持的数据库地址 {url}：只支持 postgres:// 和 sqlite:///")


def sqlite_database(path: str | Path) -> dict:
    """A SQLite ``DATABASES`` entry fit for several server processes sharing the file: readers
    never wait for the writer (WAL), a writer waits its turn instead of failing, and a
    transaction takes the write lock when it begins rather than half-way through (where SQLite
    could only give up)."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
    }


def _secret_key(directory: Path) -> str:
    env = os.environ.get("GONGKAI_SECRET_KEY")
    if env:
        return env
    path = directory / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    directory.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key


def trusted_proxies(value: str | None, https_proxy: bool) -> list[str]:
    """``GONGKAI_TRUSTED_PROXIES`` checked: each entry an address or a network."""
    if value is None:
        return ["127.0.0.1", "::1"] if https_proxy else []
    entries = [e.strip() for e in value.split(",") if e.strip()]
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise GongkaiError(
                f"GONGKAI_TRUSTED_PROXIES 中的 {entry} 不是 IP 地址或网段："
                "应写成 127.0.0.1 或 10.0.0.0/8，多个用逗号分隔"
            ) from None
    return entries


DATA_DIR = data_dir()
SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = os.environ.get("GONGKAI_DEBUG") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("GONGKAI_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]

if os.environ.get("GONGKAI_DATABASE_URL"):
    _default_db = database_from_url(os.environ["GONGKAI_DATABASE_URL"])
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _default_db = sqlite_database(DATA_DIR / "gongkai.sqlite3")
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",
    "gongkai.office.agencies",
    "gongkai.office.applications",
    "gongkai.office.proactive",
    "gongkai.office.appeals",
    "gongkai.office.annual",
    "gongkai.office.web",
    "gongkai.office.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout response
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before any password check
    "django.contrib.auth.backends.ModelBackend",
    "gongkai.office.api.auth.ApiTokenBackend",  # API keys go through authenticate() as well
]

ROOT_URLCONF = "gongkai.office.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.office.web.context.navigation",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = str(DATA_DIR / "static")

# ------------------------------------------------------------------ the web workbench

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
HTTPS_PROXY = os.environ.get("GONGKAI_HTTPS_PROXY") == "1"
if HTTPS_PROXY:
    # Behind a reverse proxy that ends HTTPS and says so in X-Forwarded-Proto (and passes Host):
    # requests count as secure, so CSRF accepts the https:// origin and cookies go over HTTPS only.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# In the database, so that every server process sees the same entries.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "gongkai_cache"}}

# One lockout for every login (django-axes): the workbench, the admin and the API's keys.
# AXES_FAILURE_LIMIT failures of one user name from one client address lock that pair out for
# AXES_COOLOFF_TIME (even the right password is refused); another address is not affected, and a
# successful login clears the count. Counted in the database (AccessAttempt): every server
# process sees the same count, on SQLite and PostgreSQL alike.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the cool-off runs from the lockout, as the message says
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept (AccessFailureLog): the audit log lists them
AXES_LOCKOUT_CALLABLE = "gongkai.office.web.lockout.lockout_response"  # in Chinese; JSON for the API
# The client's address: X-Forwarded-For only from these proxies (web/lockout.py).
AXES_CLIENT_IP_CALLABLE = "gongkai.office.web.lockout.client_address"
GONGKAI_TRUSTED_PROXIES = trusted_proxies(os.environ.get("GONGKAI_TRUSTED_PROXIES"), HTTPS_PROXY)
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# ------------------------------------------------------------------ reminders (notify.py)

EMAIL_HOST = os.environ.get("GONGKAI_EMAIL_HOST", "localhost")
GONGKAI_EMAIL_CONFIGURED = bool(os.environ.get("GONGKAI_EMAIL_HOST"))
EMAIL_USE_SSL = os.environ.get("GONGKAI_EMAIL_SSL") == "1"
EMAIL_USE_TLS = os.environ.get("GONGKAI_EMAIL_TLS") == "1"
EMAIL_PORT = int(os.environ.get("GONGKAI_EMAIL_PORT") or (465 if EMAIL_USE_SSL else 25))
EMAIL_HOST_USER = os.environ.get("GONGKAI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GONGKAI_EMAIL_PASSWORD", "")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_EMAIL_FROM", "gongkai@localhost")
GONGKAI_NOTIFIER = os.environ.get("GONGKAI_NOTIFIER", "gongkai.office.notify.EmailNotifier")
