from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mantianxing.accounts"
    label = "accounts"
    verbose_name = _("用户与权限")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from mantianxing.accounts.lockout import forget_failures
        from mantianxing.accounts.models import Organisation, User
        from mantianxing.core.audit import register_history
        from mantianxing.core.middleware import mark_seen_at_login

        register_history(User, exclude=("password", "last_login"))  # not even the hash
        register_history(Organisation)
        user_logged_in.connect(forget_failures, dispatch_uid="mtx_forget_failures")
        user_logged_in.connect(mark_seen_at_login, dispatch_uid="mtx_mark_seen_at_login")
