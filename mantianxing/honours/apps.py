from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    name = "mantianxing.honours"
    label = "honours"
    verbose_name = _("荣誉认定")

    def ready(self) -> None:
        from mantianxing.core.audit import register_history
        from mantianxing.honours.models import DemonstrationCriterion

        register_history(DemonstrationCriterion)
