"""Django settings for the office's system. One source per setting: the environment.

- ``GONGKAI_DATA_DIR``: where the embedded database and the generated secret key live
  (default ``~/.local/share/gongkai``).
- ``GONGKAI_DATABASE_URL``: ``postgres://user:password@host:port/name`` for PostgreSQL
  (the production engine); unset: SQLite at ``$GONGKAI_DATA_DIR/gongkai.sqlite3``.
- ``GONGKAI_SECRET_KEY``: the secret key; unset: generated once and kept in the data dir.
- ``GONGKAI_ALLOWED_HOSTS``: host names the site answers to, comma-separated (default local only).
- ``GONGKAI_HTTPS_PROXY``: ``1`` when a reverse proxy in front ends HTTPS (X-Forwarded-Proto).
- ``GONGKAI_DEBUG``: ``1`` for Django's debug mode.
"""

from __future__ import annotations

import os
import secrets
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
if os.environ.get("GONGKAI_HTTPS_PROXY") == "1":
    # Behind a reverse proxy that ends HTTPS and says so in X-Forwarded-Proto (and passes Host):
    # requests count as secure, so CSRF accepts the https:// origin and cookies go over HTTPS only.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# In the database, so that every server process sees the same login failures.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "gongkai_cache"}}
# Login throttle: this many failed logins per username and address lock both out for the window.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW = 15 * 60  # seconds
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
