"""The HSDS API's reads: filters, prefetching, pages and NDJSON streams, without a query per row."""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, Prefetch, Q, QuerySet
from django.http import JsonResponse, StreamingHttpResponse

from .hsds.serialize import Json, services_for_export
from .models import (
    Attribute,
    Contact,
    Location,
    Organization,
    Phone,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from .translation import OTHER_LANGUAGES

M = TypeVar("M", bound=Model)

NDJSON = "application/x-ndjson"
NDJSON_CHUNK = 500


def parse_id(value: str) -> uuid.UUID | None:
    """The UUID in `value`, or None when it is not one (so the caller answers 404)."""
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def clean_search(text: str | None) -> str:
    """The search text without NUL characters (PostgreSQL refuses them) and outer spaces."""
    return (text or "").replace("\x00", "").strip()


def utc_iso(value: dt.datetime) -> str:
    """A UTC timestamp as serialize.py writes it, e.g. 2024-05-01T08:00:00Z."""
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def text_search(fields: Sequence[str], text: str, prefix: str = "") -> Q:
    """Case-insensitive match on the Finnish base fields and their sv/en `translations`."""
    q = Q()
    for field in fields:
        q |= Q(**{f"{prefix}{field}__icontains": text})
        for lang in OTHER_LANGUAGES:
            q |= Q(**{f"{prefix}translations__{lang}__{field}__icontains": text})
    return q


def linked_ids(entity: str, term_id: uuid.UUID | None, taxonomy_id: uuid.UUID | None) -> QuerySet[Any, Any]:
    """Ids of `entity` objects that have an attribute with this term and/or a term of this taxonomy."""
    attributes = Attribute.objects.filter(link_entity=entity)
    if term_id is not None:
        attributes = attributes.filter(taxonomy_term_id=term_id)
    if taxonomy_id is not None:
        attributes = attributes.filter(taxonomy_term__taxonomy_id=taxonomy_id)
    return attributes.values("link_id")


def _phones() -> Prefetch:
    return Prefetch("phones", queryset=Phone.objects.prefetch_related("languages"))


def _contacts() -> Prefetch:
    return Prefetch("contacts", queryset=Contact.objects.prefetch_related(_phones()))


def locations_for_export() -> QuerySet[Location]:
    """Locations with everything `location_to_hsds` reads, prefetched."""
    return Location.objects.select_related("municipality").prefetch_related(
        "languages", "addresses", _contacts(), _phones(), "schedules"
    )


def service_at_locations_for_export() -> QuerySet[ServiceAtLocation]:
    """Services at locations with everything `service_at_location_to_hsds` reads, prefetched."""
    return ServiceAtLocation.objects.select_related("service").prefetch_related(
        Prefetch("service_areas", queryset=ServiceArea.objects.select_related("municipality")),
        _contacts(),
        _phones(),
        "schedules",
        Prefetch("location", queryset=locations_for_export()),
    )


def organizations_for_export(full: bool) -> QuerySet[Organization]:
    """Organisations with what `organization_to_hsds` reads (and with `full`, its nested objects)."""
    organizations = Organization.objects.select_related("municipality")
    if full:
        organizations = organizations.prefetch_related(
            _phones(), _contacts(), Prefetch("locations", queryset=locations_for_export())
        )
    return organizations


def services_for_list(full: bool, minimal: bool) -> QuerySet[Service]:
    """Services with only what the chosen form reads."""
    if minimal:
        return Service.objects.only("id", "last_modified", "name")
    if full:
        return services_for_export()
    return Service.objects.all()


def terms_for_export() -> QuerySet[TaxonomyTerm]:
    """Taxonomy terms with their taxonomy joined (its name fills HSDS `taxonomy`)."""
    return TaxonomyTerm.objects.select_related("taxonomy")


def page_of(
    queryset: QuerySet[M], page: int, per_page: int, to_hsds: Callable[[list[M]], list[Json]]
) -> JsonResponse:
    """One page with HSDS's page fields; a page past the end is empty and reads no rows."""
    total = queryset.count()
    start = (page - 1) * per_page
    rows = list(queryset[start : start + per_page]) if start < total else []
    return page_of_rows(rows, total, page, per_page, to_hsds)


def page_of_rows(
    rows: list[M], total: int, page: int, per_page: int, to_hsds: Callable[[list[M]], list[Json]]
) -> JsonResponse:
    """A page already read (e.g. a search's hits, in their order) with HSDS's page fields."""
    total_pages = math.ceil(total / per_page)
    contents = to_hsds(rows)
    body = {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": total == 0,
        "contents": contents,
    }
    return JsonResponse(body, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False})


def ndjson_of(queryset: QuerySet[M], to_hsds: Callable[[list[M]], list[Json]]) -> StreamingHttpResponse:
    """Every match, one JSON object a line, read in chunks so memory stays flat."""

    def lines() -> Iterator[str]:
        start = 0
        while True:
            rows = list(queryset[start : start + NDJSON_CHUNK])
            for obj in to_hsds(rows):
                yield json.dumps(obj, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n"
            if len(rows) < NDJSON_CHUNK:
                return
            start += NDJSON_CHUNK

    return StreamingHttpResponse(lines(), content_type=NDJSON)


def ndjson_of_rows(rows: list[M], to_hsds: Callable[[list[M]], list[Json]]) -> StreamingHttpResponse:
    """Rows already read, one JSON object a line."""

    def lines() -> Iterator[str]:
        for start in range(0, len(rows), NDJSON_CHUNK):
            for obj in to_hsds(rows[start : start + NDJSON_CHUNK]):
                yield json.dumps(obj, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n"

    return StreamingHttpResponse(lines(), content_type=NDJSON)


def object_response(obj: Json) -> JsonResponse:
    """One HSDS object as JSON."""
    return JsonResponse(obj, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False})
