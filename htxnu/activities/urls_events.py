from django.urls import path

from .views import events

app_name = "events"
urlpatterns = [
    path("", events.event_list, name="list"),
    path("export.xlsx", events.event_export, name="export"),
    path("new/", events.event_create, name="create"),
    path("attendees/", events.attendee_search, name="attendee_search"),
    path("<int:pk>/", events.event_detail, name="detail"),
    path("<int:pk>/edit/", events.event_edit, name="edit"),
    path("<int:pk>/delete/", events.event_delete, name="delete"),
    path("<int:pk>/attendance/", events.attendance_add, name="attendance_add"),
    path("<int:pk>/attendance/<int:attendance_pk>/delete/", events.attendance_remove, name="attendance_remove"),
]
