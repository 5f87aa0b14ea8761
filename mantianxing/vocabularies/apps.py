from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocabulariesConfig(AppConfig):
    name = "mantianxing.vocabularies"
    label = "vocabularies"
    verbose_name = _("词表与同义词")

    def ready(self) -> None:
        from mantianxing.core.audit import register_history
        from mantianxing.vocabularies.models import Synonym

        register_history(Synonym)
