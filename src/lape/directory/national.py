"""National-scale synthetic directory data: tens of thousands of HSDS services across Finland.

For load tests and benchmarks. Services are spread over every municipality in the database (the
real 309 after `lape import-areas`, else the demo areas), provided by the municipality, its
wellbeing-services county, its parish and a local NGO branch, with texts in fi/sv/en from the demo's
service templates. Deterministic: the same seed, municipalities and `today` give the same records.
Everything is fictional (business IDs in the unissued 9xxxxxx range, `.example` addresses).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from lape.areas.models import Municipality

from .business_id import business_id_check_digit
from .demo import HOURS, INTERPRETATION, LANGUAGE_NAMES, demo_content, term_uri, weekly_schedules
from .taxonomies import term_id_for

Json = dict[str, Any]

DEFAULT_COUNT = 50_000
NATIONAL_NAMESPACE = uuid.UUID("0d4b8f0e-6a4c-4e8e-8f55-2b7d3c9a1e64")

# Demo service templates reused nationally: (template key, provider). Templates are the demo's
# service types, or a demo service whose texts name no place.
TEMPLATES: tuple[tuple[str, str], ...] = (
    ("child_clinic", "county"),
    ("maternity_clinic", "county"),
    ("family_counselling", "county"),
    ("family_work", "county"),
    ("speech_therapy", "county"),
    ("school_health", "county"),
    ("home_help", "county"),
    ("family_helpline", "county"),
    ("child_protection_open_care", "county"),
    ("school_social_worker", "county"),
    ("school_psychologist", "county"),
    ("family_law", "county"),
    ("ece", "municipality"),
    ("open_ece", "municipality"),
    ("basic_education", "municipality"),
    ("youth_work", "municipality"),
    ("outreach", "municipality"),
    ("family_cafe", "ngo"),
    ("mll_family_friend", "ngo"),
    ("family_club", "parish"),
    ("parish_day_club", "parish"),
    ("parish_counselling", "parish"),
)
DISTRICTS = (
    "Keskusta", "Kirkonkylä", "Asemanseutu", "Rantakylä", "Mäntylä", "Koivikko", "Harju",
    "Niemi", "Kangas", "Lehtomäki", "Pohjoinen", "Etelä", "Itä", "Länsi",
)  # fmt: skip
DISTRICT_NAMES = {"Keskusta": ("Centrum", "Centre")}
STREETS = (
    "Koulukatu", "Kirkkotie", "Asematie", "Rantatie", "Puistokatu", "Kauppakatu", "Myllytie",
    "Koivukuja", "Keskuskatu", "Sairaalantie", "Terveystie", "Nuorisotie", "Urheilutie", "Torikatu",
)  # fmt: skip
PLACE_KINDS = {
    "county": ("Hyvinvointiasema", "Välfärdsstation", "Wellbeing station"),
    "municipality": ("Palvelupiste", "Servicepunkt", "Service point"),
    "ngo": ("Järjestötalo", "Organisationshuset", "NGO house"),
    "parish": ("Seurakuntakeskus", "Församlingscentrum", "Parish centre"),
}
# Telephone area codes by region (maakunta) code, for fictional numbers in the 555 block.
AREA_CODES = {
    "01": "09", "02": "02", "04": "02", "05": "03", "06": "03", "07": "03", "08": "05", "09": "05",
    "10": "015", "11": "017", "12": "013", "13": "014", "14": "06", "15": "06", "16": "06",
    "17": "08", "18": "08", "19": "016", "21": "018",
}  # fmt: skip
FINLAND_CENTRE = (62.5, 25.7)
# Official languages by Municipality.language_status, the majority first.
OFFICIAL_LANGUAGES: dict[str, tuple[str, ...]] = {
    "fi": ("fi",),
    "fi-sv": ("fi", "sv"),
    "sv-fi": ("sv", "fi"),
    "sv": ("sv",),
}


@dataclass(frozen=True)
class Place:
    """What the generator needs of a municipality."""

    code: str
    names: tuple[str, str, str]  # fi, sv, en
    languages: tuple[str, ...]  # the municipality's official languages, majority first
    latitude: float
    longitude: float
    region: str
    county_code: str | None
    county_names: tuple[str, str, str] | None


def places_from_database() -> list[Place]:
    """Every municipality in the database, by code, with its county."""
    places = []
    for m in Municipality.objects.select_related("region", "wellbeing_county").order_by("code"):
        county = m.wellbeing_county
        own_sote = county is None or county.kind != county.Kind.COUNTY  # Helsinki and Åland
        places.append(
            Place(
                code=m.code,
                names=(m.name_fi, m.name_sv or m.name_fi, m.name_en or m.name_fi),
                languages=OFFICIAL_LANGUAGES.get(m.language_status, ("fi",)),
                latitude=m.latitude if m.latitude is not None else FINLAND_CENTRE[0],
                longitude=m.longitude if m.longitude is not None else FINLAND_CENTRE[1],
                region=m.region.code if m.region else "",
                county_code=None if own_sote or county is None else county.code,
                county_names=None
                if own_sote or county is None
                else (county.name_fi, county.name_sv or county.name_fi, county.name_en or county.name_fi),
            )
        )
    return places


def _id(seed: int, *parts: object) -> str:
    return str(uuid.uuid5(NATIONAL_NAMESPACE, ":".join(str(p) for p in (seed, *parts))))


def fictional_business_id(key: str) -> str:
    """A business ID with a valid check digit in the unissued 9xxxxxx range, stable for `key`."""
    number = 9_000_000 + int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 1_000_000
    while (check := business_id_check_digit(str(number))) is None:
        number += 1
    return f"{number}-{check}"


def _templates() -> list[Json]:
    content = demo_content()
    by_key = {s["key"]: s for s in content["services"]}
    out = []
    for key, provider in TEMPLATES:
        spec = dict(content["service_types"].get(key) or by_key[key])
        spec["template"] = key
        spec["provider"] = provider
        out.append(spec)
    return out


def _slug(text: str) -> str:
    table = str.maketrans({"ä": "a", "ö": "o", "å": "a", " ": "-", "_": "-", "'": ""})
    return text.lower().translate(table)


class _Generator:
    def __init__(self, seed: int, places: Sequence[Place], today: dt.date) -> None:
        self.seed = seed
        self.places = places
        self.today = today
        self.templates = _templates()
        self.organizations: dict[tuple[str, str], Json] = {}

    def organization(self, place: Place, provider: str) -> Json:
        if provider == "county" and place.county_code is None:
            provider = "municipality"  # Helsinki and Åland run their own social and health services
        key = (place.county_code or "", provider) if provider == "county" else (place.code, provider)
        if key in self.organizations:
            return self.organizations[key]
        fi, sv, en = place.names
        if provider == "county" and place.county_names is not None:
            names = place.county_names
            kind, domain = "wellbeing_county", f"hva{place.county_code}.example"
        elif provider == "municipality":
            names = (f"{fi}, kunta", f"{sv}, kommun", f"{en}, municipality")
            kind, domain = "municipality", f"kunta{place.code}.example"
        elif provider == "parish":
            names = (
                f"{fi}, evankelis-luterilainen seurakunta",
                f"{sv}, evangelisk-luthersk församling",
                f"{en}, Evangelical Lutheran parish",
            )
            kind, domain = "parish", f"seurakunta{place.code}.example"
        else:
            names = (
                f"MLL:n paikallisyhdistys, {fi}",
                f"MLL:s lokalförening, {sv}",
                f"MLL local branch, {en}",
            )
            kind, domain = "ngo", f"mll{place.code}.example"
        org: Json = {
            "id": _id(self.seed, "organization", *key),
            "name": names[0],
            "description": "",
            "email": f"kirjaamo@{domain}",
            "website": f"https://www.{domain}/",
            "organization_kind": kind,
            "business_id": fictional_business_id(f"{self.seed}:{key}"),
            "translations": {"sv": {"name": names[1]}, "en": {"name": names[2]}},
        }
        if provider != "county":
            org["municipality_code"] = place.code
        self.organizations[key] = org
        return org

    def location(self, place: Place, district: str, provider: str, org: Json) -> Json:
        rng = random.Random(f"{self.seed}:{place.code}:{district}:{provider}")  # noqa: S311 - test data
        kind = PLACE_KINDS[provider]
        sv_district, en_district = DISTRICT_NAMES.get(district, (district, district))
        loc_id = _id(self.seed, "location", place.code, district, provider)
        area = AREA_CODES.get(place.region, "09")
        return {
            "id": loc_id,
            "location_type": "physical",
            "name": f"{kind[0]}, {place.names[0]} – {district}",
            "latitude": round(place.latitude + rng.uniform(-0.03, 0.03), 5),
            "longitude": round(place.longitude + rng.uniform(-0.05, 0.05), 5),
            "municipality_code": place.code,
            "organization_id": org["id"],
            "translations": {
                "sv": {"name": f"{kind[1]}, {place.names[1]} – {sv_district}"},
                "en": {"name": f"{kind[2]}, {place.names[2]} – {en_district}"},
            },
            "addresses": [
                {
                    "id": _id(self.seed, "address", loc_id),
                    "address_1": f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
                    "city": place.names[0],
                    "postal_code": f"{(int(place.code) * 283 + DISTRICTS.index(district)) % 89_000 + 10_000:05d}",
                    "state_province": place.names[0],
                    "country": "FI",
                    "address_type": "physical",
                }
            ],
            "phones": [
                {
                    "id": _id(self.seed, "phone", loc_id),
                    "number": f"{area} 555 {rng.randint(1000, 9999)}",
                    "type": "voice",
                }
            ],
        }

    def service(self, index: int) -> Json:
        place = self.places[index % len(self.places)]
        nth = index // len(self.places)
        spec = self.templates[nth % len(self.templates)]
        district = DISTRICTS[(nth // len(self.templates)) % len(DISTRICTS)]
        rounds = nth // (len(self.templates) * len(DISTRICTS))
        if rounds:
            district = f"{district} {rounds + 1}"
        rng = random.Random(f"{self.seed}:service:{index}")  # noqa: S311 - test data
        org = self.organization(place, spec["provider"])
        service_id = _id(self.seed, "service", index)
        sv_district, en_district = DISTRICT_NAMES.get(district, (district, district))
        names = (
            f"{spec['name']['fi']}, {place.names[0]} – {district}",
            f"{spec['name']['sv']}, {place.names[1]} – {sv_district}",
            f"{spec['name']['en']}, {place.names[2]} – {en_district}",
        )
        missing_sv = rng.random() < 0.03
        translations: Json = {"sv": {"name": names[1]}, "en": {"name": names[2]}}
        base: Json = {"name": names[0]}
        texts = {k: spec[k] for k in ("description", "application_process", "fees_description") if k in spec}
        if spec.get("interpretation"):
            texts["interpretation_services"] = INTERPRETATION
        for field, value in texts.items():
            base[field] = value["fi"]
            translations["en"][field] = value["en"]
            if not missing_sv:
                translations["sv"][field] = value["sv"]
        languages = [*place.languages, *(["en"] if rng.random() < 0.4 else [])]
        interpretation = list(spec.get("interpretation", ())) if rng.random() < 0.5 else []
        hours = spec.get("hours") or "office"
        slug = _slug(spec["template"])
        domain = org["website"].removeprefix("https://www.").rstrip("/")
        district_loc = district.split(" ")[0]
        location = self.location(place, district_loc, spec["provider"], org)
        out: Json = {
            "id": service_id,
            "organization_id": org["id"],
            **base,
            "url": f"https://www.{domain}/palvelut/{slug}-{index}",
            "email": f"{slug}@{domain}",
            "status": "active",
            "assured_date": (self.today - dt.timedelta(days=rng.randint(3, 720))).isoformat(),
            "service_level": spec["level"],
            "free_of_charge": bool(spec.get("free", False)),
            "referral_required": bool(spec.get("referral", False)),
            "anonymous": bool(spec.get("anonymous", False)),
            "drop_in": bool(spec.get("drop_in", False)),
            "translations": translations,
            "organization": org,
            "phones": [
                {
                    "id": _id(self.seed, "phone", service_id),
                    "number": f"{AREA_CODES.get(place.region, '09')} 555 {rng.randint(1000, 9999)}",
                    "type": "voice",
                }
            ],
            "schedules": []
            if rng.random() < 0.02 or hours not in HOURS
            else weekly_schedules(f"national:{self.seed}:{index}", hours, self.today),
            "service_areas": [{"id": _id(self.seed, "area", service_id), "municipality_code": place.code}],
            "service_at_locations": [
                {"id": _id(self.seed, "sal", service_id), "location_id": location["id"], "location": location}
            ],
            "languages": [
                {
                    "id": _id(self.seed, "language", service_id, code),
                    "code": code,
                    "name": LANGUAGE_NAMES[code],
                }
                for code in languages
            ]
            + [
                {
                    "id": _id(self.seed, "language", service_id, code),
                    "code": code,
                    "name": LANGUAGE_NAMES[code],
                    "note": "Tulkin välityksellä",
                }
                for code in interpretation
            ],
            "attributes": [
                {
                    "id": _id(self.seed, "attribute", service_id, code),
                    "link_entity": "service",
                    "link_id": service_id,
                    "taxonomy_term_id": str(term_id_for(term_uri(code))),
                }
                for code in spec.get("terms", ())
            ],
        }
        if spec.get("ages"):
            out["minimum_age"], out["maximum_age"] = spec["ages"]
        if spec.get("contact"):
            out["contacts"] = [{"id": _id(self.seed, "contact", service_id), "name": spec["contact"]}]
        return out


def generate_national(
    count: int,
    seed: int = 1,
    places: Sequence[Place] | None = None,
    today: dt.date | None = None,
) -> Iterator[Json]:
    """Yield `count` HSDS full services spread over `places` (default: the database's municipalities)."""
    places = list(places) if places is not None else places_from_database()
    if not places:
        raise ValueError("There are no municipalities: run `lape import-areas` or `lape demo` first.")
    generator = _Generator(seed, places, today or timezone.localdate())
    for index in range(count):
        yield generator.service(index)
