import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from htxnu.accounts.models import Organisation
from htxnu.activities import indicators, services
from htxnu.activities.models import Cadre, CadreCount, EventKind
from htxnu.core.tests.base import HtxTestCase
from htxnu.geo.models import AdminUnit
from htxnu.plans.indicators import batch
from htxnu.registry import services as registry
from htxnu.registry.models import CollectiveType, Gender, Position

D = datetime.date
START, END = D(2025, 1, 1), D(2025, 12, 31)


class IndicatorFixture(HtxTestCase):
    """Hand-counted: in Cam Đường, two cooperatives with three women managers and one man
    (plus one woman who left, one in a group, who never count); in Phường Lào Cai one
    cooperative with one woman director."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union_cd = Organisation.objects.get(unit=cls.cam_duong, kind="union")
        cls.union_lc = Organisation.objects.get(unit=cls.lao_cai, kind="union")

        def coop(name, commune, kind=CollectiveType.HTX, members=20, workers=30):
            c = registry.collective_create(actor=cls.central, type=kind, name=name, commune=commune,
                                           founded_on=D(2020, 1, 1))
            registry.workforce_record(actor=cls.central, collective=c, as_of=D(2024, 12, 31), members=members,
                                      female_members=members, workers=workers, female_workers=workers,
                                      women_stable_jobs=workers)
            return c

        def manager(c, name, gender=Gender.FEMALE, position=Position.DIRECTOR, **kw):
            return registry.manager_add(actor=cls.central, collective=c, full_name=name, gender=gender,
                                        position=position, **kw)

        cls.hoa_mai = coop("HTX Hoa Mai", cls.cam_duong)
        cls.san_tuyet = coop("HTX Sán Tuyết", cls.cam_duong, members=10, workers=10)
        cls.group = coop("Tổ hợp tác Dệt", cls.cam_duong, kind=CollectiveType.THT, members=5, workers=5)
        cls.lc_coop = coop("HTX Phố Mới", cls.phuong_lao_cai)
        cls.mai = manager(cls.hoa_mai, "Lò Thị Mai")
        cls.lan = manager(cls.hoa_mai, "Hoàng Thị Lan", position=Position.ACCOUNTANT)
        cls.hue = manager(cls.san_tuyet, "Vàng Thị Huệ", position=Position.BOARD_CHAIR)
        manager(cls.san_tuyet, "Sùng A Páo", gender=Gender.MALE)
        manager(cls.hoa_mai, "Lý Thị Cũ", position=Position.SUPERVISOR, started_on=D(2020, 1, 1),
                ended_on=D(2024, 6, 30))
        manager(cls.group, "Tráng Thị Tổ", position=Position.GROUP_LEADER)
        cls.thu = manager(cls.lc_coop, "Đỗ Thị Thu")

    def training(self, unit, organiser, day, managers=(), cadres=(), certified=(), **fields):
        return services.event_create(
            actor=self.central, kind=EventKind.TRAINING, title="Tập huấn", date=day, unit=unit, organiser=organiser,
            manager_ids=[m.pk for m in managers], cadre_ids=[c.pk for c in cadres],
            certified_manager_ids=[m.pk for m in certified], **fields,
        )

    def value(self, fn, unit, start=START, end=END):
        return fn([unit], start, end)[unit.pk]


class ManagerIndicatorTests(IndicatorFixture):
    def test_managers_trained_pct_counts_people_not_seats_and_moves_with_a_training(self):
        before = self.value(indicators.managers_trained_pct, self.cam_duong)
        self.assertEqual((before.numerator, before.denominator), (0, 3))
        self.training(self.cam_duong, self.union_cd, D(2025, 3, 10), managers=[self.mai, self.lan],
                      topic_governance=True)
        self.training(self.cam_duong, self.union_cd, D(2025, 5, 10), managers=[self.mai], topic_governance=True)
        after = self.value(indicators.managers_trained_pct, self.cam_duong)
        self.assertEqual((after.numerator, after.denominator), (2, 3))
        self.assertEqual(after.value, Decimal("66.7"))

    def test_the_province_adds_its_communes_without_double_counting(self):
        self.training(self.lao_cai, self.union_lc, D(2025, 3, 10), managers=[self.mai, self.thu],
                      topic_governance=True)
        self.training(self.cam_duong, self.union_cd, D(2025, 4, 10), managers=[self.mai], topic_governance=True)
        values = indicators.managers_trained_pct([self.lao_cai, self.cam_duong, self.phuong_lao_cai], START, END)
        self.assertEqual((values[self.lao_cai.pk].numerator, values[self.lao_cai.pk].denominator), (2, 4))
        self.assertEqual((values[self.cam_duong.pk].numerator, values[self.cam_duong.pk].denominator), (1, 3))
        self.assertEqual((values[self.phuong_lao_cai.pk].numerator, values[self.phuong_lao_cai.pk].denominator),
                         (1, 1))

    def test_trainings_outside_the_period_or_on_other_topics_do_not_count(self):
        self.training(self.cam_duong, self.union_cd, D(2024, 12, 1), managers=[self.mai], topic_governance=True)
        self.training(self.cam_duong, self.union_cd, D(2025, 2, 1), managers=[self.lan], topic_digital=True)
        self.assertEqual(self.value(indicators.managers_trained_pct, self.cam_duong).numerator, 0)
        digital = self.value(indicators.managers_digital_trained_pct, self.cam_duong)
        self.assertEqual((digital.numerator, digital.denominator), (1, 3))

    def test_certified_needs_a_certificate_at_a_certification_training(self):
        self.training(self.cam_duong, self.union_cd, D(2025, 6, 1), managers=[self.mai, self.hue],
                      certified=[self.hue], topic_certification=True)
        certified = self.value(indicators.managers_certified_pct, self.cam_duong)
        self.assertEqual((certified.numerator, certified.denominator), (1, 3))
        trained = self.value(indicators.managers_trained_pct, self.cam_duong)
        self.assertEqual(trained.numerator, 2)


class CatalogueIntegrationTests(IndicatorFixture):
    def test_the_plans_catalogue_computes_activity_indicators_with_a_link_to_their_records(self):
        from htxnu.plans.indicators import Period, compute

        self.training(self.cam_duong, self.union_cd, D(2025, 3, 1), managers=[self.mai], topic_governance=True)
        actual = compute("managers_trained_pct", [self.cam_duong], Period.year(2025))[self.cam_duong.pk]
        self.assertEqual((actual.source, actual.numerator, actual.denominator), ("records", 1, 3))
        self.assertIn(f"unit={self.cam_duong.pk}", actual.records_url)
        self.client.force_login(self.commune)
        self.assertContains(self.client.get(actual.records_url), "Lò Thị Mai")


class ReorganisationTests(IndicatorFixture):
    def test_an_old_unit_counts_the_cooperatives_registered_under_its_communes(self):
        pom_han = AdminUnit.objects.get(level="commune", name="Phường Pom Hán", valid_to__isnull=False)
        old_lao_cai = pom_han.parent.parent
        registry.collective_update(actor=self.central, collective=self.hoa_mai, registered_unit=pom_han)
        self.training(old_lao_cai, Organisation.objects.get(unit=old_lao_cai, kind="union"), D(2024, 5, 1),
                      managers=[self.mai], topic_governance=True)
        phase1 = (D(2023, 1, 1), D(2024, 12, 31))
        old = indicators.managers_trained_pct([old_lao_cai], *phase1)[old_lao_cai.pk]
        self.assertEqual((old.numerator, old.denominator), (1, 2))  # Hoa Mai's two women managers
        today = indicators.managers_trained_pct([self.lao_cai], *phase1)[self.lao_cai.pk]
        self.assertEqual((today.numerator, today.denominator), (1, 4))  # the same training, today's geography


class SeatAndClassIndicatorTests(IndicatorFixture):
    def test_training_classes_counts_trainings_in_the_period(self):
        self.training(self.cam_duong, self.union_cd, D(2025, 3, 1), participants_members=5)
        self.training(self.lao_cai, self.union_lc, D(2025, 4, 1), participants_members=5)
        self.training(self.cam_duong, self.union_cd, D(2026, 1, 5), participants_members=5)
        services.event_create(actor=self.central, kind=EventKind.FAIR, title="Hội chợ", date=D(2025, 5, 1),
                              unit=self.cam_duong, organiser=self.union_cd)
        values = indicators.training_classes([self.lao_cai, self.cam_duong], START, END)
        self.assertEqual(values[self.lao_cai.pk].value, 2)
        self.assertEqual(values[self.cam_duong.pk].value, 1)

    def test_vocational_share_is_seats_over_members_and_workers(self):
        # Members + workers in Cam Đường: (20+30) + (10+10) + (5+5) = 80.
        self.training(self.cam_duong, self.union_cd, D(2025, 3, 1), topic_vocational=True,
                      participants_members=12, participants_workers=8)
        value = self.value(indicators.members_vocational_pct, self.cam_duong)
        self.assertEqual((value.numerator, value.denominator, value.value), (20, 80, Decimal("25.0")))

    def test_a_share_of_seats_is_capped_at_100_and_says_so(self):
        self.training(self.cam_duong, self.union_cd, D(2025, 3, 1), topic_ecommerce=True, participants_members=90)
        value = self.value(indicators.members_ecommerce_pct, self.cam_duong)
        self.assertEqual(value.value, Decimal(100))
        self.assertTrue(value.capped)


class CadreIndicatorTests(IndicatorFixture):
    def test_named_cadres_and_counted_cadres_add_up(self):
        a = services.cadre_save(actor=self.central, unit=self.cam_duong, full_name="Cán bộ A",
                                works_on_cooperatives=True)
        services.cadre_save(actor=self.central, unit=self.cam_duong, full_name="Cán bộ B",
                            works_on_cooperatives=True)
        services.cadre_save(actor=self.central, unit=self.cam_duong, full_name="Cán bộ C")
        services.cadre_count_save(actor=self.central, unit=self.phuong_lao_cai, year=2025, total_cadres=6,
                                  cooperative_cadres=3, cooperative_cadres_trained=2, cadres_skilled=4)
        self.training(self.cam_duong, self.union_cd, D(2025, 3, 1), cadres=[a])
        trained = self.value(indicators.cadres_trained_pct, self.lao_cai)
        self.assertEqual((trained.numerator, trained.denominator), (1 + 2, 2 + 3))
        skilled = self.value(indicators.cadres_skilled_pct, self.lao_cai)
        self.assertEqual((skilled.numerator, skilled.denominator), (0 + 4, 3 + 6))

    def test_a_counts_row_of_another_year_does_not_count(self):
        CadreCount.objects.create(unit=self.phuong_lao_cai, year=2024, total_cadres=6, cooperative_cadres=3)
        value = self.value(indicators.cadres_trained_pct, self.lao_cai)
        self.assertEqual(value.denominator, 0)
        self.assertIsNone(value.value)

    def test_all_indicators_for_many_units_take_a_fixed_number_of_queries(self):
        units = [self.lao_cai, self.cam_duong, self.phuong_lao_cai, self.lai_chau]
        # In one batch of figures (as a report or a dashboard asks for them): training_classes 1;
        # the facts' totals at the end (members, workers, women's seats of management: one GROUP
        # BY and the communes the units cover) 2, shared; the managers who attended, for the three
        # shares, 1 (the communes already read); each seat share's events 1; each cadre share 2.
        with batch(), self.assertNumQueries(1 + 2 + 1 + 2 + 2 * 2):
            for compute in indicators.COMPUTATIONS.values():
                compute(units, START, END)


class BadInputTests(IndicatorFixture):
    def test_women_more_than_participants_is_refused_with_the_numbers(self):
        with self.assertRaises(ValidationError) as caught:
            self.training(self.cam_duong, self.union_cd, D(2025, 3, 1), participants_members=10,
                          participants_women=12)
        self.assertIn("12", str(caught.exception.message_dict["participants_women"]))

    def test_named_attendees_above_the_count_are_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.training(self.cam_duong, self.union_cd, D(2025, 3, 1), managers=[self.mai, self.lan],
                          participants_managers=1)
        self.assertIn("participants_managers", caught.exception.message_dict)

    def test_an_unknown_or_out_of_scope_attendee_is_refused(self):
        lai_chau_coop = registry.collective_create(actor=self.central, type=CollectiveType.HTX, name="HTX Lai Châu",
                                                   commune=self.lai_chau.children.current().first())
        stranger = registry.manager_add(actor=self.central, collective=lai_chau_coop, full_name="Người Lạ",
                                        gender=Gender.FEMALE, position=Position.DIRECTOR)
        with self.assertRaises(ValidationError):
            services.event_create(actor=self.province, kind=EventKind.TRAINING, title="Tập huấn",
                                  date=D(2025, 3, 1), unit=self.lao_cai, organiser=self.union_lc,
                                  manager_ids=[stranger.pk])
        with self.assertRaises(ValidationError):
            services.event_create(actor=self.province, kind=EventKind.TRAINING, title="Tập huấn",
                                  date=D(2025, 3, 1), unit=self.lao_cai, organiser=self.union_lc,
                                  manager_ids=[10**9])

    def test_a_date_outside_the_activity_is_refused(self):
        activity = services.activity_save(actor=self.province, unit=self.lao_cai, task_group=4,
                                          title="Tập huấn nữ quản lý", starts_on=D(2025, 1, 1),
                                          ends_on=D(2025, 6, 30))
        with self.assertRaises(ValidationError) as caught:
            self.training(self.lao_cai, self.union_lc, D(2025, 9, 1), activity=activity)
        self.assertIn("01/01/2025", caught.exception.message_dict["date"][0])

    def test_a_date_outside_the_plan_is_refused(self):
        from htxnu.plans.tests.helpers import make_plan

        plan = make_plan(self.central, self.lao_cai, number="9/KH-UBND", phases=[(2026, 2030)])
        activity = services.activity_save(actor=self.province, plan=plan, unit=self.lao_cai, task_group=4,
                                          title="Tập huấn")
        with self.assertRaises(ValidationError) as caught:
            self.training(self.lao_cai, self.union_lc, D(2025, 9, 1), activity=activity)
        self.assertIn("9/KH-UBND", caught.exception.message_dict["date"][0])
        with self.assertRaises(ValidationError):
            services.activity_save(actor=self.province, plan=plan, unit=self.lao_cai, task_group=4, title="Sớm",
                                   starts_on=D(2024, 1, 1))

    def test_counts_default_to_the_named_attendees(self):
        event = self.training(self.cam_duong, self.union_cd, D(2025, 3, 1), managers=[self.mai, self.lan],
                              cadres=[Cadre.objects.create(unit=self.cam_duong, full_name="X")])
        self.assertEqual((event.participants_managers, event.participants_cadres), (2, 1))
