"""Opening hours: is a service open at a moment, in Finnish time, with exceptions respected.

Regular hours are weekly HSDS schedules (`freq` WEEKLY with `byday`, or DAILY). An exception is a
schedule with `valid_from`–`valid_to` and no `byday`: either `closed` or its own hours for those days;
on a day an exception covers, it replaces the regular hours (Christmas closed, summer hours).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from .models import Schedule, Service

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


def schedules_for(service: Service) -> list[Schedule]:
    """The schedules that govern a service: its own, else those at its locations."""
    own = list(service.schedules.all())
    if own:
        return own
    found: list[Schedule] = []
    for sal in service.service_at_locations.all():
        found.extend(sal.schedules.all() or sal.location.schedules.all())
    return found


def service_is_open(service: Service, when: dt.datetime) -> bool:
    """Whether the service is open at `when` (Finnish time) by its own or its locations' hours."""
    return is_open_at(schedules_for(service), when)
