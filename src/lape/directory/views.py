"""The directory's family pages: a service, a family centre and the list of family centres.

Texts are shown in the page's language with Finnish as the fallback; a fallback text is marked
with lang="fi" so that a screen reader reads it as Finnish. Times are Finnish local time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .languages import language_name
from .models import (
    FamilyCentre,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from .opening_hours import FINNISH_TIME, is_open_at, schedules_for, service_is_open
from .opening_hours import WEEKDAYS as DAY_CODES
from .translation import Translated

GONE = (Service.Status.INACTIVE, Service.Status.DEFUNCT)


@dataclass
class Text:
    """A text and the language it is in (the page's, or Finnish when it has no translation)."""

    value: str
    lang: str


@dataclass
class HoursRow:
    days: str
    hours: str


@dataclass
class Place:
    """A location of a service as its page shows it."""

    location: Location
    name: Text
    addresses: list[str]
    hours: list[HoursRow]
    exceptions: list[HoursRow]
    open_now: bool
    phones: list[Phone]
    transportation: Text
    accessibility: list[dict[str, str]] = field(default_factory=list)


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None


def _lang() -> str:
    return (get_language() or "fi")[:2]


def _text(obj: Translated, name: str, lang: str) -> Text:
    own = obj.text(name, lang, fallback=False)
    return Text(own, lang) if own else Text(obj.text(name, "fi"), "fi")


def family_centres(request: HttpRequest) -> HttpResponse:
    """All family centres, with what the directory holds and where developers and publishers go."""
    context = {
        "service_count": Service.objects.filter(status=Service.Status.ACTIVE).count(),
        "organization_count": Organization.objects.count(),
        "family_centres": FamilyCentre.objects.prefetch_related("municipalities"),
    }
    return render(request, "directory/home.html", context)


def family_centre(request: HttpRequest, centre_id: str) -> HttpResponse:
    """A family centre's network: its services grouped by the organisation that provides them."""
    services = (
        Service.objects.filter(status=Service.Status.ACTIVE)
        .select_related("organization")
        .prefetch_related(
            "schedules", "service_at_locations__schedules", "service_at_locations__location__schedules"
        )
    )
    centre = (
        FamilyCentre.objects.select_related("coordinator")
        .prefetch_related("municipalities", Prefetch("services", queryset=services))
        .filter(pk=_uuid(centre_id))
        .first()
    )
    if centre is None:
        raise Http404
    now = timezone.now()
    by_organization: dict[Organization, list[tuple[Service, bool]]] = defaultdict(list)
    for service in centre.services.all():
        by_organization[service.organization].append((service, service_is_open(service, now)))
    groups = sorted(by_organization.items(), key=lambda item: item[0].text("name"))
    return render(
        request,
        "directory/family_centre.html",
        {"centre": centre, "description": _text(centre, "description", _lang()), "groups": groups},
    )


SERVICE_TEXTS = (
    "description",
    "eligibility_description",
    "application_process",
    "wait_time",
    "fees_description",
    "fees",
    "interpretation_services",
    "alert",
)


def service(request: HttpRequest, service_id: str) -> HttpResponse:
    """A service: what, for whom, how to get it, cost, languages, places and hours, contacts, who verified it."""
    found = (
        Service.objects.select_related("organization")
        .prefetch_related(
            "languages",
            "phones",
            "schedules",
            "cost_options",
            "family_centres",
            "service_areas__municipality",
            "service_at_locations__schedules",
            "service_at_locations__phones",
            "service_at_locations__location__addresses",
            "service_at_locations__location__schedules",
            "service_at_locations__location__phones",
        )
        .filter(pk=_uuid(service_id))
        .first()
    )
    if found is None:
        raise Http404
    lang = _lang()
    if found.status in GONE:
        # The address may be bookmarked or printed: say plainly that the service has ended.
        return render(request, "directory/service_gone.html", {"service": found}, status=410)
    now = timezone.now()
    own_hours = list(found.schedules.all())
    context: dict[str, Any] = {
        "service": found,
        "name": _text(found, "name", lang),
        "texts": {name: _text(found, name, lang) for name in SERVICE_TEXTS},
        "organization_name": _text(found.organization, "name", lang),
        "ages": _ages(found),
        "languages": sorted(
            language_name(language.code, language.name) for language in found.languages.all()
        ),
        "places": [_place(sal, now, lang) for sal in found.service_at_locations.all()],
        "hours": _weekly(own_hours),
        "exceptions": _exceptions(own_hours, now),
        "open_now": is_open_at(schedules_for(found), now),
        "has_hours": bool(schedules_for(found)),
        "areas": sorted(
            {area.municipality.name(lang) for area in found.service_areas.all() if area.municipality}
        ),
        "family_centres": found.family_centres.all(),
        "temporarily_closed": found.status == Service.Status.TEMPORARILY_CLOSED,
    }
    return render(request, "directory/service.html", context)


def _ages(found: Service) -> str:
    low, high = found.minimum_age, found.maximum_age
    if low is not None and high is not None:
        return _("Children aged %(low)d–%(high)d") % {"low": low, "high": high}
    if low is not None:
        return _("Children aged %(low)d and over") % {"low": low}
    if high is not None:
        return _("Children up to the age of %(high)d") % {"high": high}
    return ""


def _place(sal: ServiceAtLocation, now: dt.datetime, lang: str) -> Place:
    location = sal.location
    schedules = list(sal.schedules.all()) or list(location.schedules.all())
    accessibility = location.extra.get("accessibility") if isinstance(location.extra, dict) else None
    return Place(
        location=location,
        name=_text(location, "name", lang),
        addresses=[str(address) for address in location.addresses.all()],
        hours=_weekly(schedules),
        exceptions=_exceptions(schedules, now),
        open_now=is_open_at(schedules, now),
        phones=[*sal.phones.all(), *location.phones.all()],
        transportation=_text(location, "transportation", lang),
        accessibility=[
            {key: str(entry.get(key) or "") for key in ("description", "details", "url")}
            for entry in (accessibility if isinstance(accessibility, list) else [])
            if isinstance(entry, dict)
        ],
    )


def _time(value: dt.time | None) -> str:
    return formats.time_format(value, "TIME_FORMAT") if value is not None else ""


def _hours(schedule: Schedule) -> str:
    if schedule.closed:
        return _("closed")
    if schedule.opens_at is None or schedule.closes_at is None:
        return schedule.description or ""
    return f"{_time(schedule.opens_at)}–{_time(schedule.closes_at)}"


def _days(schedule: Schedule) -> str:
    codes = [d.strip().upper()[-2:] for d in schedule.byday.split(",") if d.strip()]
    indexes = sorted({DAY_CODES.index(c) for c in codes if c in DAY_CODES})
    if not indexes:
        return _("Every day") if (schedule.freq or "").upper() == "DAILY" else ""
    if len(indexes) == 7:
        return _("Every day")
    if len(indexes) >= 3 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{WEEKDAYS[indexes[0]]}–{WEEKDAYS[indexes[-1]]}"
    return ", ".join(str(WEEKDAYS[i]) for i in indexes)


def _weekly(schedules: list[Schedule]) -> list[HoursRow]:
    """Regular weekly hours, Monday first."""
    regular = [s for s in schedules if not s.is_exception and _days(s)]

    def first_day(s: Schedule) -> int:
        codes = [d.strip().upper()[-2:] for d in s.byday.split(",") if d.strip()]
        return min((DAY_CODES.index(c) for c in codes if c in DAY_CODES), default=0)

    return [
        HoursRow(_days(s), _hours(s))
        for s in sorted(regular, key=lambda s: (first_day(s), s.opens_at or dt.time()))
    ]


def _exceptions(schedules: list[Schedule], now: dt.datetime) -> list[HoursRow]:
    """Exceptions (holidays, summer hours) that have not yet ended, soonest first."""
    today = now.astimezone(FINNISH_TIME).date()
    upcoming = [s for s in schedules if s.is_exception and (s.valid_to is None or s.valid_to >= today)]
    rows = []
    for s in sorted(upcoming, key=lambda s: s.valid_from or today):
        start = formats.date_format(s.valid_from, "SHORT_DATE_FORMAT") if s.valid_from else ""
        end = formats.date_format(s.valid_to, "SHORT_DATE_FORMAT") if s.valid_to else ""
        rows.append(HoursRow(start if start == end else f"{start}–{end}", _hours(s)))
    return rows
