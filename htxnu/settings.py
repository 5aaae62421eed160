"""HTX Nữ settings.

Configuration comes only from environment variables. The defaults are safe for
development on one machine (SQLite, DEBUG on, demo data allowed); production sets
DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL, and a bad value stops the start.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    # *_FILE lets a secret come from a file (Docker/Kubernetes secrets) instead of the environment.
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "development-only-not-secret"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Demo accounts and demo data exist only where this is on; never in production.
DEMO_DATA_ALLOWED = env_bool("DEMO_DATA_ALLOWED", DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "axes",
    "ninja",  # serves its Swagger UI from our own static files, not a CDN
    # Before django_tasks_db: its `db_worker` command is core's, which beats (core.workers).
    "htxnu.core",
    "django_tasks_db",
    "htxnu.geo",
    "htxnu.accounts",
    "htxnu.registry",
    "htxnu.plans",
    "htxnu.activities",
    "htxnu.reporting",
    "htxnu.dashboard",
    "htxnu.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "htxnu.core.middleware.LanguageMiddleware",
    "htxnu.core.middleware.NulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during sign-in into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "htxnu.urls"
WSGI_APPLICATION = "htxnu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "htxnu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "htxnu.core.context_processors.active_unit",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",  # empty counts as unset
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker write to the same file: WAL lets readers go on
    # while one writes, IMMEDIATE takes the write lock up front instead of failing midway.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    # Argon2id with OWASP's parameters; older hashes are rehashed at sign-in (accounts/hashers.py).
    "htxnu.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in throttling (accounts/throttling.py): AXES_FAILURE_LIMIT failures for one username
# from one client address lock that pair for AXES_COOLOFF_MINUTES; AXES_ACCOUNT_FAILURE_LIMIT
# failures for one username from any addresses lock the username for AXES_ACCOUNT_COOLOFF_MINUTES.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_HANDLER = "htxnu.accounts.throttling.SignInThrottle"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_DEVICE_COOLOFF = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_COOLOFF_TIME = AXES_DEVICE_COOLOFF
AXES_ACCOUNT_FAILURE_LIMIT = env_int("AXES_ACCOUNT_FAILURE_LIMIT", 20)
AXES_ACCOUNT_COOLOFF = datetime.timedelta(minutes=env_int("AXES_ACCOUNT_COOLOFF_MINUTES", 5))
if AXES_ACCOUNT_COOLOFF > AXES_DEVICE_COOLOFF:
    raise ImproperlyConfigured("AXES_ACCOUNT_COOLOFF_MINUTES must not exceed AXES_COOLOFF_MINUTES")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]  # the device, then the account
AXES_CLIENT_IP_CALLABLE = "htxnu.core.clients.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "htxnu.accounts.throttling.lockout_response"
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["htxnu.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "htxnu" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

# Female share of workers above which a cooperative "creates many jobs for women",
# until the plan in force for its unit sets its own (">50" or ">=70").
DEFAULT_FEMALE_SHARE_THRESHOLD = env("DEFAULT_FEMALE_SHARE_THRESHOLD", ">50")

# The public portal: largest photo accepted, and inquiries a visitor's address may send per hour.
PORTAL_PHOTO_MAX_BYTES = env_int("PORTAL_PHOTO_MAX_MB", 8) * 1024 * 1024
PORTAL_INQUIRY_LIMIT = env_int("PORTAL_INQUIRY_LIMIT", 5)
# Stated on the open-data page and in its files.
PORTAL_DATA_LICENCE = env("PORTAL_DATA_LICENCE", "CC BY 4.0")

# Background work goes through Django's tasks framework on a database queue, so any
# number of app servers can enqueue and any number of `manage.py db_worker` can run it.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# The cache every process of an installation shares (decision 16): the portal's pages and
# its inquiry limit. CACHE_URL (or REDIS_URL), redis://host:6379/0, selects Django's Redis
# cache in production; without it, a table of the database (`htxnu_cache`, created by
# `migrate` through core's post_migrate handler), which needs no other server. The
# dashboards' figures are stored in their own table (dashboard.CachedFigures), not here.
CACHE_URL = env("CACHE_URL") or env("REDIS_URL")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL (or REDIS_URL) must be a redis://, rediss:// or unix:// address")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "htxnu"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "htxnu_cache",
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "htxnu"),
            # Django's default of 300 entries would keep few of the portal's pages.
            "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4},
        }
    }

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy on every response: scripts, styles, images and requests only from
# this site, no inline script or style (event handlers live in static/js/app.js, styles in
# the .css files), no framing, no plugins. data: images are the SVG charts that
# dashboard.js draws on a canvas for the PNG download. The API docs (django-ninja's Swagger
# UI from its own static files) pass it too; tests/test_csp.py checks pages in Chromium.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading binds the whole domain to HTTPS in browsers for months: the domain owner's
    # decision (SECURE_HSTS_PRELOAD=1), so `check --deploy` is not asked to warn about it.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz is probed over plain HTTP by load balancers.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "htxnu@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # 4xx answers are normal here (scope answers 404, roles 403); log only server errors.
    # WeasyPrint narrates every step of a PDF at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "django.request": {"level": "ERROR"},
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

TEST_RUNNER = "htxnu.core.tests.runner.Runner"
