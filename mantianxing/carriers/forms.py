from mantianxing.carriers.models import Building
from mantianxing.core.forms import ScopedModelForm


class BuildingForm(ScopedModelForm):
    class Meta:
        model = Building
        fields = [
            "code",
            "name",
            "unit",
            "address",
            "operator_uscc",
            "operator_name",
            "total_area",
            "acquired_area",
            "carrier_area",
            "status",
            "move_in_ready",
        ]
