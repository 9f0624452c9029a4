"""The demo directory: a family-centre network in Pohjois-Savo, loaded through the HSDS importer.

The content lives in `demo_data/pohjois_savo.json` (organisations, locations, service types,
services and family centres, every text in Finnish, Swedish and English). `demo_records` turns it
into HSDS full-service dicts of the Finnish profile and `load_demo` imports them with
`import_records`, so the demo also proves the importer. Ids are uuid5 of the demo keys: a second
run updates the same rows. Everything is fictional: business IDs use the unissued 98xxxxx range,
e-mail and web addresses the reserved `.example` domain, and contacts are roles, never people.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lape.areas.demo import load_demo_areas
from lape.areas.models import Municipality, WellbeingCounty

from .hsds.importer import ImportResult, import_records
from .models import FamilyCentre, Organization, Publisher, Service
from .permissions import publisher_group
from .taxonomies import load_demo_taxonomies, term_id_for

Json = dict[str, Any]

DEMO_FILE = Path(__file__).resolve().parent / "demo_data" / "pohjois_savo.json"
DEMO_NAMESPACE = uuid.UUID("5b0f3c52-8a0e-4d7f-9a55-6c1f0e3d2a17")
# The 19 municipalities of the Pohjois-Savo wellbeing-services county (2023).
POHJOIS_SAVO = (
    "140", "171", "204", "239", "263", "297", "402", "420", "595", "686",
    "687", "749", "762", "778", "844", "857", "915", "921", "925",
)  # fmt: skip

PTV_SCHEMES = {
    "P": "http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/",
    "KR": "http://uri.suomi.fi/codelist/ptv/ptvkohderyhmat/code/",
    "KE": "http://uri.suomi.fi/codelist/ptv/ptvelti/code/",
}

# Weekly opening hours by template name: (days, opens, closes) in Finnish local time.
HOURS: dict[str, list[tuple[str, str, str]]] = {
    "office": [("MO,TU,WE,TH,FR", "08:00", "16:00")],
    "office_ngo": [("MO,TU,WE,TH", "09:00", "15:00")],
    "clinic": [("MO,TU,WE,TH", "08:00", "15:30"), ("FR", "08:00", "14:00")],
    "clinic_small": [("MO,WE,TH", "08:00", "15:00")],
    "school": [("MO,TU,WE,TH,FR", "08:00", "15:00")],
    "open_daycare": [("MO,TU,TH", "09:00", "12:00"), ("WE", "13:00", "16:00")],
    "cafe": [("TU,TH", "09:30", "12:00")],
    "club": [("WE", "09:30", "11:30")],
    "club_alt": [("FR", "10:00", "12:00")],
    "day_club": [("TU,TH", "09:00", "12:00")],
    "youth": [("TU,WE,TH", "14:00", "21:00"), ("FR", "16:00", "22:00")],
    "evening_groups": [("TH", "17:00", "19:00")],
    "phone": [("MO,TU,WE,TH,FR", "09:00", "15:00")],
    "helpline": [("MO,TU,WE,TH,FR", "14:00", "20:00"), ("SA,SU", "17:00", "20:00")],
    "always": [("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")],
}
SUMMER_BREAK = {"cafe", "club", "club_alt", "day_club", "open_daycare"}

LANGUAGE_NAMES = {
    "fi": "suomi",
    "sv": "ruotsi",
    "en": "englanti",
    "ar": "arabia",
    "so": "somali",
    "ru": "venäjä",
}
INTERPRETATION = {
    "fi": "Tulkkaus järjestetään tarvittaessa maksutta, myös viittomakielelle. Kerro tulkkaustarpeesta ajanvarauksen yhteydessä.",
    "sv": "Tolkning ordnas vid behov avgiftsfritt, också till teckenspråk. Berätta om behovet av tolk när du bokar tid.",
    "en": "An interpreter is provided free of charge when needed, including sign language. Mention that you need one when you book.",
}
TRANSLATED_SERVICE_FIELDS = (
    "name", "description", "application_process", "fees_description", "eligibility_description",
    "interpretation_services",
)  # fmt: skip


@dataclass(frozen=True)
class DemoLogin:
    """A demo account: its login, its role and (for a publisher) the demo organisation it publishes for."""

    username: str
    password: str
    role: str | Promise
    organization: str | None = None


# The demo's logins, in one place; `lape demo` prints them. Demo only: never use them in production.
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", "lape-demo-admin", _("administrator")),
    DemoLogin("hyvinvointialue", "lape-demo-county", _("publisher"), "county"),
    DemoLogin("kuopio", "lape-demo-kuopio", _("publisher"), "kuopio"),
    DemoLogin("mll", "lape-demo-mll", _("publisher"), "mll_kuopio"),
)


@dataclass
class DemoSummary:
    """What `load_demo` loaded."""

    imported: ImportResult
    services: int = 0
    organizations: int = 0
    family_centres: int = 0
    logins: list[DemoLogin] = field(default_factory=list)


def demo_id(kind: str, key: str) -> str:
    """The stable id of a demo object: uuid5 of its kind and key."""
    return str(uuid.uuid5(DEMO_NAMESPACE, f"{kind}:{key}"))


@cache
def demo_content() -> Json:
    """The demo content file, parsed."""
    content: Json = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    return content


def term_uri(code: str) -> str:
    """The PTV URI of a service class (P…), target group (KR…) or life event (KE…) code."""
    for prefix in ("KR", "KE", "P"):
        if code.startswith(prefix):
            return PTV_SCHEMES[prefix] + code
    raise ValueError(f"Not a PTV code: {code}")


def _stable_number(key: str, modulo: int) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % modulo


def _texts(item: Json, fields: tuple[str, ...], missing: tuple[str, ...] = ()) -> tuple[Json, Json]:
    """Finnish base fields and the profile's `translations` from {"fi", "sv", "en"} values."""
    base: Json = {}
    translations: Json = {}
    for name in fields:
        value = item.get(name)
        if not value:
            continue
        base[name] = value["fi"]
        for lang in ("sv", "en"):
            # A deliberately missing translation keeps the name, so lists stay readable.
            if lang in missing and name != "name":
                continue
            if value.get(lang):
                translations.setdefault(lang, {})[name] = value[lang]
    return base, translations


def weekly_schedules(prefix: str, hours: str, today: dt.date) -> list[Json]:
    """Regular weekly hours from a template, with the Christmas (and summer) closures as exceptions."""
    out: list[Json] = []
    for index, (days, opens, closes) in enumerate(HOURS[hours]):
        out.append(
            {
                "id": str(uuid.uuid5(DEMO_NAMESPACE, f"{prefix}:schedule:{index}")),
                "freq": "WEEKLY",
                "byday": days,
                "opens_at": f"{opens}:00",
                "closes_at": f"{closes}:00",
            }
        )
    if hours == "always":
        return out
    year = today.year if today <= dt.date(today.year, 12, 26) else today.year + 1
    out.append(
        {
            "id": str(uuid.uuid5(DEMO_NAMESPACE, f"{prefix}:schedule:christmas")),
            "valid_from": dt.date(year, 12, 24).isoformat(),
            "valid_to": dt.date(year, 12, 26).isoformat(),
            "closed": True,
            "description": "Suljettu joulunpyhinä.",
        }
    )
    if hours in SUMMER_BREAK:
        summer = today.year if today <= dt.date(today.year, 7, 31) else today.year + 1
        out.append(
            {
                "id": str(uuid.uuid5(DEMO_NAMESPACE, f"{prefix}:schedule:summer")),
                "valid_from": dt.date(summer, 7, 1).isoformat(),
                "valid_to": dt.date(summer, 7, 31).isoformat(),
                "closed": True,
                "description": "Kesätauko heinäkuussa.",
            }
        )
    return out


def _organization(key: str) -> Json:
    org = demo_content()["organizations"][key]
    base, translations = _texts(org, ("name", "description"))
    out: Json = {
        "id": demo_id("organization", key),
        **base,
        "email": f"kirjaamo@{org['domain']}",
        "website": f"https://www.{org['domain']}/",
        "organization_kind": org["kind"],
        "business_id": org["business_id"],
        "translations": translations,
    }
    if org.get("municipality"):
        out["municipality_code"] = org["municipality"]
    return out


def _phone(prefix: str, number: str) -> Json:
    return {"id": str(uuid.uuid5(DEMO_NAMESPACE, f"{prefix}:phone")), "number": number, "type": "voice"}


def _location(key: str, number: str) -> Json:
    loc = demo_content()["locations"][key]
    base, translations = _texts(loc, ("name", "description", "transportation"))
    out: Json = {
        "id": demo_id("location", key),
        "location_type": loc.get("type", "physical"),
        **base,
        "organization_id": demo_id("organization", loc["organization"]),
        "translations": translations,
        "phones": [],
        "addresses": [],
    }
    if loc.get("url"):
        out["url"] = loc["url"]
    if out["location_type"] == "physical":
        out.update(latitude=loc["lat"], longitude=loc["lon"], municipality_code=loc["municipality"])
        out["phones"] = [_phone(f"location:{key}", number)]
        out["addresses"] = [
            {
                "id": demo_id("address", key),
                "address_1": loc["address"],
                "city": loc["city"]["fi"],
                "postal_code": loc["postal_code"],
                "region": "Pohjois-Savo",
                "state_province": "Pohjois-Savo",
                "country": "FI",
                "address_type": "physical",
            }
        ]
    return out


def _service(item: Json, number: str, location_numbers: dict[str, str], today: dt.date) -> Json:
    content = demo_content()
    spec: Json = {**content["service_types"].get(item.get("type", ""), {}), **item}
    key: str = spec["key"]
    org = content["organizations"][spec["organization"]]
    if "type" in item and "name" not in item:  # "Lastenneuvola, Iisalmi", "Barnrådgivning, Idensalmi"
        place = content["municipality_names"][spec["municipality"]]
        spec["name"] = {lang: f"{spec['name'][lang]}, {place[lang]}" for lang in ("fi", "sv", "en")}
    if spec.get("interpretation"):
        spec["interpretation_services"] = INTERPRETATION
    missing = tuple(spec.get("missing", ()))
    base, translations = _texts(spec, TRANSLATED_SERVICE_FIELDS, missing)
    slug = key.replace("_", "-")
    ages = spec.get("ages")
    days_ago = spec.get("assured_days_ago", 14 + _stable_number(key, 200))
    areas = POHJOIS_SAVO if spec["areas"] == "ALL" else spec["areas"]
    languages = [
        {"id": demo_id("language", f"{key}:{code}"), "code": code, "name": LANGUAGE_NAMES[code]}
        for code in spec.get("languages", ["fi"])
    ] + [
        {
            "id": demo_id("language", f"{key}:{code}"),
            "code": code,
            "name": LANGUAGE_NAMES[code],
            "note": "Tulkin välityksellä",
        }
        for code in spec.get("interpretation", ())
    ]
    out: Json = {
        "id": demo_id("service", key),
        "organization_id": demo_id("organization", spec["organization"]),
        **base,
        "url": f"https://www.{org['domain']}/palvelut/{slug}",
        "email": f"{slug}@{org['domain']}",
        "status": "active",
        "assured_date": (today - dt.timedelta(days=days_ago)).isoformat(),
        "assurer_email": f"palvelutiedot@{org['domain']}",
        "service_level": spec["level"],
        "free_of_charge": bool(spec.get("free", False)),
        "referral_required": bool(spec.get("referral", False)),
        "anonymous": bool(spec.get("anonymous", False)),
        "drop_in": bool(spec.get("drop_in", False)),
        "translations": translations,
        "organization": _organization(spec["organization"]),
        "phones": [_phone(f"service:{key}", number)],
        "contacts": [
            {
                "id": demo_id("contact", key),
                "name": spec["contact"],
                "email": f"{slug}@{org['domain']}",
                "phones": [_phone(f"contact:{key}", number)],
            }
        ],
        "schedules": []
        if spec.get("no_hours") or not spec.get("hours")
        else weekly_schedules(f"service:{key}", spec["hours"], today),
        "service_areas": [
            {"id": demo_id("service_area", f"{key}:{code}"), "municipality_code": code} for code in areas
        ],
        "service_at_locations": [
            {
                "id": demo_id("service_at_location", f"{key}:{loc}"),
                "location_id": demo_id("location", loc),
                "location": _location(loc, location_numbers[loc]),
            }
            for loc in spec["locations"]
        ],
        "languages": languages,
        "cost_options": [],
        "attributes": [
            {
                "id": demo_id("attribute", f"{key}:{code}"),
                "link_entity": "service",
                "link_id": demo_id("service", key),
                "taxonomy_term_id": str(term_id_for(term_uri(code))),
            }
            for code in spec.get("terms", ())
        ],
    }
    if ages:
        out["minimum_age"], out["maximum_age"] = ages
    if spec.get("cost"):
        out["cost_options"] = [
            {
                "id": demo_id("cost_option", key),
                "option": spec["cost"]["option"],
                "currency": "EUR",
                "amount": spec["cost"]["amount"],
            }
        ]
    return out


def demo_records(today: dt.date | None = None) -> list[Json]:
    """The demo services as HSDS full-service dicts (Finnish profile); dates count back from `today`."""
    today = today or timezone.localdate()
    content = demo_content()
    # Fictional numbers in the Kuopio area code, one per service and location, stable by position.
    location_numbers = {key: f"017 555 2{i:03d}" for i, key in enumerate(content["locations"])}
    return [
        _service(item, f"017 555 1{i:03d}", location_numbers, today)
        for i, item in enumerate(content["services"])
    ]


def load_family_centres() -> int:
    """Create or update the demo family centres, each grouping services of several organisations."""
    count = 0
    for centre in demo_content()["family_centres"]:
        texts, translations = _texts(centre, ("name", "description"))
        coordinator = Organization.objects.get(pk=demo_id("organization", centre["coordinator"]))
        obj, _created = FamilyCentre.objects.update_or_create(
            pk=demo_id("family_centre", centre["key"]),
            defaults={
                **texts,
                "translations": translations,
                "coordinator": coordinator,
                "email": f"perhekeskus.{centre['key'].replace('_', '-')}@pshyvinvointialue.example",
                "url": f"https://www.pshyvinvointialue.example/perhekeskus/{centre['key'].replace('_', '-')}",
            },
        )
        obj.municipalities.set(Municipality.objects.filter(code__in=centre["municipalities"]))
        obj.services.set(Service.objects.filter(pk__in=[demo_id("service", k) for k in centre["services"]]))
        count += 1
    return count


def _link_counties() -> None:
    """HSDS has no field for an organisation's wellbeing-services county; the demo sets it here."""
    for key, org in demo_content()["organizations"].items():
        if org.get("wellbeing_county"):
            county = WellbeingCounty.objects.filter(code=org["wellbeing_county"]).first()
            Organization.objects.filter(pk=demo_id("organization", key)).update(wellbeing_county=county)


def load_demo_users() -> list[DemoLogin]:
    """Create or update the demo administrator and publishers (passwords reset only when they differ)."""
    user_model = get_user_model()
    group = publisher_group()
    for login in DEMO_LOGINS:
        user, created = user_model.objects.get_or_create(
            username=login.username, defaults={"email": f"{login.username}@demo.lape.example"}
        )
        admin = login.organization is None
        changed = created or user.is_staff is not True or user.is_superuser is not admin
        user.is_staff = True
        user.is_superuser = admin
        if created or not user.check_password(login.password):
            user.set_password(login.password)
            changed = True
        if changed:
            user.save()
        if login.organization is not None:
            user.groups.add(group)
            organization = Organization.objects.get(pk=demo_id("organization", login.organization))
            Publisher.objects.get_or_create(user=user, organization=organization)
    return list(DEMO_LOGINS)


def load_demo(today: dt.date | None = None) -> DemoSummary:
    """Load the whole demo: areas, PTV taxonomies, services, family centres and users (idempotent)."""
    with transaction.atomic():
        load_demo_areas()
        load_demo_taxonomies()
        records = demo_records(today)
        result = import_records(records)
        _link_counties()
        summary = DemoSummary(imported=result, services=len(records))
        summary.organizations = len(demo_content()["organizations"])
        summary.family_centres = load_family_centres()
        summary.logins = load_demo_users()
    return summary
