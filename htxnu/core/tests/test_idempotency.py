"""A create form sent twice (double click, the browser's "resend") creates one record
and tells the user (core.idempotency)."""

import re

from htxnu.accounts.models import Organisation
from htxnu.activities.models import Event
from htxnu.core.tests.base import HtxTestCase
from htxnu.registry.models import Collective

TOKEN = re.compile(r'name="form_token" value="([0-9a-f-]{36})"')


class SentTwiceTests(HtxTestCase):
    def token(self, url: str) -> str:
        return TOKEN.search(self.client.get(url).content.decode()).group(1)

    def test_it_creates_one_cooperative_when_the_form_is_sent_twice(self):
        self.client.force_login(self.commune)
        data = {"type": "tht", "name": "Tổ hợp tác Rau sạch", "commune": self.cam_duong.pk, "sector": "crops",
                "status": "active", "form_token": self.token("/registry/new/")}
        first = self.client.post("/registry/new/", data)
        coop = Collective.objects.get(name="Tổ hợp tác Rau sạch")
        self.assertRedirects(first, f"/registry/{coop.pk}/")
        second = self.client.post("/registry/new/", data, follow=True)
        self.assertRedirects(second, f"/registry/{coop.pk}/")
        self.assertContains(second, "Biểu mẫu này đã được gửi")
        self.assertEqual(Collective.objects.filter(name="Tổ hợp tác Rau sạch").count(), 1)
        # A new form (a new token) is a new record, as the user meant.
        data["form_token"] = self.token("/registry/new/")
        self.client.post("/registry/new/", data)
        self.assertEqual(Collective.objects.filter(name="Tổ hợp tác Rau sạch").count(), 2)

    def test_it_creates_one_event_when_the_form_is_sent_twice(self):
        self.client.force_login(self.commune)
        union = Organisation.objects.get(unit=self.cam_duong, kind="union")
        data = {"kind": "fair", "title": "Hội chợ nông sản", "date": "12/03/2025", "place": "Chợ",
                "unit": self.cam_duong.pk, "organiser": union.pk, "participants_cadres": "0",
                "participants_managers": "0", "participants_members": "0", "participants_workers": "0",
                "participants_others": "0", "participants_women": "0", "cost": "0",
                "form_token": self.token("/events/new/")}
        for name in ("ethnic_minority", "poor", "disability", "reintegrated", "trafficking", "domestic_violence",
                     "sexual_abuse", "unsafe_migrant", "laid_off"):
            data[f"priority_{name}"] = "0"
        self.client.post("/events/new/", data)
        self.client.post("/events/new/", data)
        self.assertEqual(Event.objects.filter(title="Hội chợ nông sản").count(), 1)

    def test_a_form_refused_keeps_its_token_and_the_corrected_one_creates_once(self):
        self.client.force_login(self.commune)
        token = self.token("/registry/new/")
        data = {"type": "htx", "name": "", "commune": self.cam_duong.pk, "sector": "crops", "status": "active",
                "form_token": token}
        refused = self.client.post("/registry/new/", data)
        self.assertContains(refused, f'name="form_token" value="{token}"')
        data["name"] = "Hợp tác xã Chè Shan"
        self.client.post("/registry/new/", data)
        self.client.post("/registry/new/", data)
        self.assertEqual(Collective.objects.filter(name="Hợp tác xã Chè Shan").count(), 1)


class RecordSectionSentTwiceTests(HtxTestCase):
    """The forms inside a cooperative's page (managers, workforce, products, life events)
    create records too: sent twice, by HTMX or as a plain form, they create one."""

    HTMX = {"HX-Request": "true"}

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from htxnu.registry.tests.helpers import make_coop

        cls.coop = make_coop(cls.commune, cls.cam_duong)

    def token(self, url: str, **kwargs) -> str:
        return TOKEN.search(self.client.get(url, **kwargs).content.decode()).group(1)

    def test_each_section_form_sent_twice_creates_one_record(self):
        self.client.force_login(self.commune)
        c = self.coop
        cases = [
            ("managers", {"full_name": "Hoàng Thị Lan", "gender": "female", "position": "accountant"},
             lambda: c.managers.filter(full_name="Hoàng Thị Lan").count()),
            ("products", {"name": "Miến dong"}, lambda: c.products.filter(name="Miến dong").count()),
            ("events", {"kind": "suspended", "date": "01/06/2025"}, lambda: c.events.filter(kind="suspended").count()),
        ]
        for section, data, count in cases:
            with self.subTest(section):
                url = f"/registry/{c.pk}/{section}/new/"
                data = {**data, "form_token": self.token(url, headers=self.HTMX)}
                first = self.client.post(url, data, headers=self.HTMX)
                self.assertEqual((first.status_code, count()), (200, 1))
                again = self.client.post(url, data, headers=self.HTMX)
                self.assertEqual(again.status_code, 200)  # the section, showing the record once
                self.assertEqual(count(), 1)
                # Without HTMX (a plain form sent again): to the record's section, saying so.
                plain = self.client.post(url, data, follow=True)
                self.assertEqual(plain.redirect_chain[0][0], f"/registry/{c.pk}/#{section}")
                self.assertContains(plain, "Biểu mẫu này đã được gửi")
                self.assertEqual(count(), 1)

    def test_workforce_sent_twice_is_recorded_and_audited_once(self):
        from htxnu.core.models import AuditEntry
        from htxnu.registry.models import WorkforceSnapshot

        self.client.force_login(self.commune)
        url = f"/registry/{self.coop.pk}/workforce/new/"
        data = {"as_of": "31/12/2025", "members": 5, "female_members": 3, "workers": 5, "female_workers": 4,
                "women_stable_jobs": 1, "form_token": self.token(url)}
        data.update({f"priority_{name}": 0 for name in (
            "ethnic_minority", "poor", "disability", "reintegrated", "trafficking", "domestic_violence",
            "sexual_abuse", "unsafe_migrant", "laid_off")})
        self.client.post(url, data)
        # (Figures for the same date replace the first ones; sent twice, nothing is written again.)
        again = self.client.post(url, data, follow=True)
        self.assertContains(again, "Biểu mẫu này đã được gửi")
        snapshot = WorkforceSnapshot.objects.get(collective=self.coop)
        self.assertEqual(AuditEntry.objects.for_object(snapshot).count(), 1)

    def test_an_edit_form_carries_no_token(self):
        from htxnu.registry import services

        manager = services.manager_add(actor=self.commune, collective=self.coop, full_name="Lò Thị Mai",
                                       gender="female", position="director")
        self.client.force_login(self.commune)
        self.assertNotContains(self.client.get(f"/registry/{self.coop.pk}/managers/{manager.pk}/"), "form_token")
