"""Settings for the processes that the fault tests start: production settings (congress.settings,
DEBUG off), except that static files are served from the app directories, so no collectstatic is
needed, and Redis's visibility timeout may be shortened (FAULTS_VISIBILITY_TIMEOUT) so that a
message held by a killed worker comes back within the test rather than after an hour."""

import os

from django.conf import global_settings

from congress.settings import *  # noqa: F403
from congress.settings import CELERY_BROKER_TRANSPORT_OPTIONS, STORAGES

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
WHITENOISE_USE_FINDERS = True
if os.environ.get("FAULTS_VISIBILITY_TIMEOUT"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "visibility_timeout": int(os.environ["FAULTS_VISIBILITY_TIMEOUT"]),
    }
# Accounts made by the tests' factories carry fast MD5 hashes (tests.settings); accept them too.
PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]
