from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "mantianxing.evaluation"
    label = "evaluation"
    verbose_name = _("评价奖励")

    def ready(self) -> None:
        from mantianxing.core.audit import register_history
        from mantianxing.evaluation.models import Run, Scheme

        register_history(Scheme)
        register_history(Run, exclude=("inputs", "result", "robustness"))
