"""One settings module, read from environment variables.

With no environment the portal runs on a SQLite file in the project and runs Celery tasks in process.
With DATABASE_URL and REDIS_URL it runs on PostgreSQL with a real Celery worker on Redis.
"""

import os
import sys
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=False)
TESTING = "PYTEST_VERSION" in os.environ
# Commands that only read the model code and never serve a request or sign anything may run without
# production secrets (the before-stop hook and image builds run them bare). Everything else refuses.
CODE_ONLY_COMMANDS = {"makemigrations", "collectstatic"}
CODE_ONLY = Path(sys.argv[0]).name == "manage.py" and len(sys.argv) > 1 and sys.argv[1] in CODE_ONLY_COMMANDS

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or TESTING or CODE_ONLY):
        raise ImproperlyConfigured(
            "Задайте SECRET_KEY: без DEBUG портал не запускается с ключом по умолчанию."
        )
    SECRET_KEY = "insecure-local-development-key-only-for-debug-and-tests"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    if not (DEBUG or TESTING or CODE_ONLY):
        raise ImproperlyConfigured(
            "Задайте ALLOWED_HOSTS: без DEBUG портал не запускается без списка хостов."
        )
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "schools.admin_site.PortalAdminConfig",  # django.contrib.admin with the administrators-only site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "schools",
    "indicators",
    "monitoring",
    "roadmaps",
    "reports",
    "documents",
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
    "schools.middleware.OtpRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "schools.error_pages.ApplicationErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "schools.context_processors.portal",
                "reports.accessibility.context",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A new connection per request costs about 7x; keep them and check them before reuse.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30
    DATABASES["default"]["TEST"] = (
        {"NAME": env("SQLITE_TEST_NAME", default="")} if env("SQLITE_TEST_NAME", default="") else {}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing a password costs about 0.2 s with PBKDF2 and tests create several users each; the stronger
    # hashers stay listed so that hashes made outside the test process (a demo database) still verify.
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ENGINE = "schools.sessions"  # database sessions; a malformed cookie is no session, never a 500

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
# Lock the pair, not the name or the address alone (schools/login_guard.py): made-up names from one address
# must not lock its real users out, and wrong passwords from one address must not lock the account everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "schools.login_guard.PortalAxesHandler"
AXES_CLIENT_IP_CALLABLE = "schools.login_guard.client_ip_address"
# Proxies in front of the portal whose X-Forwarded-For entries are believed (docker-compose.yml: Caddy, 1).
# 0 = none: the address is the connection's own and any X-Forwarded-For a client sends is ignored.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Failed logins from one address beyond the free ones are answered after a delay doubling up to the maximum.
LOGIN_FAILURES_FREE_PER_ADDRESS = env.int("LOGIN_FAILURES_FREE_PER_ADDRESS", default=10)
LOGIN_FAILURE_DELAY_SECONDS = env.float("LOGIN_FAILURE_DELAY_SECONDS", default=0.5)
LOGIN_FAILURE_DELAY_MAX_SECONDS = env.float("LOGIN_FAILURE_DELAY_MAX_SECONDS", default=4.0)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# Two-factor authentication (TOTP): staff may enrol; administrators must verify a device before
# /admin/ and the staff pages. On by default in production, off for DEBUG demos and tests.
OTP_REQUIRED_FOR_ADMINS = env.bool("OTP_REQUIRED_FOR_ADMINS", default=not (DEBUG or TESTING))
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Портал УКО")

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = env("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False  # years (2025) must never print as "2 025"

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)
UPLOAD_MAX_UNCOMPRESSED_BYTES = env.int("UPLOAD_MAX_UNCOMPRESSED_BYTES", default=400 * 1024 * 1024)
# The extent of the sheet an import reads (schools.uploads): the reader builds a full grid of rows x columns,
# so one far cell must not make it allocate gigabytes. Our formats have at most ~20 columns; 400 MB of
# sheet XML holds well under 25 million cells.
XLSX_MAX_ROWS = env.int("XLSX_MAX_ROWS", default=1_048_576)
XLSX_MAX_COLUMNS = env.int("XLSX_MAX_COLUMNS", default=100)
XLSX_MAX_CELLS = env.int("XLSX_MAX_CELLS", default=25_000_000)

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="portal@edu.local")

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# In tests tasks run in process even when REDIS_URL is set; the tests marked celery_worker switch to a
# real worker on Redis themselves (tests/conftest.py::celery_worker_on_redis, tests/trust/test_faults.py).
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL or TESTING
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_TIME_LIMIT = 1800  # below the visibility timeout
CELERY_TASK_SOFT_TIME_LIMIT = 1700
JOBS_STALE_AFTER_MINUTES = env.int("JOBS_STALE_AFTER_MINUTES", default=35)  # above the task time limit
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ROUTES = {"reports.tasks.*": {"queue": "reports"}}
CELERY_BEAT_SCHEDULE: dict = {
    # Expert-card deadline reminders to principals, daily 08:00 (monitoring.services.campaigns.reminders_send;
    # how many days before is Campaign.reminder_days, data edited by staff).
    "monitoring-card-reminders": {
        "task": "monitoring.tasks.reminders_send_task",
        "schedule": crontab(minute=0, hour=8),
    },
    # The one sweeper: jobs (imports, computations, report builds) left «running» by a killed worker, or
    # refused by a broker that was down, are sent again; after MAX_ATTEMPTS they end failed.
    "jobs-resend-stale": {"task": "schools.tasks.jobs_resend_stale_task", "schedule": 120.0},
    # Weekly deadline digest of roadmap items and recommendations (roadmaps.services.digest), Monday 07:00.
    "roadmaps-deadline-digest": {
        "task": "roadmaps.tasks.deadline_digest_send_task",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
}

# --- Cache ----------------------------------------------------------------------------------
# Shared by every worker through Redis in production (the public tab's page cache relies on it);
# in process otherwise. Tests always use an in-process cache, cleared before each test.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL", default=REDIS_URL),
    }
    if REDIS_URL and not TESTING
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "schools.api.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "schools.api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "schools.api.exceptions.portal_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,  # throttles count per client address by the same rule as axes
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/min"),
        "user": env("API_THROTTLE_USER", default="2000/min"),
    },
}
# A token lives this many days from its issue, then answers 401 and a new one must be obtained (with the
# second factor when the user has one); owners revoke theirs at POST /api/token/revoke/, administrators
# in the admin (schools/api_tokens.py).
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)
SPECTACULAR_SETTINGS = {
    "TITLE": "API портала управления качеством образования",
    "DESCRIPTION": "Школы, показатели, статусы ШНОР/ШНСУ, мониторинги, дорожные карты, отчёты.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs pages are for the portal's users (staff and principals), not the public.
    "SERVE_PERMISSIONS": ["schools.permissions.IsPortalUser"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models call their choices "status": name each enum so the schema (and check --deploy) is clean.
    "ENUM_NAME_OVERRIDES": {
        "CardStatusEnum": "monitoring.models.ExpertCard.Status",
        "ReportStatusEnum": "reports.models.Report.Status",
        "RecommendationStatusEnum": "roadmaps.models.Recommendation.Status",
        "RoadmapItemStatusEnum": "roadmaps.models.ItemStatus",
    },
}

# --- Import/export in the admin ---------------------------------------------------------------
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_FORMATS = None

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
FORMS_URLFIELD_ASSUME_HTTPS = True  # a link typed without a scheme becomes https://
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not (DEBUG or TESTING))
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not (DEBUG or TESTING))
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if (DEBUG or TESTING) else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Portal ---------------------------------------------------------------------------------
PORTAL_TITLE = env("PORTAL_TITLE", default="Управление качеством образования")
# The address of the portal in e-mails (links must be absolute), without the trailing slash.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
PORTAL_OWNER = env("PORTAL_OWNER", default="Управление образования муниципального округа")
SMALL_COUNT_K = env.int("SMALL_COUNT_K", default=10)
# Open data of the public tab (reports.opendata): the owner's ИНН starts each set's identifier.
OPEN_DATA_INN = env("OPEN_DATA_INN", default="")
OPEN_DATA_PUBLISHER_NAME = env("OPEN_DATA_PUBLISHER_NAME", default="")
OPEN_DATA_PUBLISHER_PHONE = env("OPEN_DATA_PUBLISHER_PHONE", default="")
OPEN_DATA_PUBLISHER_EMAIL = env("OPEN_DATA_PUBLISHER_EMAIL", default="")
REPORTS_DIR = MEDIA_ROOT / "reports"
# Above this many schools the annual report keeps its per-school annex in the xlsx only (WeasyPrint holds
# the laid-out PDF in memory: 10,000 annex rows took 2.6 GB, benchmarks/RESULTS.md).
REPORT_PDF_ANNEX_MAX_SCHOOLS = env.int("REPORT_PDF_ANNEX_MAX_SCHOOLS", default=1000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
