"""Query parameters of the HSDS API, parsed exactly as the OpenAPI document describes them.

Pydantic's lax parsing would take `modified_after=0.5` as a Unix time, a UUID without hyphens, or
"yes" as true; the document promises RFC 3339 date-times, hyphenated UUIDs and true/false, so the
parameters accept exactly that and anything else gets a 422 that says why.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema
from pydantic.json_schema import SkipJsonSchema

from .models import Service
from .searching import LIFE_SITUATIONS

DEFAULT_PER_PAGE = 50
MAX_AGE = 25
MAX_CHILDREN = 20
MAX_PER_PAGE = 1000

RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$"
)
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
UTC_MIN = dt.datetime.min.replace(tzinfo=dt.UTC)
UTC_MAX = dt.datetime.max.replace(tzinfo=dt.UTC)


def parse_timestamp(value: Any) -> dt.datetime:
    """An RFC 3339 date-time (with Z or an offset) as an aware UTC datetime."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    match = RFC3339.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(_("Give a date and time as in 2024-05-01T08:00:00Z or 2024-05-01T11:00:00+03:00."))
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction, zulu, sign, offset_hours, offset_minutes = match.groups()[6:]
    tz = dt.UTC
    if not zulu:
        if int(offset_hours) > 23 or int(offset_minutes) > 59:
            raise ValueError(_("The UTC offset must be between -23:59 and +23:59."))
        offset = dt.timedelta(hours=int(offset_hours), minutes=int(offset_minutes))
        tz = dt.timezone(-offset if sign == "-" else offset)
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        # RFC 3339 allows year 0 and a leap second; Python's datetime has neither.
        parsed = dt.datetime(max(year, 1), month, day, hour, minute, min(second, 59), micro, tzinfo=tz)
    except ValueError as exc:
        raise ValueError(_("This date or time does not exist.")) from exc
    try:
        return parsed.astimezone(dt.UTC)
    except OverflowError:
        return UTC_MIN if year < 5000 else UTC_MAX


def parse_uuid(value: Any) -> uuid.UUID:
    """A UUID written as 8-4-4-4-12 hexadecimal digits."""
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str) or not UUID_RE.match(value):
        raise ValueError(_("Give an id as a UUID, e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6."))
    return uuid.UUID(value)


def parse_bool(value: Any) -> bool:
    """true or false, as the OpenAPI document writes booleans in a query."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    raise ValueError(_("Give true or false."))


# The parsers run before pydantic, so a bad value gives one error that names the parameter.
OptTimestamp = Annotated[
    dt.datetime | None,
    BeforeValidator(parse_timestamp),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
OptId = Annotated[
    uuid.UUID | None, BeforeValidator(parse_uuid), WithJsonSchema({"type": "string", "format": "uuid"})
]
OptFlag = Annotated[bool | None, BeforeValidator(parse_bool), WithJsonSchema({"type": "boolean"})]
OptText = str | SkipJsonSchema[None]


def _member_of(values: tuple[str, ...]) -> Callable[[str], str]:
    """A check that a value is one of `values` (the one list the schema's enum is written from too)."""

    def check(value: str) -> str:
        if value not in values:
            raise ValueError(_("Give one of: %(values)s.") % {"values": ", ".join(values)})
        return value

    return check


LEVELS = tuple(Service.Level.values)
Level = Annotated[
    str, AfterValidator(_member_of(LEVELS)), WithJsonSchema({"type": "string", "enum": list(LEVELS)})
]
Situation = Annotated[
    str,
    AfterValidator(_member_of(LIFE_SITUATIONS)),
    WithJsonSchema({"type": "string", "enum": list(LIFE_SITUATIONS)}),
]
OptSituation = Situation | SkipJsonSchema[None]


class PageQuery(Schema):
    """Search, paging and format: every list has them."""

    search: OptText = Field(
        None, description="Words in the name or description, in Finnish, Swedish or English."
    )
    page: int = Field(1, ge=1, description="Page number, from 1.")
    per_page: int = Field(
        DEFAULT_PER_PAGE, ge=1, le=MAX_PER_PAGE, description=f"Results a page, at most {MAX_PER_PAGE}."
    )
    format: Literal["json", "ndjson"] = Field(
        "json", description="`ndjson` streams every match, one object a line, without pages."
    )


class TaxonomyFilter(Schema):
    taxonomy_term_id: OptId = Field(None, description="Only objects with this taxonomy term.")
    taxonomy_id: OptId = Field(None, description="Only objects with a term of this taxonomy.")


class SearchFilters(Schema):
    """The search's filters (lape.search.filters); `search` is then ranked by the search index."""

    lang: Literal["fi", "sv", "en"] = Field(
        "fi", description="The language of `search` (its words are analysed as Finnish, Swedish or English)."
    )
    municipality: Annotated[str, Field(pattern=r"^\d{1,3}$")] | SkipJsonSchema[None] = Field(
        None, description="Municipality code (e.g. 297): services whose service area covers it."
    )
    county: Annotated[str, Field(pattern=r"^\d{1,2}$")] | SkipJsonSchema[None] = Field(
        None, description="Wellbeing-services county code: services serving any of its municipalities."
    )
    age: list[Annotated[int, Field(ge=0, le=MAX_AGE)]] = Field(
        [],
        max_length=MAX_CHILDREN,
        description=f"A child's age in years (0-{MAX_AGE}); repeat for several children: a service fits any.",
    )
    language: list[Annotated[str, Field(pattern=r"^[a-zA-Z]{2,3}$")]] = Field(
        [], description="Service language code (fi, sv, en, ...); repeat for any of several."
    )
    level: list[Level] = Field([], description="Service level; repeat for any of several.")
    low_threshold: OptFlag = Field(None, description="Only low-threshold services (free, no referral).")
    free: OptFlag = Field(None, description="Only services free of charge.")
    open_now: OptFlag = Field(
        None, description="Only services open now (Finnish time, exceptions respected)."
    )
    lat: Annotated[float, Field(ge=-90, le=90)] | SkipJsonSchema[None] = Field(
        None, description="Latitude of the family's place (WGS84); give lon too."
    )
    lon: Annotated[float, Field(ge=-180, le=180)] | SkipJsonSchema[None] = Field(
        None, description="Longitude of the family's place (WGS84); give lat too."
    )
    postcode: Annotated[str, Field(pattern=r"^\d{5}$")] | SkipJsonSchema[None] = Field(
        None, description="A Finnish postcode instead of lat/lon (e.g. 70100)."
    )
    radius_km: Annotated[float, Field(ge=0.1, le=1500)] | SkipJsonSchema[None] = Field(
        None, description="Only services with a place within this distance of lat/lon or postcode."
    )
    situation: OptSituation = Field(
        None, description="A life situation of the family pages: services for its needs."
    )


class ServiceQuery(PageQuery, TaxonomyFilter, SearchFilters):
    organization_id: OptId = Field(None, description="Only services of this organisation.")
    modified_after: OptTimestamp = Field(
        None,
        description="Only services modified at or after this time (RFC 3339, e.g. 2024-05-01T08:00:00Z).",
    )
    minimal: OptFlag = Field(None, description="Just `id` and `last_modified` of each service.")
    full: OptFlag = Field(None, description="Fully nested services.")


class OrganizationQuery(PageQuery, TaxonomyFilter):
    full: OptFlag = Field(None, description="Nest phones, contacts, locations, attributes and services.")
    full_service: OptFlag = Field(
        None, description="Nest each organisation's services fully (implies `full`)."
    )


class ServiceAtLocationQuery(PageQuery, TaxonomyFilter):
    organization_id: OptId = Field(None, description="Only services of this organisation.")
    modified_after: OptTimestamp = Field(
        None, description="Only where the service or the location changed at or after this time (RFC 3339)."
    )
    full: OptFlag = Field(None, description="Nest the service and the attributes too.")
    postcode: OptText = Field(None, description="Only locations with this postal code.")


class TaxonomyTermQuery(PageQuery):
    taxonomy_id: OptId = Field(None, description="Only terms of this taxonomy.")
    parent_id: OptId = Field(None, description="Only the children of this term.")
    top_only: OptFlag = Field(None, description="Only top-level terms (terms without a parent).")


class FullServiceQuery(Schema):
    full_service: OptFlag = Field(None, description="Nest full services instead of the list form.")
