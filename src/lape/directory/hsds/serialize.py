"""Directory objects as HSDS 3.1 JSON with the Finnish profile's extensions.

Base fields carry Finnish; `translations` carries sv/en (see docs/hsds-profile.md). Empty values
are left out, as HSDS types are not nullable. `extra` holds HSDS fields the platform only passes on.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Model, Prefetch, QuerySet

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
from ..translation import Translated

Json = dict[str, Any]

MUNICIPALITY_URI_RE = re.compile(r"^https?://uri\.suomi\.fi/codelist/jhs/kunta_1_\d{8}/code/(\d{1,3})$")


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if hasattr(value, "hex") and not isinstance(value, str | bytes | int | float):  # UUID
        return str(value)
    return value


def _fields(obj: Model, names: Iterable[str]) -> Json:
    out: Json = {"id": str(obj.pk)}
    for name in names:
        value = getattr(obj, name)
        if value is None or value == "":
            continue
        out[name] = _value(value)
    return out


def _with_extra(out: Json, obj: Any) -> Json:
    for key, value in (getattr(obj, "extra", None) or {}).items():
        out.setdefault(key, value)
    return out


def _translations(obj: Translated) -> Json:
    """The profile's `translations`: only languages and fields that have text."""
    result: Json = {}
    for lang, fields in sorted((obj.translations or {}).items()):
        kept = {k: v for k, v in fields.items() if k in obj.TRANSLATABLE and v}
        if kept:
            result[lang] = kept
    return result


def language_to_hsds(language: Language) -> Json:
    return _with_extra(_fields(language, ["name", "code", "note"]), language)


def phone_to_hsds(phone: Phone) -> Json:
    out = _fields(phone, ["number", "extension", "type", "description"])
    out["languages"] = [language_to_hsds(lang) for lang in phone.languages.all()]
    return _with_extra(out, phone)


def contact_to_hsds(contact: Contact) -> Json:
    out = _fields(contact, ["name", "title", "department", "email"])
    out["phones"] = [phone_to_hsds(p) for p in contact.phones.all()]
    return _with_extra(out, contact)


SCHEDULE_FIELDS = [
    "valid_from", "valid_to", "dtstart", "timezone", "until", "count", "wkst", "freq", "interval",
    "byday", "byweekno", "bymonthday", "byyearday", "description", "opens_at", "closes_at",
    "schedule_link", "attending_type", "notes",
]  # fmt: skip


def schedule_to_hsds(schedule: Schedule) -> Json:
    out = _fields(schedule, SCHEDULE_FIELDS)
    if isinstance(out.get("timezone"), float) and out["timezone"].is_integer():
        out["timezone"] = int(out["timezone"])
    if schedule.closed:
        out["closed"] = True
    return _with_extra(out, schedule)


def service_area_to_hsds(area: ServiceArea) -> Json:
    out = _fields(area, ["name", "description", "extent", "extent_type", "uri"])
    if area.municipality is not None:
        out["municipality_code"] = area.municipality.code
    return _with_extra(out, area)


def address_to_hsds(address: Address) -> Json:
    out = _fields(
        address,
        ["attention", "address_1", "address_2", "city", "region", "state_province", "postal_code",
         "country", "address_type"],
    )  # fmt: skip
    # state_province is required by HSDS; a Finnish address has none, so the region stands in.
    out.setdefault("state_province", address.region or "")
    return _with_extra(out, address)


def taxonomy_to_hsds(taxonomy: Taxonomy) -> Json:
    out = _fields(taxonomy, ["name", "description", "uri", "version"])
    out.setdefault("description", "")
    out["translations"] = _translations(taxonomy)
    return _with_extra(out, taxonomy)


def taxonomy_term_to_hsds(term: TaxonomyTerm, with_detail: bool = False) -> Json:
    out = _fields(term, ["code", "name", "description", "language", "term_uri"])
    out.setdefault("description", "")
    if term.parent_id:
        out["parent_id"] = str(term.parent_id)
    if term.taxonomy_id:
        out["taxonomy_id"] = str(term.taxonomy_id)
    if term.taxonomy_name:
        out["taxonomy"] = term.taxonomy_name
    elif term.taxonomy_id and term.taxonomy is not None:
        out["taxonomy"] = term.taxonomy.name
    if with_detail and term.taxonomy is not None:
        out["taxonomy_detail"] = taxonomy_to_hsds(term.taxonomy)
    out["translations"] = _translations(term)
    return _with_extra(out, term)


def attribute_to_hsds(attribute: Attribute) -> Json:
    out = _fields(attribute, ["link_type", "link_entity", "value", "label"])
    out["link_id"] = str(attribute.link_id)
    out["taxonomy_term_id"] = str(attribute.taxonomy_term_id)
    # with the taxonomy nested, an export imports into an empty database without losing it
    out["taxonomy_term"] = taxonomy_term_to_hsds(attribute.taxonomy_term, with_detail=True)
    return _with_extra(out, attribute)


def cost_option_to_hsds(cost: CostOption) -> Json:
    out = _fields(cost, ["valid_from", "valid_to", "option", "currency", "amount", "amount_description"])
    return _with_extra(out, cost)


ORGANIZATION_FIELDS = [
    "name", "alternate_name", "description", "email", "website", "year_incorporated", "legal_status",
    "logo", "uri",
]  # fmt: skip


def organization_to_hsds(org: Organization, full: bool = False, attributes: list[Json] | None = None) -> Json:
    """An organisation; `full` nests its phones, contacts and locations as organization_full does.

    `attributes`, when given, are the organisation's attributes already read (lists read them in bulk).
    """
    out = _fields(org, ORGANIZATION_FIELDS)
    out.setdefault("description", "")
    if org.parent_organization_id:
        out["parent_organization_id"] = str(org.parent_organization_id)
    if org.kind:
        out["organization_kind"] = org.kind
    if org.business_id:
        out["business_id"] = org.business_id
    if org.municipality is not None:
        out["municipality_code"] = org.municipality.code
    out["translations"] = _translations(org)
    if full:
        out["phones"] = [phone_to_hsds(p) for p in org.phones.all()]
        out["contacts"] = [contact_to_hsds(c) for c in org.contacts.all()]
        out["locations"] = [location_to_hsds(loc) for loc in org.locations.all()]
        out["attributes"] = attributes if attributes is not None else attributes_of("organization", org.pk)
    return _with_extra(out, org)


LOCATION_FIELDS = [
    "location_type", "url", "name", "alternate_name", "description", "transportation", "latitude",
    "longitude", "external_identifier", "external_identifier_type",
]  # fmt: skip


def location_to_hsds(location: Location) -> Json:
    out = _fields(location, LOCATION_FIELDS)
    if location.organization_id:
        out["organization_id"] = str(location.organization_id)
    if location.municipality is not None:
        out["municipality_code"] = location.municipality.code
    out["languages"] = [language_to_hsds(lang) for lang in location.languages.all()]
    out["addresses"] = [address_to_hsds(a) for a in location.addresses.all()]
    out["contacts"] = [contact_to_hsds(c) for c in location.contacts.all()]
    out["phones"] = [phone_to_hsds(p) for p in location.phones.all()]
    out["schedules"] = [schedule_to_hsds(s) for s in location.schedules.all()]
    out["translations"] = _translations(location)
    return _with_extra(out, location)


def service_at_location_to_hsds(sal: ServiceAtLocation, with_service_id: bool = False) -> Json:
    out = _fields(sal, ["description"])
    if with_service_id:
        out["service_id"] = str(sal.service_id)
    out["location_id"] = str(sal.location_id)
    out["service_areas"] = [service_area_to_hsds(a) for a in sal.service_areas.all()]
    out["contacts"] = [contact_to_hsds(c) for c in sal.contacts.all()]
    out["phones"] = [phone_to_hsds(p) for p in sal.phones.all()]
    out["schedules"] = [schedule_to_hsds(s) for s in sal.schedules.all()]
    out["location"] = location_to_hsds(sal.location)
    return _with_extra(out, sal)


SERVICE_FIELDS = [
    "name", "alternate_name", "description", "url", "email", "status", "interpretation_services",
    "application_process", "fees_description", "wait_time", "fees", "accreditations",
    "eligibility_description", "minimum_age", "maximum_age", "assured_date", "assurer_email",
    "licenses", "alert", "last_modified",
]  # fmt: skip


def service_profile_fields(service: Service) -> Json:
    """The Finnish profile's service fields beyond HSDS."""
    out: Json = {
        "free_of_charge": service.free_of_charge,
        "referral_required": service.referral_required,
        "anonymous": service.anonymous,
        "drop_in": service.drop_in,
        "low_threshold": service.low_threshold,
    }
    if service.service_level:
        out["service_level"] = service.service_level
    return out


def service_to_hsds(service: Service, full: bool = True, attributes: list[Json] | None = None) -> Json:
    """A service; `full` nests everything as HSDS `service_full` (examples/service_full.json).

    `attributes`, when given, are the service's attributes already read (lists read them in bulk).
    """
    out = _fields(service, SERVICE_FIELDS)
    out["organization_id"] = str(service.organization_id)
    out.update(service_profile_fields(service))
    out["translations"] = _translations(service)
    if not full:
        return _with_extra(out, service)
    out["phones"] = [phone_to_hsds(p) for p in service.phones.all()]
    out["schedules"] = [schedule_to_hsds(s) for s in service.schedules.all()]
    out["service_areas"] = [service_area_to_hsds(a) for a in service.service_areas.all()]
    out["service_at_locations"] = [service_at_location_to_hsds(s) for s in service.service_at_locations.all()]
    out["languages"] = [language_to_hsds(lang) for lang in service.languages.all()]
    out["organization"] = organization_to_hsds(service.organization)
    out["cost_options"] = [cost_option_to_hsds(c) for c in service.cost_options.all()]
    out["contacts"] = [contact_to_hsds(c) for c in service.contacts.all()]
    out["attributes"] = attributes if attributes is not None else attributes_of("service", service.pk)
    return _with_extra(out, service)


def attributes_for(entity: str, pks: Iterable[Any]) -> dict[str, list[Json]]:
    """The attributes of many objects in one query, by the object's id as a string."""
    found: dict[str, list[Json]] = {str(pk): [] for pk in pks}
    qs = Attribute.objects.filter(link_entity=entity, link_id__in=list(found)).select_related(
        "taxonomy_term", "taxonomy_term__taxonomy"
    )
    for attribute in qs:
        found[str(attribute.link_id)].append(attribute_to_hsds(attribute))
    return found


def attributes_of(entity: str, pk: Any) -> list[Json]:
    qs = Attribute.objects.filter(link_entity=entity, link_id=pk).select_related(
        "taxonomy_term", "taxonomy_term__taxonomy"
    )
    return [attribute_to_hsds(a) for a in qs]


_PHONES = Prefetch("phones", queryset=Phone.objects.prefetch_related("languages"))
_CONTACTS = Prefetch("contacts", queryset=Contact.objects.prefetch_related(_PHONES))


def services_for_export() -> QuerySet[Service]:
    """Services with everything `service_to_hsds(full=True)` reads, prefetched."""
    location_qs = Location.objects.select_related("municipality").prefetch_related(
        "languages", "addresses", _CONTACTS, _PHONES, "schedules"
    )
    sal_qs = ServiceAtLocation.objects.prefetch_related(
        Prefetch("service_areas", queryset=ServiceArea.objects.select_related("municipality")),
        _CONTACTS,
        _PHONES,
        "schedules",
        Prefetch("location", queryset=location_qs),
    )
    return Service.objects.select_related("organization", "organization__municipality").prefetch_related(
        _PHONES,
        "schedules",
        Prefetch("service_areas", queryset=ServiceArea.objects.select_related("municipality")),
        Prefetch("service_at_locations", queryset=sal_qs),
        "languages",
        "cost_options",
        _CONTACTS,
    )
