from django.urls import path

from . import views, views_import

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("import/", views_import.import_upload, name="import"),
    path("import/<int:pk>/", views_import.import_review, name="import_review"),
    path("import/<int:pk>/discard/", views_import.import_discard, name="import_discard"),
    path("import/<int:pk>/page/<int:number>/", views_import.import_page, name="import_page"),
    path("problems/", views.problems, name="problems"),
    path("adopt/<int:unit_id>/", views.plan_adopt, name="adopt"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/targets/", views.plan_targets, name="targets"),
    path("<int:pk>/document/", views.plan_document, name="document"),
    path("<int:pk>/delete/", views.plan_delete, name="delete"),
]
