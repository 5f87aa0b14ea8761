from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mantianxing.core"
    label = "core"
    verbose_name = _("平台")

    def ready(self) -> None:
        from django.apps import apps
        from django.db.backends.signals import connection_created

        from mantianxing.core import checks  # noqa: F401  (registers the system checks)
        from mantianxing.core.owner_only import owner_only_database
        from mantianxing.core.validation import guard_text_fields

        connection_created.connect(owner_only_database, dispatch_uid="owner-only-database")

        # Every model's ready before any ready() runs; only our own models, not the libraries'.
        guard_text_fields(m for m in apps.get_models() if m.__module__.startswith("mantianxing."))
