from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from htxnu.core import backup


class Command(BaseCommand):
    help = ("Back up the database (SQLite: online backup API; PostgreSQL: pg_dump) and the uploaded "
            "files (MEDIA_ROOT) into one .tar.gz file. Safe while the site runs.")

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="the folder to write into (default: backups)")

    def handle(self, *args, output, **options):
        try:
            path = backup.backup(Path(output))
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{path} ({path.stat().st_size:,} bytes)")
