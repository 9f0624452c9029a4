from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "lape.people"
    label = "people"
    verbose_name = _("Clients")

    def ready(self) -> None:
        """Add the demo families on `lape demo`; the deploy check of the identity-code keys; the record types."""
        from lape.access.record_types import register_record_type
        from lape.directory.signals import demo_loaded

        from . import checks  # noqa: F401 - registers the check
        from .demo import demo_was_loaded

        demo_loaded.connect(demo_was_loaded, dispatch_uid="people-demo-loaded")
        register_record_type("person", _("name and personal details"))
        register_record_type("guardian_relation", _("guardians"))
