from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "mantianxing.monitoring"
    verbose_name = "成效监测"

    def ready(self) -> None:
        from mantianxing.core import derived
        from mantianxing.core.audit import register_history
        from mantianxing.monitoring.compute import FACT
        from mantianxing.monitoring.models import Target

        register_history(Target)
        derived.register(FACT)
