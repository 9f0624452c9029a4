from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "lape.plans"
    label = "plans"
    verbose_name = _("Shared plans")

    def ready(self) -> None:
        """Tell access who is on a child's plan team, its record types, the family's plan links, the
        organisations a family may consent to, what is kept from guardians, the family's export and
        the purge; add the demo plan."""
        from lape.access.emergency import emergency_access
        from lape.access.family import (
            register_consent_organizations,
            register_family_links,
            register_kept_records,
        )
        from lape.access.family_export import register_family_export
        from lape.access.record_types import register_record_type
        from lape.access.relations import register_relation
        from lape.access.retention import register_purge
        from lape.directory.signals import demo_loaded

        from .demo import demo_was_loaded
        from .emergency_review import REVIEW_RECORD, queue_for_review
        from .family import family_plan_links, kept_log_records, plan_team_organizations
        from .family_export import family_export_sections
        from .family_part import FAMILY_PART_RECORD, family_entry_record_type
        from .reading import ENTRY_RECORD
        from .relations import on_plan_team
        from .retention import expired_records
        from .targets import PLAN_RECORD, SELF_ASSESSMENT_RECORD, entry_record_type

        register_relation(on_plan_team)
        register_family_links(family_plan_links)
        register_consent_organizations(plan_team_organizations)
        register_kept_records(kept_log_records)
        register_family_export(family_export_sections)
        register_purge(expired_records)
        emergency_access.connect(queue_for_review, dispatch_uid="plans-emergency-review")
        register_record_type(REVIEW_RECORD, _("the data controller's review of an emergency read"))
        register_record_type(PLAN_RECORD, _("shared plan"))
        register_record_type(ENTRY_RECORD, _("entry of a shared plan"))
        register_record_type(entry_record_type("goal"), _("goal of a shared plan"), bannable=True)
        register_record_type(entry_record_type("action"), _("action of a shared plan"), bannable=True)
        register_record_type(entry_record_type("note"), _("progress note of a shared plan"), bannable=True)
        register_record_type(entry_record_type("meeting"), _("meeting of a shared plan"), bannable=True)
        register_record_type(
            entry_record_type("voice"), _("the family's own words in a shared plan"), bannable=True
        )
        register_record_type(FAMILY_PART_RECORD, _("family-level part of siblings' shared plans"))
        register_record_type(family_entry_record_type("goal"), _("family-level goal"), bannable=True)
        register_record_type(family_entry_record_type("action"), _("family-level action"), bannable=True)
        register_record_type(family_entry_record_type("note"), _("family-level progress note"), bannable=True)
        register_record_type(family_entry_record_type("meeting"), _("family-level meeting"), bannable=True)
        register_record_type(
            SELF_ASSESSMENT_RECORD, _("the child's wellbeing self-assessment in a shared plan"), bannable=True
        )
        register_record_type(
            "concern_signal", _("a concern signal (that a professional is involved; no content)")
        )
        register_record_type(
            "concern_match", _("a match of two organisations' concern signals (who and how to reach them)")
        )
        # Connected after referrals (INSTALLED_APPS order), whose demo request is the relation it starts from.
        demo_loaded.connect(demo_was_loaded, dispatch_uid="plans-demo-loaded")
