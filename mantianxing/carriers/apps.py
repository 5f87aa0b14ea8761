from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarriersConfig(AppConfig):
    name = "mantianxing.carriers"
    label = "carriers"
    verbose_name = _("楼宇载体")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mantianxing.carriers.models import Building
        from mantianxing.core.audit import TRACKING_FIELDS

        auditlog.register(Building, exclude_fields=TRACKING_FIELDS)
