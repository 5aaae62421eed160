from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "htxnu.plans"
    verbose_name = _("Plans and targets")

    def ready(self):
        # The registry's facts need "the threshold of the plan in force", which this app
        # owns: it hands its rule to the registry, so the dependency runs plans → registry.
        from htxnu.registry import facts

        from .selectors import threshold_timelines

        facts.set_threshold_source(threshold_timelines)
