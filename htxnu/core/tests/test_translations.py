from pathlib import Path

import polib
from django.conf import settings
from django.test import SimpleTestCase


class TranslationTests(SimpleTestCase):
    def catalogues(self):
        return sorted(Path(settings.BASE_DIR).glob("**/locale/vi/LC_MESSAGES/django.po"))

    def test_every_string_has_a_vietnamese_translation(self):
        self.assertTrue(self.catalogues())
        for po_path in self.catalogues():
            if ".venv" in po_path.parts:
                continue
            po = polib.pofile(str(po_path))
            missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
            self.assertEqual(missing, [], po_path)

    def test_the_compiled_catalogue_matches_the_po_file(self):
        for po_path in self.catalogues():
            if ".venv" in po_path.parts:
                continue
            mo_path = po_path.with_suffix(".mo")
            self.assertTrue(mo_path.exists(), f"{mo_path} missing: run scripts/compile-translations")
            po, mo = polib.pofile(str(po_path)), polib.mofile(str(mo_path))
            compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo}
            for entry in po.translated_entries():
                if not entry.msgid_plural:
                    self.assertEqual(compiled.get((entry.msgctxt, entry.msgid)), entry.msgstr, entry.msgid)

    def test_one_english_string_has_one_vietnamese_wording_across_the_catalogues(self):
        # Django merges the catalogues into one: where two apps translate the same
        # string (and context) differently, one of them silently shows the other's
        # wording. A word that means two things needs a context (pgettext).
        wordings = {}
        for po_path in self.catalogues():
            if ".venv" in po_path.parts:
                continue
            for entry in polib.pofile(str(po_path)).translated_entries():
                if not entry.msgid_plural:
                    wordings.setdefault((entry.msgctxt, entry.msgid), {})[po_path.parts[-5]] = entry.msgstr
        conflicts = {key: by_app for key, by_app in wordings.items() if len(set(by_app.values())) > 1}
        self.assertEqual(conflicts, {})
