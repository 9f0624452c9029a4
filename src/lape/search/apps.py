from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "lape.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        """Keep the service index in step with the directory."""
        from lape.search import signals

        signals.connect()
