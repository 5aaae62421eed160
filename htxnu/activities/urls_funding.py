from django.urls import path

from .views import funding

app_name = "funding"
urlpatterns = [
    path("", funding.funding, name="page"),
    path("new/", funding.line_create, name="create"),
    path("<int:pk>/delete/", funding.line_delete, name="delete"),
]
