"""A small synthetic directory for the HSDS API tests: two municipalities, three organisations, services in fi/sv/en."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lape.areas.models import Municipality
from lape.directory.models import (
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


@dataclass
class Directory:
    kuopio: Municipality
    city: Organization
    county: Organization
    ngo: Organization
    clinic: Service
    playgroup: Service
    counselling: Service
    clinic_at_centre: ServiceAtLocation
    playgroup_at_park: ServiceAtLocation
    target_groups: Taxonomy
    families: TaxonomyTerm
    small_children: TaxonomyTerm
    service_classes: Taxonomy
    health: TaxonomyTerm


def _translated(obj: Organization | Service | Location | Taxonomy | TaxonomyTerm, **texts: str) -> None:
    for key, value in texts.items():
        field, lang = key.rsplit("_", 1)
        obj.set_text(field, lang, value)
    obj.save()


def build_directory() -> Directory:
    """Organisations, services, locations, schedules and a taxonomy; all synthetic."""
    kuopio = Municipality.objects.create(code="297", name_fi="Kuopio", name_sv="Kuopio", name_en="Kuopio")
    siilinjarvi = Municipality.objects.create(code="749", name_fi="Siilinjärvi", name_sv="Siilinjärvi")

    city = Organization.objects.create(
        name="Kuopion kaupunki", kind="municipality", municipality=kuopio, description="Kaupunki."
    )
    _translated(city, name_sv="Kuopio stad", name_en="City of Kuopio")
    county = Organization.objects.create(
        name="Pohjois-Savon hyvinvointialue", kind="wellbeing_county", business_id="3221335-0"
    )
    _translated(
        county, name_sv="Norra Savolax välfärdsområde", name_en="North Savo Wellbeing Services County"
    )
    ngo = Organization.objects.create(name="Perhekerho ry", kind="ngo", email="info@example.org")
    Phone.objects.create(organization=ngo, number="+358 40 000 0000")
    Contact.objects.create(organization=ngo, name="Toiminnanjohtaja", email="johtaja@example.org")

    target_groups = Taxonomy.objects.create(name="Kohderyhmät", description="PTV:n kohderyhmät.")
    _translated(target_groups, name_sv="Målgrupper", name_en="Target groups")
    families = TaxonomyTerm.objects.create(taxonomy=target_groups, code="KR1.2", name="Lapsiperheet")
    _translated(families, name_sv="Barnfamiljer", name_en="Families with children")
    small_children = TaxonomyTerm.objects.create(
        taxonomy=target_groups, code="KR1.2.1", name="Pikkulapsiperheet", parent=families
    )
    service_classes = Taxonomy.objects.create(name="Palveluluokitus")
    health = TaxonomyTerm.objects.create(taxonomy=service_classes, code="P10", name="Terveydenhuolto")

    clinic = Service.objects.create(
        organization=county,
        name="Lastenneuvola",
        description="Lapsen kasvun ja kehityksen seuranta.",
        service_level=Service.Level.UNIVERSAL,
        free_of_charge=True,
        minimum_age=0,
        maximum_age=6,
    )
    _translated(
        clinic,
        name_sv="Barnrådgivning",
        name_en="Child health clinic",
        description_en="Follow-up of the child's growth and development.",
    )
    playgroup = Service.objects.create(
        organization=ngo,
        name="Avoin perhekerho",
        description="Leikkiä ja vertaistukea.",
        service_level=Service.Level.UNIVERSAL,
        free_of_charge=True,
        drop_in=True,
    )
    _translated(playgroup, name_sv="Öppen familjeklubb", name_en="Open family club")
    counselling = Service.objects.create(
        organization=county,
        name="Perheneuvola",
        service_level=Service.Level.SPECIALISED,
        referral_required=True,
    )
    _translated(counselling, name_sv="Familjerådgivning", name_en="Family counselling")
    Phone.objects.create(service=clinic, number="+358 17 000 0000")
    Language.objects.create(service=clinic, code="fi", name="suomi")
    Language.objects.create(service=clinic, code="sv", name="ruotsi")
    CostOption.objects.create(service=counselling, option="Maksuton", amount=0, currency="EUR")
    ServiceArea.objects.create(service=clinic, municipality=kuopio)
    ServiceArea.objects.create(service=clinic, municipality=siilinjarvi)
    Schedule.objects.create(
        service=clinic, freq="WEEKLY", byday="MO,TU,WE,TH,FR", opens_at=dt.time(8), closes_at=dt.time(16)
    )
    Schedule.objects.create(
        service=clinic, valid_from=dt.date(2024, 12, 24), valid_to=dt.date(2024, 12, 26), closed=True
    )

    centre = Location.objects.create(
        name="Perhekeskus Kuopio", municipality=kuopio, organization=county, latitude=62.89, longitude=27.68
    )
    _translated(centre, name_sv="Familjecentret Kuopio", name_en="Kuopio Family Centre")
    Address.objects.create(location=centre, address_1="Esimerkkikatu 1", city="Kuopio", postal_code="70100")
    Schedule.objects.create(
        location=centre, freq="WEEKLY", byday="MO,WE", opens_at=dt.time(9), closes_at=dt.time(15)
    )
    park = Location.objects.create(name="Leikkipuisto Väinölänniemi", municipality=kuopio, organization=ngo)
    Address.objects.create(location=park, address_1="Puistotie 2", city="Kuopio", postal_code="70110")

    clinic_at_centre = ServiceAtLocation.objects.create(service=clinic, location=centre)
    playgroup_at_park = ServiceAtLocation.objects.create(service=playgroup, location=park)
    ServiceAtLocation.objects.create(service=counselling, location=centre)

    for service, term in [(clinic, families), (clinic, health), (playgroup, small_children)]:
        Attribute.objects.create(link_entity="service", link_id=service.pk, taxonomy_term=term)
    Attribute.objects.create(link_entity="organization", link_id=ngo.pk, taxonomy_term=families)

    return Directory(
        kuopio=kuopio,
        city=city,
        county=county,
        ngo=ngo,
        clinic=clinic,
        playgroup=playgroup,
        counselling=counselling,
        clinic_at_centre=clinic_at_centre,
        playgroup_at_park=playgroup_at_park,
        target_groups=target_groups,
        families=families,
        small_children=small_children,
        service_classes=service_classes,
        health=health,
    )
