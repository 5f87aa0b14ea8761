from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "mantianxing.reporting"
    label = "reporting"
    verbose_name = _("月报")

    def ready(self) -> None:
        from mantianxing.core.audit import register_history
        from mantianxing.reporting import checks  # noqa: F401  (registers the configuration check)
        from mantianxing.reporting.models import MonthlyReport, ValidationRule

        # The figures snapshot is the report's own record of the ledgers; as a diff it is noise.
        register_history(MonthlyReport, exclude=("figures",))
        register_history(ValidationRule)
