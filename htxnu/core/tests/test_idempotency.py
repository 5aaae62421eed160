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
