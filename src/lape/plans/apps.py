from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "lape.plans"
    label = "plans"
    verbose_name = _("Shared plans")

    def ready(self) -> None:
        """Tell access who is on a child's plan team."""
        from lape.access.relations import register_relation

        from .relations import on_plan_team

        register_relation(on_plan_team)
