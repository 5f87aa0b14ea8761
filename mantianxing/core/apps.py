from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mantianxing.core"
    label = "core"
    verbose_name = _("平台")

    def ready(self) -> None:
        from mantianxing.core import checks  # noqa: F401  (registers the system checks)
