"""Records for the dashboard tests, on the real units (see htxnu.core.tests.base).

    Phường Cam Đường: two cooperatives consolidated in 2026 (5 and 7 jobs for women)
    Phường Lào Cai:   one consolidated in 2026 (4 jobs)
    old Phường Pom Hán (now in Cam Đường): one consolidated in 2024 (6 jobs)
    the national plan (Decision 01/QĐ-TTg) on the country; today's Lào Cai's plan
    for 2026–2030: at least 10 HTX consolidated by 2030, and each commune at least
    1 HTX consolidated in 2026.
"""

import datetime

from htxnu.plans.demo import NATIONAL_PLAN
from htxnu.plans.services import plan_create_from_extraction
from htxnu.plans.tests.helpers import make_plan, target
from htxnu.reporting import services as reporting
from htxnu.reporting.tests.helpers import consolidated_coop, old_unit, rnd

D = datetime.date

__all__ = ["build_records", "consolidated_coop", "rnd", "submit_and_approve", "D"]


def build_records(t) -> None:
    t.pom_han = old_unit("02653")
    consolidated_coop(t.cam_duong, jobs=5, on=D(2026, 3, 1), name="HTX Chè Cam Đường")
    consolidated_coop(t.cam_duong, jobs=7, on=D(2026, 4, 1), name="HTX Dệt Cam Đường")
    consolidated_coop(t.phuong_lao_cai, jobs=4, on=D(2026, 5, 1), name="HTX Rau Lào Cai")
    consolidated_coop(t.cam_duong, registered=t.pom_han, jobs=6, on=D(2024, 6, 1), name="HTX Pom Hán")
    t.national_plan = plan_create_from_extraction(actor=t.central, data=NATIONAL_PLAN, unit=t.country)
    t.lao_cai_plan = make_plan(t.province, t.lao_cai, number="12/KH-HPN", date="2026-01-10",
                               phases=((2026, 2030),), targets=[
                                   target("coops_consolidated", 2030, ">=", 10),
                                   target("coops_consolidated", 2026, ">=", 1, cumulative=False, per_subunit=True),
                               ])


def submit_and_approve(report_round, unit, writer, approver, *, approve: bool = True):
    """A unit's report through the reporting app's own services: saved, submitted
    (its figures frozen) and approved."""
    report = reporting.report_save(actor=writer, round=report_round, unit=unit, version=0, original={},
                                   changes={"results": "Hỗ trợ củng cố các HTX do phụ nữ quản lý.",
                                            "document_number": "12", "signer_name": "Nguyễn Thị Mai"})
    report = reporting.report_submit(actor=writer, report=report)
    if approve:
        report = reporting.report_review(actor=approver, report=report, approve=True)
    return report
