from django.urls import path

from .views import board

app_name = "activities"
urlpatterns = [
    path("", board.board, name="board"),
    path("export.xlsx", board.board_export, name="export"),
    path("new/", board.activity_create, name="create"),
    path("<int:pk>/", board.activity_edit, name="edit"),
    path("support/", board.support_list, name="support"),
    path("support/new/<int:collective_pk>/", board.support_create, name="support_create"),
    path("support/<int:pk>/delete/", board.support_delete, name="support_delete"),
    path("cadres/", board.cadre_list, name="cadres"),
    path("cadres/new/", board.cadre_edit, name="cadre_create"),
    path("cadres/<int:pk>/", board.cadre_edit, name="cadre_edit"),
    path("commendations/", board.nomination_list, name="nominations"),
    path("commendations/new/", board.nomination_edit, name="nomination_create"),
    path("commendations/<int:pk>/", board.nomination_edit, name="nomination_edit"),
    path("indicators/<slug:code>/", board.indicator_records, name="indicator"),
]
