import io
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TransactionTestCase, override_settings

from htxnu.accounts.models import Organisation, User
from htxnu.geo.models import AdminUnit, Level

from .base import load_real_units


def every_row() -> dict:
    return {model._meta.label: list(model._base_manager.order_by("pk").values_list())
            for model in apps.get_models() if model._meta.managed and not model._meta.proxy}


def every_file(root: Path) -> dict:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


class BackupRestoreTests(TransactionTestCase):
    """Runs on the suite's database (SQLite, or PostgreSQL with DATABASE_URL=postgres://…)."""

    def setUp(self):
        # A transaction test starts from whatever the tests before it left: load what is needed.
        if not AdminUnit.objects.filter(level=Level.PROVINCE, code="12", valid_to__isnull=True).exists():
            load_real_units({"12"})
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)
        self.media = self.folder / "media"
        settings = override_settings(MEDIA_ROOT=self.media)
        settings.enable()
        self.addCleanup(settings.disable)

    def test_a_backup_brings_back_every_record_and_file_after_a_wipe(self):
        lai_chau = AdminUnit.objects.get(level=Level.PROVINCE, code="12", valid_to__isnull=True)
        user = User(username="an_officer", full_name="Lò Thị Hoa",
                    organisation=Organisation.objects.get(kind=Organisation.Kind.UNION, unit=lai_chau))
        user.set_password("correct horse battery")
        user.save()
        (self.media / "plans" / "2026").mkdir(parents=True)
        (self.media / "plans" / "2026" / "Kế hoạch 12.docx").write_bytes(b"PK\x03\x04 plan")
        (self.media / "imports").mkdir()
        (self.media / "imports" / "a.xlsx").write_bytes(b"PK\x03\x04 sheet")
        rows, files = every_row(), every_file(self.media)
        self.assertGreater(len(rows["geo.AdminUnit"]), 100)

        out = io.StringIO()
        call_command("backup", output=str(self.folder / "backups"), stdout=out)
        backup = Path(out.getvalue().split(" (")[0])
        self.assertTrue(backup.name.endswith(".tar.gz"))

        # Changes after the backup, then a wipe of everything.
        User.objects.filter(username="an_officer").update(full_name="changed")
        call_command("flush", interactive=False, verbosity=0)
        (self.media / "plans" / "2026" / "Kế hoạch 12.docx").unlink()
        (self.media / "new.txt").write_text("after the backup")
        self.assertEqual(User.objects.count(), 0)

        call_command("restore", str(backup), interactive=False, stdout=io.StringIO())

        self.assertEqual(every_row(), rows)
        self.assertEqual(every_file(self.media), files)
        restored = User.objects.get(username="an_officer")
        self.assertEqual(restored.full_name, "Lò Thị Hoa")
        self.assertTrue(restored.check_password("correct horse battery"))
        # The restored database goes on as before: new rows get new ids.
        User.objects.create(username="after_restore", organisation=restored.organisation)

    def test_a_file_that_is_not_a_backup_changes_nothing_and_says_so(self):
        bogus = self.folder / "bogus.tar.gz"
        with tarfile.open(bogus, "w:gz"):
            pass
        count = AdminUnit.objects.count()
        with self.assertRaisesMessage(CommandError, "is not an HTX Nữ backup"):
            call_command("restore", str(bogus), interactive=False)
        self.assertEqual(AdminUnit.objects.count(), count)
