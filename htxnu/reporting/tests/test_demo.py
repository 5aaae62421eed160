from django.utils import timezone

from htxnu.accounts import demo as accounts_demo
from htxnu.core.tests.base import HtxTestCase
from htxnu.reporting import demo
from htxnu.reporting.models import Report


class DemoTests(HtxTestCase):
    def test_reports_in_every_state_and_running_it_again_changes_nothing(self):
        accounts_demo.build()
        demo.build("demo")
        states = set(Report.objects.values_list("state", flat=True))
        self.assertEqual(states, {"draft", "submitted", "returned", "approved"})
        late = [r for r in Report.objects.select_related("round") if r.first_submitted_at
                and timezone.localdate(r.first_submitted_at) > r.round.data_end]
        self.assertTrue(late)
        old = Report.objects.filter(unit__valid_to__isnull=False)
        self.assertTrue(old.filter(unit__level="province").exists())  # old Lào Cai, Yên Bái
        cam_duong = Report.objects.filter(unit__name="Phường Cam Đường", round__kind="annual", round__year=2025).get()
        self.assertEqual((cam_duong.state, cam_duong.resubmissions), ("approved", 1))
        count = Report.objects.count()
        demo.build("demo")
        self.assertEqual(Report.objects.count(), count)
