from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "mantianxing.enterprises"
    label = "enterprises"
    verbose_name = _("软信企业")

    def ready(self) -> None:
        from mantianxing.core import derived
        from mantianxing.core.audit import register_history
        from mantianxing.enterprises.models import Enterprise, Honour
        from mantianxing.enterprises.origin import ORIGINS

        register_history(Enterprise)
        register_history(Honour)
        derived.register(ORIGINS)
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
            notes=focus_domain_plans,
        )
    )


def focus_domain_plans() -> dict[str, str]:
    """Each focus domain's plans, as the vocabularies page shows them: "2022 年计划、2025 年计划"."""
    from mantianxing.enterprises.models import FocusDomain

    through = FocusDomain.plans.through.objects.order_by("plan__starts_on")
    notes: dict[str, list[str]] = {}
    for code, plan in through.values_list("focusdomain__code", "plan__code"):
        notes.setdefault(code, []).append(f"{plan} 年计划")
    return {code: "、".join(plans) for code, plans in notes.items()}
