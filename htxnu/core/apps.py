from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "htxnu.core"
    label = "core"
    verbose_name = "HTX Nữ core"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
