"""HSDS 3.1 API at /api/hsds/, as the HSDS OpenAPI document defines it, with the Finnish profile.

Handlers are thin: parse the query, filter with `api_queries`, write with `hsds.serialize`. Every
object carries the profile's `translations` (sv/en); the base fields are Finnish.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.urls import register_converter, reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError, ValidationError

from lape.api_errors import ErrorResponse, ValidationErrorResponse

from . import api_schemas as s
from .api_cache import cached_page
from .api_params import (
    MAX_PER_PAGE,
    FullServiceQuery,
    OrganizationQuery,
    PageQuery,
    ServiceAtLocationQuery,
    ServiceQuery,
    TaxonomyTermQuery,
)
from .api_queries import (
    NDJSON,
    clean_search,
    linked_ids,
    ndjson_of,
    ndjson_of_rows,
    object_response,
    organizations_for_export,
    page_of,
    page_of_rows,
    parse_id,
    service_at_locations_for_export,
    services_for_list,
    terms_for_export,
    text_search,
    utc_iso,
)
from .hsds.profile import PROFILE_URL
from .hsds.serialize import (
    Json,
    attributes_for,
    organization_to_hsds,
    service_at_location_to_hsds,
    service_to_hsds,
    services_for_export,
    taxonomy_term_to_hsds,
    taxonomy_to_hsds,
)
from .models import Organization, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from .searching import FILTER_PARAMETERS, SearchError, search_service_ids

HSDS_VERSION = "3.1"
# Placeholder until the profile is published (see docs/hsds-profile.md).
router = Router(tags=["HSDS"])


class AnyIdConverter:
    """Any id text, even with "/" or a newline, so every id reaches the handler and gets a JSON 404."""

    regex = r"[\s\S]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AnyIdConverter, "hsds_id")

ERRORS: dict[int, Any] = {404: ErrorResponse, 422: ValidationErrorResponse}
LIST_ERRORS: dict[int, Any] = {422: ValidationErrorResponse}


def _ndjson_doc(*models: type[Schema]) -> dict[str, Any]:
    """Document the NDJSON form of a list's 200: an array here means one object a line."""
    refs: list[dict[str, Any]] = [{"$ref": f"#/components/schemas/{m.__name__}"} for m in models]
    item: dict[str, Any] = refs[0] if len(refs) == 1 else {"anyOf": refs}
    schema: dict[str, Any] = {
        "type": "array",
        "items": item,
        "description": "With format=ndjson: one object a line.",
    }
    return {"responses": {200: {"content": {NDJSON: {"schema": schema}}}}}


def _not_found(message: str) -> HttpError:
    return HttpError(404, message)


@router.get("/", response={200: s.ApiInfo}, summary="About this API", operation_id="hsds_root")
def root(request: HttpRequest) -> Json:
    """The HSDS version, the profile and where the OpenAPI document is."""
    return {
        "version": HSDS_VERSION,
        "profile": PROFILE_URL,
        "openapi_url": request.build_absolute_uri(reverse("api:openapi-json")),
    }


# Services


def _services_to_hsds(full: bool, minimal: bool) -> Any:
    def convert(services: list[Service]) -> list[Json]:
        if minimal:
            return [{"id": str(svc.pk), "last_modified": utc_iso(svc.last_modified)} for svc in services]
        if not full:
            return [service_to_hsds(svc, full=False) for svc in services]
        attributes = attributes_for("service", [svc.pk for svc in services])
        return [service_to_hsds(svc, full=True, attributes=attributes[str(svc.pk)]) for svc in services]

    return convert


@router.get(
    "/services",
    response={200: s.ServicePage, **LIST_ERRORS},
    summary="List services",
    operation_id="hsds_services",
    openapi_extra=_ndjson_doc(s.ServiceFull, s.Service, s.ServiceMinimal),
)
def list_services(request: HttpRequest, query: Query[ServiceQuery]) -> HttpResponseBase:
    """Services, filtered; the list form unless `full` or `minimal`.

    With `search` or a search filter the search index finds and ranks them (lape.search.query): only
    active services, best first; otherwise every service, by name.
    """
    full, minimal = bool(query.full), bool(query.minimal)
    convert = _services_to_hsds(full, minimal)
    text = clean_search(query.search)
    if text or any(name in request.GET for name in FILTER_PARAMETERS):
        return cached_page(request, lambda: _searched_services(request, query, text, convert))
    services = services_for_list(full=full, minimal=minimal)
    services = _narrowed(services, query)
    if query.format == "ndjson":
        return ndjson_of(services, convert)
    return page_of(services, query.page, query.per_page, convert)


def _narrowed(services: QuerySet[Service], query: ServiceQuery) -> QuerySet[Service]:
    if query.taxonomy_term_id or query.taxonomy_id:
        services = services.filter(id__in=linked_ids("service", query.taxonomy_term_id, query.taxonomy_id))
    if query.organization_id:
        services = services.filter(organization_id=query.organization_id)
    if query.modified_after:
        services = services.filter(last_modified__gte=query.modified_after)
    return services


def _searched_services(
    request: HttpRequest, query: ServiceQuery, text: str, convert: Callable[[list[Service]], list[Json]]
) -> HttpResponseBase:
    """A page (or, as NDJSON, up to MAX_PER_PAGE) of the search's hits, best first."""
    narrowed = query.taxonomy_term_id or query.taxonomy_id or query.organization_id or query.modified_after
    if query.format == "ndjson":
        offset, limit = 0, MAX_PER_PAGE
    else:
        offset, limit = (query.page - 1) * query.per_page, query.per_page
    try:
        if narrowed:
            # The HSDS filters narrow the search's best MAX_PER_PAGE matches.
            best, _total = search_service_ids(text, query.lang, request.GET, 0, MAX_PER_PAGE)
            allowed = set(_narrowed(Service.objects.filter(pk__in=best), query).values_list("pk", flat=True))
            matching = [pk for pk in best if pk in allowed]
            total, ids = len(matching), matching[offset : offset + limit]
        else:
            ids, total = search_service_ids(text, query.lang, request.GET, offset, limit)
    except SearchError as error:
        raise ValidationError(
            [{"loc": ["query", error.field], "msg": error.message, "type": "value_error"}]
        ) from None
    found = services_for_list(full=bool(query.full), minimal=bool(query.minimal)).in_bulk(ids)
    rows = [found[pk] for pk in ids if pk in found]
    if query.format == "ndjson":
        return ndjson_of_rows(rows, convert)
    return page_of_rows(rows, total, query.page, query.per_page, convert)


@router.get(
    "/services/{hsds_id:id}",
    response={200: s.ServiceFull, **ERRORS},
    summary="One service, fully nested",
    operation_id="hsds_service",
)
def get_service(request: HttpRequest, id: str) -> HttpResponseBase:
    """A service with everything nested (HSDS `service_full`)."""
    pk = parse_id(id)
    service = services_for_export().filter(pk=pk).first() if pk else None
    if service is None:
        raise _not_found(_("There is no service with this id; check the id against the list at /services."))
    return object_response(service_to_hsds(service, full=True))


# Organisations


def _organizations_to_hsds(full: bool, full_service: bool) -> Any:
    def convert(organizations: list[Organization]) -> list[Json]:
        if not full:
            return [organization_to_hsds(org) for org in organizations]
        ids = [org.pk for org in organizations]
        attributes = attributes_for("organization", ids)
        services = _services_of(ids, full_service)
        return [
            organization_to_hsds(org, full=True, attributes=attributes[str(org.pk)])
            | {"services": services.get(str(org.pk), [])}
            for org in organizations
        ]

    return convert


def _services_of(organization_ids: list[Any], full: bool) -> dict[str, list[Json]]:
    """The services of these organisations by organisation id, in the list form or full."""
    services = list(services_for_list(full=full, minimal=False).filter(organization_id__in=organization_ids))
    found: dict[str, list[Json]] = {}
    for svc in services:
        found.setdefault(str(svc.organization_id), [])
    for svc, out in zip(services, _services_to_hsds(full, False)(services), strict=True):
        found[str(svc.organization_id)].append(out)
    return found


@router.get(
    "/organizations",
    response={200: s.OrganizationPage, **LIST_ERRORS},
    summary="List organisations",
    operation_id="hsds_organizations",
    openapi_extra=_ndjson_doc(s.OrganizationFull, s.Organization),
)
def list_organizations(request: HttpRequest, query: Query[OrganizationQuery]) -> HttpResponseBase:
    """Organisations, filtered; with `full`, nested as organization_full with their services."""
    full = bool(query.full or query.full_service)
    organizations = organizations_for_export(full)
    if text := clean_search(query.search):
        organizations = organizations.filter(text_search(["name", "description"], text))
    if query.taxonomy_term_id or query.taxonomy_id:
        organizations = organizations.filter(
            id__in=linked_ids("organization", query.taxonomy_term_id, query.taxonomy_id)
        )
    convert = _organizations_to_hsds(full, bool(query.full_service))
    if query.format == "ndjson":
        return ndjson_of(organizations, convert)
    return page_of(organizations, query.page, query.per_page, convert)


@router.get(
    "/organizations/{hsds_id:id}",
    response={200: s.OrganizationFull, **ERRORS},
    summary="One organisation with its services",
    operation_id="hsds_organization",
)
def get_organization(request: HttpRequest, id: str, query: Query[FullServiceQuery]) -> HttpResponseBase:
    """An organisation nested as organization_full, with its services (full with `full_service`)."""
    pk = parse_id(id)
    organization = organizations_for_export(full=True).filter(pk=pk).first() if pk else None
    if organization is None:
        raise _not_found(
            _("There is no organisation with this id; check the id against the list at /organizations.")
        )
    return object_response(_organizations_to_hsds(True, bool(query.full_service))([organization])[0])


# Services at locations


def _service_at_locations_to_hsds(full: bool) -> Any:
    def convert(rows: list[ServiceAtLocation]) -> list[Json]:
        if not full:
            return [service_at_location_to_hsds(sal, with_service_id=True) for sal in rows]
        attributes = attributes_for("service_at_location", [sal.pk for sal in rows])
        return [
            service_at_location_to_hsds(sal, with_service_id=True)
            | {"service": service_to_hsds(sal.service, full=False), "attributes": attributes[str(sal.pk)]}
            for sal in rows
        ]

    return convert


@router.get(
    "/service_at_locations",
    response={200: s.ServiceAtLocationPage, **LIST_ERRORS},
    summary="List services at locations",
    operation_id="hsds_service_at_locations",
    openapi_extra=_ndjson_doc(s.ServiceAtLocationFull, s.ServiceAtLocation),
)
def list_service_at_locations(request: HttpRequest, query: Query[ServiceAtLocationQuery]) -> HttpResponseBase:
    """Services at locations, each with its location; filters apply to the service."""
    rows = service_at_locations_for_export()
    if text := clean_search(query.search):
        rows = rows.filter(text_search(["name", "description"], text, prefix="service__"))
    if query.taxonomy_term_id or query.taxonomy_id:
        rows = rows.filter(
            Q(service_id__in=linked_ids("service", query.taxonomy_term_id, query.taxonomy_id))
            | Q(id__in=linked_ids("service_at_location", query.taxonomy_term_id, query.taxonomy_id))
        )
    if query.organization_id:
        rows = rows.filter(service__organization_id=query.organization_id)
    if query.modified_after:
        after = query.modified_after
        rows = rows.filter(Q(service__last_modified__gte=after) | Q(location__last_modified__gte=after))
    if postcode := clean_search(query.postcode):
        rows = rows.filter(location__addresses__postal_code=postcode).distinct()
    convert = _service_at_locations_to_hsds(bool(query.full))
    if query.format == "ndjson":
        return ndjson_of(rows, convert)
    return page_of(rows, query.page, query.per_page, convert)


@router.get(
    "/service_at_locations/{hsds_id:id}",
    response={200: s.ServiceAtLocationFull, **ERRORS},
    summary="One service at a location",
    operation_id="hsds_service_at_location",
)
def get_service_at_location(request: HttpRequest, id: str) -> HttpResponseBase:
    """A service at a location with its location, service and attributes."""
    pk = parse_id(id)
    row = service_at_locations_for_export().filter(pk=pk).first() if pk else None
    if row is None:
        raise _not_found(
            _(
                "There is no service at a location with this id; check the id against the list at /service_at_locations."
            )
        )
    return object_response(_service_at_locations_to_hsds(True)([row])[0])


# Taxonomies


def _taxonomies_to_hsds(rows: list[Taxonomy]) -> list[Json]:
    return [taxonomy_to_hsds(taxonomy) for taxonomy in rows]


@router.get(
    "/taxonomies",
    response={200: s.TaxonomyPage, **LIST_ERRORS},
    summary="List taxonomies",
    operation_id="hsds_taxonomies",
    openapi_extra=_ndjson_doc(s.Taxonomy),
)
def list_taxonomies(request: HttpRequest, query: Query[PageQuery]) -> HttpResponseBase:
    """Taxonomies, e.g. the PTV service classes and target groups."""
    taxonomies = Taxonomy.objects.all()
    if text := clean_search(query.search):
        taxonomies = taxonomies.filter(text_search(["name", "description"], text))
    if query.format == "ndjson":
        return ndjson_of(taxonomies, _taxonomies_to_hsds)
    return page_of(taxonomies, query.page, query.per_page, _taxonomies_to_hsds)


@router.get(
    "/taxonomies/{hsds_id:id}",
    response={200: s.Taxonomy, **ERRORS},
    summary="One taxonomy",
    operation_id="hsds_taxonomy",
)
def get_taxonomy(request: HttpRequest, id: str) -> HttpResponseBase:
    """A taxonomy."""
    pk = parse_id(id)
    taxonomy = Taxonomy.objects.filter(pk=pk).first() if pk else None
    if taxonomy is None:
        raise _not_found(
            _("There is no taxonomy with this id; check the id against the list at /taxonomies.")
        )
    return object_response(taxonomy_to_hsds(taxonomy))


def _terms_to_hsds(rows: list[TaxonomyTerm]) -> list[Json]:
    return [taxonomy_term_to_hsds(term) for term in rows]


@router.get(
    "/taxonomy_terms",
    response={200: s.TaxonomyTermPage, **LIST_ERRORS},
    summary="List taxonomy terms",
    operation_id="hsds_taxonomy_terms",
    openapi_extra=_ndjson_doc(s.TaxonomyTerm),
)
def list_taxonomy_terms(request: HttpRequest, query: Query[TaxonomyTermQuery]) -> HttpResponseBase:
    """Taxonomy terms, by taxonomy, parent, or only the top level."""
    terms = terms_for_export()
    if text := clean_search(query.search):
        terms = terms.filter(text_search(["name", "description"], text) | Q(code__iexact=text))
    if query.taxonomy_id:
        terms = terms.filter(taxonomy_id=query.taxonomy_id)
    if query.parent_id:
        terms = terms.filter(parent_id=query.parent_id)
    if query.top_only:
        terms = terms.filter(parent__isnull=True)
    if query.format == "ndjson":
        return ndjson_of(terms, _terms_to_hsds)
    return page_of(terms, query.page, query.per_page, _terms_to_hsds)


@router.get(
    "/taxonomy_terms/{hsds_id:id}",
    response={200: s.TaxonomyTerm, **ERRORS},
    summary="One taxonomy term",
    operation_id="hsds_taxonomy_term",
)
def get_taxonomy_term(request: HttpRequest, id: str) -> HttpResponseBase:
    """A taxonomy term with its taxonomy nested in `taxonomy_detail`."""
    pk = parse_id(id)
    term = terms_for_export().filter(pk=pk).first() if pk else None
    if term is None:
        raise _not_found(
            _("There is no taxonomy term with this id; check the id against the list at /taxonomy_terms.")
        )
    return object_response(taxonomy_term_to_hsds(term, with_detail=True))
