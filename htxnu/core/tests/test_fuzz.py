"""Hostile values in every field of the main forms and in the API's parameters (issue
#14): each request is refused with a message (4xx, or the form shown again with its
errors) or accepted — never a 500. Each form is filled as its page rendered it, then
one field at a time gets one hostile value; every POST is rolled back afterwards.

Fields repeated per indicator in the report (own:…, num:…, den:…, comment:…) are
fuzzed once per kind: they are the same field."""

from django.db import transaction
from django.urls import reverse

from htxnu.registry.models import Collective, CollectiveType
from htxnu.reporting.tests.helpers import reports_indicator, rnd

from .base import HtxTestCase

HOSTILE = ["NaN", "Infinity", "1e309", "-0", "9" * 40, "a\x00\x01\x1b\x7fb", "[]", "x" * 10_000]
TEN_MB = "x" * (10 * 1024 * 1024)


def _sent(bound) -> object:
    """What the browser sends back for a rendered field."""
    value = bound.value()
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    prepared = bound.field.prepare_value(value)
    return "" if prepared is None else str(prepared)


class FuzzTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.coop = Collective.objects.create(type=CollectiveType.HTX, name="HTX Hoa Mai", commune=cls.cam_duong)
        cls.group = Collective.objects.create(type=CollectiveType.THT, name="Tổ hợp tác Chè", commune=cls.cam_duong)
        cls.round = rnd("annual", 2026)
        reports_indicator("women_trained")

    def forms(self):
        """(user, url) of the main forms."""
        report = reverse("reporting:report", args=[self.round.pk, self.cam_duong.pk])
        commune = [
            reverse("registry:create"), reverse("registry:edit", args=[self.coop.pk]),
            *(reverse(f"registry:{name}", args=[self.coop.pk])
              for name in ("manager_add", "workforce_add", "product_add", "event_add")),
            reverse("registry:convert", args=[self.group.pk]), reverse("events:create"),
            reverse("activities:create"), reverse("activities:support_create", args=[self.coop.pk]),
            reverse("activities:cadre_create"), reverse("activities:nomination_create"), reverse("funding:create"),
            reverse("plans:create"), report, reverse("accounts:password"),
        ]
        province = [reverse("reporting:request"), reverse("accounts:user_create"),
                    reverse("reporting:deadline", args=[self.round.pk, self.cam_duong.pk])]
        return [(self.commune, url) for url in commune] + [(self.province, url) for url in province]

    def post(self, url: str, data: dict) -> int:
        with transaction.atomic():
            status = self.client.post(url, {k: v for k, v in data.items() if v is not None}).status_code
            transaction.set_rollback(True)
        return status

    def test_every_field_of_the_main_forms_refuses_hostile_values_without_a_500(self):
        failures = []
        for user, url in self.forms():
            self.client.force_login(user)
            page = self.client.get(url)
            form = page.context["form"]
            baseline = {bound.html_name: _sent(bound) for bound in form}
            for extra in ("original", "orig"):  # the report page sends its fields as loaded too
                if page.context.get(extra) is not None and hasattr(page.context[extra], "fields"):
                    baseline.update({b.html_name: _sent(b) for b in page.context[extra]})
            baseline["version"] = "0"
            seen = set()
            for bound in form:
                kind = bound.html_name.split(":")[0] if ":" in bound.html_name else bound.html_name
                if kind in seen:
                    continue
                seen.add(kind)
                for value in HOSTILE:
                    try:
                        status = self.post(url, {**baseline, bound.html_name: value})
                    except Exception as error:  # what would be a 500
                        status = f"{type(error).__name__}: {error}"[:200]
                    if not isinstance(status, int) or status >= 500:
                        failures.append(f"{url} {bound.html_name}={value[:20]!r}: {status}")
            # 10 MB in one field: refused before the form is read (DATA_UPLOAD_MAX_MEMORY_SIZE).
            first = next(iter(form)).html_name
            self.assertEqual(self.post(url, {**baseline, first: TEN_MB}), 400, url)
        self.assertEqual(failures, [], "\n".join(failures))

    def test_nan_in_a_report_figure_is_a_message_not_a_500(self):
        self.client.force_login(self.commune)
        url = reverse("reporting:report", args=[self.round.pk, self.cam_duong.pk])
        response = self.client.post(url, {"version": "0", "signature_authority": "TM",
                                          "orig-signature_authority": "TM", "own:women_trained": "NaN"})
        self.assertContains(response, "“NaN” không phải là số.", status_code=422)

    def test_the_api_refuses_parameters_of_the_wrong_type_without_a_500(self):
        self.client.force_login(self.province)
        failures = []
        for path in ("/api/v1/reports", "/api/v1/units", "/api/v1/collectives", "/api/v1/activities/events",
                     "/api/v1/activities/funding", "/api/v1/plans", "/api/v1/indicators"):
            for name in ("year", "page", "level", "unit", "round", "state", "q", "limit", "offset", "since"):
                for value in ["NaN", "1e309", "9" * 40, "[]", "\x00", "-1", "true"]:
                    try:
                        status = self.client.get(path, {name: value}).status_code
                    except Exception as error:
                        status = f"{type(error).__name__}: {error}"[:200]
                    if not isinstance(status, int) or status >= 500:
                        failures.append(f"{path}?{name}={value!r}: {status}")
        self.assertEqual(failures, [], "\n".join(failures))


    def test_a_nul_character_is_refused_with_a_message(self):
        # PostgreSQL refuses NUL in text: the API's filters answered 500 there.
        self.client.force_login(self.province)
        response = self.client.get("/api/v1/reports", {"unit": "15\x00"})
        self.assertContains(response, "Yêu cầu có ký tự NUL", status_code=400)
