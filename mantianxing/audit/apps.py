from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "mantianxing.audit"
    label = "audit"
    verbose_name = _("访问审计与留存")

    def ready(self) -> None:
        from mantianxing.audit import retention  # noqa: F401  (registers the check and the purge guard)
