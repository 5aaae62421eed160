from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("indicators/<slug:code>/", views.indicator, name="indicator"),
    path("trends/", views.trends, name="trends"),
    path("warnings/", views.warnings, name="warnings"),
    path("map/", views.map_view, name="map"),
    path("ranking/", views.ranking, name="ranking"),
    path("ranking/weights/", views.weights, name="weights"),
]
