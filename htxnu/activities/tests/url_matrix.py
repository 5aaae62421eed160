"""Who may open each activities, events and funding URL (see htxnu.core.tests.test_url_matrix).

The records sit in Phường Cam Đường; the active unit of every user is their own."""

import datetime

from django.urls import reverse

from htxnu.accounts.models import Organisation
from htxnu.activities.models import Activity, Attendance, BudgetLine, Cadre, Event, Nomination, SupportAction
from htxnu.core.tests.test_post_matrix import CREATE_IN_OWN_UNIT, WRITE_IN_CAM_DUONG
from htxnu.registry.models import Collective, CollectiveType

USERS = ["anonymous", "central", "province", "viewer", "commune", "sibling", "other_province", "partner"]


def status(default, anonymous=302, **others):
    return {u: others.get(u, anonymous if u == "anonymous" else default) for u in USERS}


def setup(cls):
    union = Organisation.objects.get(unit=cls.cam_duong, kind="union")
    day = datetime.date(2025, 3, 1)
    cls.m_event = Event.objects.create(kind="training", title="Tập huấn quản trị", date=day, unit=cls.cam_duong,
                                       organiser=union)
    cls.m_cadre = Cadre.objects.create(unit=cls.cam_duong, full_name="Cán bộ Hội")
    cls.m_attendance = Attendance.objects.create(event=cls.m_event, cadre=cls.m_cadre)
    cls.m_activity = Activity.objects.create(unit=cls.cam_duong, task_group=4, title="Tập huấn")
    cls.m_collective = Collective.objects.create(type=CollectiveType.HTX, name="HTX Ma Trận", commune=cls.cam_duong)
    cls.m_support = SupportAction.objects.create(collective=cls.m_collective, kind="consulting", date=day,
                                                 provider=union)
    cls.m_nomination = Nomination.objects.create(unit=cls.cam_duong, cycle="2023-2024", person_name="Chị A",
                                                 reason="…", level="commune")
    cls.m_line = BudgetLine.objects.create(unit=cls.cam_duong, year=2025, kind="spending", source="state_local",
                                           amount=1000)


def rows(t):
    # What each user may open: lists answer 200 to everyone signed in (they show the
    # user's own units); a record in Cam Đường is 404 for the sibling and Lai Châu.
    in_scope = status(200, sibling=404, other_province=404)
    writers = {"central": 200, "province": 200, "commune": 200}
    edit_form = status(403, sibling=404, other_province=404, **writers)
    return {
        "activities:board": (reverse("activities:board"), status(200)),
        "activities:export": (reverse("activities:export"), status(200)),
        "activities:create": (reverse("activities:create"), status(403, **writers, sibling=200, other_province=200)),
        "activities:edit": (reverse("activities:edit", args=[t.m_activity.pk]), in_scope),
        "activities:support": (reverse("activities:support"), status(200)),
        "activities:support_create": (reverse("activities:support_create", args=[t.m_collective.pk]), edit_form),
        "activities:support_delete": (reverse("activities:support_delete", args=[t.m_support.pk]), status(405)),
        "activities:cadres": (reverse("activities:cadres"), status(200)),
        "activities:cadre_create": (reverse("activities:cadre_create"),
                                    status(403, **writers, sibling=200, other_province=200)),
        "activities:cadre_edit": (reverse("activities:cadre_edit", args=[t.m_cadre.pk]), edit_form),
        "activities:nominations": (reverse("activities:nominations"), status(200)),
        "activities:nomination_create": (reverse("activities:nomination_create"),
                                         status(403, **writers, sibling=200, other_province=200)),
        "activities:nomination_edit": (reverse("activities:nomination_edit", args=[t.m_nomination.pk]), edit_form),
        "activities:indicator": (reverse("activities:indicator", args=["managers_trained_pct"]), status(200)),
        "events:list": (reverse("events:list"), status(200)),
        "events:export": (reverse("events:export"), status(200)),
        "events:create": (reverse("events:create"), status(403, **writers, sibling=200, other_province=200)),
        "events:attendee_search": (reverse("events:attendee_search") + "?q=ho", status(200)),
        "events:detail": (reverse("events:detail", args=[t.m_event.pk]), in_scope),
        "events:edit": (reverse("events:edit", args=[t.m_event.pk]), edit_form),
        "events:delete": (reverse("events:delete", args=[t.m_event.pk]), status(405)),
        "events:attendance_add": (reverse("events:attendance_add", args=[t.m_event.pk]), status(405)),
        "events:attendance_remove": (
            reverse("events:attendance_remove", args=[t.m_event.pk, t.m_attendance.pk]), status(405)
        ),
        "funding:page": (reverse("funding:page"), status(200)),
        "funding:create": (reverse("funding:create"), status(403, **writers, sibling=200, other_province=200)),
        "funding:delete": (reverse("funding:delete", args=[t.m_line.pk]), status(405)),
        "api:list_events": ("/api/v1/activities/events", status(200, anonymous=401)),
        "api:get_event": (f"/api/v1/activities/events/{t.m_event.pk}",
                          status(200, anonymous=401, sibling=404, other_province=404)),
        "api:funding": ("/api/v1/activities/funding?year=2025", status(200, anonymous=401)),
    }


def post_rows(t) -> dict:
    return {
        **dict.fromkeys(["activities:create", "activities:cadre_create", "activities:cadres",
                         "activities:nomination_create", "events:create", "funding:create"], CREATE_IN_OWN_UNIT),
        **dict.fromkeys(["activities:edit", "activities:cadre_edit", "activities:nomination_edit",
                         "activities:support_create", "activities:support_delete", "events:edit", "events:delete",
                         "events:attendance_add", "events:attendance_remove", "funding:delete"], WRITE_IN_CAM_DUONG),
    }
