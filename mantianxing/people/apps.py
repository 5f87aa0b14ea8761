from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "mantianxing.people"
    label = "people"
    verbose_name = _("从业人员")

    def ready(self) -> None:
        from mantianxing.people.choices import RoleCategory
        from mantianxing.vocabularies.registry import Vocabulary, register

        register(Vocabulary("role_category", _("岗位类别"), lambda: list(RoleCategory.choices)))
