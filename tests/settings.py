"""Test settings: the project's settings with a fixed key and fast password hashing.

DATABASE_URL and REDIS_URL come from the environment as in production; without them the
suite runs on SQLite with Celery tasks run eagerly."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("LOG_JSON", "0")

from congress.settings import *  # noqa: E402,F403
from congress.settings import CELERY_BEAT_SCHEDULE  # noqa: E402,F401

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_PROVIDER = "memory"  # notifications.providers.log.MemoryProvider.outbox
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Tests always use their own cache; rate-limit and Redis tests opt in to Redis explicitly.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DASHBOARD_CACHE_SECONDS = 0  # figures computed on every view; tests/reports opt in to the cache
FILTER_FORM_CACHE_SECONDS = 0  # the suggestion list's filter form built on every view (opt in per test)
LIST_ROW_CACHE_SECONDS = 0  # the suggestion table's rows rendered on every view (opt in per test)
# Celery runs eagerly in tests unless a test starts a real worker (tests/services).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = REDIS_URL or "memory://"  # noqa: F405
