import datetime

from htxnu.activities import demo
from htxnu.activities.models import Attendance, BudgetLine, Event, SupportAction
from htxnu.activities.selectors import funding_summary
from htxnu.core.tests.base import HtxTestCase
from htxnu.geo.models import REORGANISATION_DATE
from htxnu.registry.models import Collective, Gender, LifeEvent, Manager, Position


class ActivitiesDemoTests(HtxTestCase):
    def setUp(self):
        for i in range(6):
            c = Collective.objects.create(type="htx", name=f"HTX Demo {i}", commune=self.cam_duong,
                                          founded_on=datetime.date(2020, 1, 1))
            Manager.objects.create(collective=c, full_name=f"Chị {i}", gender=Gender.FEMALE,
                                   position=Position.DIRECTOR)

    def test_it_builds_a_history_on_the_units_of_each_time_and_only_once(self):
        demo.build("demo")
        events = Event.objects.count()
        self.assertGreater(events, 10)
        old = Event.objects.filter(date__lt=REORGANISATION_DATE)
        self.assertTrue(old.exists())
        self.assertFalse(old.filter(unit__valid_to__isnull=True, unit__valid_from__isnull=False).exists())
        self.assertFalse(Event.objects.filter(date__gte=REORGANISATION_DATE, unit__valid_to__isnull=False).exists())
        self.assertTrue(Attendance.objects.exists())
        # every support action is a consolidation event of the registry
        self.assertEqual(SupportAction.objects.count(), LifeEvent.objects.filter(kind="consolidated").count())
        demo.build("demo")
        self.assertEqual(Event.objects.count(), events)

    def test_the_demo_province_overspends_a_source_this_year(self):
        demo.build("demo")
        year = datetime.date.today().year
        self.assertTrue(BudgetLine.objects.filter(year=year).exists())
        summary = funding_summary(self.province, self.lao_cai, year)
        self.assertTrue(summary.warnings)
