from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "mantianxing.enterprises"
    label = "enterprises"
    verbose_name = _("软信企业")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mantianxing.core.audit import TRACKING_FIELDS
        from mantianxing.enterprises.models import Enterprise

        auditlog.register(Enterprise, exclude_fields=TRACKING_FIELDS)
