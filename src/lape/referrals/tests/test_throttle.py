"""The limit on public contact requests from one address, counted in the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import RequestFactory

from lape.referrals.models import PostCount
from lape.referrals.throttle import TooManyPosts, check_public_post, take_place

NOW = dt.datetime(2025, 11, 3, 10, 15, tzinfo=dt.UTC)


@pytest.fixture
def five_an_hour(settings: Any) -> None:
    settings.LAPE_CONTACT_REQUEST_LIMIT = 5
    settings.LAPE_CONTACT_REQUEST_WINDOW_MINUTES = 60


def _post(address: str) -> Any:
    return RequestFactory().post("/ask/", REMOTE_ADDR=address)


@pytest.mark.django_db
def test_a_flood_from_one_address_is_refused_with_a_clear_message(five_an_hour: None) -> None:
    for _i in range(5):
        check_public_post(_post("203.0.113.7"), NOW)
    with pytest.raises(TooManyPosts) as raised:
        check_public_post(_post("203.0.113.7"), NOW)
    assert raised.value.message.startswith("Too many contact requests have been sent from your connection")
    assert "60 minutes" in raised.value.message
    assert PostCount.objects.get().count == 5


@pytest.mark.django_db
def test_another_address_is_not_affected(five_an_hour: None) -> None:
    for _i in range(5):
        take_place("203.0.113.7", NOW)
    assert take_place("203.0.113.8", NOW)


@pytest.mark.django_db
def test_the_next_window_starts_afresh_and_old_windows_are_dropped(five_an_hour: None) -> None:
    for _i in range(5):
        take_place("203.0.113.7", NOW)
    assert not take_place("203.0.113.7", NOW + dt.timedelta(minutes=30))
    assert take_place("203.0.113.7", NOW + dt.timedelta(hours=1))
    take_place("198.51.100.1", NOW + dt.timedelta(days=2))
    assert PostCount.objects.count() == 1


@pytest.mark.django_db
def test_the_address_itself_is_never_stored(five_an_hour: None) -> None:
    take_place("203.0.113.7", NOW)
    row = PostCount.objects.get()
    assert "203.0.113.7" not in row.key and len(row.key) == 64


@pytest.mark.django_db
def test_behind_a_proxy_the_forwarded_address_counts(five_an_hour: None, settings: Any) -> None:
    settings.LAPE_PROXY_COUNT = 1
    for n in range(5):
        request = RequestFactory().post(
            "/ask/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        )
        check_public_post(request, NOW)
    # Five different families behind one proxy: each has its own count.
    assert PostCount.objects.count() == 5
