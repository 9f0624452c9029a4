from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "lape.access"
    label = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        """After migrate and after flush, the access log's chain head exists (appends lock it); access's record types."""
        from django.db.models.signals import post_migrate

        from .record_types import register_access_record_types

        post_migrate.connect(_ensure_chain_head, sender=self, dispatch_uid="access-chain-head")
        register_access_record_types()


def _ensure_chain_head(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from lape.access.log import ensure_chain_head

    ensure_chain_head(using)
