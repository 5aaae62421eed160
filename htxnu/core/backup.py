"""Backup and restore of the database and the uploaded files (MEDIA_ROOT).

A backup is one .tar.gz file:

    manifest.json      when, which database engine, which migrations were applied
    database.sqlite3   SQLite: a copy made with SQLite's online backup API, consistent
                       while the web server and the worker go on writing (WAL mode)
    database.pgdump    PostgreSQL: `pg_dump --format=custom` (postgresql-client)
    media/...          the uploaded files

A restore puts all of it back: the whole database is replaced (SQLite: the backup API
again, into the live file; PostgreSQL: `pg_restore --clean` in one transaction, so a
failed restore leaves the database as it was), then MEDIA_ROOT is replaced by the
backup's files. A backup restores only into the same engine; the code must be at the
same migrations or newer (`manage.py migrate` afterwards brings the data forward).
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

SQLITE, POSTGRESQL = "sqlite", "postgresql"
DB_FILES = {SQLITE: "database.sqlite3", POSTGRESQL: "database.pgdump"}


class BackupError(Exception):
    """What went wrong, for the operator."""


def engine() -> str:
    vendor = connection.vendor
    if vendor not in DB_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _pg_command(program: str) -> tuple[list[str], dict]:
    if shutil.which(program) is None:
        raise BackupError(f"{program} is missing: install postgresql-client (`make pg-client`).")
    db = connection.settings_dict
    args = [program, "--dbname", db["NAME"], "--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [option, str(db[key])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(args: list[str], env: dict) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()}")


def _dump_database(kind: str, target: Path) -> None:
    connection.ensure_connection()
    if kind == SQLITE:
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    else:
        args, env = _pg_command("pg_dump")
        _run([*args, "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)], env)


def _load_database(kind: str, source: Path) -> None:
    if kind == SQLITE:
        connection.close()
        connection.ensure_connection()
        copy = sqlite3.connect(source)
        try:
            copy.backup(connection.connection)
        finally:
            copy.close()
        connection.close()
    else:
        connection.close()  # pg_restore drops the tables: hold no lock on them
        args, env = _pg_command("pg_restore")
        _run([*args, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", str(source)], env)


def backup(target_dir: Path) -> Path:
    """Write a backup into target_dir and return its path."""
    kind = engine()
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    path = target_dir / f"htxnu-{stamp}.tar.gz"
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=target_dir) as work:
        dump = Path(work) / DB_FILES[kind]
        _dump_database(kind, dump)
        manifest = {
            "created": stamp,
            "engine": kind,
            "migrations": sorted(f"{app}.{name}" for app, name in
                                 MigrationRecorder(connection).applied_migrations()),
        }
        partial = path.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            with tempfile.TemporaryFile() as buffer:
                buffer.write(data)
                buffer.seek(0)
                archive.addfile(info, buffer)
            archive.add(dump, arcname=DB_FILES[kind])
            if media.is_dir():
                archive.add(media, arcname="media")
        partial.rename(path)  # a backup that exists is complete
    return path


def read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, "r:gz") as archive:
            return json.load(archive.extractfile("manifest.json"))
    except (OSError, KeyError, tarfile.TarError, ValueError) as error:
        raise BackupError(f"{path} is not an HTX Nữ backup: {error}") from None


def restore(path: Path) -> dict:
    """Replace the database and MEDIA_ROOT with the backup's; returns its manifest."""
    manifest = read_manifest(path)
    kind = engine()
    if manifest.get("engine") != kind:
        raise BackupError(f"This backup is of a {manifest.get('engine')} database; this one is {kind}.")
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media.parent) as work:
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(work, filter="data")  # refuses absolute paths and ../
        _load_database(kind, Path(work) / DB_FILES[kind])
        restored = Path(work) / "media"
        restored.mkdir(exist_ok=True)
        old = Path(work) / "media-before-restore"
        if media.exists():
            media.rename(old)
        restored.rename(media)
    return manifest
