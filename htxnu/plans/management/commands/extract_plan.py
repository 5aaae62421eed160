import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from htxnu.plans.extraction import ExtractionError, extract_document


class Command(BaseCommand):
    help = (
        "Extract the plan of each file (.docx, .pdf with a text layer, .txt) and print a JSON list in the "
        "plan-import format, one object per file, with \"source\" = the file's name. A file that cannot be "
        "read or is not a plan gets {\"source\": …, \"error\": …} and the command exits with 1 at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--output", "-o", type=Path, help="write the JSON here instead of standard output")

    def handle(self, *args, files, output=None, **options):
        results, failed = [], False
        for path in files:
            try:
                data = path.read_bytes()
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror}") from None
            try:
                results.append(extract_document(data, path.name))
            except ExtractionError as error:
                failed = True
                results.append({"source": path.name, "error": str(error)})
                self.stderr.write(f"{path.name}: {error}")
        text = json.dumps(results, ensure_ascii=False, indent=1)
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text)
        if failed:
            sys.exit(1)
