"""`flask backup create|verify|restore`: the centre's backups (marketplace/core/backup.py, restore.py).

The commands live here, not in core, because a restore ends by rebuilding the search index, which
core may not import."""

from pathlib import Path

import click
from flask.cli import AppGroup

from ..core.app import current_app_object
from ..core.backup import BackupError, create_backup
from ..core.restore import ArchiveRefused, restore_backup, verify_archive
from ..search import index

backup_cli = AppGroup("backup", help="Back up the database and uploaded files into one archive; restore one.")

ARCHIVE = click.Path(exists=True, dir_okay=False, path_type=Path)


@backup_cli.command("create")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the archive in (default: backups/ in the instance folder).",
)
def create_command(out_dir: Path | None) -> None:
    """Write one archive: the database, uploads and evidence, and a manifest with checksums."""
    app = current_app_object()
    try:
        archive = create_backup(app, out_dir or Path(app.instance_path) / "backups")
    except (BackupError, OSError) as error:  # OSError: the disk is full, the folder is not writable …
        raise click.ClickException(f"No backup was made: {error}")
    click.echo(f"{archive} ({archive.stat().st_size:,} bytes)")


@backup_cli.command("verify")
@click.argument("archive_path", metavar="ARCHIVE", type=ARCHIVE)
def verify_command(archive_path: Path) -> None:
    """Check an archive completely (every checksum) without restoring it."""
    try:
        archive = verify_archive(archive_path)
    except ArchiveRefused as error:
        raise click.ClickException(f"The archive is not usable: {error}")
    archive.tar.close()
    database = archive.manifest["database"]
    click.echo(
        f"ok: {len(archive.members)} members, {database['kind']} database at migration "
        f"{database['alembic_revision']}, made {archive.manifest['created_at']}"
    )


@backup_cli.command("restore")
@click.argument("archive_path", metavar="ARCHIVE", type=ARCHIVE)
def restore_command(archive_path: Path) -> None:
    """Restore an archive into this empty instance, then rebuild the search index."""
    app = current_app_object()
    try:
        restored = restore_backup(app, archive_path)
    except ArchiveRefused as error:
        raise click.ClickException(f"Restore refused, nothing was written: {error}")
    except (BackupError, OSError) as error:
        raise click.ClickException(f"Restore failed: {error}")
    click.echo(
        f"restored the {restored.kind} database (migration {restored.revision}) and {restored.files} files "
        f"({restored.bytes:,} bytes) of the backup made {restored.created_at}; every checksum matches"
    )
    documents = index.rebuild(app)
    click.echo(f"search index rebuilt: {documents} documents")
