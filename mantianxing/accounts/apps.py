from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mantianxing.accounts"
    label = "accounts"
    verbose_name = _("用户与权限")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mantianxing.accounts.models import Organisation, User
        from mantianxing.core.audit import TRACKING_FIELDS

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(Organisation, exclude_fields=TRACKING_FIELDS)
