"""Backups the centre can trust: one tar archive holding the database, every uploaded file (photos,
logos and the private registration evidence under uploads/evidence) and a manifest.json that lists
each member's size and SHA-256, the database kind and its Alembic revision.

The database is copied consistently while the app runs: SQLite through its online backup API,
PostgreSQL with `pg_dump --format=custom` (the password goes through PGPASSWORD, never the command
line). The archive is written under a temporary name, owner-only (it holds personal data), fsynced
and renamed at the end, so a half-written archive never looks complete.

Left out on purpose: the search index (rebuilt from the database after a restore), the brand-image
cache (drawn again on demand) and the configuration (instance/config.py, instance/secret_key,
environment), which belong to the deployment and are kept with it.

Checking an archive and restoring it is in core/restore.py.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess  # noqa: S404  (pg_dump and pg_restore, run without a shell)
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from sqlalchemy.engine import URL

from ..extensions import db
from .database import migration_status
from .images import upload_dir

FORMAT = "rooyesh-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/marketplace.sqlite3", "postgresql": "database/marketplace.pgdump"}
UPLOADS = "uploads"
NOT_INCLUDED = {
    "search index": "rebuilt from the database after a restore (flask backup restore does it)",
    "brand-cache": "rendered brand images, drawn again on demand",
    "configuration": "instance/config.py, instance/secret_key and the environment: keep them with the deployment",
}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore could not be done; the message says why."""


@dataclass(frozen=True)
class Member:
    """One file of the archive as the manifest lists it."""

    path: str
    size: int
    sha256: str


# ---------------------------------------------------------------------------------------- creating


def database_kind() -> str:
    """The app's kind of database as the manifest names it: sqlite or postgresql."""
    kind = db.engine.dialect.name
    if kind not in DATABASE_MEMBERS:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {kind}")
    return kind


def create_backup(app: Flask, out_dir: Path, now: datetime | None = None) -> Path:
    """Write rooyesh-backup-<UTC time>.tar into `out_dir` and return its path. Needs an app context."""
    now = now or datetime.now(UTC)
    out_dir = Path(out_dir)
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    final = out_dir / f"rooyesh-backup-{now:%Y%m%dT%H%M%SZ}.tar"
    if final.exists():
        raise BackupError(f"{final} exists already")
    kind = database_kind()
    partial = out_dir / f".{final.name}.partial"
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".rooyesh-backup-") as work:
        dump, revision = _dump_database(app, kind, Path(work))
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    members = [_add_file(tar, DATABASE_MEMBERS[kind], dump)]
                    dump.unlink()  # the copy is in the archive: do not keep it twice on disk
                    members += [_add_file(tar, name, path) for path, name in _upload_files(upload_dir(app))]
                    manifest = _manifest(app, kind, revision, [m for m in members if m], now)
                    _add_bytes(tar, MANIFEST, manifest_bytes(manifest))
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return final


def _dump_database(app: Flask, kind: str, work: Path) -> tuple[Path, str | None]:
    """A consistent copy of the database in `work`, and the Alembic revision it is at."""
    if kind == "sqlite":
        return _copy_sqlite(work)
    before = _revision(app)
    dump = work / "marketplace.pgdump"
    run_pg(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}"], db.engine.url)
    if _revision(app) != before:
        raise BackupError("a migration ran while the database was dumped: run the backup again")
    return dump, before


def _revision(app: Flask) -> str | None:
    current = migration_status(app)["current"]
    db.session.rollback()  # release the snapshot: a backup must not hold a transaction open
    return current[0] if len(current) == 1 else None


def sqlite_path(url: URL) -> Path:
    """The file of a SQLite database URL (an in-memory database cannot be backed up or restored)."""
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError(f"not a SQLite database file: {url.database!r}")
    return Path(url.database).resolve()


def _copy_sqlite(work: Path) -> tuple[Path, str | None]:
    """SQLite's online backup API: a consistent copy even while the app writes (WAL readers do not
    block writers), turned into one self-contained file (journal mode DELETE) and checked."""
    source_path = sqlite_path(db.engine.url)
    if not source_path.is_file():
        raise BackupError(f"the SQLite database {source_path} does not exist")
    copy = work / "marketplace.sqlite3"
    source = sqlite3.connect(f"{source_path.as_uri()}?mode=ro", uri=True, timeout=60)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
        check = target.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the copy of the SQLite database fails its check: {check}")
        try:
            rows = target.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.OperationalError:
            rows = []
    finally:
        target.close()
        source.close()
    return copy, rows[0][0] if len(rows) == 1 else None


def _upload_files(root: Path) -> Iterator[tuple[Path, str]]:
    """(file, member name) of every regular file under the uploads folder, in a stable order; the
    temporary files of writes in progress (.tmp-…) are left out."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(".tmp-") or path.is_symlink() or not path.is_file():
                continue
            yield path, f"{UPLOADS}/{path.relative_to(root).as_posix()}"


class _HashingReader:
    """Hands a file to tarfile while counting and hashing what passes through."""

    def __init__(self, file):
        self.file = file
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> Member | None:
    """Stream one file into the archive; None when it vanished before it could be opened. Stored
    files are replaced by rename, never rewritten, so the open file stays whole while it is read."""
    try:
        file = open(path, "rb")  # noqa: SIM115  (closed below, after tarfile has read it)
    except FileNotFoundError:
        return None
    with file:
        stat = os.fstat(file.fileno())
        info = tarfile.TarInfo(name)
        info.size = stat.st_size
        info.mode = stat.st_mode & 0o644
        info.mtime = int(stat.st_mtime)
        reader = _HashingReader(file)
        tar.addfile(info, reader)
    return Member(name, reader.size, reader.digest.hexdigest())


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _manifest(app: Flask, kind: str, revision: str | None, members: list[Member], now: datetime) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": now.astimezone(UTC).isoformat(timespec="seconds"),
        "app_version": _code_version(app),
        "database": {"kind": kind, "alembic_revision": revision, "member": DATABASE_MEMBERS[kind]},
        "not_included": NOT_INCLUDED,
        "members": [{"path": m.path, "size": m.size, "sha256": m.sha256} for m in members],
    }


def _code_version(app: Flask) -> str | None:
    """The git commit of the code, when it runs from a git checkout (for the record only)."""
    try:
        done = subprocess.run(  # noqa: S603
            ["git", "-C", str(Path(app.root_path).parent), "rev-parse", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def manifest_checksum(manifest: dict) -> str:
    """SHA-256 of the manifest without its own "checksum" field: a manifest edited by hand or
    damaged on the way no longer matches."""
    body = {key: value for key, value in manifest.items() if key != "checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def manifest_bytes(manifest: dict) -> bytes:
    """The manifest as written into the archive, with its checksum."""
    body = {key: value for key, value in manifest.items() if key != "checksum"}
    return json.dumps({**body, "checksum": manifest_checksum(body)}, indent=2, ensure_ascii=False).encode()


# ---------------------------------------------------------------------------------------- PostgreSQL


def _conninfo_value(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def pg_connection(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for pg_dump/pg_restore without the password, and the environment
    that carries it (PGPASSWORD): the command line is visible to every user of the machine."""
    params = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
    for key, value in url.query.items():  # libpq options in the URL (sslmode, host=/run/postgresql …)
        params[key] = value if isinstance(value, str) else value[-1]
    conninfo = " ".join(f"{key}={_conninfo_value(str(value))}" for key, value in params.items() if value is not None)
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return conninfo, env


def run_pg(command: list[str], url: URL, extra_env: dict[str, str] | None = None) -> None:
    """Run pg_dump or pg_restore on the app's database; BackupError with its message when it fails."""
    conninfo, env = pg_connection(url)
    env.update(extra_env or {})
    try:
        done = subprocess.run(  # noqa: S603  (a fixed program, arguments as a list, no shell)
            [command[0], f"--dbname={conninfo}", *command[1:]], env=env, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(f"{command[0]} not found: install the PostgreSQL client tools (as new as the server)")
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip() or done.returncode}")
