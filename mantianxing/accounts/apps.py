from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mantianxing.accounts"
    label = "accounts"
    verbose_name = _("用户与权限")

    def ready(self) -> None:
        from mantianxing.accounts.models import Organisation, User
        from mantianxing.core.audit import register_history

        register_history(User, exclude=("password", "last_login"))  # not even the hash
        register_history(Organisation)
