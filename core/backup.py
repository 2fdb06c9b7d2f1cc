"""Backups of the database and uploaded files into one .tar.gz, and their restore.

PostgreSQL is dumped with pg_dump (custom format) and restored with pg_restore; SQLite is copied
with SQLite's online backup API. Uploaded files (MEDIA_ROOT) travel in the same archive."""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _database():
    db = settings.DATABASES["default"]
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    if engine not in ("postgresql", "sqlite3"):
        raise BackupError(f"不支持的数据库：{engine}")
    return engine, db


def _pg_env(db):
    env = dict(os.environ)
    env.update(
        PGHOST=str(db.get("HOST") or "127.0.0.1"),
        PGPORT=str(db.get("PORT") or 5432),
        PGUSER=str(db.get("USER") or ""),
        PGDATABASE=str(db["NAME"]),
    )
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run(command, env):
    # pg_dump / pg_restore with arguments built here from settings; no shell.
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()[:2000]}")


def default_path():
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"lianxin-{stamp}.tar.gz"


def backup(output=None, *, include_media=True):
    """Write a backup archive and return its path."""
    engine, db = _database()
    output = Path(output or default_path())
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if engine == "postgresql":
            dump = work / "database.dump"
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"], _pg_env(db))
        else:
            dump = work / "database.sqlite3"
            source = sqlite3.connect(str(db["NAME"]))
            target = sqlite3.connect(str(dump))
            with target:
                source.backup(target)
            source.close()
            target.close()
        manifest = {
            "engine": engine,
            "created_at": timezone.now().isoformat(),
            "database_file": dump.name,
            "media": include_media,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False))
        with tarfile.open(output, "w:gz") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            archive.add(dump, arcname=dump.name)
            media = Path(settings.MEDIA_ROOT)
            if include_media and media.is_dir():
                archive.add(media, arcname="media")
    return output


def _safe_members(archive):
    for member in archive.getmembers():
        if member.issym() or member.islnk() or member.name.startswith(("/", "..")) or ".." in Path(member.name).parts:
            raise BackupError(f"备份文件中有不安全的路径：{member.name}")
        yield member


def restore(path):
    """Replace the database (and uploaded files) with the archive's content."""
    engine, db = _database()
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}")
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(work, members=list(_safe_members(archive)), filter="data")
        manifest = json.loads((work / MANIFEST).read_text())
        if manifest["engine"] != engine:
            raise BackupError(f"备份来自 {manifest['engine']}，当前数据库是 {engine}，不能直接恢复。")
        dump = work / manifest["database_file"]
        connections.close_all()
        if engine == "postgresql":
            _run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                 "--single-transaction", f"--dbname={db['NAME']}", str(dump)],
                _pg_env(db),
            )
        else:
            source = sqlite3.connect(str(dump))
            target = sqlite3.connect(str(db["NAME"]))
            with target:
                source.backup(target)
            source.close()
            target.close()
        media = work / "media"
        if manifest.get("media") and media.is_dir():
            destination = Path(settings.MEDIA_ROOT)
            destination.mkdir(parents=True, exist_ok=True)
            shutil.copytree(media, destination, dirs_exist_ok=True)
    return manifest
