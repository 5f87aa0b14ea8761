from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "mantianxing.enterprises"
    label = "enterprises"
    verbose_name = _("软信企业")

    def ready(self) -> None:
        from mantianxing.core import derived
        from mantianxing.core.audit import register_history
        from mantianxing.enterprises.models import Enterprise, Honour
        from mantianxing.enterprises.origin import ORIGINS

        register_history(Enterprise)
        register_history(Honour)
        derived.register(ORIGINS)
