from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def refresh_after_batch(**kwargs: Any) -> None:
    """At the end of a batch, inside its transaction: the eager derived facts (origins) are brought
    up to date from the marks its bulk writes left, so the batch commits with them."""
    from mantianxing.core import derived

    derived.refresh_eager()


class ImportsConfig(AppConfig):
    name = "mantianxing.imports"
    label = "imports"
    verbose_name = _("数据导入")

    def ready(self) -> None:
        from django.core.signals import request_started

        from mantianxing.imports.signals import batch_written
        from mantianxing.imports.views import sweep_uploads

        batch_written.connect(refresh_after_batch, dispatch_uid="derived-after-batch")
        request_started.connect(sweep_uploads, dispatch_uid="sweep-uploads")
