"""Settings for Lianxin, read from the environment (twelve-factor).

Every variable is listed with its default in README.md ("Configuration"). The embedded default
(no variables at all, DEBUG=1) runs on a SQLite file under var/ with Celery tasks run eagerly.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

def read_or_create_key(path):
    """The key kept in `path`, made (random, readable by this user only) on first start. No key
    written in the code is ever used: anyone could forge sessions and signed URLs with it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text().strip()
        if len(key) < 50:
            raise ImproperlyConfigured(f"{path} holds no usable SECRET_KEY: delete it to make a new one.") from None
        return key
    key = secrets.token_urlsafe(64)
    with os.fdopen(descriptor, "w") as file:
        file.write(key + "\n")
    return key


# SECRET_KEY, or SECRET_KEY_FILE: a file the key is read from, made on first start (`make run`
# keeps var/secret_key). With DEBUG on, var/secret_key is the default file. The compose
# deployment sets neither and so must be given SECRET_KEY.
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    SECRET_KEY_FILE = env("SECRET_KEY_FILE") or (str(BASE_DIR / "var" / "secret_key") if DEBUG else "")
    if not SECRET_KEY_FILE:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (or SECRET_KEY_FILE, a file kept for it; "
            "`make run` keeps var/secret_key)."
        )
    SECRET_KEY = read_or_create_key(SECRET_KEY_FILE)
# The key of the keyed hashes that stand for personal data kept only to be matched (身份证号 in the
# roster, phone numbers in the SMS counts). Set it on its own to rotate SECRET_KEY without losing
# those matches.
PERSONAL_DATA_KEY = env("PERSONAL_DATA_KEY") or SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The address printed on QR codes and in notifications, e.g. https://rd.example.gov.cn
# Absolute links (QR codes, the calendar feed, messages): see core/links.py. Unset, pages link to
# the host they are served on, and tasks/commands to SERVER_BASE_URL (`make run` exports its own).
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", "").rstrip("/")
SERVER_BASE_URL = env("SERVER_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
COUNTY_NAME = env("COUNTY_NAME", "连心县")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "accounts.apps.AxesConfig",  # django-axes, named in Chinese in the admin
    "django_otp",
    "accounts.apps.TOTPConfig",  # django-otp's TOTP devices, likewise
    "treebeard",
    # Shared plumbing, imported downward by the domain apps.
    "core",
    "divisions",
    "accounts",
    "audit",
    "imports",
    "notifications",
    # The domain.
    "deputies",
    "stations",
    "opinions",
    "suggestions",
    "votes",
    "points",
    "reports",
    "privacy",
    # Demo data for the whole portal (depends on everything above).
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "core.middleware.DomainErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.links.CurrentRequestMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.policy.PasswordPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "congress.urls"
WSGI_APPLICATION = "congress.wsgi.application"

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
                "core.context_processors.portal",
                "accounts.context_processors.permissions",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'lianxin.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn/celery processes may share the embedded database: wait for locks.
    # Write-ahead log: readers never wait for the writer; synchronous=NORMAL syncs at checkpoints
    # instead of every commit (a power cut may lose the last commits, never corrupts the file).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20, "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DB_CONNECT_TIMEOUT", 5
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery -------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "lianxin"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The dashboard's figures (a year's aggregates over every app) are shared by every staff member
# for this many seconds (0: computed on every view). The annual report always computes afresh.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 60)
# The empty filter form of the suggestion list is shared by role until a session, category,
# township or handling unit changes (every change invalidates it); this bounds its life (0: off).
FILTER_FORM_CACHE_SECONDS = env_int("FILTER_FORM_CACHE_SECONDS", 600)
# The rows of the suggestion table and the opinion inbox are kept until their record, a name shown
# on them, the day or a deadline changes, and at most this long (0: every row rendered every view).
LIST_ROW_CACHE_SECONDS = env_int("LIST_ROW_CACHE_SECONDS", 600)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "lianxin")
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# Fail fast when Redis is down: the outbox keeps the message and publishes it later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
# One active beat however many run (core.beat: a PostgreSQL advisory lock; others wait as standbys).
CELERY_BEAT_SCHEDULER = "core.beat:LeaderScheduler"
# Named schedules; django-celery-beat copies them into the database where staff can edit them.
CELERY_BEAT_SCHEDULE = {
    "outbox-flush": {
        "task": "core.tasks.flush_outbox",
        "schedule": float(env_int("OUTBOX_FLUSH_SECONDS", 60)),
    },
    # Notifications: retries, SMS held overnight or over the daily limit, and deliveries that
    # waited for configuration go out when due.
    "notifications-send-due": {
        "task": "notifications.tasks.send_due_deliveries",
        "schedule": 60.0,
    },
    # 逢6进站 (stations): build the month's duty roster at 01:00 on the 1st, remind tomorrow's
    # deputies at 08:00 (and at 08:05 those signed up for tomorrow's activities), and mark
    # yesterday's unattended shifts missed at 00:30.
    "stations-schedule-duty-monthly": {
        "task": "stations.tasks.schedule_duty",
        "schedule": crontab(minute=0, hour=1, day_of_month=1),
    },
    "stations-duty-reminders-daily": {
        "task": "stations.tasks.send_duty_reminders",
        "schedule": crontab(minute=0, hour=8),
    },
    "stations-activity-reminders-daily": {
        "task": "stations.tasks.send_activity_reminders",
        "schedule": crontab(minute=5, hour=8),
    },
    "stations-close-past-shifts-daily": {
        "task": "stations.tasks.close_past_shifts",
        "schedule": crontab(minute=30, hour=0),
    },
    # 代表建议 (suggestions): deadline reminders and overdue flags every morning at 07:30; on the
    # 1st at 08:30, ask the units of key suggestions (重点督办) for the month's progress.
    "suggestions-deadline-reminders-daily": {
        "task": "suggestions.tasks.send_deadline_reminders",
        "schedule": crontab(minute=30, hour=7),
    },
    "suggestions-supervision-progress-monthly": {
        "task": "suggestions.tasks.send_progress_reminders",
        "schedule": crontab(minute=30, hour=8, day_of_month=1),
    },
    # 群众意见 (opinions): flag overdue opinions (督单) at 07:45; erase the names and numbers of
    # opinions closed longer than the retention period at 03:15.
    "opinions-overdue-daily": {
        "task": "opinions.tasks.flag_overdue_opinions",
        "schedule": crontab(minute=45, hour=7),
    },
    "opinions-retention-daily": {
        "task": "opinions.tasks.erase_expired_personal_data",
        "schedule": crontab(minute=15, hour=3),
    },
    # 民生实事票决 (votes): mix the ballots of open votes every minute (secret ballot), remind the
    # electorate hourly of votes closing within VOTES_CLOSING_REMINDER_HOURS, and on the 25th at
    # 09:00 remind responsible units of projects without this month's progress report.
    "votes-mix-ballots": {
        "task": "votes.tasks.mix_ballots",
        "schedule": 60.0,
    },
    "votes-closing-reminders-hourly": {
        "task": "votes.tasks.send_closing_reminders",
        "schedule": crontab(minute=0),
    },
    "votes-progress-reminders-monthly": {
        "task": "votes.tasks.send_progress_reminders",
        "schedule": crontab(minute=0, hour=9, day_of_month=25),
    },
    # 履职积分 (points): at 08:00 on the first day of each quarter, send every deputy group its
    # points up to the end of the quarter just ended (once per group and quarter).
    "points-quarterly-group-summary": {
        "task": "points.tasks.send_group_summaries",
        "schedule": crontab(minute=0, hour=8, day_of_month=1, month_of_year="1,4,7,10"),
    },
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # 等保 level 3 (accounts/validators.py): three of the four kinds of character, and none of
    # the last PASSWORD_HISTORY_COUNT passwords.
    {"NAME": "accounts.validators.CharacterClassesValidator",
     "OPTIONS": {"min_classes": env_int("PASSWORD_MIN_CLASSES", 3)}},
    {"NAME": "accounts.validators.PasswordHistoryValidator",
     "OPTIONS": {"count": env_int("PASSWORD_HISTORY_COUNT", 5)}},
]
# Staff, admin and unit accounts must change a password older than this many days: at sign-in
# they are sent to change it (accounts/policy.py; 0: no limit).
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
PASSWORD_MAX_AGE_ROLES = env_list("PASSWORD_MAX_AGE_ROLES", "admin,staff,unit")
# Roles that must sign in with two-factor (TOTP): sent to enrol at sign-in, and the API's token
# endpoint refuses them until they have. Empty by default (`make run`'s demo logins); the compose
# deployment sets `admin`.
TWO_FACTOR_REQUIRED_ROLES = env_list("TWO_FACTOR_REQUIRED_ROLES", "")

# Lockout (accounts/lockout.py): 5 failures of a username from one address lock that pair for 15
# minutes (the same username from another address still signs in: nobody can lock anyone out),
# and an address that failed for 5 different usernames is locked for every username.
AXES_HANDLER = "accounts.lockout.PairAndAddressHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_USERNAME_LIMIT = env_int("LOGIN_ADDRESS_USERNAME_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_IPWARE_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env_int("TRUSTED_PROXY_COUNT", 0) else ["REMOTE_ADDR"]
)
AXES_VERBOSE = False

# Two-factor (TOTP) is an option for admins and staff; the issuer names the portal in the app.
OTP_TOTP_ISSUER = f"{COUNTY_NAME}人大连心"

# Idle sessions end after 30 minutes.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Generated annual reports: private, downloaded only through permission-checked views.
REPORTS_ROOT = Path(env("REPORTS_ROOT", str(BASE_DIR / "var" / "reports")))
# Static files go through WhiteNoise. A deployment collects them at build time (compressed, with
# hashed names: the image's collectstatic); STATIC_FROM_APPS=1 serves them straight from the
# apps' folders instead, with no collectstatic (DEBUG, and `make run`, which has DEBUG off).
STATIC_FROM_APPS = env_bool("STATIC_FROM_APPS", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if STATIC_FROM_APPS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = STATIC_FROM_APPS
# Files served at the site's root: /favicon.ico, which every browser asks for whatever the page
# links (static/img/favicon.svg for those that take SVG).
WHITENOISE_ROOT = BASE_DIR / "core" / "site_root"
# Uploaded files go through core.security.serve_upload, which checks who may see each one. With
# SERVE_MEDIA=0 it answers with X-Accel-Redirect to MEDIA_INTERNAL_URL (an nginx `internal`
# location aliasing MEDIA_ROOT) instead of sending the file itself.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
MEDIA_INTERNAL_URL = env("MEDIA_INTERNAL_URL", "/internal-media/")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# --- E-mail and SMS -------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "lianxin@localhost")
# SMS (notifications.providers): log (the default: written to the log), aliyun or tencent,
# through their official SDKs. SMS_ENDPOINT_URL (scheme://host:port) replaces the provider's
# endpoint (a private gateway). Tencent also needs the SDK app id and region.
SMS_PROVIDER = env("SMS_PROVIDER", "log")
SMS_ACCESS_KEY_ID = env("SMS_ACCESS_KEY_ID")
SMS_ACCESS_KEY_SECRET = env("SMS_ACCESS_KEY_SECRET")
SMS_SIGN_NAME = env("SMS_SIGN_NAME")
SMS_SDK_APP_ID = env("SMS_SDK_APP_ID")
SMS_REGION = env("SMS_REGION", "ap-guangzhou")
SMS_ENDPOINT_URL = env("SMS_ENDPOINT_URL")
SMS_TIMEOUT_SECONDS = float(env("SMS_TIMEOUT_SECONDS", "10"))
# No SMS in these local hours unless the kind is urgent (held until they end; "off": none), at
# most SMS_DAILY_LIMIT a day to one number (0: no limit; more wait for the next morning), and
# failed deliveries tried again after these minutes, then 失败.
SMS_QUIET_HOURS = env("SMS_QUIET_HOURS", "22:00-07:00")
SMS_DAILY_LIMIT = env_int("SMS_DAILY_LIMIT", 10)
NOTIFY_RETRY_MINUTES = [int(m) for m in env_list("NOTIFY_RETRY_MINUTES", "1,5,30,120")]
# WeChat 公众号 (template and subscribe messages, OAuth binding); off while WECHAT_APP_ID is empty.
WECHAT_APP_ID = env("WECHAT_APP_ID")
WECHAT_APP_SECRET = env("WECHAT_APP_SECRET")
WECHAT_ENDPOINT_URL = env("WECHAT_ENDPOINT_URL")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PortalPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.api.PortalAutoSchema",
    # Request bodies are JSON; an endpoint that takes a file declares its own parsers
    # (multipart), so the schema offers clients one body per operation (docs/api.md).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
API_MAX_PAGE_SIZE = 100
# API tokens (accounts/tokens.py, django-rest-knox): a token unused for API_TOKEN_HOURS expires;
# each use moves its expiry on (at most once a minute). Only a digest is stored.
API_TOKEN_HOURS = env_int("API_TOKEN_HOURS", 12)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=API_TOKEN_HOURS),
    "AUTO_REFRESH": True,
    "MIN_REFRESH_INTERVAL": 60,
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "连心 Lianxin API",
    "DESCRIPTION": "县人大代表联络平台接口。列表统一分页：count / next / previous / results。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.local_times_in_schema",
    ],
    # Several apps have a `kind`: name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "StationKindEnum": "stations.models.Station.Kind",
        "ActivityKindEnum": "stations.models.Activity.Kind",
        "SuggestionKindEnum": "suggestions.models.Kind",
        "OpinionStateEnum": "opinions.models.State",
        "SuggestionStateEnum": "suggestions.models.State",
        # Named explicitly: which component drf-spectacular meets first would decide otherwise.
        "DeputyLevelEnum": "deputies.models.Level",
        "RegionLevelEnum": "divisions.models.Level",
        "VoteLevelEnum": "votes.models.VoteLevel",
        "ReplyClassEnum": "suggestions.models.ReplyClass",
    },
}

# --- Logging --------------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "core.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if env_bool("LOG_JSON", not DEBUG) else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

# --- Portal rules (defaults a county may change) ---------------------------------------------
TRACKING_CODE_LENGTH = 10
# Anonymous input (core/abuse.py).
PUBLIC_SUBMISSIONS_PER_HOUR = env_int("PUBLIC_SUBMISSIONS_PER_HOUR", 5)
PUBLIC_LOOKUPS_PER_MINUTE = env_int("PUBLIC_LOOKUPS_PER_MINUTE", 30)
PUBLIC_DUPLICATE_WINDOW_HOURS = env_int("PUBLIC_DUPLICATE_WINDOW_HOURS", 24)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Deputies' suggestions (suggestions app): reply within 3 months of assignment, extensions up to
# 6 months, re-handling after 不满意 within 1 month; reminders 30/7/1 days before a deadline;
# a motion (议案) needs 10+ deputies; units record the pre-reply contact (办前沟通) before replying.
SUGGESTION_REPLY_MONTHS = env_int("SUGGESTION_REPLY_MONTHS", 3)
SUGGESTION_REHANDLE_MONTHS = env_int("SUGGESTION_REHANDLE_MONTHS", 1)
SUGGESTION_MAX_MONTHS = env_int("SUGGESTION_MAX_MONTHS", 6)
SUGGESTION_REMINDER_DAYS = [int(d) for d in env_list("SUGGESTION_REMINDER_DAYS", "30,7,1")]
SUGGESTION_MOTION_MIN_DEPUTIES = env_int("SUGGESTION_MOTION_MIN_DEPUTIES", 10)
SUGGESTION_REQUIRE_CONTACT = env_bool("SUGGESTION_REQUIRE_CONTACT", True)

# Public opinions (opinions app): deadlines in working days (stations' holiday list applies),
# days after closing before the person's name and number are erased, SMS for new and overdue
# opinions to the deputies and units responsible.
OPINION_ADOPT_DAYS = env_int("OPINION_ADOPT_DAYS", 3)
OPINION_REPLY_DAYS = env_int("OPINION_REPLY_DAYS", 15)
OPINION_RETENTION_DAYS = env_int("OPINION_RETENTION_DAYS", 365)
OPINION_SMS = env_bool("OPINION_SMS", True)
# An SMS receipt (tracking code) to a person who left a mobile number, and another when answered.
OPINION_RECEIPT_SMS = env_bool("OPINION_RECEIPT_SMS", True)

# Audit log: `manage.py prune_audit` deletes entries older than this (never fewer than 180 days).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 1095)

# Duty (逢6进站, stations app): the county default when staff have not saved a default rule,
# whether duty reminders also go by SMS, and the window over which turns are kept fair.
DUTY_DEFAULT_DAYS = [int(d) for d in env_list("DUTY_DEFAULT_DAYS", "6,16,26")]
DUTY_REMINDER_SMS = env_bool("DUTY_REMINDER_SMS", True)
DUTY_FAIRNESS_MONTHS = env_int("DUTY_FAIRNESS_MONTHS", 12)

# Livelihood-projects votes (votes app), defaults for a new vote that staff may change per vote:
# 差额 at least seats + 1 candidates and at least seats × the ratio; elected with more than
# THRESHOLD_RATIO of all eligible deputies (0.5: more than half).
VOTES_MIN_EXTRA_CANDIDATES = env_int("VOTES_MIN_EXTRA_CANDIDATES", 1)
VOTES_MIN_CANDIDATE_RATIO = env("VOTES_MIN_CANDIDATE_RATIO", "1.0")
VOTES_THRESHOLD_RATIO = env("VOTES_THRESHOLD_RATIO", "0.5")
# The electorate is reminded once when a vote closes within this many hours.
VOTES_CLOSING_REMINDER_HOURS = env_int("VOTES_CLOSING_REMINDER_HOURS", 24)
