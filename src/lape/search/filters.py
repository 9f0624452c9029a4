"""Search filters: what a family narrows its search by, parsed from a query string and checked.

The API and the pages share the parameter names: `municipality`, `county`, `age` (repeatable: one a
child), `language` (repeatable), `level` (repeatable), `low_threshold`, `free`, `open_now` (true or
false), `lat` + `lon` or `postcode`, `radius_km`, and `situation` (a life situation of the family
pages). A value that cannot be right (an unknown municipality code, age 500, latitude 200) raises
`FilterError` with a sentence in the user's language, naming the parameter; nothing is searched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Avg
from django.utils.translation import gettext as _

from lape.areas.models import Municipality, WellbeingCounty
from lape.directory.models import Location, Service
from lape.directory.searching import LIFE_SITUATIONS, SearchError

__all__ = ["FilterError", "Filters", "Place", "parse_filters"]

MAX_AGE = 25  # a "child" of the family services: up to young adults (e.g. aftercare to 25)
MAX_CHILDREN = 20
MAX_RADIUS_KM = 1500.0
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
POSTCODE = re.compile(r"^\d{5}$")
AREA_CODE = re.compile(r"^\d{1,3}$")


class FilterError(SearchError):
    """A filter value that cannot be used; `field` names the parameter, the message says what to do."""


@dataclass(frozen=True)
class Place:
    """A point on the map (WGS84 degrees), to measure distances from."""

    latitude: float
    longitude: float


@dataclass(frozen=True)
class Filters:
    """What to narrow a search to; the defaults narrow nothing (active services only, always)."""

    municipality: str | None = None
    county: str | None = None
    ages: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    low_threshold: bool = False
    free: bool = False
    open_now: bool = False
    near: Place | None = None
    postcode: str | None = None
    radius_km: float | None = None
    situation: str | None = None
    nowhere: bool = False  # a place that is not known (the API's unknown postcode): nothing fits

    @property
    def is_empty(self) -> bool:
        """True when nothing narrows the search."""
        return self == Filters()


def _values(params: Mapping[str, str | Sequence[str]], name: str, split: bool = False) -> list[str]:
    """A parameter's non-empty values (a form may send an empty field), each trimmed."""
    getlist = getattr(params, "getlist", None)
    raw: object = getlist(name) if callable(getlist) else params.get(name)
    if raw is None:
        return []
    values = [raw] if isinstance(raw, str) else list(raw)  # type: ignore[call-overload]
    found: list[str] = []
    for value in values:
        # "0, 12" in one field is two children's ages; elsewhere a comma is a decimal comma (5,5 km).
        parts = str(value).replace("\x00", "").split(",") if split else [str(value).replace("\x00", "")]
        found += [part.strip() for part in parts if part.strip()]
    return found


def _one(params: Mapping[str, str | Sequence[str]], name: str) -> str | None:
    values = _values(params, name)
    if len(values) > 1:
        raise FilterError(name, _("Give only one value for %(name)s.") % {"name": name})
    return values[0] if values else None


def _flag(params: Mapping[str, str | Sequence[str]], name: str) -> bool:
    value = _one(params, name)
    if value is None or value in ("false", "0", "off"):
        return False
    if value in ("true", "1", "on"):
        return True
    raise FilterError(name, _("%(name)s must be true or false.") % {"name": name})


def _number(name: str, value: str, low: float, high: float, message: str) -> float:
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise FilterError(name, message) from None
    if not low <= number <= high:  # also refuses NaN
        raise FilterError(name, message)
    return number


def parse_filters(params: Mapping[str, str | Sequence[str]], *, strict: bool = True) -> Filters:
    """Filters from query-string parameters (a QueryDict or a dict of strings or lists); see the module doc.

    Not `strict` (the API, whose OpenAPI document can say only what a value looks like): a well-formed
    but unknown municipality, county or postcode finds nothing instead of raising, and a place or
    distance given by halves (lat without lon, radius without a place) is left out.
    """
    municipality = _one(params, "municipality")
    nowhere = False
    if municipality is not None:
        if not AREA_CODE.match(municipality):
            raise FilterError("municipality", _("Give the municipality as its code, e.g. 297 for Kuopio."))
        municipality = municipality.zfill(3)
        if strict and not Municipality.objects.filter(code=municipality).exists():
            raise FilterError(
                "municipality", _("There is no municipality with the code %(code)s.") % {"code": municipality}
            )
    county = _one(params, "county")
    if county is not None and (
        not AREA_CODE.match(county) or (strict and not WellbeingCounty.objects.filter(code=county).exists())
    ):
        raise FilterError(
            "county",
            _("There is no wellbeing-services county with the code %(code)s.") % {"code": county[:10]},
        )
    ages = []
    age_message = _("Give each child's age in whole years from 0 to %(max)d.") % {"max": MAX_AGE}
    for value in _values(params, "age", split=True):
        if not value.isdigit() or int(value) > MAX_AGE:
            raise FilterError("age", age_message)
        ages.append(int(value))
    if len(ages) > MAX_CHILDREN:
        raise FilterError("age", _("Give at most %(count)d ages.") % {"count": MAX_CHILDREN})
    languages = []
    for value in _values(params, "language", split=True):
        code = value.lower()
        if not LANGUAGE_CODE.match(code):
            raise FilterError("language", _("Give a language as its code, e.g. fi, sv or en."))
        languages.append(code)
    levels = []
    for value in _values(params, "level", split=True):
        if value not in Service.Level.values:
            raise FilterError(
                "level",
                _("The service level must be one of: %(levels)s.")
                % {"levels": ", ".join(Service.Level.values)},
            )
        levels.append(value)
    near = _place(params, strict)
    postcode = _one(params, "postcode")
    if postcode is not None:
        if not POSTCODE.match(postcode):
            raise FilterError("postcode", _("Give a postcode as five digits, e.g. 70100."))
        if near is None:
            try:
                near = postcode_place(postcode)
            except FilterError:
                if strict:
                    raise
                nowhere = True
    radius = _one(params, "radius_km")
    radius_km = None
    if radius is not None:
        radius_km = _number(
            "radius_km",
            radius,
            0.1,
            MAX_RADIUS_KM,
            _("Give the distance in kilometres, from 0.1 to %(max)d.") % {"max": int(MAX_RADIUS_KM)},
        )
        if near is None and strict:
            raise FilterError(
                "radius_km", _("Give a place (a postcode, or lat and lon) to measure the distance from.")
            )
        if near is None:
            radius_km = None
    situation = _one(params, "situation")
    if situation is not None and situation not in LIFE_SITUATIONS:
        raise FilterError("situation", _("There is no such life situation."))
    return Filters(
        municipality=municipality,
        county=county,
        ages=tuple(dict.fromkeys(ages)),
        languages=tuple(dict.fromkeys(languages)),
        levels=tuple(dict.fromkeys(levels)),
        low_threshold=_flag(params, "low_threshold"),
        free=_flag(params, "free"),
        open_now=_flag(params, "open_now"),
        near=near,
        postcode=postcode,
        radius_km=radius_km,
        situation=situation,
        nowhere=nowhere,
    )


def _place(params: Mapping[str, str | Sequence[str]], strict: bool) -> Place | None:
    lat, lon = _one(params, "lat"), _one(params, "lon")
    if lat is None and lon is None:
        return None
    if (lat is None or lon is None) and not strict:
        return None
    if lat is None or lon is None:
        raise FilterError("lat" if lat is None else "lon", _("Give both lat and lon, or neither."))
    return Place(
        _number("lat", lat, -90, 90, _("The latitude must be a number from -90 to 90.")),
        _number("lon", lon, -180, 180, _("The longitude must be a number from -180 to 180.")),
    )


def postcode_place(postcode: str) -> Place:
    """The middle of the directory's places with this postcode; FilterError when it has none."""
    middle = (
        Location.objects.filter(
            addresses__postal_code=postcode, latitude__isnull=False, longitude__isnull=False
        )
        .distinct()
        .aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
    )
    if middle["lat"] is None or middle["lon"] is None:
        raise FilterError(
            "postcode",
            _(
                "We do not know where the postcode %(code)s is; try a nearby postcode or choose a municipality."
            )
            % {"code": postcode},
        )
    return Place(float(middle["lat"]), float(middle["lon"]))
