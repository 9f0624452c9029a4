"""Facet terms: where, for whom and how a service is given, as index terms the search filters on.

Each is FACET_PREFIX ("zzf") and a letter, then a value (letters and digits only, as the full-text
tokenisers keep them whole):

| term | the service |
| --- | --- |
| zzfall | every indexed service (to list all) |
| zzfm297 / zzfc15 | serves municipality 297 / a municipality of wellbeing-services county 15 (its service area; without one, where its places are) |
| zzfp297 | has a place in municipality 297 (ranks local services first) |
| zzfa0 … zzfa25 | fits a child of that age (minimum–maximum age, either open) |
| zzflsv | is given in Swedish (any language code) |
| zzfvu, zzfvt, zzfvs, zzfvh | level universal, targeted, specialised, highly specialised |
| zzflow, zzffree | low-threshold; free of charge |
| zzfkp5x2 | has PTV service class P5.2 or a subclass of it ("." written "x") |
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable

from lape.directory.models import Attribute, Language, Service, ServiceArea, ServiceAtLocation
from lape.search.backends import FACET_PREFIX

__all__ = [
    "ALL",
    "LEVEL_LETTERS",
    "MAX_AGE",
    "age",
    "county",
    "facet_terms",
    "free",
    "language",
    "level",
    "low_threshold",
    "municipality",
    "place_in",
    "service_class",
]

MAX_AGE = 25
ALL = f"{FACET_PREFIX}all"
LEVEL_LETTERS: dict[str, str] = {
    Service.Level.UNIVERSAL: "u",
    Service.Level.TARGETED: "t",
    Service.Level.SPECIALISED: "s",
    Service.Level.HIGHLY_SPECIALISED: "h",
}
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def municipality(code: str) -> str:
    return f"{FACET_PREFIX}m{code}"


def county(code: str) -> str:
    return f"{FACET_PREFIX}c{code}"


def place_in(code: str) -> str:
    return f"{FACET_PREFIX}p{code}"


def age(years: int) -> str:
    return f"{FACET_PREFIX}a{years}"


def language(code: str) -> str:
    return f"{FACET_PREFIX}l{_NOT_ALNUM.sub('', code.lower())}"


def level(value: str) -> str:
    return f"{FACET_PREFIX}v{LEVEL_LETTERS.get(value, 'x')}"


def low_threshold() -> str:
    return f"{FACET_PREFIX}low"


def free() -> str:
    return f"{FACET_PREFIX}free"


def service_class(code: str) -> str:
    """The term of a PTV service class code ("P5.2" -> zzfkp5x2)."""
    return f"{FACET_PREFIX}k{_NOT_ALNUM.sub('', code.lower().replace('.', 'x'))}"


def _class_and_parents(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[: n + 1]) for n in range(len(parts))]


def facet_terms(services: Iterable[Service]) -> dict[uuid.UUID, str]:
    """The facet terms of each service, as one space-separated string (a few queries for a batch)."""
    services = list(services)
    ids = [service.pk for service in services]
    terms: dict[uuid.UUID, set[str]] = defaultdict(set)
    areas: dict[uuid.UUID, set[tuple[str, str | None]]] = defaultdict(set)
    columns = ("municipality__code", "municipality__wellbeing_county__code")
    own = ServiceArea.objects.filter(service_id__in=ids, municipality__isnull=False)
    for service_id, code, county_code in own.values_list("service_id", *columns):
        areas[service_id].add((code, county_code))
    at_places = ServiceArea.objects.filter(
        service_at_location__service_id__in=ids, municipality__isnull=False
    )
    for service_id, code, county_code in at_places.values_list("service_at_location__service_id", *columns):
        areas[service_id].add((code, county_code))
    places: dict[uuid.UUID, set[tuple[str, str | None]]] = defaultdict(set)
    for service_id, code, county_code in ServiceAtLocation.objects.filter(
        service_id__in=ids, location__municipality__isnull=False
    ).values_list(
        "service_id", "location__municipality__code", "location__municipality__wellbeing_county__code"
    ):
        places[service_id].add((code, county_code))
    for service_id, code in Language.objects.filter(service_id__in=ids).values_list("service_id", "code"):
        if code:
            terms[service_id].add(language(code))
    for service_id, code in Attribute.objects.filter(link_entity="service", link_id__in=ids).values_list(
        "link_id", "taxonomy_term__code"
    ):
        if code and code[0] in "Pp" and code[1:2].isdigit():
            terms[service_id].update(service_class(c) for c in _class_and_parents(code))
    for service in services:
        found = terms[service.pk]
        found.add(ALL)
        for code, county_code in areas.get(service.pk) or places.get(service.pk, set()):
            found.add(municipality(code))
            if county_code:
                found.add(county(county_code))
        found.update(place_in(code) for code, _county in places.get(service.pk, set()))
        low = service.minimum_age if service.minimum_age is not None else 0
        high = min(service.maximum_age if service.maximum_age is not None else MAX_AGE, MAX_AGE)
        found.update(age(years) for years in range(low, high + 1))
        if service.service_level:
            found.add(level(service.service_level))
        if service.low_threshold:
            found.add(low_threshold())
        if service.free_of_charge:
            found.add(free())
    return {service.pk: " ".join(sorted(terms[service.pk])) for service in services}
