from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from htxnu.accounts.models import User
from htxnu.geo.models import AdminUnit
from htxnu.registry import workbook
from htxnu.registry.importer import import_file


class Command(BaseCommand):
    help = (
        "Import the registry workbook (the .xlsx template of /registry/import/) into a unit. Every row is checked "
        "first; if any has an error nothing is written, the errors are listed and a copy of the file with the bad "
        "cells marked is written next to it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file")
        parser.add_argument("--unit", required=True, help="code of the current province or commune to import into")
        parser.add_argument("--user", help="import as this account (its rights are checked; default: the system)")
        parser.add_argument("--errors", help="where to write the annotated copy (default: FILE-errors.xlsx)")

    def handle(self, *args, file, unit, user=None, errors=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        target = AdminUnit.objects.current().filter(code=unit).exclude(level="country").order_by("level").first()
        if target is None:
            raise CommandError(f"No current unit has the code {unit}.")
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active account {user}.")
        data = path.read_bytes()

        def progress(phase, done, total):
            if options["verbosity"] > 1 and total:
                self.stdout.write(f"  {phase}: {done}/{total}")

        try:
            result = import_file(actor=actor, unit=target, data=data, file_name=path.name, progress=progress)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        if result.ok:
            self.stdout.write(self.style.SUCCESS(
                f"{path.name} → {target.name}: {result.total_rows} rows, {result.created} created, "
                f"{result.updated} updated."
            ))
            return
        for p in result.problems:
            where = ", ".join(x for x in (p.sheet, f"dòng {p.row}" if p.row else "",
                                          f"cột {p.column} ({p.header})" if p.column else p.header) if x)
            self.stderr.write(f"{where}: {p.message}")
        out = Path(errors) if errors else path.with_name(f"{path.stem}-errors.xlsx")
        try:
            out.write_bytes(workbook.annotate(data, [p.as_dict() for p in result.problems]))
            self.stderr.write(f"Annotated copy: {out}")
        except Exception:  # the file could not be opened as a workbook at all
            pass
        raise CommandError(f"{len(result.problems)} problem(s); nothing was imported.")
