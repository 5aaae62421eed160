"""The change history reads as an officer writes: labels, names, choice labels, local
dates, years without thousand separators, Có / Không."""

import datetime

from django.utils import timezone, translation

from htxnu.core.history import history_for
from htxnu.core.models import AuditEntry
from htxnu.core.tests.base import HtxTestCase
from htxnu.registry import selectors, services
from htxnu.registry.models import CollectiveType, Gender, Position


class ReadableHistoryTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.coop = services.collective_create(actor=cls.central, type=CollectiveType.HTX, name="HTX Hoa Mai",
                                              commune=cls.cam_duong, founded_on=datetime.date(2021, 3, 5))
        services.manager_add(actor=cls.central, collective=cls.coop, full_name="Lò Thị Mai", gender=Gender.FEMALE,
                             position=Position.DIRECTOR, birth_year=1985)
        services.product_save(actor=cls.central, collective=cls.coop, name="Chè shan tuyết",
                              sales_channels=["zalo", "shopee"])

    def changes(self):
        with translation.override("vi"):
            detail = selectors.detail(self.coop)
            rows = selectors.record_history(self.coop, detail)
        return {label: (old, new) for row in rows for label, old, new in row.changes}

    def test_labels_names_choices_years_and_dates_are_readable(self):
        changes = self.changes()
        self.assertEqual(changes["năm sinh"], ("—", "1985"))  # not 1.985
        self.assertEqual(changes["HTX, tổ hợp tác"][1], "HTX Hoa Mai")  # not 31
        self.assertEqual(changes["chức danh"][1], "Giám đốc / Tổng giám đốc")
        self.assertEqual(changes["ngày thành lập"][1], "05/03/2021")
        self.assertNotIn("[", changes["kênh bán hàng"][1])  # not "['zalo']"
        self.assertEqual(changes["kênh bán hàng"][1], "Zalo, Shopee")
        self.assertNotIn("Created at", changes)  # the entry's own time says it

    def test_moments_are_local_and_booleans_are_co_or_khong(self):
        from htxnu.core.history import shown
        from htxnu.reporting.models import Report

        moment = timezone.make_aware(datetime.datetime(2026, 12, 3, 9, 2, 25), datetime.UTC)
        AuditEntry.objects.filter(object_id=str(self.coop.pk), content_type__model="collective").update(changes={
            "union_supported_founding": [False, True]})
        with translation.override("vi"):
            rows = history_for(self.coop)
            self.assertEqual(shown(Report, "submitted_at", moment.isoformat()), "03/12/2026 16:02")  # local time
        changes = {label: (old, new) for row in rows for label, old, new in row.changes}
        self.assertEqual(changes, {"được Hội hỗ trợ thành lập": ("Không", "Có")})
