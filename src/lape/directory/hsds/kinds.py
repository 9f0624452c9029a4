"""How each HSDS object maps onto a directory model: its columns, nested children and references.

The importer walks a full service by these tables; anything an object carries that is not listed
here goes to the row's `extra` unchanged, so that an export gives it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Model

from ..models import (
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)


@dataclass(frozen=True)
class Child:
    """A nested list (or a single object) of another kind under an object."""

    kind: str
    link: str | None  # the child's FK column to the parent, or None when the parent points to the child
    many: bool = True
    parent_column: str | None = None  # for a single child the parent points to: the parent's FK column


@dataclass(frozen=True)
class Kind:
    """One HSDS object type and the model that stores it."""

    name: str
    model: type[Model]
    # HSDS key -> type code ("str", "text", "int", "uint", "float", "date", "time", "decimal", "bool")
    columns: dict[str, str]
    children: dict[str, Child] = field(default_factory=dict)
    # keys that the importer reads itself (references, profile fields) or ignores
    handled: frozenset[str] = frozenset()
    translated: bool = False
    links: tuple[str, ...] = ()  # FK columns to parents (set from nesting)

    @property
    def label(self) -> str:
        """The kind's name for people, in the active language (the model's verbose name)."""
        return str(self.model._meta.verbose_name)

    @property
    def label_plural(self) -> str:
        """The plural of `label`, in the active language."""
        return str(self.model._meta.verbose_name_plural)


_LINKS_IGNORED = frozenset(
    {
        "service_id",
        "location_id",
        "organization_id",
        "contact_id",
        "phone_id",
        "service_at_location_id",
        "link_id",
    }
)

KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind(
            "taxonomy",
            Taxonomy,
            {"name": "str", "description": "text", "uri": "str", "version": "str"},
            handled=frozenset({"translations"}),
            translated=True,
        ),
        Kind(
            "taxonomy_term",
            TaxonomyTerm,
            {"code": "str", "name": "str", "description": "text", "language": "str", "term_uri": "str"},
            children={"taxonomy_detail": Child("taxonomy", None, many=False, parent_column="taxonomy")},
            handled=frozenset({"translations", "parent_id", "taxonomy_id", "taxonomy"}),
            translated=True,
        ),
        Kind(
            "organization",
            Organization,
            {
                "name": "str",
                "alternate_name": "str",
                "description": "text",
                "email": "str",
                "website": "str",
                "year_incorporated": "uint",
                "legal_status": "str",
                "logo": "str",
                "uri": "str",
            },
            children={
                "phones": Child("phone", "organization"),
                "contacts": Child("contact", "organization"),
                "locations": Child("location", "organization"),
            },
            handled=frozenset(
                {
                    "translations",
                    "parent_organization_id",
                    "organization_kind",
                    "business_id",
                    "municipality_code",
                }
            ),
            translated=True,
        ),
        Kind(
            "location",
            Location,
            {
                "location_type": "str",
                "url": "str",
                "name": "str",
                "alternate_name": "str",
                "description": "text",
                "transportation": "text",
                "latitude": "float",
                "longitude": "float",
                "external_identifier": "str",
                "external_identifier_type": "str",
            },
            children={
                "languages": Child("language", "location"),
                "addresses": Child("address", "location"),
                "contacts": Child("contact", "location"),
                "phones": Child("phone", "location"),
                "schedules": Child("schedule", "location"),
            },
            handled=frozenset({"translations", "organization_id", "municipality_code"}),
            translated=True,
            links=("organization",),
        ),
        Kind(
            "service",
            Service,
            {
                "name": "str",
                "alternate_name": "str",
                "description": "text",
                "url": "str",
                "email": "str",
                "status": "str",
                "interpretation_services": "text",
                "application_process": "text",
                "fees_description": "text",
                "wait_time": "text",
                "fees": "text",
                "accreditations": "text",
                "eligibility_description": "text",
                "minimum_age": "uint",
                "maximum_age": "uint",
                "assured_date": "date",
                "assurer_email": "str",
                "licenses": "text",
                "alert": "text",
            },
            children={
                "phones": Child("phone", "service"),
                "schedules": Child("schedule", "service"),
                "service_areas": Child("service_area", "service"),
                "service_at_locations": Child("service_at_location", "service"),
                "languages": Child("language", "service"),
                "organization": Child("organization", None, many=False, parent_column="organization"),
                "cost_options": Child("cost_option", "service"),
                "contacts": Child("contact", "service"),
                "attributes": Child("attribute", "link_id"),
            },
            handled=frozenset(
                {
                    "translations",
                    "organization_id",
                    "last_modified",
                    "low_threshold",
                    "service_level",
                    "free_of_charge",
                    "referral_required",
                    "anonymous",
                    "drop_in",
                }
            ),
            translated=True,
        ),
        Kind(
            "service_at_location",
            ServiceAtLocation,
            {"description": "text"},
            children={
                "service_areas": Child("service_area", "service_at_location"),
                "contacts": Child("contact", "service_at_location"),
                "phones": Child("phone", "service_at_location"),
                "schedules": Child("schedule", "service_at_location"),
                "location": Child("location", None, many=False, parent_column="location"),
            },
            handled=frozenset({"location_id", "service_id"}),
            links=("service",),
        ),
        Kind(
            "contact",
            Contact,
            {"name": "str", "title": "str", "department": "str", "email": "str"},
            children={"phones": Child("phone", "contact")},
            handled=_LINKS_IGNORED,
            links=("organization", "service", "service_at_location", "location"),
        ),
        Kind(
            "phone",
            Phone,
            {"number": "str", "extension": "uint", "type": "str", "description": "text"},
            children={"languages": Child("language", "phone")},
            handled=_LINKS_IGNORED,
            links=("location", "service", "organization", "contact", "service_at_location"),
        ),
        Kind(
            "language",
            Language,
            {"name": "str", "code": "str", "note": "text"},
            handled=_LINKS_IGNORED,
            links=("service", "location", "phone"),
        ),
        Kind(
            "schedule",
            Schedule,
            {
                "valid_from": "date",
                "valid_to": "date",
                "dtstart": "date",
                "timezone": "float",
                "until": "date",
                "count": "uint",
                "wkst": "str",
                "freq": "str",
                "interval": "uint",
                "byday": "str",
                "byweekno": "str",
                "bymonthday": "str",
                "byyearday": "str",
                "description": "text",
                "opens_at": "time",
                "closes_at": "time",
                "schedule_link": "str",
                "attending_type": "str",
                "notes": "text",
            },
            handled=_LINKS_IGNORED | {"closed"},
            links=("service", "location", "service_at_location"),
        ),
        Kind(
            "service_area",
            ServiceArea,
            {"name": "str", "description": "text", "extent": "text", "extent_type": "str", "uri": "str"},
            handled=_LINKS_IGNORED | {"municipality_code"},
            links=("service", "service_at_location"),
        ),
        Kind(
            "address",
            Address,
            {
                "attention": "str",
                "address_1": "str",
                "address_2": "str",
                "city": "str",
                "region": "str",
                "state_province": "str",
                "postal_code": "str",
                "country": "str",
                "address_type": "str",
            },
            handled=_LINKS_IGNORED,
            links=("location",),
        ),
        Kind(
            "cost_option",
            CostOption,
            {
                "valid_from": "date",
                "valid_to": "date",
                "option": "text",
                "currency": "str",
                "amount": "decimal",
                "amount_description": "text",
            },
            handled=_LINKS_IGNORED,
            links=("service",),
        ),
        Kind(
            "attribute",
            Attribute,
            {"link_type": "str", "value": "text", "label": "str"},
            children={
                "taxonomy_term": Child("taxonomy_term", None, many=False, parent_column="taxonomy_term")
            },
            handled=_LINKS_IGNORED | {"taxonomy_term_id", "link_entity"},
            links=("link_id",),
        ),
    ]
}


def kind_label(name: str) -> str:
    """The translated name of the HSDS kind `name` for messages ("taxonomy_term" -> "taxonomy term")."""
    kind = KINDS.get(name)
    return kind.label if kind is not None else name.replace("_", " ")


# Write order: parents before children.
WRITE_ORDER = (
    "taxonomy",
    "taxonomy_term",
    "organization",
    "location",
    "service",
    "service_at_location",
    "contact",
    "phone",
    "language",
    "schedule",
    "service_area",
    "address",
    "cost_option",
    "attribute",
)

# Rows that belong to a parent's nested lists: when the parent is imported, rows that the file no
# longer lists under it are removed. kind -> FK columns whose parents own them.
OWNED_BY = {
    "service_at_location": ("service",),
    "contact": ("service", "service_at_location", "location"),
    "phone": ("service", "service_at_location", "location", "contact"),
    "language": ("service", "location", "phone"),
    "schedule": ("service", "location", "service_at_location"),
    "service_area": ("service", "service_at_location"),
    "address": ("location",),
    "cost_option": ("service",),
}
