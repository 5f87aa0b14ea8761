from mantianxing.core.forms import ScopedModelForm
from mantianxing.enterprises.models import Enterprise


class EnterpriseForm(ScopedModelForm):
    class Meta:
        model = Enterprise
        fields = ["uscc", "name", "established_on", "unit", "registered_address"]
