from django.contrib import admin
from django.urls import include, path

from htxnu.api.urls import api
from htxnu.core import views as core_views
from htxnu.portal import views as portal_views

urlpatterns = [
    # Visitors get the public portal, signed-in users their own home.
    path("", portal_views.root, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("htxnu.accounts.urls")),
    path("units/", include("htxnu.accounts.urls_units")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("registry/", include("htxnu.registry.urls")),
    path("plans/", include("htxnu.plans.urls")),
    # Parts that come next; each app replaces its line when it lands.
    path("activities/", include("htxnu.activities.urls")),
    path("events/", include("htxnu.activities.urls_events")),
    path("funding/", include("htxnu.activities.urls_funding")),
    path("reports/", include("htxnu.reporting.urls")),
    path("dashboard/", include("htxnu.dashboard.urls")),
    path("", include("htxnu.portal.urls")),
]
