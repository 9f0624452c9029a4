from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "lape.plans"
    label = "plans"
    verbose_name = _("Shared plans")

    def ready(self) -> None:
        """Tell access who is on a child's plan team; add the demo plan."""
        from lape.access.relations import register_relation
        from lape.directory.signals import demo_loaded

        from .demo import demo_was_loaded
        from .relations import on_plan_team

        register_relation(on_plan_team)
        # Connected after referrals (INSTALLED_APPS order), whose demo request is the relation it starts from.
        demo_loaded.connect(demo_was_loaded, dispatch_uid="plans-demo-loaded")
