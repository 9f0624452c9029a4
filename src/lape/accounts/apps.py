from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lape.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        """Stamp sessions at login, keep the back office in step with memberships, load the demo users."""
        from lape.accounts import signals

        signals.connect()
