from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("request/", views.request_report, name="request"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("units/<int:unit_id>/setting/", views.setting, name="setting"),
    path("<int:round_id>/<int:unit_id>/", views.report, name="report"),
    path("<int:round_id>/<int:unit_id>/review/", views.review, name="review"),
    path("<int:round_id>/<int:unit_id>/reopen/", views.reopen, name="reopen"),
    path("<int:round_id>/<int:unit_id>/deadline/", views.deadline, name="deadline"),
    path("<int:round_id>/<int:unit_id>/download.<str:fmt>", views.download, name="download"),
]
