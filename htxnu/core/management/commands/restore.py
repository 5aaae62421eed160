from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from htxnu.core import backup


class Command(BaseCommand):
    help = ("Replace the database and the uploaded files (MEDIA_ROOT) with those of a backup made by "
            "`manage.py backup`. Stop the web server and the worker first.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup (.tar.gz)")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="do not ask for confirmation")

    def handle(self, *args, file, interactive, **options):
        path = Path(file)
        try:
            manifest = backup.read_manifest(path)
            if interactive:
                answer = input(f"Replace the whole {manifest['engine']} database and every uploaded file with "
                               f"the backup made {manifest['created']} UTC? Type 'yes': ")
                if answer.strip() != "yes":
                    raise CommandError("Restore cancelled; nothing was changed.")
            backup.restore(path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {path} (made {manifest['created']} UTC). "
                          "Run `manage.py migrate` if the code is newer.")
