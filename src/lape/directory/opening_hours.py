"""Opening hours: is a service open at a moment, in Finnish time, with exceptions respected.

Regular hours are weekly HSDS schedules (`freq` WEEKLY with `byday`, or DAILY). An exception is a
schedule with `valid_from`–`valid_to` and no `byday`: either `closed` or its own hours for those days;
on a day an exception covers, it replaces the regular hours (Christmas closed, summer hours).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial
from zoneinfo import ZoneInfo

from django.db.models import Q

from .models import Schedule, Service, ServiceAtLocation

FINNISH_TIME = ZoneInfo("Europe/Helsinki")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _within(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


def _hours_cover(schedule: Schedule, moment: dt.time) -> bool:
    opens, closes = schedule.opens_at, schedule.closes_at
    if opens is None or closes is None:
        return False
    if opens <= closes:
        return opens <= moment < closes
    return moment >= opens or moment < closes  # past midnight, e.g. a night line 20–02


def _regular_applies(schedule: Schedule, day: dt.date) -> bool:
    if not _within(schedule.valid_from, schedule.valid_to, day):
        return False
    if not _within(schedule.dtstart, schedule.until, day):
        return False
    freq = (schedule.freq or "").upper()
    days = {d.strip().upper()[-2:] for d in schedule.byday.split(",") if d.strip()}
    if days:
        return WEEKDAYS[day.weekday()] in days
    return freq == "DAILY"


def is_open_at(schedules: Iterable[Schedule], when: dt.datetime) -> bool:
    """True when the schedules say open at `when` (an aware datetime), read in Finnish time."""
    local = when.astimezone(FINNISH_TIME)
    day, moment = local.date(), local.time().replace(tzinfo=None)
    schedules = list(schedules)
    exceptions = [s for s in schedules if s.is_exception and _within(s.valid_from, s.valid_to, day)]
    if exceptions:
        if any(s.closed for s in exceptions):
            return False
        return any(_hours_cover(s, moment) for s in exceptions)
    return any(_regular_applies(s, day) and _hours_cover(s, moment) for s in schedules if not s.is_exception)


def _governing(
    own: list[Schedule], places: Iterable[tuple[list[Schedule], Callable[[], list[Schedule]]]]
) -> list[Schedule]:
    """A service's own hours, else each place's: the service-at-location's, else the location's."""
    if own:
        return own
    found: list[Schedule] = []
    for at_place, of_location in places:
        found.extend(at_place or of_location())
    return found


def _location_schedules(service_at_location: ServiceAtLocation) -> list[Schedule]:
    return list(service_at_location.location.schedules.all())


def schedules_for(service: Service) -> list[Schedule]:
    """The schedules that govern a service: its own, else those at its locations."""
    places = (
        (list(sal.schedules.all()), partial(_location_schedules, sal))
        for sal in service.service_at_locations.all()
    )
    return _governing(list(service.schedules.all()), places)


def services_open_at(service_ids: list[uuid.UUID], when: dt.datetime) -> set[uuid.UUID]:
    """Which of many services are open at `when`, by `schedules_for`'s rule, reading only schedules.

    Three queries for any number of services, instead of loading each service and its places.
    """
    own: dict[uuid.UUID, list[Schedule]] = defaultdict(list)
    for schedule in Schedule.objects.filter(service_id__in=service_ids):
        own[schedule.service_id].append(schedule)  # type: ignore[index]
    places = list(
        ServiceAtLocation.objects.filter(
            service_id__in=[pk for pk in service_ids if pk not in own]
        ).values_list("pk", "service_id", "location_id")
    )
    at_place: dict[uuid.UUID, list[Schedule]] = defaultdict(list)
    of_location: dict[uuid.UUID, list[Schedule]] = defaultdict(list)
    for schedule in Schedule.objects.filter(
        Q(service_at_location_id__in=[pk for pk, _service, _location in places])
        | Q(location_id__in={location for _pk, _service, location in places})
    ):
        if schedule.service_at_location_id is not None:
            at_place[schedule.service_at_location_id].append(schedule)
        elif schedule.location_id is not None:
            of_location[schedule.location_id].append(schedule)
    by_service: dict[uuid.UUID, list[tuple[list[Schedule], Callable[[], list[Schedule]]]]] = defaultdict(list)
    for pk, service_id, location_id in places:
        by_service[service_id].append((at_place.get(pk, []), partial(list, of_location.get(location_id, []))))
    return {pk for pk in service_ids if is_open_at(_governing(own.get(pk, []), by_service.get(pk, [])), when)}


def service_is_open(service: Service, when: dt.datetime) -> bool:
    """Whether the service is open at `when` (Finnish time) by its own or its locations' hours."""
    return is_open_at(schedules_for(service), when)
