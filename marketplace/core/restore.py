"""Restoring a backup archive (core/backup.py) into an empty instance.

Everything is checked before anything is written: the archive completely (`verify_archive`), then
that it fits (same database kind as this instance, its Alembic revision this code's head), then
that the instance is empty. Empty means: the database has no tables, or it is migrated to the head
and no table holds rows except those the migrations fill themselves (SEEDED_TABLES); and the
uploads folder holds no file. Restoring over an instance in use would mix or lose data, so it is
refused, never attempted.

Then the database (SQLite: the online backup API copies the archived file into the instance's
database; PostgreSQL: `pg_restore --single-transaction --exit-on-error`, all or nothing), then the
files (each written under a temporary name and renamed), and each restored file is read back and
compared with its manifest SHA-256. The search index is rebuilt by the caller (the CLI), since core
knows nothing of search.
"""

import hashlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import sqlalchemy as sa
from flask import Flask

from ..extensions import db
from .backup import (
    CHUNK,
    DATABASE_MEMBERS,
    UPLOADS,
    Archive,
    ArchiveRefused,
    BackupError,
    Member,
    database_kind,
    run_pg,
    sqlite_path,
    verify_archive,
)
from .database import migration_heads, migration_scripts, migration_status
from .images import upload_dir

# Tables whose rows a freshly migrated database already has (0003 seeds the categories, 0012 the
# page version). A migration that seeds another table adds it here: tests/core/test_backup.py
# restores into a freshly migrated instance and fails until it does.
SEEDED_TABLES = frozenset({"alembic_version", "category", "page_version"})
KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# pg_restore gives up instead of waiting forever when something else holds a table it replaces.
PG_RESTORE_LOCK_TIMEOUT = "-c lock_timeout=30000"


@dataclass(frozen=True)
class Restored:
    """What a restore brought back."""

    created_at: str
    kind: str
    revision: str
    files: int
    bytes: int


def restore_backup(app: Flask, path: Path) -> Restored:
    """Restore the archive at `path` into this (empty) instance. Raises ArchiveRefused, having
    written nothing, or BackupError when writing failed (the message says what was left)."""
    archive = verify_archive(Path(path))
    try:
        check_fits(app, archive)
        if problems := target_problems(app):
            raise ArchiveRefused("this instance is not empty: " + "; ".join(problems))
        _restore_database(app, archive)
        files = [member for member in archive.files() if member.path.startswith(f"{UPLOADS}/")]
        try:
            _restore_files(app, archive, files)
            _check_restored_files(app, files)
        except OSError as error:
            raise BackupError(
                f"the database was restored but the files were not ({error}); empty the instance and restore again"
            )
    finally:
        archive.tar.close()
    return Restored(
        created_at=archive.manifest["created_at"],
        kind=archive.kind,
        revision=str(archive.revision),
        files=len(files),
        bytes=sum(member.size for member in files),
    )


def check_fits(app: Flask, archive: Archive) -> None:
    """Refuse an archive of another database kind, or whose database is not at this code's head."""
    kind = database_kind()
    if archive.kind != kind:
        raise ArchiveRefused(
            f"the archive holds a {KIND_NAMES[archive.kind]} database; this instance uses {KIND_NAMES[kind]}"
        )
    heads = migration_heads(app)
    if archive.revision in heads:
        return
    head = ", ".join(sorted(heads))
    known = {script.revision for script in migration_scripts(app).walk_revisions()}
    if archive.revision in known:
        raise ArchiveRefused(
            f"its database is at migration {archive.revision}, this code at {head}: restore it with the code of "
            "that time (the manifest's app_version), then upgrade with `flask db upgrade`"
        )
    raise ArchiveRefused(
        f"its database is at migration {archive.revision!r}, which this code (at {head}) does not know: "
        "restore it with the code that made it (the manifest's app_version)"
    )


def target_problems(app: Flask) -> list[str]:
    """Why this instance is not empty (an empty list when it is; see the module's docstring)."""
    problems = []
    tables = set(sa.inspect(db.engine).get_table_names())
    if tables:
        status = migration_status(app)
        if "alembic_version" not in tables:
            problems.append("its database has tables but no Alembic revision")
        elif not status["ok"]:
            problems.append(
                f"its database is at migration {', '.join(status['current']) or 'none'}, not "
                f"{', '.join(status['head'])}: upgrade it (`flask db upgrade`) or start from an empty database"
            )
        filled = [
            name
            for name in sorted(tables - SEEDED_TABLES)
            if db.session.execute(sa.select(sa.literal(1)).select_from(sa.table(name)).limit(1)).first()
        ]
        if filled:
            problems.append(f"tables hold rows ({', '.join(filled[:8])}{' …' if len(filled) > 8 else ''})")
    db.session.rollback()
    uploads = upload_dir(app)
    for folder, _dirs, names in os.walk(uploads):
        if names:
            problems.append(f"its uploads folder {uploads} holds files ({Path(folder, names[0])})")
            break
    return problems


def _extract(archive: Archive, member: Member, folder: Path, mode: int = 0o600) -> Path:
    """Stream one member into a temporary file in `folder` (fsynced, with `mode`), checking its
    SHA-256 again: the archive may have changed since it was verified."""
    info = archive.members[member.path]
    fd, name = tempfile.mkstemp(dir=folder, prefix=".tmp-restore-")
    try:
        digest = hashlib.sha256()
        source = archive.tar.extractfile(info)
        assert source is not None  # verify_archive accepts regular files only
        with os.fdopen(fd, "wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != member.sha256:
            raise BackupError(f"{member.path} changed in the archive while it was being restored")
        os.chmod(name, mode)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _restore_database(app: Flask, archive: Archive) -> None:
    member = next(m for m in archive.files() if m.path == DATABASE_MEMBERS[archive.kind])
    # Close this process's connections: the restore replaces what they have cached or locked.
    db.session.remove()
    db.engine.dispose()
    if archive.kind == "sqlite":
        target = sqlite_path(db.engine.url)
        staged = _extract(archive, member, target.parent)
        try:
            source = sqlite3.connect(staged)
            destination = sqlite3.connect(target, timeout=60)
            try:
                source.backup(destination)
            finally:
                destination.close()
                source.close()
        finally:
            staged.unlink()
    else:
        staged = _extract(archive, member, Path(app.instance_path))
        options = f"{os.environ.get('PGOPTIONS', '')} {PG_RESTORE_LOCK_TIMEOUT}".strip()
        try:
            # --clean --if-exists replaces the empty tables of a migrated database; one transaction
            # with --exit-on-error leaves the database as it was when anything fails.
            command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
            run_pg([*command, "--clean", "--if-exists", str(staged)], db.engine.url, {"PGOPTIONS": options})
        finally:
            staged.unlink()
    db.engine.dispose()


def _target_file(root: Path, member: Member) -> Path:
    relative = PurePosixPath(member.path).relative_to(UPLOADS)
    target = root.joinpath(*relative.parts)
    if not target.parent.resolve().is_relative_to(root.resolve()):  # a symlinked folder inside uploads
        raise BackupError(f"{member.path} would be written outside {root}")
    return target


def _restore_files(app: Flask, archive: Archive, files: list[Member]) -> None:
    root = upload_dir(app)
    root.mkdir(parents=True, exist_ok=True)
    for member in files:
        target = _target_file(root, member)
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = archive.members[member.path].mode & 0o644  # evidence stays owner-only
        os.replace(_extract(archive, member, target.parent, mode), target)


def _check_restored_files(app: Flask, files: list[Member]) -> None:
    """Read every restored file back and compare it with the manifest."""
    root = upload_dir(app)
    for member in files:
        digest = hashlib.sha256()
        with open(_target_file(root, member), "rb") as restored:
            while chunk := restored.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != member.sha256:
            raise BackupError(f"the restored {member.path} differs from the archive")
