"""`manage.py backup` → `manage.py restore` into a fresh database gives back the same rows and the
same files; a damaged, foreign or mismatched archive, or a target in use, is refused before
anything is touched (docs/security-promises.md: recoverability).

The commands run as real subprocesses against their own databases, never the test database:
SQLite files when the suite runs on SQLite, and new databases on the same server when it runs
under scripts/with-postgres.sh. The source holds the demo data (`load_demo`, with its evidence
files) plus a few extra files under MEDIA_ROOT.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import environ
import pytest

ROOT = Path(__file__).resolve().parents[2]
URL = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}")
ON_POSTGRES = URL.startswith(("postgres://", "postgresql://", "pgsql://"))
KEY_TABLES = ["auth_user", "units_unit", "units_staffmember", "units_auditentry",
              "tasks_progressreport", "tasks_evidence", "scoring_score"]


class Database:
    """A database of the engine the suite runs on, read through the plain driver."""

    def __init__(self, workdir: Path, label: str):
        self.label = label
        if ON_POSTGRES:
            self.config = environ.Env.db_url_config(URL)
            self.name = f"thidua_backup_{label}_{uuid.uuid4().hex[:8]}"
            self._admin(f'CREATE DATABASE "{self.name}"')
            base = URL.rsplit("/", 1)[0]
            self.url = f"{base}/{self.name}"
        else:
            self.path = workdir / f"{label}.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def _connect(self, name):
        import psycopg2

        connection = psycopg2.connect(
            dbname=name, host=self.config.get("HOST") or None,
            port=self.config.get("PORT") or None, user=self.config.get("USER") or None,
            password=self.config.get("PASSWORD") or None)
        connection.autocommit = True
        return connection

    def _admin(self, sql):
        # CREATE/DROP DATABASE run outside a transaction, from the server's maintenance database.
        connection = self._connect(self.config["NAME"])
        try:
            connection.cursor().execute(sql)
        finally:
            connection.close()

    def query(self, sql):
        if ON_POSTGRES:
            connection = self._connect(self.name)
        else:
            connection = sqlite3.connect(self.path)
        try:
            cursor = connection.cursor()
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def tables(self):
        if not ON_POSTGRES and not self.path.exists():
            return []
        if ON_POSTGRES:
            sql = ("SELECT tablename FROM pg_tables WHERE schemaname NOT IN "
                   "('pg_catalog', 'information_schema') ORDER BY 1")
        else:
            sql = ("SELECT name FROM sqlite_master WHERE type = 'table' "
                   "AND name NOT LIKE 'sqlite_%' ORDER BY 1")
        return [row[0] for row in self.query(sql)]

    def counts(self):
        return {table: self.query(f'SELECT COUNT(*) FROM "{table}"')[0][0]
                for table in self.tables()}

    def rows(self, table):
        return self.query(f'SELECT * FROM "{table}" ORDER BY id')

    def sequences(self):
        if ON_POSTGRES:
            return self.query("SELECT sequencename, last_value FROM pg_sequences ORDER BY 1")
        return self.query("SELECT name, seq FROM sqlite_sequence ORDER BY name")

    def drop(self):
        if ON_POSTGRES:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("backup")


@pytest.fixture(scope="module")
def new_database(workdir):
    made = []

    def make(label):
        database = Database(workdir, f"{label}{len(made)}")
        made.append(database)
        return database

    yield make
    for database in made:
        database.drop()


def manage(*args, database, media, check=False, **env):
    environment = {**os.environ, "DATABASE_URL": database.url, "MEDIA_ROOT": str(media),
                   "DEBUG": "true", **env}
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=300, check=False)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def media_hashes(folder: Path):
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def source(workdir, new_database):
    """The demo data and its evidence, plus files with Vietnamese names and a 2 MB one."""
    database = new_database("source")
    media = workdir / "media-source"
    manage("migrate", "--noinput", database=database, media=media, check=True)
    manage("load_demo", database=database, media=media, check=True)
    documents = media / "documents" / "2022" / "12"
    documents.mkdir(parents=True)
    (documents / "Quyết định khen thưởng năm 2022.docx").write_bytes(b"PK\x03\x04" + b"x" * 500)
    (documents / "large.pdf").write_bytes(os.urandom(2 * 1024 * 1024))
    return database, media


@pytest.fixture(scope="module")
def archive(workdir, source):
    database, media = source
    result = manage("backup", "--dir", str(workdir / "backups"), database=database, media=media,
                    check=True)
    [path] = (workdir / "backups").glob("thidua-backup-*.tar.gz")
    assert f"Backup written: {path}" in result.stdout
    assert f"{len(media_hashes(media))} media files" in result.stdout
    return path


def copy_archive(archive: Path, folder: Path, *, with_checksum=True):
    folder.mkdir()
    copy = folder / archive.name
    copy.write_bytes(archive.read_bytes())
    if with_checksum:
        Path(f"{copy}.sha256").write_text(Path(f"{archive}.sha256").read_text())
    return copy


def repack(archive: Path, folder: Path, *, edit_manifest=None, edit_member=None, rename=None):
    """A copy of the archive with its contents changed and a fresh, matching .sha256: only
    the checks inside the archive can tell."""
    folder.mkdir()
    copy = folder / archive.name
    with tarfile.open(archive) as old, tarfile.open(copy, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()
            if member.name == "manifest.json" and edit_manifest:
                manifest = json.loads(data)
                edit_manifest(manifest)
                data = json.dumps(manifest).encode()
            elif edit_member and member.name == edit_member[0]:
                data = edit_member[1](data)
            member.name = (rename or {}).get(member.name, member.name)
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    digest = hashlib.sha256(copy.read_bytes()).hexdigest()
    Path(f"{copy}.sha256").write_text(f"{digest}  {copy.name}\n")
    return copy


def assert_untouched(target, media):
    assert target.tables() == []
    assert not media.exists() or media_hashes(media) == {}


def test_backup_writes_archive_checksum_and_manifest(archive, source):
    database, media = source
    line = Path(f"{archive}.sha256").read_text()
    assert line == f"{hashlib.sha256(archive.read_bytes()).hexdigest()}  {archive.name}\n"
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = tar.getnames()
        dump = tar.extractfile(manifest["database"]["member"]).read()
    assert manifest["database"]["vendor"] == ("postgresql" if ON_POSTGRES else "sqlite")
    assert manifest["row_counts"] == database.counts()
    assert manifest["schema"]["units"][0] == "0001_initial"
    assert manifest["schema_latest"]["units"] == manifest["schema"]["units"][-1]
    assert sorted(names) == sorted([*manifest["members"], "manifest.json"])
    assert {name.removeprefix("media/"): entry["sha256"]
            for name, entry in manifest["members"].items()
            if name.startswith("media/")} == media_hashes(media)
    assert manifest["members"][manifest["database"]["member"]]["sha256"] == \
        hashlib.sha256(dump).hexdigest()
    # Nothing but the archive and its checksum is left in the folder.
    assert sorted(p.name for p in archive.parent.iterdir()) == [archive.name,
                                                                 f"{archive.name}.sha256"]


def test_restore_into_fresh_database_gives_same_rows_and_files(archive, source, new_database,
                                                               workdir):
    database, media = source
    target, target_media = new_database("target"), workdir / "media-round-trip"

    result = manage("restore", str(archive), "--yes", database=target, media=target_media)

    assert result.returncode == 0, result.stderr
    counts = database.counts()
    assert counts["auth_user"] > 20 and counts["units_auditentry"] > 100
    assert target.counts() == counts
    for table in KEY_TABLES:
        assert target.rows(table) == database.rows(table), table
    assert target.sequences() == database.sequences()
    assert len(media_hashes(media)) > 40
    assert media_hashes(target_media) == media_hashes(media)
    # The restored database is at this code's schema: nothing left to migrate.
    manage("migrate", "--check", database=target, media=target_media, check=True)


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "member changed"])
def test_damaged_archive_is_refused_and_nothing_touched(damage, archive, new_database, workdir):
    folder = workdir / f"damaged-{damage.replace(' ', '-')}"
    flags = []
    if damage == "member changed":
        # The archive's own checksum is right: only the manifest's per-member SHA-256 catches it.
        # The last byte flipped: large.pdf is random, so writing a fixed "!" there changed
        # nothing once in 256 runs (the restore then rightly succeeded).
        damaged = repack(archive, folder, edit_member=(
            "media/documents/2022/12/large.pdf", lambda data: data[:-1] + bytes([data[-1] ^ 0xFF])))
        expected = "media/documents/2022/12/large.pdf does not match its SHA-256"
    else:
        damaged = copy_archive(archive, folder)
        data = bytearray(damaged.read_bytes())
        if damage == "flipped byte":
            data[len(data) // 2] ^= 0xFF
            expected = "is damaged: its SHA-256 is"
        else:
            # Without its .sha256 the archive must still be found unreadable.
            del data[len(data) * 2 // 3:]
            Path(f"{damaged}.sha256").unlink()
            flags = ["--ignore-missing-checksum"]
            expected = "is damaged and cannot be read"
        damaged.write_bytes(bytes(data))
    target, target_media = new_database("damaged"), folder / "media"

    result = manage("restore", str(damaged), "--yes", *flags, database=target, media=target_media)

    assert result.returncode == 1
    assert expected in result.stderr
    assert_untouched(target, target_media)


def test_archive_with_path_outside_media_root_is_refused(archive, new_database, workdir):
    folder = workdir / "traversal"
    name = "media/documents/2022/12/large.pdf"
    evil = repack(archive, folder, rename={name: "media/../../outside.pdf"})
    target, target_media = new_database("traversal"), folder / "media"

    result = manage("restore", str(evil), "--yes", database=target, media=target_media)

    assert result.returncode == 1
    assert "holds an unexpected entry 'media/../../outside.pdf'" in result.stderr
    assert not (workdir / "outside.pdf").exists() and not (folder / "outside.pdf").exists()
    assert_untouched(target, target_media)


def test_schema_mismatch_is_refused(archive, new_database, workdir):
    def add_future_migration(manifest):
        manifest["schema"]["units"].append("0099_future")

    folder = workdir / "schema"
    changed = repack(archive, folder, edit_manifest=add_future_migration)
    target, target_media = new_database("schema"), folder / "media"

    result = manage("restore", str(changed), "--yes", database=target, media=target_media)

    assert result.returncode == 1
    assert ("schema differs from this code's migrations — units: the backup has 0099_future "
            "that this code does not know") in result.stderr
    assert "awards" not in result.stderr.split("—")[1].split(".")[0]
    assert_untouched(target, target_media)


def test_archive_of_another_database_vendor_is_refused(archive, new_database, workdir):
    mine, other = (("postgresql", "sqlite") if ON_POSTGRES else ("sqlite", "postgresql"))
    members = {"postgresql": "database/db.dump", "sqlite": "database/db.sqlite3"}

    def claim_other_vendor(manifest):
        manifest["database"].update(vendor=other, member=members[other])
        manifest["members"][members[other]] = manifest["members"].pop(members[mine])

    folder = workdir / "vendor"
    foreign = repack(archive, folder, edit_manifest=claim_other_vendor,
                     rename={members[mine]: members[other]})
    target, target_media = new_database("vendor"), folder / "media"

    result = manage("restore", str(foreign), "--yes", database=target, media=target_media)

    assert result.returncode == 1
    assert (f"This backup holds a {other} database, but the configured database is {mine}"
            in result.stderr)
    assert_untouched(target, target_media)


def test_restore_into_database_with_data_is_refused(archive, source, workdir):
    database, _media = source
    before = database.counts()

    result = manage("restore", str(archive), "--yes", database=database,
                    media=workdir / "media-nonempty")

    assert result.returncode == 1
    assert "is not empty" in result.stderr
    assert f"auth_user {before['auth_user']}" in result.stderr
    assert database.counts() == before


def test_restore_into_database_with_empty_tables_is_refused(archive, new_database, workdir):
    # Any table refuses, even without rows: pg_restore recreates the whole schema, so a
    # migrated database (whose data migrations fill catalogues anyway) cannot take a restore.
    target, target_media = new_database("tables"), workdir / "media-tables"
    target.query("CREATE TABLE django_migrations (id integer)")

    result = manage("restore", str(archive), "--yes", database=target, media=target_media)

    assert result.returncode == 1
    assert "it has 1 table(s) (none of them holding rows)" in result.stderr
    assert "Restore needs a database without any table — not even a migrated one" in result.stderr
    assert target.tables() == ["django_migrations"]


def test_restore_into_media_root_with_files_is_refused(archive, new_database, workdir):
    target, target_media = new_database("media"), workdir / "media-in-use"
    (target_media / "evidence").mkdir(parents=True)
    (target_media / "evidence" / "kept.pdf").write_bytes(b"%PDF-1.4 kept")

    result = manage("restore", str(archive), "--yes", database=target, media=target_media)

    assert result.returncode == 1
    assert "already holds files" in result.stderr
    assert target.tables() == []
    assert list(media_hashes(target_media)) == ["evidence/kept.pdf"]


def test_missing_checksum_file_is_refused_unless_asked(archive, source, new_database, workdir):
    database, _media = source
    folder = workdir / "no-checksum"
    bare = copy_archive(archive, folder, with_checksum=False)
    target, target_media = new_database("bare"), folder / "media"

    refused = manage("restore", str(bare), "--yes", database=target, media=target_media)
    assert refused.returncode == 1
    assert f"{bare.name}.sha256 is missing" in refused.stderr
    assert_untouched(target, target_media)

    accepted = manage("restore", str(bare), "--yes", "--ignore-missing-checksum",
                      database=target, media=target_media)
    assert accepted.returncode == 0, accepted.stderr
    assert target.counts() == database.counts()


def test_restore_asks_before_changing_anything(archive, new_database, workdir):
    target, target_media = new_database("ask"), workdir / "media-ask"

    result = manage("restore", str(archive), database=target, media=target_media)

    assert result.returncode == 1
    assert "pass --yes" in result.stderr
    assert_untouched(target, target_media)


def test_failed_backup_leaves_no_archive(source, workdir, new_database):
    database, media = source
    out = workdir / "failed"
    if ON_POSTGRES:
        # pg_dump of the wrong version only: the backup must stop with a clear message.
        tools = workdir / "no-tools"
        tools.mkdir()
        result = manage("backup", "--dir", str(out), database=database, media=media,
                        PG_BIN_DIR=str(tools))
        expected = f"or newer found in PG_BIN_DIR={tools}"
    else:
        broken = new_database("broken")
        broken.path.write_bytes(b"not a database " * 1000)
        result = manage("backup", "--dir", str(out), database=broken, media=media)
        expected = "file is not a database"

    assert result.returncode == 1
    assert "Backup failed" in result.stderr and expected in result.stderr
    assert list(out.iterdir()) == []
