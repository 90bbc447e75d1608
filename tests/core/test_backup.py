"""`flask backup`: the demo data makes a real round trip (every row of every table and every file
come back equal) on the suite's database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set), and
a damaged or mismatched archive or an instance in use is refused with nothing written.

Each instance here has its own database (a SQLite file, or a PostgreSQL database made for the
module): pg_dump and pg_restore work on whole databases, not on the suite's schema in `test`."""

import gzip
import hashlib
import io
import json
import os
import secrets
import stat
import tarfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from marketplace import create_app
from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.core import backup, restore
from marketplace.core.backup import MANIFEST
from marketplace.core.database import migration_heads
from marketplace.core.images import upload_dir
from marketplace.core.restore import ArchiveRefused
from marketplace.extensions import db
from marketplace.search import index
from tests.conftest import TEST_DATABASE_URL, make_config, skip_or_fail

KIND = "postgresql" if TEST_DATABASE_URL else "sqlite"
DATABASE_MEMBER = backup.DATABASE_MEMBERS[KIND]


# ---------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def new_instance(tmp_path_factory):
    """new_instance(name, migrate=True): an app on its own fresh database and instance folder."""
    apps, databases = [], []
    admin = None
    if KIND == "postgresql":
        admin_url = make_url(TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")

    def build(name, migrate=True):
        folder = tmp_path_factory.mktemp(name)
        if admin is None:
            url = f"sqlite:///{folder / 'marketplace.db'}"
        else:
            database = f"backup_{name}_{secrets.token_hex(4)}"
            try:
                with admin.connect() as connection:
                    connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
            except sa.exc.OperationalError as error:
                skip_or_fail("POSTGRES", f"PostgreSQL not reachable: {error}")
            databases.append(database)
            url = admin.url.set(database=database).render_as_string(hide_password=False)
        app = create_app(make_config(str(folder), (url, {})))
        apps.append(app)
        if migrate:
            with app.app_context():
                upgrade()
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.engine.dispose()
    if admin is not None:
        with admin.connect() as connection:
            for database in databases:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def source(new_instance):
    """An instance holding the demo data (accounts, shops, photos, evidence, orders, fairs)."""
    app = new_instance("source")
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture(scope="module")
def archive(source, tmp_path_factory):
    with source.app_context():
        return backup.create_backup(source, tmp_path_factory.mktemp("archives"))


@pytest.fixture(scope="module")
def empty_target(new_instance):
    """A migrated, empty instance the refusal tests try to restore into (and must leave empty)."""
    return new_instance("empty")


# ---------------------------------------------------------------------------------------- helpers


def every_row(app) -> dict[str, list[tuple]]:
    """Every row of every table in the database, ordered by primary key."""
    with app.app_context():
        metadata = sa.MetaData()
        metadata.reflect(bind=db.engine)
        rows = {}
        for name, table in metadata.tables.items():
            key = list(table.primary_key.columns)
            found = [tuple(row) for row in db.session.execute(sa.select(table).order_by(*key))]
            rows[name] = found if key else sorted(found, key=repr)
        if db.engine.dialect.name == "postgresql":
            rows["(sequences)"] = list(
                db.session.execute(
                    sa.text(
                        "SELECT sequencename, last_value FROM pg_sequences "
                        "WHERE schemaname = current_schema() ORDER BY sequencename"
                    )
                )
            )
        db.session.remove()
    return rows


def every_file(app) -> dict[str, bytes]:
    root = upload_dir(app)
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def assert_round_trip(source, target):
    rows = every_row(source)
    assert len(rows["user"]) >= 17 and len(rows["product"]) >= 60 and rows["registration_record"]
    assert every_row(target) == rows
    files = every_file(source)
    assert any(name.startswith("evidence/") for name in files) and len(files) > 100
    assert every_file(target) == files
    for name in files:
        mode = stat.S_IMODE((upload_dir(target) / name).stat().st_mode)
        assert mode == (0o600 if name.startswith("evidence/") else 0o644), name
    with target.app_context():  # the id sequences came back too: a new row takes a new id
        user = accounts.create_user("+989120000777", "پس از بازیابی", "a-long-password-1", roles={"buyer"})
        db.session.commit()
        assert user.id > max(row[0] for row in rows["user"])
        db.session.delete(user)
        db.session.commit()


def assert_untouched(target):
    """The refused restore wrote nothing: the database is still migrated and empty, no file appeared."""
    with target.app_context():
        assert restore.target_problems(target) == []
        assert not list(Path(target.instance_path).glob("**/.tmp-restore-*"))
    assert every_file(target) == {}


def refused(target, path, *words):
    with target.app_context(), pytest.raises(ArchiveRefused) as error:
        restore.restore_backup(target, path)
    for word in words:
        assert word in str(error.value)
    assert_untouched(target)
    return str(error.value)


def rewrite(archive, out, *, add=(), manifest=None, resign=True):
    """Copy the archive with the (TarInfo, bytes) pairs `add` (listed in the manifest too) and the
    manifest edited in place by `manifest(dict)`; `resign` recomputes the manifest's checksum, as
    a real backup of that content would have it."""
    with tarfile.open(archive) as original:
        members = [(info, original.extractfile(info).read()) for info in original]
    listed = json.loads(dict((info.name, data) for info, data in members)[MANIFEST])
    for info, data in add:
        listed["members"].append({"path": info.name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    if manifest:
        manifest(listed)
    manifest_data = backup.manifest_bytes(listed) if resign else json.dumps(listed).encode()
    members = [(info, manifest_data if info.name == MANIFEST else data) for info, data in members]
    return repack(out, [*members, *add])


def repack(out, members):
    """A tar archive of these (TarInfo, bytes) pairs, as they are."""
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def evidence_member(archive) -> str:
    with tarfile.open(archive) as tar:
        return next(name for name in tar.getnames() if name.startswith("uploads/evidence/"))


def flip_byte(archive, out, member):
    """A copy of the archive with one byte of `member`'s content changed on disk."""
    data = bytearray(Path(archive).read_bytes())
    with tarfile.open(archive) as tar:
        info = tar.getmember(member)
    data[info.offset_data + info.size // 2] ^= 0x01
    out.write_bytes(bytes(data))
    return out


# ---------------------------------------------------------------------------------------- creating


def test_archive_holds_the_database_uploads_evidence_and_a_manifest_of_checksums(source, archive):
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # personal data: owner only
    assert archive.name.startswith("rooyesh-backup-") and archive.suffix == ".tar"
    assert [p.name for p in archive.parent.iterdir()] == [archive.name]  # no partial file or work folder left
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
        contents = {info.name: tar.extractfile(info).read() for info in tar if info.name != MANIFEST}
    with source.app_context():
        assert manifest["database"] == {
            "kind": KIND,
            "alembic_revision": next(iter(migration_heads(source))),
            "member": DATABASE_MEMBER,
        }
    assert manifest["format_version"] == backup.FORMAT_VERSION and manifest["created_at"].endswith("+00:00")
    assert "search index" in manifest["not_included"]
    listed = {m["path"]: m for m in manifest["members"]}
    assert set(listed) == set(contents)
    for name, data in contents.items():
        assert listed[name]["size"] == len(data)
        assert listed[name]["sha256"] == hashlib.sha256(data).hexdigest()
    assert {f"uploads/{name}" for name in every_file(source)} == set(listed) - {DATABASE_MEMBER}
    assert not any("search-index" in name for name in listed)
    assert manifest["checksum"] == backup.manifest_checksum(manifest)


def test_a_backup_that_fails_midway_leaves_no_archive(source, tmp_path, monkeypatch):
    def broken(_manifest):
        raise OSError("disk full")

    monkeypatch.setattr(backup, "manifest_bytes", broken)
    with source.app_context(), pytest.raises(OSError, match="disk full"):
        backup.create_backup(source, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_backup_takes_a_consistent_copy_while_another_connection_writes(source, new_instance, tmp_path):
    """The app may be running: a write in progress neither blocks the backup nor gets into it."""
    with source.app_context(), db.engine.connect() as writer:
        writer.begin()
        writer.execute(sa.text('UPDATE "user" SET display_name = :name'), {"name": "نیمه‌کاره"})
        path = backup.create_backup(source, tmp_path)
        writer.rollback()
    target = new_instance("snapshot")
    with target.app_context():
        restore.restore_backup(target, path)
        names = db.session.scalars(sa.select(User.display_name)).all()
        db.session.remove()
    assert len(names) >= 17 and "نیمه‌کاره" not in names


def test_postgresql_password_goes_through_the_environment_not_the_command_line():
    url = make_url("postgresql+psycopg://centre:s3cret'pw@db.example:6432/rooyesh?sslmode=require")
    conninfo, env = backup.pg_connection(url)
    assert "s3cret" not in conninfo and env["PGPASSWORD"] == "s3cret'pw"
    assert conninfo == "host='db.example' port='6432' user='centre' dbname='rooyesh' sslmode='require'"


# ---------------------------------------------------------------------------------------- restoring


def test_restore_brings_back_every_row_and_every_file(source, archive, new_instance):
    target = new_instance("target")
    with target.app_context():
        restored = restore.restore_backup(target, archive)
    assert restored.kind == KIND and restored.files == len(every_file(source))
    assert_round_trip(source, target)


def test_cli_backs_up_and_restores_into_a_database_without_tables(source, new_instance, tmp_path):
    created = source.test_cli_runner().invoke(args=["backup", "create", "--out", str(tmp_path)])
    assert created.exit_code == 0, created.output
    (path,) = tmp_path.glob("rooyesh-backup-*.tar")
    assert str(path) in created.output
    checked = source.test_cli_runner().invoke(args=["backup", "verify", str(path)])
    assert checked.exit_code == 0 and checked.output.startswith("ok:"), checked.output

    target = new_instance("bare", migrate=False)  # a new database: `flask db upgrade` not even run
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(path)])
    assert result.exit_code == 0, result.output
    assert "every checksum matches" in result.output
    assert_round_trip(source, target)
    with source.app_context():
        expected = index.rebuild(source)
    with target.app_context():
        assert index.status(target)["documents"] == expected > 50  # the search index was rebuilt


def test_cli_refuses_with_a_clear_message_and_a_failing_exit_code(archive, empty_target, tmp_path):
    damaged = flip_byte(archive, tmp_path / "damaged.tar", DATABASE_MEMBER)
    result = empty_target.test_cli_runner().invoke(args=["backup", "restore", str(damaged)])
    assert result.exit_code == 1
    assert "Restore refused, nothing was written" in result.output and DATABASE_MEMBER in result.output
    assert empty_target.test_cli_runner().invoke(args=["backup", "verify", str(damaged)]).exit_code == 1
    assert_untouched(empty_target)


# ---------------------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("which", ["database", "evidence"])
def test_a_flipped_byte_in_a_member_is_refused(archive, empty_target, tmp_path, which):
    member = DATABASE_MEMBER if which == "database" else evidence_member(archive)
    refused(empty_target, flip_byte(archive, tmp_path / "flipped.tar", member), member, "damaged")


def test_an_edited_manifest_is_refused(archive, empty_target, tmp_path):
    def edit(manifest):
        manifest["members"][1]["sha256"] = "0" * 64

    edited = rewrite(archive, tmp_path / "edited.tar", manifest=edit, resign=False)
    refused(empty_target, edited, "manifest.json was changed")


def test_a_missing_manifest_is_refused(archive, empty_target, tmp_path):
    with tarfile.open(archive) as tar:
        kept = [(info, tar.extractfile(info).read()) for info in tar if info.name != MANIFEST]
    refused(empty_target, repack(tmp_path / "bare.tar", kept), "no manifest.json")


def test_a_missing_member_is_refused(archive, empty_target, tmp_path):
    member = evidence_member(archive)
    with tarfile.open(archive) as tar:
        kept = [(info, tar.extractfile(info).read()) for info in tar if info.name != member]
    refused(empty_target, repack(tmp_path / "short.tar", kept), "missing", member)


def test_an_extra_member_is_refused(archive, empty_target, tmp_path):
    extra = tarfile.TarInfo("uploads/ab/extra.webp")
    extra.size = 3
    with tarfile.open(archive) as tar:
        members = [(info, tar.extractfile(info).read()) for info in tar]
    refused(empty_target, repack(tmp_path / "extra.tar", [*members, (extra, b"abc")]), "does not list", extra.name)


@pytest.mark.parametrize("how", ["cut short", "not a tar", "empty file"])
def test_an_unreadable_archive_is_refused(archive, empty_target, tmp_path, how):
    data = archive.read_bytes()
    broken = {"cut short": data[: len(data) // 2], "not a tar": os.urandom(50_000), "empty file": b""}[how]
    (tmp_path / "broken.tar").write_bytes(broken)
    refused(empty_target, tmp_path / "broken.tar")


def test_a_compressed_copy_is_read_and_its_damage_refused(archive, empty_target, tmp_path):
    compressed = tmp_path / "copy.tar.gz"
    compressed.write_bytes(gzip.compress(archive.read_bytes(), compresslevel=1))
    checked = empty_target.test_cli_runner().invoke(args=["backup", "verify", str(compressed)])
    assert checked.exit_code == 0 and checked.output.startswith("ok:"), checked.output
    data = bytearray(compressed.read_bytes())
    data[len(data) // 2] ^= 0xFF
    compressed.write_bytes(bytes(data))
    refused(empty_target, compressed, "the archive")


def test_an_archive_of_the_other_database_kind_is_refused(archive, empty_target, tmp_path):
    other = "sqlite" if KIND == "postgresql" else "postgresql"

    def other_kind(manifest):
        for member in manifest["members"]:
            if member["path"] == DATABASE_MEMBER:
                member["path"] = backup.DATABASE_MEMBERS[other]
        manifest["database"].update(kind=other, member=backup.DATABASE_MEMBERS[other])

    with tarfile.open(archive) as tar:
        members = [(info, tar.extractfile(info).read()) for info in tar]
    for info, _data in members:
        if info.name == DATABASE_MEMBER:
            info.name = backup.DATABASE_MEMBERS[other]
    renamed = repack(tmp_path / "renamed.tar", members)
    message = refused(empty_target, rewrite(renamed, tmp_path / "other.tar", manifest=other_kind), "database")
    assert message.index(restore.KIND_NAMES[other]) < message.index(restore.KIND_NAMES[KIND])


@pytest.mark.parametrize(
    ("revision", "words"),
    [("0013_bazaar", ["0013_bazaar", "flask db upgrade"]), ("9999_from_the_future", ["does not know"])],
)
def test_an_archive_at_another_migration_is_refused(archive, empty_target, tmp_path, revision, words):
    def other_revision(manifest):
        manifest["database"]["alembic_revision"] = revision

    refused(empty_target, rewrite(archive, tmp_path / "rev.tar", manifest=other_revision), *words)


def test_an_unknown_format_version_is_refused(archive, empty_target, tmp_path):
    def newer(manifest):
        manifest["format_version"] = 2

    refused(empty_target, rewrite(archive, tmp_path / "v2.tar", manifest=newer), "format version 2")


def _member(name, kind=tarfile.REGTYPE, linkname=""):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, linkname, 0 if kind != tarfile.REGTYPE else 7
    return info, b"escaped" if kind == tarfile.REGTYPE else b""


@pytest.mark.parametrize(
    "member",
    [
        _member("uploads/../../escaped.txt"),
        _member("/srv/escaped.txt"),
        _member("uploads/ab/../../../escaped.txt"),
        _member("uploads/link.webp", tarfile.SYMTYPE, "/etc/passwd"),
        _member("uploads/hard.webp", tarfile.LNKTYPE, "manifest.json"),
        _member("secret_key"),
    ],
    ids=["dot-dot", "absolute", "nested dot-dot", "symlink", "hard link", "outside uploads"],
)
def test_a_member_that_would_land_outside_the_instance_is_refused(archive, empty_target, tmp_path, member):
    # listed in a correctly re-signed manifest, so only the path check stands in the way
    bad = rewrite(archive, tmp_path / "escape.tar", add=[member])
    refused(empty_target, bad, "must not", member[0].name)
    assert not (Path(empty_target.instance_path).parent / "escaped.txt").exists()
    assert not Path("/srv/escaped.txt").exists()


def test_an_instance_in_use_is_refused(source, archive):
    before = len(every_file(source))
    with source.app_context(), pytest.raises(ArchiveRefused) as error:
        restore.restore_backup(source, archive)
    message = str(error.value)
    assert "instance is not empty" in message and "of its tables hold rows (address, " in message
    assert "uploads folder" in message and len(every_file(source)) == before


def test_a_file_in_uploads_makes_an_instance_not_empty(archive, empty_target):
    stray = upload_dir(empty_target) / "ab" / "stray.webp"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"x")
    try:
        with empty_target.app_context(), pytest.raises(ArchiveRefused, match="uploads folder"):
            restore.restore_backup(empty_target, archive)
        assert stray.read_bytes() == b"x" and list(upload_dir(empty_target).rglob("*.webp")) == [stray]
    finally:
        stray.unlink()
    assert_untouched(empty_target)
