from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "mantianxing.monitoring"
    verbose_name = "成效监测"

    def ready(self) -> None:
        from mantianxing.core.audit import register_history
        from mantianxing.monitoring import signals  # noqa: F401  (connects the staleness signals)
        from mantianxing.monitoring.models import Target

        register_history(Target)
