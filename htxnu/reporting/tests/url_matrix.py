"""Who may open each reporting URL (see htxnu.core.tests.test_url_matrix). The report
addressed is Phường Cam Đường's for the 2026 annual round, submitted."""

from django.urls import reverse

from htxnu.core.tests.test_post_matrix import OK, SIGNED_IN, allowed
from htxnu.core.tests.test_url_matrix import everyone, only
from htxnu.reporting.models import ReportState

from .helpers import make_report, rnd

NOT_LAO_CAI = {"sibling": 404, "other_province": 404}


def setup(t):
    t.rep_round = rnd("annual", 2026)
    t.rep_report = make_report(t.rep_round, t.cam_duong, ReportState.SUBMITTED)


def rows(t) -> dict:
    args = [t.rep_round.pk, t.cam_duong.pk]
    api_anonymous = {"anonymous": 401}
    # The approvers of the unit Cam Đường reports to (the province) set its deadline;
    # not the levels further up (issue #14).
    above = only({"province": 200, **NOT_LAO_CAI}, 403)
    return {
        "reporting:index": (reverse("reporting:index"), everyone(200)),
        # Officers of a unit with units below ask them for a report.
        "reporting:request": (reverse("reporting:request"),
                              only({"central": 200, "province": 200, "other_province": 200}, 403)),
        "reporting:notifications": (reverse("reporting:notifications"), everyone(200)),
        "reporting:notifications_read": (reverse("reporting:notifications_read"), everyone(405)),
        "reporting:setting": (reverse("reporting:setting", args=[t.cam_duong.pk]), everyone(405)),
        "reporting:report": (reverse("reporting:report", args=args), only(NOT_LAO_CAI, 200)),
        "reporting:review": (reverse("reporting:review", args=args), everyone(405)),
        "reporting:reopen": (reverse("reporting:reopen", args=args), everyone(405)),
        "reporting:comment": (reverse("reporting:comment", args=[*args, "coops_new"]), everyone(405)),
        "reporting:deadline": (reverse("reporting:deadline", args=args), above),
        "reporting:download": (reverse("reporting:download", args=[*args, "xlsx"]), only(NOT_LAO_CAI, 200)),
        "api:list_reports": ("/api/v1/reports", {**everyone(200), **api_anonymous}),
        "api:get_report": (f"/api/v1/reports/{t.rep_report.pk}", {**only(NOT_LAO_CAI, 200), **api_anonymous}),
    }


def post_rows(t) -> dict:
    reviewers = {**allowed({"province"}, 403), **NOT_LAO_CAI}
    return {
        "reporting:notifications_read": allowed(SIGNED_IN, 403),
        "reporting:request": allowed({"central", "province", "other_province"}, 403),
        "reporting:setting": {**allowed({"central", "province"}, 403), **NOT_LAO_CAI},
        # Only Cam Đường's officers write its report (an empty form: 422 with a message).
        "reporting:report": {**allowed({"commune"}, 403), **NOT_LAO_CAI},
        "reporting:review": reviewers,
        "reporting:reopen": reviewers,
        "reporting:deadline": {**reviewers, "province": OK},
        # A figure's thread: Cam Đường's officers and the province that reviews it (issue #13).
        "reporting:comment": {**allowed({"commune", "province"}, 403), **NOT_LAO_CAI},
    }
