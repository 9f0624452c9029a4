from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "lape.referrals"
    label = "referrals"
    verbose_name = _("Contact requests and referrals")

    def ready(self) -> None:
        """Tell access who is on a person's request or referral; add the demo requests and referrals."""
        from lape.access.relations import register_relation
        from lape.directory.signals import demo_loaded

        from .demo import demo_was_loaded
        from .relations import on_request_or_referral

        register_relation(on_request_or_referral)
        # Connected after accounts and people (INSTALLED_APPS order), whose demo data it uses.
        demo_loaded.connect(demo_was_loaded, dispatch_uid="referrals-demo-loaded")
