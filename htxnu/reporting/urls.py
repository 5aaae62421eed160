from django.urls import path, re_path

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
    path("<int:round_id>/<int:unit_id>/comments/<slug:code>/", views.comment, name="comment"),
    path("<int:round_id>/<int:unit_id>/reopen/", views.reopen, name="reopen"),
    path("<int:round_id>/<int:unit_id>/deadline/", views.deadline, name="deadline"),
    re_path(r"^(?P<round_id>[0-9]+)/(?P<unit_id>[0-9]+)/download\.(?P<fmt>docx|xlsx|pdf)$", views.download,
            name="download"),
]
