from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "htxnu.accounts"
    label = "accounts"
    verbose_name = _("Organisations and accounts")

    def ready(self):
        from htxnu.geo import loader

        from . import services

        loader.units_loaded.connect(services.union_organisations_after_load, dispatch_uid="accounts-union-bodies")
