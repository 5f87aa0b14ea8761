from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarriersConfig(AppConfig):
    name = "mantianxing.carriers"
    label = "carriers"
    verbose_name = _("楼宇载体")

    def ready(self) -> None:
        from mantianxing.carriers.models import Building, Occupancy
        from mantianxing.core.audit import register_history

        register_history(Building)
        register_history(Occupancy)

        from mantianxing.carriers.choices import BuildingStatus
        from mantianxing.vocabularies.registry import Vocabulary, register

        register(Vocabulary("building_status", _("楼宇状态"), lambda: list(BuildingStatus.choices)))
