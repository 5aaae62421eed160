from django.urls import path

from . import views_units as views

app_name = "units"
urlpatterns = [
    path("<int:pk>/", views.unit_detail, name="unit"),
    path("pick/", views.unit_picker, name="picker"),
    path("pick/set/", views.unit_pick, name="pick"),
]
