"""Signals other apps listen to, so that the directory depends on none of them (DESIGN.md: areas ← directory ← search)."""

from django.dispatch import Signal

# Sent inside the import's transaction with `service_ids`: the services an HSDS import created or
# updated. Bulk writes send no post_save, so listeners (the search index) update from this.
services_imported = Signal()

# Sent when `lape demo` has loaded the demo directory, for apps that add their own demo data.
demo_loaded = Signal()
