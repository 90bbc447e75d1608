"""Checking a backup archive (core/backup.py) and restoring it into an empty instance.

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
import io
import json
import lzma
import os
import sqlite3
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import cast

import sqlalchemy as sa
from flask import Flask

from ..extensions import db
from .backup import (
    CHUNK,
    DATABASE_MEMBERS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    UPLOADS,
    BackupError,
    Member,
    database_kind,
    manifest_checksum,
    run_pg,
    sqlite_path,
)
from .database import migration_heads, migration_scripts, migration_status
from .images import upload_dir

# Tables whose rows a freshly migrated database already has (0003 seeds the categories, 0012 the
# page version). A migration that seeds another table adds it here: tests/core/test_backup.py
# restores into a freshly migrated instance and fails until it does.
SEEDED_TABLES = frozenset({"alembic_version", "category", "page_version"})
KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# What reading a damaged archive raises (a compressed copy too: `r:*` opens .tar.gz, .tar.xz …).
READ_ERRORS = (tarfile.TarError, OSError, EOFError, zlib.error, lzma.LZMAError)
# pg_restore gives up instead of waiting forever when something else holds a table it replaces.
PG_RESTORE_LOCK_TIMEOUT = "-c lock_timeout=30000"


class ArchiveRefused(BackupError):
    """The archive is damaged, does not fit this code or this instance, or the instance is not empty.
    Raised before anything is written."""


@dataclass
class Archive:
    """An open archive whose every member has been checked against its manifest."""

    tar: tarfile.TarFile
    manifest: dict
    members: dict[str, tarfile.TarInfo]

    @property
    def kind(self) -> str:
        return self.manifest["database"]["kind"]

    @property
    def revision(self) -> str | None:
        return self.manifest["database"]["alembic_revision"]

    def files(self) -> list[Member]:
        """The manifest's members, as Member rows."""
        return [Member(m["path"], m["size"], m["sha256"]) for m in self.manifest["members"]]


def check_member_name(member: tarfile.TarInfo) -> None:
    """Refuse a member that is not a plain file or whose path could land outside the instance
    (absolute, `..`, a link); tarfile's own `data` filter is asked too."""
    path = PurePosixPath(member.name)
    if (
        not member.isreg()
        or member.name.startswith("/")
        or "\\" in member.name
        or any(part in ("", ".", "..") for part in member.name.split("/"))
        or not (member.name == MANIFEST or member.name in DATABASE_MEMBERS.values() or path.parts[0] == UPLOADS)
        or (path.parts[0] == UPLOADS and len(path.parts) < 2)
    ):
        raise ArchiveRefused(f"the archive holds a member it must not: {member.name!r}")
    try:
        tarfile.data_filter(member, "/nonexistent/restore-target")
    except tarfile.FilterError as error:
        raise ArchiveRefused(f"the archive holds a member it must not: {member.name!r} ({error})")


def _read_manifest(tar: tarfile.TarFile, info: tarfile.TarInfo) -> dict:
    file = tar.extractfile(info)
    try:
        manifest = json.loads(file.read() if file else b"")
    except (ValueError, UnicodeDecodeError):
        raise ArchiveRefused("the archive's manifest.json is not valid JSON")
    if not isinstance(manifest, dict):
        raise ArchiveRefused("the archive's manifest.json is not a manifest")
    if manifest.get("format") != FORMAT:
        raise ArchiveRefused("the archive is not a Rooyesh backup (manifest format)")
    if manifest.get("checksum") != manifest_checksum(manifest):
        raise ArchiveRefused("the archive's manifest.json was changed after the backup was made (checksum differs)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveRefused(
            f"the archive's format version {manifest.get('format_version')!r} is unknown to this code "
            f"(it reads {FORMAT_VERSION})"
        )
    return manifest


def _hash_member(tar: tarfile.TarFile, info: tarfile.TarInfo) -> str:
    file = tar.extractfile(info)
    assert file is not None  # a regular file (checked)
    return hashlib.file_digest(cast(io.BufferedReader, file), "sha256").hexdigest()  # tarfile's ExFileObject is one


def verify_archive(path: Path) -> Archive:
    """Open the archive and check it completely, writing nothing: readable, only safe member names,
    a manifest that is intact and of a known version, exactly the members it lists, each of the
    listed size and SHA-256. Raises ArchiveRefused. The caller closes `.tar`."""
    try:
        tar = tarfile.open(path, "r:*")  # noqa: SIM115  (handed to the caller in the Archive)
    except READ_ERRORS as error:
        raise ArchiveRefused(f"the archive is not a readable tar archive ({error})")
    try:
        return _check(tar)
    except BaseException:
        tar.close()
        raise


def _check(tar: tarfile.TarFile) -> Archive:
    members: dict[str, tarfile.TarInfo] = {}
    try:
        for info in tar:
            check_member_name(info)
            if info.name in members:
                raise ArchiveRefused(f"the archive holds {info.name!r} twice")
            members[info.name] = info
    except READ_ERRORS as error:
        raise ArchiveRefused(f"the archive is not a readable tar archive ({error})")
    if MANIFEST not in members:
        raise ArchiveRefused("the archive has no manifest.json")
    manifest = _read_manifest(tar, members.pop(MANIFEST))
    try:
        listed = {m["path"]: m for m in manifest["members"]}
        kind = manifest["database"]["kind"]
        database_member = DATABASE_MEMBERS.get(kind)
    except (KeyError, TypeError):
        raise ArchiveRefused("the archive's manifest.json lacks a field it needs")
    if database_member is None or manifest["database"].get("member") != database_member:
        raise ArchiveRefused(f"the archive's manifest names an unknown database kind {kind!r}")
    if database_member not in listed:
        raise ArchiveRefused("the archive holds no database")
    if missing := sorted(set(listed) - set(members)):
        raise ArchiveRefused(f"members listed in the archive's manifest are missing: {', '.join(missing[:5])}")
    if extra := sorted(set(members) - set(listed)):
        raise ArchiveRefused(f"the archive holds members its manifest does not list: {', '.join(extra[:5])}")
    try:
        for name, info in members.items():
            if info.size != listed[name]["size"] or _hash_member(tar, info) != listed[name]["sha256"]:
                raise ArchiveRefused(
                    f"{name} in the archive is damaged (its size or SHA-256 differs from the manifest)"
                )
    except READ_ERRORS as error:
        raise ArchiveRefused(f"the archive is cut short or damaged ({error})")
    return Archive(tar, manifest, members)


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
                f"the database was restored but the files were not ({error}); drop and create the database, "
                "empty the uploads folder and restore again"
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
            f"the archive's database is at migration {archive.revision}, this code at {head}: restore it with "
            "the code of that time (the manifest's app_version), then upgrade with `flask db upgrade`"
        )
    raise ArchiveRefused(
        f"the archive's database is at migration {archive.revision!r}, which this code (at {head}) does not know: "
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
            names = ", ".join(filled[:8]) + (" …" if len(filled) > 8 else "")
            problems.append(f"{len(filled)} of its tables hold rows ({names})")
    db.session.rollback()
    uploads = upload_dir(app)
    for folder, _dirs, files in os.walk(uploads):
        if files:
            problems.append(f"its uploads folder {uploads} holds files ({Path(folder, files[0])})")
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
                source.backup(destination)  # all or nothing: the destination is unchanged when it fails
            except sqlite3.Error as error:
                raise BackupError(f"the database could not be restored ({error}); nothing was changed")
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
        with open(_target_file(root, member), "rb") as restored:
            digest = hashlib.file_digest(restored, "sha256")
        if digest.hexdigest() != member.sha256:
            raise BackupError(f"the restored {member.path} differs from the archive")
