import datetime as dt

import pytest

from lape.areas.models import Municipality
from lape.directory.models import Location, Organization, Schedule, Service, ServiceAtLocation
from lape.directory.opening_hours import FINNISH_TIME, is_open_at, service_is_open


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in Finnish local time, as an aware datetime."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=FINNISH_TIME)


WEEKDAYS_8_TO_16 = Schedule(freq="WEEKLY", byday="MO,TU,WE,TH,FR", opens_at=dt.time(8), closes_at=dt.time(16))
CHRISTMAS_CLOSED = Schedule(valid_from=dt.date(2026, 12, 24), valid_to=dt.date(2026, 12, 26), closed=True)
SUMMER_HOURS = Schedule(
    valid_from=dt.date(2026, 7, 1), valid_to=dt.date(2026, 7, 31), opens_at=dt.time(9), closes_at=dt.time(12)
)


def test_it_is_open_on_a_weekday_within_hours() -> None:
    # Monday 23 November 2026, 10:00 Finnish time
    assert is_open_at([WEEKDAYS_8_TO_16], at(2026, 11, 23, 10))


def test_it_is_closed_outside_hours_and_at_weekends() -> None:
    assert not is_open_at([WEEKDAYS_8_TO_16], at(2026, 11, 23, 16))
    assert not is_open_at([WEEKDAYS_8_TO_16], at(2026, 11, 23, 7, 59))
    assert not is_open_at([WEEKDAYS_8_TO_16], at(2026, 11, 28, 10))  # Saturday


def test_it_reads_the_moment_in_finnish_time() -> None:
    utc_moment = dt.datetime(2026, 11, 23, 14, 30, tzinfo=dt.UTC)  # 16:30 in Helsinki (UTC+2)
    assert not is_open_at([WEEKDAYS_8_TO_16], utc_moment)
    assert is_open_at([WEEKDAYS_8_TO_16], dt.datetime(2026, 11, 23, 13, 30, tzinfo=dt.UTC))


def test_it_respects_a_closed_exception() -> None:
    # Thursday 24 December 2026 would be an ordinary weekday
    assert is_open_at([WEEKDAYS_8_TO_16], at(2026, 12, 24, 10))
    assert not is_open_at([WEEKDAYS_8_TO_16, CHRISTMAS_CLOSED], at(2026, 12, 24, 10))
    assert is_open_at([WEEKDAYS_8_TO_16, CHRISTMAS_CLOSED], at(2026, 12, 28, 10))


def test_it_uses_exception_hours_instead_of_the_regular_ones() -> None:
    schedules = [WEEKDAYS_8_TO_16, SUMMER_HOURS]
    assert is_open_at(schedules, at(2026, 7, 6, 11))
    assert not is_open_at(schedules, at(2026, 7, 6, 14))  # open 8–16 normally, 9–12 in July


def test_it_handles_hours_past_midnight() -> None:
    night_line = Schedule(freq="DAILY", opens_at=dt.time(20), closes_at=dt.time(2))
    assert is_open_at([night_line], at(2026, 11, 23, 23))
    assert is_open_at([night_line], at(2026, 11, 24, 1))
    assert not is_open_at([night_line], at(2026, 11, 24, 3))


@pytest.mark.django_db
def test_it_falls_back_to_the_hours_of_the_services_location() -> None:
    kuopio = Municipality.objects.create(code="297", name_fi="Kuopio")
    org = Organization.objects.create(name="Pohjois-Savon hyvinvointialue", kind="wellbeing_county")
    service = Service.objects.create(organization=org, name="Lastenneuvola")
    place = Location.objects.create(name="Neuvola Keskusta", municipality=kuopio, organization=org)
    ServiceAtLocation.objects.create(service=service, location=place)
    Schedule.objects.create(
        location=place, freq="WEEKLY", byday="MO,TU,WE,TH,FR", opens_at=dt.time(8), closes_at=dt.time(15)
    )
    assert service_is_open(service, at(2026, 11, 23, 9))
    assert not service_is_open(service, at(2026, 11, 23, 15, 30))
