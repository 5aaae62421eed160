"""The dashboard's drill-down: each unit's figure links to the cooperatives it counted;
following the link lists as many as the figure says, in both geographies."""

from htxnu.core.tests.base import HtxTestCase
from htxnu.plans.indicators import REGISTRY_CODES
from htxnu.plans.models import Indicator
from htxnu.plans.tests.test_indicators import build_fixture
from htxnu.reporting.models import Round, RoundKind

COUNTS = ["coops_consolidated", "groups_consolidated", "coops_new", "groups_new", "coops_supported",
          "groups_supported", "coops_groups_consolidated_pct"]


class DrilldownLinkTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_fixture(cls)
        Indicator.objects.filter(code__in=REGISTRY_CODES).update(source=Indicator.Source.RECORDS, is_active=True)
        cls.round = Round.objects.regular().get(kind=RoundKind.ANNUAL, year=2024)

    def listed(self, url: str) -> int:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertIsNone(response.context["page"].next_after)
        return len(response.context["page"].items)

    def test_each_unit_s_figure_links_to_as_many_cooperatives_as_it_counts(self):
        self.client.force_login(self.central)
        followed = 0
        for unit, geography in ((self.country, "today"), (self.lao_cai, "today"), (self.cam_duong, "today"),
                                (self.country, "old"), (self.old_lao_cai, "old"), (self.pom_han, "old")):
            for code in COUNTS:
                response = self.client.get(f"/dashboard/indicators/{code}/",
                                           {"unit": unit.pk, "round": self.round.pk, "geography": geography})
                self.assertEqual(response.status_code, 200)
                # The unit's own figure, and those of the units below that count something
                # (the country has 34 provinces; following every zero would only repeat it).
                rows = [row.cell for row in response.context["rows"]]
                cells = [response.context["cell"], *(c for c in rows if c.figure and c.figure.value)]
                for cell in cells:
                    figure = cell.figure
                    where = f"{code} {geography} {figure.unit_id if figure else '?'}"
                    if figure is None or figure.records_url is None:
                        continue
                    expected = figure.numerator if code.endswith("_pct") else figure.value
                    self.assertEqual(self.listed(figure.records_url), expected, where)
                    followed += 1
                    if cell.measure_figure is not None and cell.measure_figure.records_url:
                        measure = cell.measure_figure
                        self.assertEqual(self.listed(measure.records_url),
                                         measure.numerator if code.endswith("_pct") else measure.value, where)
        self.assertGreater(followed, 30)
