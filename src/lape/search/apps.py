from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "lape.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        """Keep the service index in step with the directory, and be the directory API's search."""
        from lape.directory.searching import register_search
        from lape.search import signals
        from lape.search.query import service_ids_for_api

        signals.connect()
        register_search(service_ids_for_api)
