from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.collective_list, name="list"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("new/", views.collective_create, name="create"),
    path("import/", views.import_start, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/errors.xlsx", views.import_job_errors, name="import_job_errors"),
    path("<int:pk>/", views.collective_detail, name="detail"),
    path("<int:pk>/edit/", views.collective_edit, name="edit"),
    path("<int:pk>/convert/", views.collective_convert, name="convert"),
    path("<int:pk>/managers/new/", views.manager_add, name="manager_add"),
    path("<int:pk>/managers/<int:manager_pk>/", views.manager_edit, name="manager_edit"),
    path("<int:pk>/managers/<int:manager_pk>/remove/", views.manager_remove, name="manager_remove"),
    path("<int:pk>/workforce/new/", views.workforce_add, name="workforce_add"),
    path("<int:pk>/workforce/<int:snapshot_pk>/remove/", views.workforce_remove, name="workforce_remove"),
    path("<int:pk>/products/new/", views.product_add, name="product_add"),
    path("<int:pk>/products/<int:product_pk>/", views.product_edit, name="product_edit"),
    path("<int:pk>/products/<int:product_pk>/remove/", views.product_remove, name="product_remove"),
    path("<int:pk>/events/new/", views.event_add, name="event_add"),
]
