"""`manage.py restore ARCHIVE`: verify a backup completely, then restore it into an empty
database and an empty MEDIA_ROOT (core/backup.py)."""

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import Error as DatabaseError
from django.db import connections

from core.backup import BackupError, open_backup, summary


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup`. Everything is checked first: the "
        "archive's .sha256, every member against the manifest, the database vendor, the schema "
        "(the archive's migrations must be exactly this code's), an empty target database (no "
        "tables: a freshly created PostgreSQL database or a new SQLite file) and an empty "
        "MEDIA_ROOT. Row counts are compared with the manifest afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz written by `manage.py backup`.")
        parser.add_argument("--yes", action="store_true",
                            help="Do not ask for confirmation (for scripts).")
        parser.add_argument("--ignore-missing-checksum", action="store_true",
                            help="Accept an archive without its .sha256 file; every member is "
                                 "still checked against the manifest. A .sha256 that does not "
                                 "match is always refused.")
        parser.add_argument("--database", default="default",
                            help="The database alias to restore into (default: default).")

    def handle(self, *args, archive, yes, ignore_missing_checksum, database, **options):
        started = time.monotonic()
        try:
            with open_backup(archive, allow_missing_checksum=ignore_missing_checksum) as backup:
                self.stdout.write(f"Archive verified: {backup.path.name} "
                                  f"({summary(backup.manifest)}).")
                backup.check_target(database)
                target = connections[database].settings_dict["NAME"]
                self.stdout.write(f"Target: database {target}, MEDIA_ROOT {settings.MEDIA_ROOT} "
                                  "(both empty).")
                if not yes and not self._confirmed():
                    raise CommandError("Restore cancelled; nothing was changed.")
                result = backup.restore(database)
        except BackupError as error:
            raise CommandError(f"Restore refused: {error}") from error
        except DatabaseError as error:
            raise CommandError(f"Restore failed: the database answered: {error}") from error
        self.stdout.write(self.style.SUCCESS(
            f"Restored {result.tables} tables ({result.rows} rows, matching the manifest) and "
            f"{result.media_files} media files in {time.monotonic() - started:.1f} s "
            "(checks included)."))

    def _confirmed(self):
        if not sys.stdin.isatty():
            raise CommandError("Not asking on a non-interactive input: pass --yes to restore.")
        answer = input("Restore this backup into the target above? [y/N] ")
        return answer.strip().lower() in ("y", "yes")
