from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "mantianxing.stats"
    label = "stats"
    verbose_name = _("经营数据")

    def ready(self) -> None:
        from mantianxing.core.audit import register_history
        from mantianxing.stats.models import MonthlyStatistics

        register_history(MonthlyStatistics)
