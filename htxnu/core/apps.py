from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "htxnu.core"
    label = "core"
    verbose_name = "HTX Nữ core"
