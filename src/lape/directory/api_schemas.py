"""Response schemas of the HSDS API: what `serialize.py` writes, described for the OpenAPI document.

The API returns the serializer's dicts as they are; these models only describe them, and the
schemathesis test checks that every response conforms. Fields that may be absent are optional but
never null (HSDS types are not nullable; `serialize.py` leaves empty values out). Objects allow
additional properties because `extra` passes on HSDS fields that have no column.
"""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from ninja import Schema
from pydantic import ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

T = TypeVar("T")

# Optional in the payload but never null.
OptStr = str | SkipJsonSchema[None]
OptInt = int | SkipJsonSchema[None]
OptFloat = float | SkipJsonSchema[None]
OptBool = bool | SkipJsonSchema[None]


class HsdsObject(Schema):
    """An HSDS object: an `id` and, from `extra`, any other HSDS field."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(description="The object's UUID.")


class Texts(Schema):
    """The text of one language; only the fields that have text."""

    model_config = ConfigDict(extra="forbid")


class ServiceTexts(Texts):
    name: OptStr = None
    alternate_name: OptStr = None
    description: OptStr = None
    interpretation_services: OptStr = None
    application_process: OptStr = None
    fees_description: OptStr = None
    wait_time: OptStr = None
    fees: OptStr = None
    accreditations: OptStr = None
    eligibility_description: OptStr = None
    licenses: OptStr = None
    alert: OptStr = None


class OrganizationTexts(Texts):
    name: OptStr = None
    alternate_name: OptStr = None
    description: OptStr = None


class LocationTexts(Texts):
    name: OptStr = None
    alternate_name: OptStr = None
    description: OptStr = None
    transportation: OptStr = None


class TaxonomyTexts(Texts):
    name: OptStr = None
    description: OptStr = None


TextsT = TypeVar("TextsT", bound=Texts)


class Translations(Schema, Generic[TextsT]):
    """The Finnish profile's `translations`: Swedish and English; the base fields hold Finnish."""

    model_config = ConfigDict(extra="forbid")

    sv: TextsT | SkipJsonSchema[None] = None
    en: TextsT | SkipJsonSchema[None] = None


class Language(HsdsObject):
    name: OptStr = None
    code: OptStr = Field(None, description="ISO 639 language code.")
    note: OptStr = None


class Phone(HsdsObject):
    number: str
    extension: OptInt = None
    type: OptStr = None
    description: OptStr = None
    languages: list[Language] = []


class Contact(HsdsObject):
    name: OptStr = None
    title: OptStr = None
    department: OptStr = None
    email: OptStr = None
    phones: list[Phone] = []


class Schedule(HsdsObject):
    valid_from: OptStr = Field(None, description="A date, YYYY-MM-DD.")
    valid_to: OptStr = Field(None, description="A date, YYYY-MM-DD.")
    dtstart: OptStr = Field(None, description="A date, YYYY-MM-DD.")
    timezone: OptFloat = Field(None, description="UTC offset in hours.")
    until: OptStr = None
    count: OptInt = None
    wkst: OptStr = None
    freq: OptStr = None
    interval: OptInt = None
    byday: OptStr = None
    byweekno: OptStr = None
    bymonthday: OptStr = None
    byyearday: OptStr = None
    description: OptStr = None
    opens_at: OptStr = Field(None, description="Finnish local time, HH:MM:SS.")
    closes_at: OptStr = Field(None, description="Finnish local time, HH:MM:SS.")
    schedule_link: OptStr = None
    attending_type: OptStr = None
    notes: OptStr = None
    closed: OptBool = Field(None, description="Finnish profile: an exception, closed on these dates.")


class ServiceArea(HsdsObject):
    name: OptStr = None
    description: OptStr = None
    extent: OptStr = None
    extent_type: OptStr = None
    uri: OptStr = None
    municipality_code: OptStr = Field(None, description="Finnish profile: the municipality's code.")


class Address(HsdsObject):
    attention: OptStr = None
    address_1: str
    address_2: OptStr = None
    city: str
    region: OptStr = None
    state_province: str
    postal_code: str
    country: str
    address_type: str


class Taxonomy(HsdsObject):
    name: str
    description: str
    uri: OptStr = None
    version: OptStr = None
    translations: Translations[TaxonomyTexts]


class TaxonomyTerm(HsdsObject):
    code: OptStr = None
    name: str
    description: str
    language: OptStr = None
    term_uri: OptStr = None
    parent_id: OptStr = None
    taxonomy_id: OptStr = None
    taxonomy: OptStr = Field(None, description="The taxonomy's name.")
    taxonomy_detail: Taxonomy | SkipJsonSchema[None] = None
    translations: Translations[TaxonomyTexts]


class Attribute(HsdsObject):
    link_id: str
    link_type: OptStr = None
    link_entity: OptStr = None
    value: OptStr = None
    label: OptStr = None
    taxonomy_term_id: str
    taxonomy_term: TaxonomyTerm


class CostOption(HsdsObject):
    valid_from: OptStr = None
    valid_to: OptStr = None
    option: OptStr = None
    currency: OptStr = None
    amount: OptFloat = None
    amount_description: OptStr = None


OrganizationKind = Literal["municipality", "wellbeing_county", "ngo", "parish", "company", "state"]


class Organization(HsdsObject):
    """An organisation without nested objects."""

    name: str
    alternate_name: OptStr = None
    description: str
    email: OptStr = None
    website: OptStr = None
    year_incorporated: OptInt = None
    legal_status: OptStr = None
    logo: OptStr = None
    uri: OptStr = None
    parent_organization_id: OptStr = None
    organization_kind: OrganizationKind | SkipJsonSchema[None] = Field(
        None, description="Finnish profile: what kind of organisation."
    )
    business_id: OptStr = Field(None, description="Finnish profile: the business ID (Y-tunnus).")
    municipality_code: OptStr = Field(None, description="Finnish profile: the municipality it serves.")
    translations: Translations[OrganizationTexts]


class Location(HsdsObject):
    location_type: OptStr = None
    url: OptStr = None
    name: OptStr = None
    alternate_name: OptStr = None
    description: OptStr = None
    transportation: OptStr = None
    latitude: OptFloat = None
    longitude: OptFloat = None
    external_identifier: OptStr = None
    external_identifier_type: OptStr = None
    organization_id: OptStr = None
    municipality_code: OptStr = None
    languages: list[Language] = []
    addresses: list[Address] = []
    contacts: list[Contact] = []
    phones: list[Phone] = []
    schedules: list[Schedule] = []
    translations: Translations[LocationTexts]


ServiceLevel = Literal["universal", "targeted", "specialised", "highly_specialised"]
ServiceStatus = Literal["active", "inactive", "defunct", "temporarily closed"]


class ServiceMinimal(HsdsObject):
    """A service as `minimal=true` lists it: just the id and when it last changed."""

    model_config = ConfigDict(extra="forbid")

    last_modified: str = Field(description="UTC date and time, ISO 8601.")


class Service(HsdsObject):
    """A service without nested objects, as the lists give it."""

    organization_id: str
    name: str
    alternate_name: OptStr = None
    description: OptStr = None
    url: OptStr = None
    email: OptStr = None
    status: ServiceStatus
    interpretation_services: OptStr = None
    application_process: OptStr = None
    fees_description: OptStr = None
    wait_time: OptStr = None
    fees: OptStr = None
    accreditations: OptStr = None
    eligibility_description: OptStr = None
    minimum_age: OptInt = None
    maximum_age: OptInt = None
    assured_date: OptStr = Field(None, description="A date, YYYY-MM-DD.")
    assurer_email: OptStr = None
    licenses: OptStr = None
    alert: OptStr = None
    last_modified: str = Field(description="UTC date and time, ISO 8601.")
    service_level: ServiceLevel | SkipJsonSchema[None] = Field(
        None,
        description="Finnish profile: universal, targeted early support, specialised or highly specialised.",
    )
    free_of_charge: bool = Field(description="Finnish profile.")
    referral_required: bool = Field(description="Finnish profile.")
    anonymous: bool = Field(description="Finnish profile: can be used anonymously.")
    drop_in: bool = Field(description="Finnish profile: no appointment needed.")
    low_threshold: bool = Field(description="Finnish profile: no referral needed and free of charge.")
    translations: Translations[ServiceTexts]


class ServiceAtLocation(HsdsObject):
    """A service at a location, with the location nested."""

    description: OptStr = None
    service_id: OptStr = None
    location_id: str
    service_areas: list[ServiceArea] = []
    contacts: list[Contact] = []
    phones: list[Phone] = []
    schedules: list[Schedule] = []
    location: Location


class ServiceAtLocationFull(ServiceAtLocation):
    """A service at a location with its location, service and attributes."""

    service: Service
    attributes: list[Attribute] = []


class ServiceFull(Service):
    """A service with everything nested, as HSDS `service_full`."""

    phones: list[Phone]
    schedules: list[Schedule]
    service_areas: list[ServiceArea]
    service_at_locations: list[ServiceAtLocation]
    languages: list[Language]
    organization: Organization
    cost_options: list[CostOption]
    contacts: list[Contact]
    attributes: list[Attribute]


class OrganizationFull(Organization):
    """An organisation with its phones, contacts, locations, attributes and services."""

    phones: list[Phone]
    contacts: list[Contact]
    locations: list[Location]
    attributes: list[Attribute]
    services: list[ServiceFull | Service] = []


class Page(Schema, Generic[T]):
    """One page of a list, with HSDS's page fields (the spec's `Page`) and `contents`."""

    total_items: int = Field(description="How many objects match in all.")
    total_pages: int = Field(description="How many pages there are.")
    page_number: int = Field(description="This page's number, from 1.")
    size: int = Field(description="How many objects this page holds.")
    first_page: bool
    last_page: bool
    empty: bool = Field(description="True when nothing matched.")
    contents: list[T]


class ApiInfo(Schema):
    """What this API is and which HSDS profile it follows."""

    version: str = Field(description="HSDS version of this API.")
    profile: str = Field(description="URL of the HSDS profile this API follows.")
    openapi_url: str = Field(description="URL of this API's OpenAPI document.")


class ServicePage(Page[ServiceFull | Service | ServiceMinimal]):
    """A page of services: the list form, or `full`, or `minimal`."""


class OrganizationPage(Page[OrganizationFull | Organization]):
    """A page of organisations: the list form, or `full`."""


class ServiceAtLocationPage(Page[ServiceAtLocationFull | ServiceAtLocation]):
    """A page of services at locations: each with its location, or `full`."""


class TaxonomyPage(Page[Taxonomy]):
    """A page of taxonomies."""


class TaxonomyTermPage(Page[TaxonomyTerm]):
    """A page of taxonomy terms."""
