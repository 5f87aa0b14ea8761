from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "mantianxing.enterprises"
    label = "enterprises"
    verbose_name = _("软信企业")

    def ready(self) -> None:
        from mantianxing.core.audit import register_history
        from mantianxing.enterprises.models import Enterprise, Honour

        register_history(Enterprise)
        register_history(Honour)
        register_vocabularies()


def register_vocabularies() -> None:
    """申报来源 and 重点领域, as the enterprise ledger's import reads them (with their synonyms)."""
    from mantianxing.enterprises.choices import Origin
    from mantianxing.enterprises.models import FocusDomain
    from mantianxing.vocabularies.registry import Vocabulary, register

    register(
        Vocabulary(
            "claimed_origin",
            _("申报来源"),
            lambda: [(o.value, str(o.label)) for o in Origin if o is not Origin.LATER],
        )
    )
    register(
        Vocabulary(
            "focus_domain",
            _("重点领域"),
            lambda: list(FocusDomain.objects.order_by("position").values_list("code", "name")),
            accepts_values=True,  # the code (ai_agents) as well as the name
        )
    )
