from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "lape.referrals"
    label = "referrals"
    verbose_name = _("Contact requests and referrals")

    def ready(self) -> None:
        """Tell access who is on a person's request or referral, its record types and its part of the family's export and of the purge; add the demo data."""
        from lape.access.family_export import register_family_export
        from lape.access.record_types import register_record_type
        from lape.access.relations import register_relation
        from lape.access.retention import register_purge
        from lape.directory.signals import demo_loaded

        from .demo import demo_was_loaded
        from .family_export import family_export_sections
        from .relations import on_request_or_referral
        from .retention import expired_records

        register_relation(on_request_or_referral)
        register_family_export(family_export_sections)
        register_purge(expired_records)
        register_record_type("contact_request", _("contact request"), bannable=True)
        register_record_type("referral", _("referral"), bannable=True)
        register_record_type("referral_item", _("information carried by a referral"), bannable=True)
        register_record_type(
            "child_protection_notification", _("child-protection notification"), bannable=True
        )
        # Connected after accounts and people (INSTALLED_APPS order), whose demo data it uses.
        demo_loaded.connect(demo_was_loaded, dispatch_uid="referrals-demo-loaded")
