"""Keep the service index in step with the directory: re-index in the same transaction as the change.

Saving or deleting a service, its organisation, a taxonomy term or a service's attribute re-indexes the
services whose text changed; a service's area, language or place, or a location, its facets. Bulk writes send no post_save: the HSDS importer sends `services_imported`
(lape.directory.signals) in its transaction; other bulk writers call lape.search.index.reindex_services.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models.signals import post_delete, post_migrate, post_save, pre_save

from lape.directory.models import (
    Attribute,
    Language,
    Location,
    Organization,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from lape.directory.signals import demo_loaded, services_imported
from lape.search.expansion import forget_vocabulary
from lape.search.index import index_service, reindex_services, remove_service


def service_saved(sender: type[Service], instance: Service, **kwargs: Any) -> None:
    """Index a saved service."""
    index_service(instance)


def service_deleted(sender: type[Service], instance: Service, **kwargs: Any) -> None:
    """Remove a deleted service from the index."""
    remove_service(instance.pk)


def _indexed_text(obj: Organization | TaxonomyTerm) -> tuple[Any, ...]:
    """What the index reads of an organisation or a term: its name in every language."""
    return (obj.name, obj.translations)


def remember_indexed_text(sender: type[Organization | TaxonomyTerm], instance: Any, **kwargs: Any) -> None:
    """Before a save, keep the stored text, so a save that changes none of it re-indexes nothing."""
    stored = sender._default_manager.filter(pk=instance.pk).only("name", "translations").first()
    instance._indexed_before = _indexed_text(stored) if stored is not None else None


def _indexed_text_changed(instance: Organization | TaxonomyTerm) -> bool:
    return getattr(instance, "_indexed_before", None) != _indexed_text(instance)


def organisation_saved(sender: type[Organization], instance: Organization, **kwargs: Any) -> None:
    """Re-index the services of a renamed organisation (not on every save: it may have thousands)."""
    if _indexed_text_changed(instance):
        reindex_services(instance.services.values_list("pk", flat=True))


def attribute_changed(sender: type[Attribute], instance: Attribute, **kwargs: Any) -> None:
    """Re-index the service a taxonomy term was attached to or taken from."""
    if instance.link_entity == "service":
        reindex_services([instance.link_id])


def service_part_changed(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    """Re-index the service whose area, language or place changed (the filters' facets)."""
    service_ids: set[uuid.UUID] = set()
    if getattr(instance, "service_id", None):
        service_ids.add(instance.service_id)
    if getattr(instance, "service_at_location_id", None):
        at = ServiceAtLocation.objects.filter(pk=instance.service_at_location_id)
        service_ids.update(at.values_list("service_id", flat=True))
    if service_ids:
        reindex_services(service_ids)


def location_saved(sender: type[Location], instance: Location, **kwargs: Any) -> None:
    """Re-index the services at a location (its municipality is a facet of theirs)."""
    reindex_services(instance.service_at_locations.values_list("service_id", flat=True))


def taxonomy_term_saved(sender: type[TaxonomyTerm], instance: TaxonomyTerm, **kwargs: Any) -> None:
    """Re-index the services that carry a renamed taxonomy term."""
    if not _indexed_text_changed(instance):
        return
    linked = Attribute.objects.filter(taxonomy_term=instance, link_entity="service")
    reindex_services(linked.values_list("link_id", flat=True))


def services_were_imported(sender: object, service_ids: list[uuid.UUID], **kwargs: Any) -> None:
    """Index the services an HSDS import created or updated (its bulk writes send no post_save)."""
    reindex_services(service_ids)


def demo_was_loaded(sender: object, **kwargs: Any) -> None:
    """`lape demo`: the PTV terms and need vocabulary (and TERO when ../shared has it; the demo needs none)."""
    from lape.search.ontology import default_tero_path, load_vocabulary

    tero = default_tero_path()
    load_vocabulary(tero if tero.is_file() else None)


def directory_flushed(sender: object, using: str = "default", **kwargs: Any) -> None:
    """After `flush` (and migrate), empty the index when the directory has no services.

    The index tables are not Django models, so `flush` (which transactional tests run between tests)
    would leave rows of services that no longer exist.
    """
    from django.db import connections

    from lape.search.backends import backend_for

    if not Service.objects.using(using).exists():
        backend_for(connections[using]).clear()
        forget_vocabulary()


def connect() -> None:
    """Connect the index's receivers (called once from the app's ready())."""
    from django.apps import apps

    # Once a flush or migrate (sent for every app otherwise).
    post_migrate.connect(
        directory_flushed, sender=apps.get_app_config("search"), dispatch_uid="search-directory-flushed"
    )
    post_save.connect(service_saved, sender=Service, dispatch_uid="search-service-saved")
    post_delete.connect(service_deleted, sender=Service, dispatch_uid="search-service-deleted")
    pre_save.connect(remember_indexed_text, sender=Organization, dispatch_uid="search-organisation-before")
    post_save.connect(organisation_saved, sender=Organization, dispatch_uid="search-organisation-saved")
    post_save.connect(attribute_changed, sender=Attribute, dispatch_uid="search-attribute-saved")
    post_delete.connect(attribute_changed, sender=Attribute, dispatch_uid="search-attribute-deleted")
    pre_save.connect(remember_indexed_text, sender=TaxonomyTerm, dispatch_uid="search-term-before")
    post_save.connect(taxonomy_term_saved, sender=TaxonomyTerm, dispatch_uid="search-term-saved")
    for part in (ServiceArea, Language, ServiceAtLocation):
        post_save.connect(service_part_changed, sender=part, dispatch_uid=f"search-{part.__name__}-saved")
        post_delete.connect(service_part_changed, sender=part, dispatch_uid=f"search-{part.__name__}-deleted")
    post_save.connect(location_saved, sender=Location, dispatch_uid="search-location-saved")
    services_imported.connect(services_were_imported, dispatch_uid="search-services-imported")
    demo_loaded.connect(demo_was_loaded, dispatch_uid="search-demo-loaded")
