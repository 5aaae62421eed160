"""core.audit.save_audited: the one audited save every app's services use."""

import pathlib
import re

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from htxnu.accounts.models import Organisation
from htxnu.core import audit
from htxnu.core.models import AuditEntry

from .base import HtxTestCase


class SaveAuditedTests(HtxTestCase):
    def _new_partner(self, name="Sở Công Thương Lào Cai"):
        return Organisation(name=name, kind=Organisation.Kind.PARTNER,
                            category=Organisation.Category.DEPARTMENT, unit=self.lao_cai)

    def test_it_saves_a_new_record_and_records_who_created_what(self):
        organisation = self._new_partner()
        entry = audit.save_audited(organisation, self.province, note="from a test")
        self.assertIsNotNone(organisation.pk)
        stored = AuditEntry.objects.for_object(organisation).get()
        self.assertEqual(stored.pk, entry.pk)
        self.assertEqual((stored.actor, stored.actor_name, stored.action), (self.province, "province", "create"))
        self.assertEqual(stored.changes["name"], [None, "Sở Công Thương Lào Cai"])
        self.assertEqual(stored.unit_id, self.lao_cai.pk)
        self.assertEqual(stored.note, "from a test")
        self.assertIsNotNone(stored.at)

    def test_it_records_only_what_changed_since_before(self):
        organisation = self._new_partner()
        audit.save_audited(organisation, self.province)
        before = audit.snapshot(organisation)
        organisation.name = "Sở Công Thương tỉnh Lào Cai"
        audit.save_audited(organisation, self.central, before=before)
        update = AuditEntry.objects.for_object(organisation).get(action="update")
        self.assertEqual(update.actor, self.central)
        self.assertEqual(update.changes, {"name": ["Sở Công Thương Lào Cai", "Sở Công Thương tỉnh Lào Cai"]})

    def test_an_update_that_changes_nothing_writes_no_entry(self):
        organisation = self._new_partner()
        audit.save_audited(organisation, self.province)
        self.assertIsNone(audit.save_audited(organisation, self.province, before=audit.snapshot(organisation)))
        self.assertEqual(AuditEntry.objects.for_object(organisation).count(), 1)

    def test_an_invalid_record_is_neither_saved_nor_audited(self):
        organisation = self._new_partner(name="")
        with self.assertRaises(ValidationError):
            audit.save_audited(organisation, self.province)
        self.assertIsNone(organisation.pk)
        self.assertFalse(AuditEntry.objects.filter(object_repr="").exists())

    def test_a_state_change_saves_only_the_named_fields(self):
        organisation = self._new_partner()
        audit.save_audited(organisation, self.province)
        before = audit.snapshot(organisation)
        organisation.name = "not saved"
        organisation.is_active = False
        audit.save_audited(organisation, self.province, before=before, validate=False, update_fields=["is_active"])
        organisation.refresh_from_db()
        self.assertEqual((organisation.name, organisation.is_active), ("Sở Công Thương Lào Cai", False))


class OneAuditedSaveTests(SimpleTestCase):
    def test_no_service_saves_and_audits_by_hand(self):
        """A service that saves a record and then writes its create/update entry itself
        should call audit.save_audited instead, so the rule (validate, save, record who
        changed what) has one owner."""
        by_hand = re.compile(r"\.save\([^)]*\)\n(\s+if \w+:\n)?\s+audit\.log_(create|update)\(")
        root = pathlib.Path(__file__).resolve().parents[2]
        offenders = [str(p.relative_to(root)) for p in sorted(root.glob("*/services*.py"))
                     + sorted(root.glob("*/services/*.py")) if by_hand.search(p.read_text())]
        self.assertEqual(offenders, [])
