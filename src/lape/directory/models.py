"""The service directory, aligned with Open Referral HSDS 3.1.

Fields that HSDS defines and the platform reads are columns; HSDS fields that the platform only
passes on (funding, programs, required documents, metadata…) are kept as they came in `extra`, so
an import → export round trip loses nothing. Beyond HSDS: organisation kind and business ID, the
service level, low-threshold facets and family centres.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lape.areas.models import Municipality, WellbeingCounty, municipality_uri

from .business_id import validate_business_id
from .translation import Translated


def _extra() -> Any:
    return models.JSONField(_("other HSDS fields"), default=dict, blank=True)


class Organization(Translated):
    """An organisation that provides services: a municipality, a county, an NGO, a parish…"""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        WELLBEING_COUNTY = "wellbeing_county", _("wellbeing-services county")
        NGO = "ngo", _("NGO")
        PARISH = "parish", _("parish")
        COMPANY = "company", _("company")
        STATE = "state", _("state")

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("name", "alternate_name", "description")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    business_id = models.CharField(
        _("business ID"), max_length=9, blank=True, validators=[validate_business_id]
    )
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(_("year incorporated"), null=True, blank=True)
    legal_status = models.CharField(_("legal status"), max_length=200, blank=True)
    logo = models.CharField(_("logo"), max_length=500, blank=True)
    uri = models.URLField(_("URI"), max_length=500, blank=True)
    parent_organization = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        help_text=_("For a municipality or a parish: the municipality it serves."),
        verbose_name=_("municipality"),
    )
    wellbeing_county = models.ForeignKey(
        WellbeingCounty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        help_text=_("For a wellbeing-services county: which one."),
        verbose_name=_("wellbeing-services county"),
    )
    extra = _extra()
    last_modified = models.DateTimeField(_("last modified"), auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["last_modified"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.text("name")


class Taxonomy(Translated):
    """A classification: PTV service classes, target groups, life events, or an imported one."""

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("name", "description")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    uri = models.URLField(_("URI"), max_length=500, blank=True)
    version = models.CharField(_("version"), max_length=100, blank=True)
    extra = _extra()

    class Meta:
        ordering = ["name"]
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.text("name")


class TaxonomyTerm(Translated):
    """A term of a taxonomy, e.g. P10.1 "Lastenneuvola" or KR1.2 "Lapsiperheet"."""

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("name", "description")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("code"), max_length=200, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent term"),
    )
    taxonomy = models.ForeignKey(
        Taxonomy,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="terms",
        verbose_name=_("taxonomy"),
    )
    taxonomy_name = models.CharField(
        _("taxonomy name"), max_length=300, blank=True, help_text=_("HSDS `taxonomy`: a free-text name.")
    )
    language = models.CharField(_("language"), max_length=20, blank=True)
    term_uri = models.URLField(_("term URI"), max_length=500, blank=True)
    extra = _extra()

    class Meta:
        ordering = ["code", "name"]
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")

    def __str__(self) -> str:
        return f"{self.code} {self.text('name')}".strip()


class Service(Translated):
    """A service an organisation provides, with the platform's service level and access facets."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")
        DEFUNCT = "defunct", _("defunct")
        TEMPORARILY_CLOSED = "temporarily closed", _("temporarily closed")

    class Level(models.TextChoices):
        UNIVERSAL = "universal", _("universal (for all)")
        TARGETED = "targeted", _("targeted early support")
        SPECIALISED = "specialised", _("specialised")
        HIGHLY_SPECIALISED = "highly_specialised", _("highly specialised")

    TRANSLATABLE: ClassVar[tuple[str, ...]] = (
        "name",
        "alternate_name",
        "description",
        "interpretation_services",
        "application_process",
        "fees_description",
        "wait_time",
        "fees",
        "accreditations",
        "eligibility_description",
        "licenses",
        "alert",
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="services", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web page"), max_length=500, blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    interpretation_services = models.TextField(_("interpretation services"), blank=True)
    application_process = models.TextField(_("how to get the service"), blank=True)
    fees_description = models.TextField(_("fees"), blank=True)
    wait_time = models.TextField(_("waiting time"), blank=True)
    fees = models.TextField(_("fees (free text)"), blank=True)
    accreditations = models.TextField(_("accreditations"), blank=True)
    eligibility_description = models.TextField(_("who the service is for"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age of the child"), null=True, blank=True, validators=[MaxValueValidator(130)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        _("maximum age of the child"), null=True, blank=True, validators=[MaxValueValidator(130)]
    )
    assured_date = models.DateField(_("last verified"), null=True, blank=True)
    assurer_email = models.EmailField(_("verified by (email)"), blank=True)
    licenses = models.TextField(_("licences"), blank=True)
    alert = models.TextField(_("alert"), blank=True)
    # Beyond HSDS (the Finnish profile):
    service_level = models.CharField(
        _("service level"), max_length=20, choices=Level.choices, blank=True, db_index=True
    )
    free_of_charge = models.BooleanField(_("free of charge"), default=False)
    referral_required = models.BooleanField(_("referral required"), default=False)
    anonymous = models.BooleanField(_("can be used anonymously"), default=False)
    drop_in = models.BooleanField(_("drop-in (no appointment)"), default=False)
    low_threshold = models.BooleanField(
        _("low-threshold"),
        default=False,
        editable=False,
        db_index=True,
        help_text=_("Set from the facets: no referral needed and free of charge."),
    )
    extra = _extra()
    last_modified = models.DateTimeField(_("last modified"), auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["last_modified"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.text("name")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.low_threshold = self.is_low_threshold()
        super().save(*args, **kwargs)

    def is_low_threshold(self) -> bool:
        """Low-threshold: a family can come without a referral and without paying."""
        return self.free_of_charge and not self.referral_required


class Location(Translated):
    """A place (or a virtual or postal location) where services are delivered."""

    class Type(models.TextChoices):
        PHYSICAL = "physical", _("physical")
        POSTAL = "postal", _("postal")
        VIRTUAL = "virtual", _("virtual")

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("name", "alternate_name", "description", "transportation")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location_type = models.CharField(
        _("location type"), max_length=20, choices=Type.choices, default=Type.PHYSICAL
    )
    url = models.URLField(_("web page"), max_length=500, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="locations",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=300, blank=True)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    transportation = models.TextField(_("how to get there"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    external_identifier = models.CharField(_("external identifier"), max_length=200, blank=True)
    external_identifier_type = models.CharField(_("external identifier type"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="locations",
        verbose_name=_("municipality"),
    )
    extra = _extra()
    last_modified = models.DateTimeField(_("last modified"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["last_modified"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        # The search's distance limit reads the places in a bounding box.
        indexes = [models.Index(fields=["latitude", "longitude"], name="directory_location_lat_lon")]

    def __str__(self) -> str:
        return self.text("name") or str(self.id)


class Address(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("location")
    )
    attention = models.CharField(_("attention"), max_length=300, blank=True)
    address_1 = models.CharField(_("street address"), max_length=300)
    address_2 = models.CharField(_("address line 2"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=200)
    region = models.CharField(_("region"), max_length=200, blank=True)
    state_province = models.CharField(_("state or province"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20)
    country = models.CharField(_("country"), max_length=2, default="FI")
    address_type = models.CharField(_("address type"), max_length=20, default="physical")
    extra = _extra()

    class Meta:
        ordering = ["address_type", "id"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return f"{self.address_1}, {self.postal_code} {self.city}"


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations", verbose_name=_("service")
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations", verbose_name=_("location")
    )
    description = models.TextField(_("description"), blank=True)
    extra = _extra()
    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "location", "id"]
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("service"),
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("service at a location"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("location"),
    )
    name = models.CharField(_("name"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    department = models.CharField(_("department"), max_length=300, blank=True)
    email = models.EmailField(_("email"), blank=True)
    extra = _extra()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name or self.title or str(self.id)


class Phone(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phones",
        verbose_name=_("location"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phones",
        verbose_name=_("service"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phones",
        verbose_name=_("organisation"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phones",
        verbose_name=_("contact"),
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phones",
        verbose_name=_("service at a location"),
    )
    number = models.CharField(_("number"), max_length=100)
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    type = models.CharField(_("type"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)
    extra = _extra()

    class Meta:
        ordering = ["number", "id"]
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return self.number


class Language(models.Model):
    """A language a service, location or phone line serves in (ISO 639 code)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="languages",
        verbose_name=_("service"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="languages",
        verbose_name=_("location"),
    )
    phone = models.ForeignKey(
        Phone,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="languages",
        verbose_name=_("phone"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    code = models.CharField(_("code"), max_length=20, blank=True, db_index=True)
    note = models.TextField(_("note"), blank=True)
    extra = _extra()

    class Meta:
        ordering = ["code", "id"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.code or self.name


class Schedule(models.Model):
    """Opening hours as HSDS (RFC 5545 recurrence), or an exception that overrides them.

    An exception is a schedule with `valid_from`–`valid_to` and either `closed` or its own hours
    (Finnish profile: `closed`); the hours are Finnish local time (Europe/Helsinki).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedules",
        verbose_name=_("service"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedules",
        verbose_name=_("location"),
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedules",
        verbose_name=_("service at a location"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    dtstart = models.DateField(_("start date"), null=True, blank=True)
    timezone = models.FloatField(_("UTC offset"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    wkst = models.CharField(_("week start"), max_length=2, blank=True)
    freq = models.CharField(_("frequency"), max_length=10, blank=True)
    interval = models.PositiveIntegerField(_("interval"), null=True, blank=True)
    byday = models.CharField(_("days"), max_length=100, blank=True, help_text=_("e.g. MO,TU,WE"))
    byweekno = models.CharField(_("week numbers"), max_length=200, blank=True)
    bymonthday = models.CharField(_("days of month"), max_length=200, blank=True)
    byyearday = models.CharField(_("days of year"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    schedule_link = models.URLField(_("schedule link"), max_length=500, blank=True)
    attending_type = models.CharField(_("attending type"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    closed = models.BooleanField(
        _("closed"), default=False, help_text=_("An exception: closed on these dates.")
    )
    extra = _extra()
    history = HistoricalRecords()

    class Meta:
        ordering = ["valid_from", "byday", "opens_at", "id"]
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")

    def __str__(self) -> str:
        if self.closed:
            return f"closed {self.valid_from}–{self.valid_to}"
        return f"{self.byday or self.freq} {self.opens_at}–{self.closes_at}"

    @property
    def is_exception(self) -> bool:
        return self.closed or (self.valid_from is not None and self.valid_to is not None and not self.byday)


class ServiceArea(models.Model):
    """Where a service is available; a municipality is named by its code-list URI."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="service_areas",
        verbose_name=_("service"),
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="service_areas",
        verbose_name=_("service at a location"),
    )
    name = models.CharField(_("name"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    extent = models.TextField(_("extent"), blank=True)
    extent_type = models.CharField(_("extent type"), max_length=20, blank=True)
    uri = models.CharField(_("URI"), max_length=500, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_areas",
        verbose_name=_("municipality"),
    )
    extra = _extra()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self) -> str:
        return self.name or (self.municipality.name() if self.municipality else str(self.id))

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.municipality is not None and not self.uri:
            # the national code list URI, as HSDS `uri` (the profile: docs/hsds-profile.md)
            self.uri = municipality_uri(self.municipality.code)
        super().save(*args, **kwargs)


class CostOption(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="cost_options", verbose_name=_("service")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    option = models.TextField(_("option"), blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    amount_description = models.TextField(_("amount description"), blank=True)
    extra = _extra()

    class Meta:
        ordering = ["valid_from", "id"]
        verbose_name = _("cost option")
        verbose_name_plural = _("cost options")

    def __str__(self) -> str:
        return self.option or f"{self.amount} {self.currency}"


class Attribute(models.Model):
    """A taxonomy term attached to any HSDS object (HSDS `attribute`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    link_id = models.UUIDField(_("linked object"), db_index=True)
    link_type = models.CharField(_("link type"), max_length=200, blank=True)
    link_entity = models.CharField(_("linked entity"), max_length=50, db_index=True)
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes", verbose_name=_("taxonomy term")
    )
    value = models.TextField(_("value"), blank=True)
    label = models.CharField(_("label"), max_length=300, blank=True)
    extra = _extra()

    class Meta:
        ordering = ["link_entity", "link_id", "id"]
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        indexes = [models.Index(fields=["link_entity", "taxonomy_term"])]

    def __str__(self) -> str:
        return f"{self.link_entity}:{self.link_id} → {self.taxonomy_term_id}"


class FamilyCentre(Translated):
    """A family centre (perhekeskus): a network of services of many organisations in an area."""

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("name", "description")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    coordinator = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="coordinated_family_centres",
        help_text=_("The organisation that coordinates the network."),
        verbose_name=_("coordinating organisation"),
    )
    municipalities = models.ManyToManyField(
        Municipality, related_name="family_centres", blank=True, verbose_name=_("municipalities")
    )
    services = models.ManyToManyField(
        Service, related_name="family_centres", blank=True, verbose_name=_("services")
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=100, blank=True)
    url = models.URLField(_("web page"), max_length=500, blank=True)
    history = HistoricalRecords(m2m_fields=[services])

    class Meta:
        ordering = ["name"]
        verbose_name = _("family centre")
        verbose_name_plural = _("family centres")

    def __str__(self) -> str:
        return self.text("name")


class Publisher(models.Model):
    """A user who may publish and edit one organisation's services."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="publisher_roles",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="publishers", verbose_name=_("organisation")
    )

    class Meta:
        ordering = ["organization", "user"]
        unique_together = [("user", "organization")]
        verbose_name = _("publisher")
        verbose_name_plural = _("publishers")

    def __str__(self) -> str:
        return f"{self.user} → {self.organization}"


class DirectoryVersion(models.Model):
    """One counter that every write to the directory moves on, in the write's transaction.

    Cached API pages are keyed by it (`lape.directory.api_cache`), so a page cached before a change
    is never served after it, in any server process.
    """

    name = models.CharField(_("name"), max_length=50, primary_key=True)
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("directory version")
        verbose_name_plural = _("directory versions")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
