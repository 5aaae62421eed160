"""Demo reports: the past rounds of the demo province (today's Lào Cai) in every state,
so completeness, timeliness and the roll-ups have something to show.

- Rounds of phase 1 up to the first 6 months of 2025: the old provinces (old Lào Cai,
  Yên Bái) and their districts report, as they did then; the old communes that formed
  Phường Cam Đường too.
- Rounds from the 2025 annual report on: today's communes of Lào Cai and the province.
- Most reports are approved, some submitted and waiting, a few returned with a comment,
  some sent late, some never sent. Phường Cam Đường's 2025 annual report was returned
  once and resubmitted. The round under way (its cut-off end still ahead) is left to
  the demo accounts.
- "national" adds the 2025 annual report of every province, for the central view.

Figures are frozen as a submission would freeze them (compute_many over each unit for
the round's period). Written in bulk, deterministic (seeded), with the workflow's audit
entries; running a scale again finds its marker and changes nothing.
"""

import datetime
import random
import time

from django.db import transaction
from django.utils import timezone

from htxnu.accounts.models import User
from htxnu.core import audit
from htxnu.core.models import AuditEntry
from htxnu.geo.models import AdminUnit, DataVersion, Level, UnitScope
from htxnu.plans.indicators import compute_many

from . import aggregation, selectors
from .models import Report, ReportState, ReportValue, Round

PROVINCE_CODE = "15"
COMMUNE_NAME = "Phường Cam Đường"
RESULTS = (
    "Trong kỳ, Hội LHPN {unit} đã phối hợp với các ngành tuyên truyền Đề án 01 đến cán bộ, hội viên; rà soát, "
    "hỗ trợ củng cố các HTX, THT do phụ nữ tham gia quản lý, tư vấn thành lập mới HTX từ các tổ hợp tác hoạt "
    "động hiệu quả; tổ chức các lớp tập huấn về quản trị, chuyển đổi số và thương mại điện tử cho nữ quản lý HTX.\n"
    "Các chỉ tiêu cơ bản đạt và vượt kế hoạch đề ra; việc làm của lao động nữ trong các HTX, THT ổn định."
)
SHORTCOMINGS = (
    "Một số HTX quy mô nhỏ, vốn ít, khó tiếp cận nguồn vay ưu đãi; năng lực quản trị, ứng dụng công nghệ số của "
    "một bộ phận nữ quản lý còn hạn chế. Nguyên nhân: kinh phí thực hiện Đề án còn ít, cán bộ Hội kiêm nhiệm nhiều "
    "việc."
)
LESSONS = "Bám sát kế hoạch của cấp trên, phối hợp chặt chẽ với các ngành; chọn mô hình điểm để nhân rộng."
NEXT_TASKS = (
    "Tiếp tục hỗ trợ củng cố HTX, THT hiện có; tư vấn thành lập mới ít nhất 01 HTX; phối hợp mở lớp tập huấn "
    "kỹ năng bán hàng trên sàn thương mại điện tử; kết nối tiêu thụ sản phẩm OCOP."
)
PROPOSALS = "Đề nghị cấp trên quan tâm bố trí kinh phí, hỗ trợ xúc tiến thương mại cho các HTX do phụ nữ quản lý."
RETURN_COMMENT = "Đề nghị bổ sung số liệu việc làm của lao động nữ và nêu rõ nguyên nhân hạn chế."
HIGHLIGHTS = [
    {"name": "HTX Nông sản sạch {unit}", "kind": "Mô hình HTX", "place": "{unit}",
     "achievement": "Sản phẩm đạt OCOP 3 sao, tạo việc làm ổn định cho 25 lao động nữ"},
    {"name": "Chị Lò Thị Hoa", "kind": "Nữ giám đốc HTX tiêu biểu", "place": "{unit}",
     "achievement": "Đưa sản phẩm của HTX lên sàn thương mại điện tử"},
]


def build(scale: str = "demo", stdout=None) -> None:
    marker = f"demo:reporting:{scale}"
    if DataVersion.objects.filter(name=marker).exists():
        return
    province = AdminUnit.objects.current().filter(level=Level.PROVINCE, code=PROVINCE_CODE).first()
    if province is None:
        return
    started = time.monotonic()
    with transaction.atomic():
        counts = _Builder(random.Random(20251201), province).run(scale)
        DataVersion.objects.create(name=marker, fingerprint="1", summary=counts)
    if stdout is not None:
        stdout.write(f"Reporting demo ({scale}): {counts['reports']} reports in {counts['rounds']} rounds "
                     f"({time.monotonic() - started:.0f} s).")


class _Builder:
    def __init__(self, rng: random.Random, province: AdminUnit):
        self.rng = rng
        self.province = province
        self.today = timezone.localdate()
        self.users = {u.username: u for u in User.objects.filter(username__in=["demo_central", "demo_province",
                                                                               "demo_commune"])}
        self.commune = AdminUnit.objects.current().filter(parent=province, name=COMMUNE_NAME).first()
        self.counts = {"reports": 0, "rounds": 0}

    def run(self, scale: str) -> dict:
        past = [r for r in Round.objects.regular().exclude(kind="quarterly").order_by("data_end")
                if r.data_end < self.today]
        for report_round in past:
            units = self.units(report_round)
            if scale == "national" and report_round.kind == "annual" and report_round.year == 2025:
                units += list(AdminUnit.objects.current().filter(level=Level.PROVINCE).exclude(pk=self.province.pk))
            if units:
                self.round(report_round, units)
                self.counts["rounds"] += 1
        return self.counts

    def units(self, report_round: Round) -> list[AdminUnit]:
        ref = report_round.reference_date
        territory = AdminUnit.objects.filter(scope_links__ancestor=self.province).valid_at(ref)
        if report_round.before_reorganisation:
            chosen = list(territory.filter(level__in=[Level.PROVINCE, Level.DISTRICT]).order_by("level", "code"))
            if self.commune is not None:
                chosen += list(territory.filter(level=Level.COMMUNE, pk__in=UnitScope.objects.filter(
                    ancestor=self.commune).values("unit_id")).order_by("code"))
            return chosen
        return list(territory.order_by("level", "code"))

    def state_for(self, unit: AdminUnit, report_round: Round) -> str | None:
        if unit.pk == getattr(self.commune, "pk", None):
            return ReportState.APPROVED
        if unit.level == Level.PROVINCE:
            return self.rng.choice([ReportState.APPROVED, ReportState.APPROVED, ReportState.SUBMITTED])
        return self.rng.choices([ReportState.APPROVED, ReportState.SUBMITTED, ReportState.RETURNED,
                                 ReportState.DRAFT, None], weights=[60, 15, 5, 5, 15])[0]

    def round(self, report_round: Round, units: list[AdminUnit]) -> None:
        rng = self.rng
        due = selectors.deadlines([(report_round, u) for u in units])
        existing = set(Report.objects.filter(round=report_round, unit__in=units).values_list("unit_id", flat=True))
        reports = []
        for unit in units:
            state = self.state_for(unit, report_round)
            if state is None or unit.pk in existing:
                continue
            deadline = due[(report_round.pk, unit.pk)].date
            name = unit.short_name
            report = Report(
                round=report_round, unit=unit, state=state, results=RESULTS.format(unit=name),
                shortcomings=SHORTCOMINGS, lessons=LESSONS, next_tasks=NEXT_TASKS, proposals=PROPOSALS,
                highlights=[{k: v.format(unit=name) for k, v in h.items()} for h in HIGHLIGHTS[: rng.randint(0, 2)]],
                signer_title="CHỦ TỊCH", signer_name=rng.choice(["Lò Thị Mai", "Hoàng Thị Lan", "Nguyễn Thị Thu"]),
            )
            if state != ReportState.DRAFT:
                late = rng.random() < 0.2
                offset = rng.randint(1, 12) if late else -rng.randint(0, 10)
                submitted = self._moment(deadline + datetime.timedelta(days=offset))
                report.first_submitted_at = report.submitted_at = submitted
            if unit.pk == getattr(self.commune, "pk", None) and report_round.kind == "annual":
                report.resubmissions = 1
                report.submitted_at = report.first_submitted_at + datetime.timedelta(days=3)
            if state in (ReportState.APPROVED, ReportState.RETURNED):
                report.reviewed_at = report.submitted_at + datetime.timedelta(days=rng.randint(1, 6))
                reviewer = "demo_central" if unit.level == Level.PROVINCE else "demo_province"
                report.reviewed_by = self.users.get(reviewer)
                report.review_comment = RETURN_COMMENT if state == ReportState.RETURNED else ""
            reports.append(report)
        Report.objects.bulk_create(reports, batch_size=1000)
        reports = list(Report.objects.filter(round=report_round, unit__in=[r.unit for r in reports]).select_related(
            "unit", "round"))  # the audit entries name each report (str(report) reads both)
        self.freeze(report_round, [r for r in reports if r.state in (ReportState.SUBMITTED, ReportState.APPROVED)])
        self.audit(reports)
        self.counts["reports"] += len(reports)

    def _moment(self, day: datetime.date) -> datetime.datetime:
        day = min(day, self.today)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + self.rng.randint(0, 7), 15)))

    @staticmethod
    def freeze(report_round: Round, reports: list[Report]) -> None:
        if not reports:
            return
        indicators = [i for i in aggregation.active_indicators() if aggregation.is_records(i)]
        computed = compute_many(indicators, [r.unit for r in reports], aggregation.period_of(report_round))
        rows = []
        for report in reports:
            for indicator in indicators:
                actual = computed[indicator.code][report.unit_id]
                rows.append(ReportValue(report=report, indicator=indicator, value=actual.value,
                                        numerator=actual.numerator, denominator=actual.denominator, source="records"))
        ReportValue.objects.bulk_create(rows, batch_size=2000)

    def audit(self, reports: list[Report]) -> None:
        submitter = self.users.get("demo_commune")
        for action, states in ((AuditEntry.Action.SUBMIT, ("submitted", "approved", "returned")),
                               (AuditEntry.Action.APPROVE, ("approved",)), (AuditEntry.Action.RETURN, ("returned",))):
            chosen = [r for r in reports if r.state in states]
            if action == AuditEntry.Action.SUBMIT:
                mine = [r for r in chosen if r.unit_id == getattr(self.commune, "pk", None)]
                audit.log_many(submitter, action, [(r, {"state": ["draft", "submitted"]}) for r in mine])
                chosen = [r for r in chosen if r not in mine]
                audit.log_many(None, action, [(r, {"state": ["draft", "submitted"]}) for r in chosen])
                continue
            by_reviewer = {}
            for r in chosen:
                by_reviewer.setdefault(r.reviewed_by_id, []).append(r)
            for reviewer_id, group in by_reviewer.items():
                reviewer = next((u for u in self.users.values() if u.pk == reviewer_id), None)
                audit.log_many(reviewer, action, [(r, {"state": ["submitted", r.state]}) for r in group],
                               note=RETURN_COMMENT if action == AuditEntry.Action.RETURN else "")
