"""`manage.py backup`: the database, MEDIA_ROOT and a manifest in one archive (core/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, create_backup, human_size


class Command(BaseCommand):
    help = (
        "Write one archive (thidua-backup-YYYYMMDD-HHMMSS.tar.gz) holding a consistent copy of "
        "the database, every file under MEDIA_ROOT and a manifest with checksums, row counts and "
        "the schema version, plus <archive>.sha256 beside it. The archive holds personal data: "
        "it is created readable by its owner only."
    )

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group()
        where.add_argument("--output", metavar="PATH",
                           help="The archive's path (.tar.gz, .tgz or .tar); never overwritten.")
        where.add_argument("--dir", metavar="DIR", dest="directory",
                           help="The folder for an archive with the default name "
                                "(default: BACKUP_DIR).")
        parser.add_argument("--database", default="default",
                            help="The database alias to back up (default: default).")

    def handle(self, *args, output, directory, database, **options):
        try:
            result = create_backup(output=output, directory=directory, using=database)
        except BackupError as error:
            raise CommandError(f"Backup failed: {error}") from error
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        self.stdout.write(self.style.SUCCESS(f"Backup written: {result.path}"))
        self.stdout.write(
            f"  {human_size(result.size)}: database {human_size(result.database_size)}, "
            f"{result.media_files} media files ({human_size(result.media_bytes)}), "
            f"{len(result.manifest['row_counts'])} tables, "
            f"{sum(result.manifest['row_counts'].values())} rows, in {result.seconds:.1f} s")
        self.stdout.write(f"  Checksum: {result.checksum_path}")
