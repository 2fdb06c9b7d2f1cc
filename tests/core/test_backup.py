"""backup/restore round trips on a scratch SQLite file and a scratch PostgreSQL database."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import require_or_skip

ROOT = Path(__file__).resolve().parent.parent.parent


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def environment(database_url, media):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    env.update(DEBUG="1", DATABASE_URL=database_url, MEDIA_ROOT=str(media), DJANGO_SETTINGS_MODULE="congress.settings")
    return env


def round_trip(env, tmp_path):
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "-c", "from divisions.models import Township; Township.objects.create(name='备份镇')")
    media = Path(env["MEDIA_ROOT"])
    (media / "photos").mkdir(parents=True)
    (media / "photos" / "a.jpg").write_bytes(b"photo")
    archive = tmp_path / "backup.tar.gz"
    assert "已备份" in manage(env, "backup", "--output", str(archive))

    manage(env, "shell", "-c", "from divisions.models import Township; Township.objects.all().delete()")
    shutil.rmtree(media)
    refused = subprocess.run([sys.executable, "manage.py", "restore", str(archive)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "--yes" in refused.stderr

    assert "已恢复" in manage(env, "restore", str(archive), "--yes")
    out = manage(env, "shell", "-c", "from divisions.models import Township; print(list(Township.objects.values_list('name', flat=True)))")
    assert "备份镇" in out
    assert (media / "photos" / "a.jpg").read_bytes() == b"photo"


def test_backup_and_restore_on_sqlite(tmp_path):
    round_trip(environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "media"), tmp_path)


@pytest.mark.services
def test_backup_and_restore_on_postgresql(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        require_or_skip("the PostgreSQL backup test needs DATABASE_URL")
    if not shutil.which("pg_dump"):
        require_or_skip("pg_dump is not installed")
    import psycopg2

    base, _, _name = url.rpartition("/")
    scratch = f"lianxin_backup_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(f"{base}/postgres")
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{scratch}"')
    try:
        round_trip(environment(f"{base}/{scratch}", tmp_path / "media"), tmp_path)
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        admin.close()
