import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7!kq2-production-like-secret-key-with-enough-length-and-entropy-93ja81",
    "ALLOWED_HOSTS": "rd.example.gov.cn",
    "PUBLIC_BASE_URL": "https://rd.example.gov.cn",
    "DJANGO_SETTINGS_MODULE": "congress.settings",
}


def manage(*args, env_overrides=None):
    # Start from the machine's environment without what tests/settings.py set for the test run.
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT",
               "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LOG_JSON"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = dict(PRODUCTION_ENV)
    env.pop("SECRET_KEY")
    result = manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
