"""Backups of the whole portal into one archive, and their restore (`manage.py backup`/`restore`).

An archive (`thidua-backup-YYYYMMDD-HHMMSS.tar.gz`) holds:

* `database/db.dump` — PostgreSQL, `pg_dump --format=custom` — or `database/db.sqlite3` — SQLite,
  a copy made through SQLite's backup API. Both are consistent snapshots taken while the portal
  keeps writing: pg_dump runs in a snapshot exported from the transaction that also counts the
  rows, and the SQLite copy is counted after it is made.
* `media/<path>` — every regular file under MEDIA_ROOT (uploaded evidence, generated documents).
* `manifest.json`, written last: format version, creation time, database vendor and server
  version, Django version, the schema (every applied migration per app), row counts per table,
  and the SHA-256 and size of every other member. The manifest itself is covered by the
  `<archive>.sha256` file beside the archive (a line `sha256sum -c` understands).

Restore checks everything it can before it touches the database or MEDIA_ROOT: the archive's
checksum, every member against the manifest, the vendor, the schema against this code's
migrations, an empty target database (no tables at all) and an empty MEDIA_ROOT. See
docs/backup.md for why restore wants a database without tables rather than a migrated one.
"""

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = "thidua-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"postgresql": "database/db.dump", "sqlite": "database/db.sqlite3"}
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what is wrong and what to do."""


# --- small helpers ------------------------------------------------------------------------------

def sha256_of(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


class _HashingReader:
    """Hands tarfile the bytes of a file while hashing exactly what went into the archive."""

    def __init__(self, f):
        self.f = f
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.f.read(size)
        self.digest.update(data)
        return data


def _fsync_dir(path: Path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _table_key(schema: str, name: str) -> str:
    return name if schema in ("public", "main") else f"{schema}.{name}"


def _quote(name: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in name.split("."))


def list_tables(cursor, vendor: str) -> list[str]:
    """Every ordinary table of the database (not Django's idea of it: leftovers count too)."""
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                       "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
        return [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'r' AND n.nspname NOT IN %s AND n.nspname NOT LIKE 'pg\\_%%' "
        "ORDER BY 1, 2", [SYSTEM_SCHEMAS])
    return [_table_key(schema, name) for schema, name in cursor.fetchall()]


def count_rows(cursor, vendor: str) -> dict[str, int]:
    counts = {}
    for table in list_tables(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor, tables) -> dict[str, list[str]]:
    """The schema version of a database: every applied migration, per app."""
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    schema = {}
    for app, name in cursor.fetchall():
        schema.setdefault(app, []).append(name)
    return schema


def code_migrations() -> dict[str, list[str]]:
    """Every migration this code base knows, per app, as `migrate` would record them applied.

    A squashed migration is recorded together with the migrations it replaces, so both count.
    """
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {}
    for key in loader.graph.nodes:
        names = known.setdefault(key[0], set())
        names.add(key[1])
        for app, name in loader.disk_migrations[key].replaces or ():
            known.setdefault(app, set()).add(name)
    return {app: sorted(names) for app, names in sorted(known.items())}


def schema_differences(archived: dict, known: dict) -> list[str]:
    """One line per app whose migrations differ; empty when the schemas are the same."""
    lines = []
    for app in sorted(set(archived) | set(known)):
        have, want = set(archived.get(app, ())), set(known.get(app, ()))
        if have == want:
            continue
        parts = []
        if want - have:
            parts.append("the backup lacks " + ", ".join(sorted(want - have)))
        if have - want:
            parts.append("the backup has " + ", ".join(sorted(have - want))
                         + " that this code does not know")
        lines.append(f"{app}: " + "; ".join(parts))
    return lines


# --- PostgreSQL client tools --------------------------------------------------------------------

def _tool_major(path: Path) -> int | None:
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True,
                             timeout=30, check=False).stdout
    except OSError:
        return None
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    return int(match.group(1)) if match else None


def find_pg_tool(name: str, server_major: int) -> Path:
    """pg_dump/pg_restore of the server's major version (a newer one is accepted).

    PG_BIN_DIR, when set, is the only place looked at; otherwise Debian's
    /usr/lib/postgresql/<major>/bin, then PATH, then the newest /usr/lib/postgresql/*/bin.
    An older tool cannot be used: pg_dump refuses a newer server, pg_restore a newer dump.
    """
    configured = getattr(settings, "BACKUP_PG_BIN_DIR", "")
    if configured:
        candidates = [Path(configured) / name]
    else:
        candidates = [Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")]
        if found := shutil.which(name):
            candidates.append(Path(found))
        versioned = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                           key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
                           reverse=True)
        candidates.extend(versioned)
    seen = []
    for path in candidates:
        if not (path.is_file() and os.access(path, os.X_OK)):
            continue
        major = _tool_major(path)
        seen.append(f"{path} ({major or 'unknown version'})")
        if major is not None and major >= server_major:
            return path
    where = f"in PG_BIN_DIR={configured}" if configured else "on PATH or in /usr/lib/postgresql"
    raise BackupError(
        f"No {name} of PostgreSQL {server_major} or newer found {where}"
        + (f" (found: {', '.join(seen)})" if seen else "")
        + f". Install the PostgreSQL {server_major} client (apt-get install "
        f"postgresql-client-{server_major}) or set PG_BIN_DIR to its bin directory.")


def _pg_environment(settings_dict) -> dict:
    """libpq's environment for the configured database: the password never goes on a command
    line, where `ps` would show it to every user of the machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    options = settings_dict.get("OPTIONS") or {}
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
        "PGAPPNAME": "thidua-backup",
    }
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    return env


def _run(command, env, what):
    result = subprocess.run([str(part) for part in command], env=env, capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise BackupError(f"{what} failed (exit {result.returncode}): " + " | ".join(detail))


def _server_major(connection) -> int:
    return connection.pg_version // 10000


# --- backup -------------------------------------------------------------------------------------

@dataclass
class BackupResult:
    path: Path
    checksum_path: Path
    size: int
    database_size: int
    media_files: int
    media_bytes: int
    seconds: float
    manifest: dict
    warnings: list[str] = field(default_factory=list)


def default_archive_name(now=None) -> str:
    now = timezone.localtime(now)
    return f"thidua-backup-{now:%Y%m%d-%H%M%S}.tar.gz"


def _dump_sqlite(connection, target: Path):
    if connection.is_in_memory_db():
        raise BackupError("The database is an in-memory SQLite database: there is nothing "
                          "to back up. Point DATABASE_URL at the portal's database file.")
    source_path = Path(connection.settings_dict["NAME"])
    if not source_path.is_file():
        raise BackupError(f"The SQLite database {source_path} does not exist.")
    # Read-only: a backup must never create or change the portal's database.
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1) holds a read lock for the whole copy: a consistent snapshot even
        # while the portal writes (writers wait, as they would for any long read).
        source.backup(copy)
        cursor = copy.cursor()
        tables = list_tables(cursor, "sqlite")
        return {
            "server_version": sqlite3.sqlite_version,
            "schema": applied_migrations(cursor, tables),
            "row_counts": count_rows(cursor, "sqlite"),
        }
    finally:
        copy.close()
        source.close()


def _dump_postgresql(connection, target: Path):
    pg_dump = find_pg_tool("pg_dump", _server_major(connection))
    env = _pg_environment(connection.settings_dict)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # The counts and the dump come from one snapshot: pg_dump imports the one exported here.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server_version = cursor.fetchone()
        tables = list_tables(cursor, "postgresql")
        info = {
            "server_version": server_version,
            "schema": applied_migrations(cursor, tables),
            "row_counts": count_rows(cursor, "postgresql"),
        }
        _run([pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}",
              f"--file={target}"], env, "pg_dump")
    return info


def _media_files(media_root: Path):
    """(relative posix path, absolute path) of every regular file under MEDIA_ROOT, sorted.

    Symbolic links are skipped: Django's storage never makes them, and following one could
    pull files from outside MEDIA_ROOT into the archive.
    """
    files, skipped = [], []
    if not media_root.is_dir():
        return files, skipped
    for directory, dirnames, filenames in os.walk(media_root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(directory) / name
            relative = path.relative_to(media_root).as_posix()
            if path.is_symlink() or not path.is_file() or not _utf8(relative):
                skipped.append(relative.encode("utf-8", "backslashreplace").decode())
            else:
                files.append((relative, path))
    return files, skipped


def _utf8(name: str) -> bool:
    # A name that is not UTF-8 cannot go into the JSON manifest; Django never makes one.
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def create_backup(*, output=None, directory=None, using="default") -> BackupResult:
    """Write one archive and its `.sha256`; nothing is left under the final name on failure.

    In order: check where the archive goes, dump the database beside it, write the archive
    (database, media, manifest last) under a hidden name, checksum it as it is on disk, and
    only then give both files their final names.
    """
    started = time.monotonic()
    connection = connections[using]
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    final = _archive_path(output, directory)
    checksum_path = final.with_name(final.name + ".sha256")
    _refuse_to_overwrite(final, checksum_path)
    compressed = final.name.endswith((".tar.gz", ".tgz"))
    if not compressed and not final.name.endswith(".tar"):
        raise BackupError("The archive name must end in .tar.gz, .tgz or .tar.")

    warnings = []
    # Work files beside the archive: the same disk, and /tmp may be too small for a dump.
    work = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".work", dir=final.parent))
    partial, partial_sum = _hidden_file_for(final), _hidden_file_for(checksum_path)
    try:
        connection.ensure_connection()
        dump, info = _dump_database(connection, work, warnings)
        manifest = _write_archive(partial, compressed, connection.vendor, dump, info, warnings)
        _write_checksum(partial, partial_sum, final.name)
        os.rename(partial, final)
        os.rename(partial_sum, checksum_path)
        _fsync_dir(final.parent)
    except BackupError:
        _discard(partial, partial_sum)
        raise
    except (OSError, sqlite3.Error, tarfile.TarError, DatabaseError) as error:
        _discard(partial, partial_sum)
        raise BackupError(f"{error}".strip() or type(error).__name__) from error
    except BaseException:
        _discard(partial, partial_sum)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)

    return BackupResult(
        path=final, checksum_path=checksum_path, size=final.stat().st_size,
        database_size=manifest["members"][manifest["database"]["member"]]["size"],
        media_files=manifest["media"]["files"],
        media_bytes=manifest["media"]["bytes"], seconds=time.monotonic() - started,
        manifest=manifest, warnings=warnings)


def _archive_path(output, directory) -> Path:
    """Where the archive goes: `output`, else a dated name in `directory` (or BACKUP_DIR)."""
    if output:
        final = Path(output).expanduser().resolve()
    else:
        final = Path(directory or settings.BACKUP_DIR).expanduser().resolve() / \
            default_archive_name()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if media_root in final.parents:
        # The archive would end up backing up itself (and sit among the uploads).
        raise BackupError(f"The archive cannot be written inside MEDIA_ROOT ({media_root}).")
    if not output:
        final.parent.mkdir(parents=True, exist_ok=True)
    if not final.parent.is_dir():
        raise BackupError(f"The folder {final.parent} does not exist.")
    return final


def _refuse_to_overwrite(*paths: Path):
    for existing in paths:
        if existing.exists():
            raise BackupError(f"{existing} already exists; a backup never overwrites a file.")


def _hidden_file_for(final: Path) -> str:
    """A hidden, unique temporary name beside `final` (mkstemp creates it 0600), renamed to
    `final` only when complete."""
    fd, partial = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".partial", dir=final.parent)
    os.close(fd)
    return partial


def _dump_database(connection, work: Path, warnings: list) -> tuple[Path, dict]:
    """Dump the database into `work`; warn if its migrations are not this code's."""
    dump = work / Path(DATABASE_MEMBERS[connection.vendor]).name
    dumper = _dump_postgresql if connection.vendor == "postgresql" else _dump_sqlite
    info = dumper(connection, dump)
    if differences := schema_differences(info["schema"], code_migrations()):
        warnings.append("The database's migrations differ from this code's ("
                        + "; ".join(differences) + "): restoring this backup will need "
                        "code with exactly the database's migrations.")
    return dump, info


def _write_archive(partial, compressed: bool, vendor: str, dump: Path, info: dict,
                   warnings: list) -> dict:
    """The database dump, every media file, then the manifest that lists them; returns the
    manifest."""
    members = {}
    media_bytes = 0
    # Owner-only (mkstemp's 0600): the archive holds personal data and password hashes.
    with open(partial, "wb") as raw:
        mode = "w:gz" if compressed else "w"
        options = {"compresslevel": 6} if compressed else {}
        with tarfile.open(fileobj=raw, mode=mode, format=tarfile.PAX_FORMAT, **options) as tar:
            members[DATABASE_MEMBERS[vendor]] = _add_file(tar, DATABASE_MEMBERS[vendor], dump)
            files, skipped = _media_files(Path(settings.MEDIA_ROOT).resolve())
            for relative, path in files:
                members[MEDIA_PREFIX + relative] = _add_file(tar, MEDIA_PREFIX + relative, path)
                media_bytes += members[MEDIA_PREFIX + relative]["size"]
            if skipped:
                warnings.append(f"Skipped {len(skipped)} entries of MEDIA_ROOT that are not "
                                "regular files: " + ", ".join(skipped[:5]))
            manifest = _manifest(vendor, info, members, files=len(files), media_bytes=media_bytes)
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            entry = tarfile.TarInfo(MANIFEST)
            entry.size, entry.mtime, entry.mode = len(data), int(time.time()), 0o600
            tar.addfile(entry, io.BytesIO(data))
        raw.flush()
        os.fsync(raw.fileno())
    return manifest


def _manifest(vendor: str, info: dict, members: dict, *, files: int, media_bytes: int) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "django_version": django.get_version(),
        "database": {
            "vendor": vendor,
            "server_version": info["server_version"],
            "member": DATABASE_MEMBERS[vendor],
        },
        "schema": info["schema"],
        "schema_latest": {app: names[-1] for app, names in info["schema"].items()},
        "row_counts": info["row_counts"],
        "media": {"files": files, "bytes": media_bytes},
        "members": members,
    }


def _write_checksum(partial, partial_sum, name: str):
    # The checksum is taken from the file as it is on disk, not from what was meant to be.
    digest = sha256_of(partial)
    with open(partial_sum, "w") as f:
        f.write(f"{digest}  {name}\n")
        f.flush()
        os.fsync(f.fileno())


def _add_file(tar, name, path: Path) -> dict:
    stat = path.stat()
    entry = tarfile.TarInfo(name)
    entry.size, entry.mtime, entry.mode = stat.st_size, int(stat.st_mtime), 0o600
    with open(path, "rb") as f:
        reader = _HashingReader(f)
        # tarfile reads exactly `size` bytes and fails if the file shrank meanwhile.
        tar.addfile(entry, reader)
    return {"sha256": reader.digest.hexdigest(), "size": stat.st_size}


def _discard(*paths):
    for path in paths:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


# --- restore ------------------------------------------------------------------------------------

def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        return False
    if "\\" in name or "\x00" in name:
        return False
    return name == MANIFEST or name.startswith(("database/", MEDIA_PREFIX))


@dataclass
class RestoreResult:
    tables: int
    rows: int
    media_files: int
    seconds: float


class OpenedBackup:
    """An archive checked and unpacked into a staging folder; nothing else touched yet."""

    def __init__(self, path: Path, staging: Path, manifest: dict):
        self.path = path
        self.staging = staging
        self.manifest = manifest

    @property
    def vendor(self):
        return self.manifest["database"]["vendor"]

    def media_members(self):
        return sorted(name for name in self.manifest["members"] if name.startswith(MEDIA_PREFIX))

    def check_target(self, using="default"):
        """Refuse a target that does not fit: vendor, schema, a database or MEDIA_ROOT in use."""
        connection = connections[using]
        if connection.vendor != self.vendor:
            raise BackupError(
                f"This backup holds a {self.vendor} database, but the configured database is "
                f"{connection.vendor}. Restore into a {self.vendor} database (set DATABASE_URL), "
                "or move the data between engines with dumpdata/loaddata instead.")
        if differences := schema_differences(self.manifest["schema"], code_migrations()):
            raise BackupError(
                "The backup's schema differs from this code's migrations — "
                + "; ".join(differences) + ". Restore needs the same code version that made "
                "the backup: check out that release, restore, then upgrade and run migrate.")
        _check_database_empty(connection)
        _check_media_empty(Path(settings.MEDIA_ROOT))

    def restore(self, using="default") -> RestoreResult:
        started = time.monotonic()
        connection = connections[using]
        self.check_target(using)
        dump = self.staging / self.manifest["database"]["member"]
        if self.vendor == "sqlite":
            _restore_sqlite(connection, dump)
        else:
            _restore_postgresql(connection, dump)
        # The database first: if it fails, MEDIA_ROOT is still untouched.
        media_root = Path(settings.MEDIA_ROOT)
        media = self.media_members()
        for name in media:
            destination = media_root / name[len(MEDIA_PREFIX):]
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(self.staging / name, destination)
        with connection.cursor() as cursor:
            counts = count_rows(cursor, connection.vendor)
        expected = self.manifest["row_counts"]
        if counts != expected:
            wrong = [f"{table}: {counts.get(table, 'missing')} rows, expected "
                     f"{expected.get(table, 'none')}"
                     for table in sorted(set(counts) | set(expected))
                     if counts.get(table) != expected.get(table)]
            raise BackupError("The restored database does not match the manifest's row counts ("
                              + "; ".join(wrong[:10]) + "). Do not use it: drop it and "
                              "restore again.")
        return RestoreResult(tables=len(counts), rows=sum(counts.values()),
                             media_files=len(media), seconds=time.monotonic() - started)


def read_checksum_file(path: Path) -> str:
    line = path.read_text(errors="replace").strip().splitlines()
    match = re.match(r"^([0-9a-fA-F]{64})\s", (line[0] + " ") if line else "")
    if not match:
        raise BackupError(f"{path} is not a sha256sum line (expected '<64 hex digits>  "
                          "<file name>').")
    return match.group(1).lower()


@contextmanager
def open_backup(path, *, allow_missing_checksum=False):
    """Verify an archive completely and unpack it beside MEDIA_ROOT; clean up on exit.

    The staging folder sits next to MEDIA_ROOT so that restoring the files is a rename on the
    same disk.
    """
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    checksum_path = path.with_name(path.name + ".sha256")
    if checksum_path.exists():
        expected = read_checksum_file(checksum_path)
        actual = sha256_of(path)
        if actual != expected:
            raise BackupError(
                f"The archive {path.name} is damaged: its SHA-256 is {actual}, but "
                f"{checksum_path.name} says {expected}. Use another copy of the backup.")
    elif not allow_missing_checksum:
        raise BackupError(
            f"{checksum_path.name} is missing beside the archive, so the archive as a whole "
            "(its manifest included) cannot be verified. Copy it along with the archive, or "
            "pass --ignore-missing-checksum to rely on the manifest's checksums alone.")

    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".thidua-restore-", dir=media_root.parent))
    try:
        found = _unpack(path, staging)
        manifest = _read_manifest(staging, path)
        _check_members(manifest, found, path)
        yield OpenedBackup(path, staging, manifest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _unpack(path: Path, staging: Path) -> dict:
    found = {}
    try:
        with tarfile.open(path, mode="r:*") as tar:
            for member in tar:
                name = member.name
                if not _safe_member_name(name) or not member.isfile():
                    raise BackupError(f"The archive {path.name} holds an unexpected entry "
                                      f"'{name}': it was not made by `manage.py backup`.")
                if name in found:
                    raise BackupError(f"The archive {path.name} holds '{name}' twice.")
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                with tar.extractfile(member) as source, open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                found[name] = {"sha256": digest.hexdigest(), "size": size}
            # tarfile stops quietly at a garbled header; reading the compressed stream to its
            # end makes gzip check its CRC and length over everything.
            while tar.fileobj.read(CHUNK):
                pass
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        if isinstance(error, OSError) and error.errno is not None:
            raise BackupError(f"Cannot unpack {path.name}: {error}") from error
        raise BackupError(f"The archive {path.name} is damaged and cannot be read "
                          f"({error or type(error).__name__}).") from error
    return found


def _read_manifest(staging: Path, path: Path) -> dict:
    try:
        manifest = json.loads((staging / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"The archive {path.name} is damaged or incomplete: it has no "
                          f"{MANIFEST}.") from None
    except ValueError as error:
        raise BackupError(f"The manifest of {path.name} is not valid JSON: {error}.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path.name} is not a portal backup (format "
                          f"{manifest.get('format')!r}).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path.name} has backup format version "
                          f"{manifest.get('format_version')}; this code reads version "
                          f"{FORMAT_VERSION} only.")
    for key in ("database", "schema", "row_counts", "members"):
        if key not in manifest:
            raise BackupError(f"The manifest of {path.name} lacks '{key}'.")
    vendor = manifest["database"].get("vendor")
    if DATABASE_MEMBERS.get(vendor) != manifest["database"].get("member"):
        raise BackupError(f"The manifest of {path.name} names an unknown database "
                          f"({vendor!r}).")
    return manifest


def _check_members(manifest: dict, found: dict, path: Path):
    listed = manifest["members"]
    problems = []
    for name in sorted(set(listed) | set(found) - {MANIFEST}):
        if name not in found:
            problems.append(f"{name} is missing")
        elif name not in listed:
            problems.append(f"{name} is not in the manifest")
        elif found[name]["sha256"] != listed[name].get("sha256"):
            problems.append(f"{name} does not match its SHA-256")
        elif found[name]["size"] != listed[name].get("size"):
            problems.append(f"{name} has the wrong size")
    if problems:
        shown = "; ".join(problems[:10]) + ("; …" if len(problems) > 10 else "")
        raise BackupError(f"The archive {path.name} is damaged: {shown}.")


def _check_database_empty(connection):
    """Restore wants a database without any table: a fresh `createdb` or a new SQLite file.

    A migrated database is refused too (its data migrations already filled the catalogues):
    pg_restore recreates the schema exactly as it was dumped, in one transaction.
    """
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            raise BackupError("The configured database is an in-memory SQLite database; set "
                              "DATABASE_URL to the file to restore into.")
        target = Path(connection.settings_dict["NAME"])
        if not target.exists() or target.stat().st_size == 0:
            return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' "
                           "ESCAPE '\\'")
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.nspname NOT IN %s "
                "AND n.nspname NOT LIKE 'pg\\_%%'", [SYSTEM_SCHEMAS])
        objects = cursor.fetchone()[0]
        if not objects:
            return
        counts = count_rows(cursor, connection.vendor)
    holding = {table: rows for table, rows in counts.items() if rows}
    name = connection.settings_dict["NAME"]
    how = (f"create a new one (dropdb/createdb {name}) or point DATABASE_URL at an empty one"
           if connection.vendor == "postgresql"
           else f"move {name} away or point DATABASE_URL at a new file")
    held = (", ".join(f"{table} {rows}" for table, rows in list(holding.items())[:6])
            + (", …" if len(holding) > 6 else "")) if holding else "none of them holding rows"
    raise BackupError(
        f"The target database {name} is not empty: it has {len(counts)} table(s) ({held}). "
        "Restore needs a database without any table — not even a migrated one — and never "
        f"overwrites data: {how}.")


def _check_media_empty(media_root: Path):
    if not media_root.exists():
        return
    if not media_root.is_dir():
        raise BackupError(f"MEDIA_ROOT {media_root} is not a folder.")
    for _directory, _dirs, files in os.walk(media_root):
        if files:
            raise BackupError(
                f"MEDIA_ROOT {media_root} already holds files. Restore never overwrites "
                "uploaded files: move the folder away (or point MEDIA_ROOT at an empty one).")


def _restore_sqlite(connection, dump: Path):
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    source = sqlite3.connect(f"{dump.as_uri()}?mode=ro", uri=True)
    destination = sqlite3.connect(target)
    try:
        # The backup API writes every page of the copy into the target in one transaction.
        source.backup(destination)
    except sqlite3.Error as error:
        raise BackupError(f"Restoring into {target} failed: {error}") from error
    finally:
        destination.close()
        source.close()


def _restore_postgresql(connection, dump: Path):
    pg_restore = find_pg_tool("pg_restore", _server_major(connection))
    env = _pg_environment(connection.settings_dict)
    connection.close()
    # --single-transaction: a failure leaves the target as empty as it was.
    _run([pg_restore, "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", "--no-password", f"--dbname={env['PGDATABASE']}", dump],
         env, "pg_restore")


def summary(manifest: dict) -> str:
    created = datetime.datetime.fromisoformat(manifest["created_at"])
    rows = sum(manifest["row_counts"].values())
    media = manifest.get("media", {})
    return (f"made {timezone.localtime(created):%Y-%m-%d %H:%M:%S}, "
            f"{manifest['database']['vendor']} {manifest['database'].get('server_version', '')}, "
            f"{len(manifest['row_counts'])} tables / {rows} rows, "
            f"{media.get('files', 0)} media files")
