"""Working days in the Finnish calendar: Monday to Friday, except public holidays.

Holidays come from the `holidays` package's Finland calendar (New Year's Day, Epiphany, Good Friday,
Easter Monday, May Day, Ascension Day, Midsummer Eve and Day, All Saints' Day, Independence Day
6 December, Christmas Eve, Christmas Day, Boxing Day; those on Sundays fall on non-working days
anyway). Midsummer Eve and Christmas Eve are not public holidays by law, but public services are
closed on them, so a deadline counted in working days skips them too.

The day from which a time limit is counted is not itself counted (Act on the Calculation of
Statutory Time Limits 150/1930, 2 §): the first working day is the next one.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

# The most working days any deadline here spans (the response target is at most 30); a guard
# against a loop that never ends on a bad calendar.
_MAX_SPAN_DAYS = 3660


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.Finland(years=year))


def is_holiday(day: dt.date) -> bool:
    """Whether `day` is a Finnish public holiday (or Midsummer Eve or Christmas Eve)."""
    return day in _holidays_of(day.year)


def is_working_day(day: dt.date) -> bool:
    """Whether `day` is a working day: a weekday that is not a holiday."""
    return day.weekday() < 5 and not is_holiday(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start` (`start` itself is not counted; 0 gives `start`)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    for _step in range(_MAX_SPAN_DAYS):
        if remaining == 0:
            return day
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    raise ValueError("the span is too long to count in working days")


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days there are after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    if (end - start).days > _MAX_SPAN_DAYS:
        raise ValueError("the span is too long to count in working days")
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
