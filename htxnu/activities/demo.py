"""Demo history of activities since 2023 for the provinces that have cooperatives in the
registry demo: plan activities by task group, events (trainings with named women
managers and cadres, conferences, fairs, communication products), support to
cooperatives (each one a consolidation event), Union cadres (a named list in Phường
Cam Đường, counts elsewhere) and money (estimates, allocations, spending, with one
province overspending a source so the warning shows).

Events and money before 1 July 2025 sit on the units of that time (old province,
old communes) and later ones on today's units, as they would have been recorded; the
roll-ups across the reorganisation then have something real to add up.

Deterministic (seeded); running a scale again finds its marker and changes nothing.
Demo rows are written in bulk without an audit entry each: they are not anybody's
change.
"""

import datetime
import random
import time
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from htxnu.accounts.models import Organisation
from htxnu.geo.models import REORGANISATION_DATE, AdminUnit, DataVersion, Level, Succession
from htxnu.plans.models import TaskGroupNumber as TaskGroup
from htxnu.registry import facts
from htxnu.registry.models import MANAGEMENT_POSITIONS, Collective, Gender, LifeEvent, Manager
from htxnu.text import search_key

from .models import (
    Activity,
    ActivityStatus,
    Attendance,
    BudgetLine,
    Cadre,
    CadreCount,
    Channel,
    Event,
    EventKind,
    FundingSource,
    Lender,
    SupportAction,
    SupportKind,
)

TODAY = datetime.date.today()
YEARS = list(range(2023, TODAY.year + 1))
DEMO_COMMUNE_NAME = "Phường Cam Đường"

TRAINING_TOPICS = [
    ("Tập huấn nâng cao năng lực quản trị, điều hành HTX cho nữ quản lý", {"topic_governance": True}),
    ("Bồi dưỡng kỹ năng giám đốc, kế toán, kiểm soát viên HTX", {"topic_certification": True}),
    ("Tập huấn chuyển đổi số trong sản xuất, kinh doanh của HTX", {"topic_digital": True}),
    ("Tập huấn kỹ năng bán hàng trên sàn thương mại điện tử", {"topic_ecommerce": True}),
    ("Chuyển giao kỹ thuật trồng trọt, chăn nuôi cho thành viên HTX, THT", {"topic_vocational": True}),
    ("Phổ biến Luật Hợp tác xã năm 2023 và chính sách hỗ trợ", {"topic_law": True}),
    ("Tập huấn kỹ năng tuyên truyền, vận động phát triển KTTT cho cán bộ Hội", {"topic_communication": True}),
]
OTHER_EVENTS = [
    (EventKind.CONFERENCE, "Diễn đàn phụ nữ với phát triển kinh tế tập thể"),
    (EventKind.FAIR, "Hội chợ giới thiệu sản phẩm OCOP của HTX do phụ nữ quản lý"),
    (EventKind.DIALOGUE, "Đối thoại giữa lãnh đạo địa phương với nữ quản lý HTX"),
    (EventKind.STUDY_TOUR, "Tham quan học tập mô hình HTX liên kết chuỗi giá trị"),
    (EventKind.CONTEST, "Hội thi tìm hiểu Luật Hợp tác xã"),
    (EventKind.COMMUNICATION, "Phóng sự về nữ giám đốc HTX tiêu biểu"),
]
ACTIVITIES = {
    TaskGroup.COMMUNICATION: [
        "Tuyên truyền về Đề án 01 trên báo, đài địa phương", "Xây dựng chuyên mục HTX do phụ nữ quản lý",
    ],
    TaskGroup.CONSOLIDATION: [
        "Rà soát, đánh giá thực trạng HTX do phụ nữ quản lý", "Hỗ trợ HTX đăng ký nhãn hiệu, OCOP",
    ],
    TaskGroup.FOUNDING: ["Tư vấn thành lập mới HTX từ tổ hợp tác tiềm năng"],
    TaskGroup.TRAINING: ["Tập huấn nâng cao năng lực cho nữ quản lý HTX", "Đào tạo nghề cho thành viên, lao động nữ"],
    TaskGroup.UNION_CAPACITY: [
        "Xây dựng mạng lưới nữ lãnh đạo HTX", "Thí điểm tiêu chí văn hóa, trách nhiệm cộng đồng",
    ],
    TaskGroup.COOPERATION: ["Kết nối tiêu thụ sản phẩm, xúc tiến thương mại", "Vận động nguồn lực hỗ trợ HTX"],
}


def build(scale: str = "demo", stdout=None) -> None:
    marker = f"demo:activities:{scale}"
    if DataVersion.objects.filter(name=marker).exists():
        return
    started = time.monotonic()
    with transaction.atomic():
        counts = _Builder(random.Random(20230103)).run(scale)
        DataVersion.objects.create(name=marker, fingerprint="1", summary=counts)
    if stdout is not None:
        stdout.write(
            "Activities demo ({scale}): {events} events, {attendance} named attendances, {support} support actions, "
            "{lines} budget lines, {activities} plan activities ({seconds:.0f} s).".format(
                scale=scale, seconds=time.monotonic() - started, **counts
            )
        )


class _Builder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.counts = defaultdict(int)
        self.union = dict(Organisation.objects.filter(kind="union").values_list("unit_id", "pk"))
        # A current unit's predecessor of the same level, for records dated before 1/7/2025.
        self.predecessor = {}
        for succ, pred, pred_level, succ_level in Succession.objects.values_list(
            "successor_id", "predecessor_id", "predecessor__level", "successor__level"
        ).order_by("-is_primary", "predecessor__code"):
            if pred_level == succ_level:
                self.predecessor.setdefault(succ, pred)

    def unit_at(self, unit_id: int, day: datetime.date) -> int:
        if day < REORGANISATION_DATE:
            return self.predecessor.get(unit_id, unit_id)
        return unit_id

    def run(self, scale: str) -> dict:
        provinces = AdminUnit.objects.current().filter(
            level=Level.PROVINCE, pk__in=Collective.objects.values("commune__parent_id").distinct()
        ).order_by("code")
        for province in provinces:
            self.province(province, scale)
        return {k: self.counts[k] for k in ("events", "attendance", "support", "lines", "activities")}

    def province(self, province: AdminUnit, scale: str) -> None:
        rng = self.rng
        collectives = list(
            Collective.objects.filter(commune__parent=province).exclude(status__in=["dissolved", "converted"])
            .values_list("pk", "commune_id", "founded_on", "registered_unit_id")
        )
        managers = defaultdict(list)
        for pk, commune_id in Manager.objects.filter(
            collective__commune__parent=province, ended_on__isnull=True, gender=Gender.FEMALE,
            position__in=MANAGEMENT_POSITIONS,
        ).values_list("pk", "collective__commune_id"):
            managers[commune_id].append(pk)
        communes = sorted({c[1] for c in collectives})
        commune_share = 1.0 if scale != "national" else 0.35
        active_communes = [c for c in communes if rng.random() < commune_share] or communes[:1]

        activities = self.activities(province)
        events, attendance = [], []
        for year in YEARS:
            for i in range(6 if scale != "demo" else 4):
                day = self.day(year, rng)
                if day > TODAY:
                    continue
                unit_id = self.unit_at(province.pk, day)
                events.append(self.event(unit_id, day, i, activities, rng))
            for commune_id in active_communes:
                for _ in range(rng.choice([1, 1, 2]) if scale != "demo" else 3):
                    day = self.day(year, rng)
                    if day > TODAY:
                        continue
                    event = self.event(self.unit_at(commune_id, day), day, rng.randrange(9), activities, rng)
                    event._commune = commune_id
                    events.append(event)
        Event.objects.bulk_create(events, batch_size=2000)
        self.counts["events"] += len(events)
        province_managers = [m for ms in managers.values() for m in ms]
        for event in events:
            if event.kind != EventKind.TRAINING or not (event.participants_managers or event.participants_cadres):
                continue
            pool = managers.get(getattr(event, "_commune", None)) or province_managers
            picked = rng.sample(pool, min(len(pool), event.participants_managers))
            for manager_id in picked:
                attendance.append(Attendance(event=event, manager_id=manager_id,
                                             certificate_issued=event.topic_certification and rng.random() < 0.8))
        Attendance.objects.bulk_create(attendance, batch_size=5000)
        self.counts["attendance"] += len(attendance)
        self.support(collectives, province, rng)
        self.money(province, communes, rng)
        self.cadres(province, communes, rng)

    @staticmethod
    def day(year: int, rng) -> datetime.date:
        return datetime.date(year, rng.randint(2, 11), rng.randint(1, 28))

    def activities(self, province: AdminUnit) -> list[Activity]:
        # The plan of the province or of the units it replaced (a seed plan of 2023 sits on old Lào Cai).
        from htxnu.plans.models import Plan

        units = [province.pk, *Succession.objects.filter(successor=province).values_list("predecessor", flat=True)]
        plan = Plan.objects.filter(unit__in=units).order_by("-issued_on").first()
        rows = []
        for group, titles in ACTIVITIES.items():
            for title in titles:
                status = ActivityStatus.DONE if self.rng.random() < 0.4 else ActivityStatus.UNDER_WAY
                rows.append(Activity(
                    plan=plan, unit=province, task_group=group, title=title, lead_id=self.union.get(province.pk),
                    coordinating_names="Sở Nông nghiệp và Môi trường; Liên minh HTX tỉnh",
                    starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2030, 12, 31), status=status,
                ))
        Activity.objects.bulk_create(rows)
        self.counts["activities"] += len(rows)
        return rows

    def event(self, unit_id: int, day, i: int, activities, rng) -> Event:
        organiser = self.union.get(unit_id)
        if i % 3 == 2:
            kind, title = OTHER_EVENTS[i % len(OTHER_EVENTS)]
            topics = {}
        else:
            kind = EventKind.TRAINING
            title, topics = TRAINING_TOPICS[rng.randrange(len(TRAINING_TOPICS))]
        members = rng.randint(10, 45) if kind != EventKind.COMMUNICATION else 0
        managers = rng.randint(3, 12) if kind == EventKind.TRAINING and not topics.get("topic_communication") else 0
        cadres = rng.randint(2, 15) if topics.get("topic_communication") or kind == EventKind.CONFERENCE else 0
        workers = rng.randint(0, 15) if topics.get("topic_vocational") else 0
        total = members + managers + cadres + workers
        cost = Decimal(rng.choice([0, 5, 8, 12, 15, 20, 30])) * 1_000_000 if kind != EventKind.COMMUNICATION else 0
        group = {EventKind.TRAINING: TaskGroup.TRAINING, EventKind.COMMUNICATION: TaskGroup.COMMUNICATION,
                 EventKind.FAIR: TaskGroup.COOPERATION}.get(kind, TaskGroup.UNION_CAPACITY)
        activity = next((a for a in activities if a.task_group == group), None)
        return Event(
            kind=kind, title=title, date=day, unit_id=unit_id, organiser_id=organiser, activity=activity,
            place="Hội trường UBND" if kind != EventKind.COMMUNICATION else "",
            participants_members=members, participants_managers=managers, participants_cadres=cadres,
            participants_workers=workers, participants_women=int(total * 0.85),
            priority_ethnic_minority=int(members * rng.choice([0, 0.2, 0.5])), priority_poor=int(members * 0.1),
            cost=cost, funding_source=rng.choice([FundingSource.STATE_LOCAL, FundingSource.NATIONAL_PROGRAMME,
                                                  FundingSource.EXTENSION]) if cost else "",
            channel=Channel.TV if kind == EventKind.COMMUNICATION else "",
            search_key=search_key(title), **topics,
        )

    def support(self, collectives, province, rng) -> None:
        life_events, actions = [], []
        kinds = [k for k in SupportKind.values if k != SupportKind.OTHER]
        for pk, commune_id, founded_on, _registered in collectives:
            for year in YEARS:
                if rng.random() > 0.3:
                    continue
                day = self.day(year, rng)
                if day > TODAY or (founded_on and day < founded_on):
                    continue
                kind = rng.choice(kinds)
                provider_unit = commune_id if rng.random() < 0.6 else province.pk
                provider = self.union.get(self.unit_at(provider_unit, day))
                level = "commune" if provider_unit == commune_id else "province"
                life_events.append(LifeEvent(collective_id=pk, kind=LifeEvent.Kind.CONSOLIDATED, date=day,
                                             union_supported=True, union_level=level, note=kind))
                credit = kind == SupportKind.CREDIT
                actions.append(SupportAction(
                    collective_id=pk, kind=kind, date=day, provider_id=provider,
                    lender=rng.choice(Lender.values[:3]) if credit else "",
                    amount=Decimal(rng.choice([50, 100, 200, 300, 500])) * 1_000_000 if credit else None,
                ))
        LifeEvent.objects.bulk_create(life_events, batch_size=5000)
        facts.refresh({e.collective_id for e in life_events})
        for action, life_event in zip(actions, life_events, strict=True):
            action.life_event = life_event
        SupportAction.objects.bulk_create(actions, batch_size=5000)
        self.counts["support"] += len(actions)

    def money(self, province, communes, rng) -> None:
        lines = []
        overspend = province.code == "15"  # today's Lào Cai shows the overspending warning
        for year in YEARS:
            unit_id = self.unit_at(province.pk, datetime.date(year, 3, 1))
            for source in (FundingSource.STATE_LOCAL, FundingSource.NATIONAL_PROGRAMME, FundingSource.EXTENSION):
                estimate = Decimal(rng.choice([150, 200, 300, 400, 500])) * 1_000_000
                allocated = estimate * Decimal(rng.choice(["0.8", "0.9", "1"]))
                spent = allocated * Decimal(rng.choice(["0.6", "0.75", "0.9"]))
                if overspend and year == YEARS[-1] and source == FundingSource.STATE_LOCAL:
                    spent = allocated * Decimal("1.12")
                for kind, amount in (("estimate", estimate), ("allocation", allocated), ("spending", spent)):
                    lines.append(BudgetLine(unit_id=unit_id, year=year, kind=kind, source=source,
                                            amount=amount.quantize(Decimal(1))))
            for commune_id in communes[: 10]:
                amount = Decimal(rng.choice([10, 15, 20, 30])) * 1_000_000
                commune_at = self.unit_at(commune_id, datetime.date(year, 3, 1))
                lines.append(BudgetLine(unit_id=commune_at, year=year, kind="allocation", source="state_local",
                                        amount=amount))
                lines.append(BudgetLine(unit_id=commune_at, year=year, kind="spending", source="state_local",
                                        amount=(amount * Decimal("0.8")).quantize(Decimal(1))))
        BudgetLine.objects.bulk_create(lines, batch_size=5000)
        self.counts["lines"] += len(lines)

    def cadres(self, province, communes, rng) -> None:
        named_commune = AdminUnit.objects.filter(pk__in=communes, name=DEMO_COMMUNE_NAME).first()
        if named_commune is not None:
            names = ["Hoàng Thị Lan", "Lò Thị Hoa", "Vàng Thị Sinh", "Đỗ Thị Hằng", "Nguyễn Thị Thu"]
            Cadre.objects.bulk_create([
                Cadre(unit=named_commune, full_name=name, position="Chủ tịch Hội" if i == 0 else "Cán bộ Hội",
                      works_on_cooperatives=i < 3, search_key=search_key(name))
                for i, name in enumerate(names)
            ])
        counts = []
        for year in YEARS:
            for unit_id in [province.pk, *communes]:
                if named_commune is not None and unit_id == named_commune.pk:
                    continue
                total = rng.randint(4, 12) if unit_id != province.pk else rng.randint(15, 30)
                coop = max(1, total // 3)
                counts.append(CadreCount(unit_id=unit_id, year=year, total_cadres=total, cooperative_cadres=coop,
                                         cooperative_cadres_trained=rng.randint(0, coop),
                                         cadres_skilled=rng.randint(total // 2, total)))
        CadreCount.objects.bulk_create(counts, batch_size=5000, ignore_conflicts=True)
