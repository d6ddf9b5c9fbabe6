"""RETA settings: one module, every difference between machines comes from the environment.

Variables are documented in `.env.example`. A `.env` file beside manage.py is read when present
(`make run` writes one for a try-out); real environment variables win over it.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Served behind TLS in production: secure cookies, HSTS, redirect to https.
HTTPS = env.bool("RETA_HTTPS", default=False)
# The proxies (nginx; addresses or networks) whose X-Forwarded-For names the client: the audit
# trail records that address instead of the proxy's (reta.middleware.ForwardedClientMiddleware).
RETA_TRUSTED_PROXIES = env.list("RETA_TRUSTED_PROXIES", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "audit",
    "administration",
    "people",
    "complaints",
    "stats",
    "paperforms",
    "diligences",
    "investigations",
    "analysis",
    "htcds",
    "demo",
]

MIDDLEWARE = [
    "reta.middleware.ForwardedClientMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "reta.middleware.RequestIdMiddleware",
    "reta.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "reta.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "reta.middleware.SessionLimitsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: the user and the session are already read (from the primary) when it routes the view's reads.
    "reta.middleware.ReplicaRoutingMiddleware",
]

ROOT_URLCONF = "reta.urls"
WSGI_APPLICATION = "reta.wsgi.application"

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
                "reta.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"charset": "utf8mb4"})
    DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A read replica (README "Read replica"): the statistics, cross-case analysis and the exports read
# it (reta.db_router); every write, every read in a transaction and a user's reads for
# RETA_REPLICA_PIN_SECONDS after a write go to the primary. Unset: no `replica` alias, no router.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
RETA_REPLICA_PIN_SECONDS = env.int("RETA_REPLICA_PIN_SECONDS", default=15)
# Routed reads go to the primary while the replica is more than this behind, not replicating or
# unreachable (0: never checked); checked at most every RETA_REPLICA_CHECK_SECONDS per process,
# and after a failed check not again for RETA_REPLICA_RETRY_SECONDS (the primary meanwhile).
RETA_REPLICA_MAX_LAG_SECONDS = env.int("RETA_REPLICA_MAX_LAG_SECONDS", default=30)
RETA_REPLICA_CHECK_SECONDS = env.int("RETA_REPLICA_CHECK_SECONDS", default=5)
RETA_REPLICA_RETRY_SECONDS = env.int("RETA_REPLICA_RETRY_SECONDS", default=60)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.mysql":
        DATABASES["replica"].setdefault("OPTIONS", {})
        # A replica on the same network connects in milliseconds: one that does not within a second
        # is down (the health check then sends routed reads to the primary for a while).
        DATABASES["replica"]["OPTIONS"].update({"charset": "utf8mb4", "connect_timeout": 1})
    DATABASES["replica"]["ATOMIC_REQUESTS"] = False
    DATABASE_ROUTERS = ["reta.db_router.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "administration.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "administration.backends.UnitAccountBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "administration.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout: 5 consecutive failures per username, 10 minutes (SECURITY.md 2).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=10)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "administration.views.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# The failures and the lock are rows of the database (axes' database handler), so every app server
# counts the same failures (README "Several app servers"); never axes' cache handler.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# SECURITY.md 2 asks for a lock per user name, not per address: police stations share one public
# IP behind NAT, and a lock per IP would shut a whole station out. axes warns about it (W006).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions: 30 minutes idle, 12 hours in any case (SECURITY.md 5).
SESSION_IDLE_SECONDS = env.int("RETA_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("RETA_SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
# The complaint form warns this many seconds before the idle limit (where JavaScript runs), and a
# form sent after its session expired is kept for its user this many hours (complaints.pending).
SESSION_WARNING_SECONDS = env.int("RETA_SESSION_WARNING_SECONDS", default=5 * 60)
PENDING_ENTRY_HOURS = env.int("RETA_PENDING_ENTRY_HOURS", default=72)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
# Sessions are rows of the database (sign-out and the limits delete them), shared by every app
# server; messages ride in a cookie signed with SECRET_KEY, falling back to the session.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

OTP_TOTP_ISSUER = "RETA-PNP"

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "reta_language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env.str("TIME_ZONE", default="America/Lima")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")  # never served as static
# Photographs and fingerprint cards of case files: outside the web root, no URL, served only by
# access-checked views (reta.private_media, investigations.views.persons).
RETA_PRIVATE_MEDIA_ROOT = env.path("RETA_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
# Largest photograph or fingerprint card accepted (investigations.images).
RETA_IMAGE_MAX_BYTES = env.int("RETA_IMAGE_MAX_BYTES", default=8 * 1024 * 1024)
# Largest scan accepted by an upload (answers of the preliminary investigation register).
RETA_UPLOAD_MAX_BYTES = env.int("RETA_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# An alert not acknowledged within these hours escalates one level up the tree
# (`manage.py escalate_alerts`, run by cron; complaints.alerts).
RETA_ALERT_DEADLINE_HIGH_HOURS = env.int("RETA_ALERT_DEADLINE_HIGH_HOURS", default=24)
RETA_ALERT_DEADLINE_NORMAL_HOURS = env.int("RETA_ALERT_DEADLINE_NORMAL_HOURS", default=72)
# The match index of cross-case analysis (analysis.signals, analysis.index_work): every write leaves
# its index work in a table, in its own transaction; "commit" (default): the same request does it
# right after the commit; "worker": `manage.py match_index_worker` (a service beside gunicorn) does
# it, and the registration's request does none of it (README "Candidate matches and the match index").
RETA_MATCH_INDEX = env.str("RETA_MATCH_INDEX", default="commit")
if RETA_MATCH_INDEX not in ("commit", "worker"):
    raise ImproperlyConfigured("RETA_MATCH_INDEX is commit or worker (see .env.example).")
# Stored files go through Django's storage API only: "default" holds the scans of answers
# (diligences), "private" the photographs and fingerprint cards (reta.private_media). Local folders
# by default (MEDIA_ROOT, RETA_PRIVATE_MEDIA_ROOT); with RETA_STORAGE=s3 an S3-compatible bucket
# shared by every app server (README "Several app servers"), where neither has a URL: the
# access-checked views stream them. Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from
# the environment (boto3 reads them), or the machine's role.
RETA_STORAGE = env.str("RETA_STORAGE", default="local")
if RETA_STORAGE == "local":
    _file_storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "reta.private_media.PrivateFileSystemStorage"},
    }
elif RETA_STORAGE == "s3":
    _bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="")
    if not _bucket:
        raise ImproperlyConfigured("RETA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (see .env.example).")
    _s3_options = {
        "bucket_name": _bucket,
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
    }
    _file_storages = {
        "default": {"BACKEND": "reta.storage_s3.PrivateS3Storage", "OPTIONS": {**_s3_options, "location": "media"}},
        "private": {
            "BACKEND": "reta.storage_s3.PrivateS3Storage",
            "OPTIONS": {**_s3_options, "location": "private_media"},
        },
    }
else:
    raise ImproperlyConfigured("RETA_STORAGE is local or s3 (see .env.example).")
STORAGES = {
    **_file_storages,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# The cache is shared by every app server: a table of the database by default (`manage.py
# createcachetable`, run by `make run`), or any shared cache django-environ reads from CACHE_URL
# (e.g. memcache://127.0.0.1:11211 with pymemcache installed). Never a cache of one process
# (locmemcache://) behind several app servers.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://reta_cache")}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="RETA PNP <no-responder@reta.pnp.gob.pe>")
# Seconds an SMTP connection may wait for the mail server. The alert e-mails of a registration are
# sent after its commit in the officer's request: without a timeout, a mail server that accepts the
# connection and never answers would hold that request until gunicorn kills its worker (90 s). The
# registration is committed either way; the e-mail that timed out is logged and audited
# (complaints.services._mail_alerts) and the alert waits in the unit's inbox.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# Security headers (SECURITY.md 21); CSP is set by reta.middleware.SecurityHeadersMiddleware.
CSRF_FAILURE_VIEW = "administration.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# The demo data (make run) uses this password for every demo account.
RETA_DEMO_PASSWORD = env.str("RETA_DEMO_PASSWORD", default="reta-demo-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # Django's own loggers print to the console themselves; do not print them twice.
    "loggers": {"django": {"handlers": [], "propagate": True, "level": env.str("LOG_LEVEL", default="WARNING")}},
}
