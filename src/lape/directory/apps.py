from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "lape.directory"
    label = "directory"
    verbose_name = _("Service directory")

    def ready(self) -> None:
        """Cached API pages expire with every write to the directory."""
        from lape.directory import api_cache

        api_cache.connect()
