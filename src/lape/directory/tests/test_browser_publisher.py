"""A publisher signs in to the back office in Chromium and writes a service's Swedish text."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from lape.directory.models import Organization, Publisher, Service
from lape.directory.permissions import publisher_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "vaalea-kettu-hyppää-9"


def _screenshot(browser: Any, tmp_path: Path, name: str) -> None:
    """Keep a screenshot for people to look at (LAPE_SCREENSHOT_DIR, else the test's tmp dir)."""
    folder = Path(os.environ.get("LAPE_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(folder / f"{name}.png"))


@pytest.fixture
def plain_http_cookies(settings: Any) -> None:
    # The live server speaks plain http; Secure cookies would never come back to it.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


def test_it_lets_a_publisher_write_a_services_swedish_name(
    browser: Any, live_server: Any, plain_http_cookies: None, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    kuopio = Organization.objects.create(name="Kuopion kaupunki", business_id="0171612-6")
    service = Service.objects.create(
        organization=kuopio, name="Lastenneuvola", description="Lapsiperheiden terveysneuvonta."
    )
    publisher = User.objects.create_user("neuvola-publisher", password=PASSWORD, is_staff=True)
    publisher.groups.add(publisher_group())
    Publisher.objects.create(user=publisher, organization=kuopio)

    change_path = f"/admin/directory/service/{service.pk}/change/"
    browser.get(f"{live_server.url}/admin/login/?next={change_path}")
    browser.find_element(By.NAME, "username").send_keys("neuvola-publisher")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()

    name_sv = browser.find_element(By.NAME, "name_sv")
    assert name_sv.get_attribute("lang") == "sv"
    assert browser.find_element(By.NAME, "name").get_attribute("lang") == "fi"
    name_sv.send_keys("Barnrådgivning")
    browser.find_element(By.NAME, "description_sv").send_keys("Hälsorådgivning för barnfamiljer.")
    _screenshot(browser, tmp_path, "service-form")
    browser.find_element(By.NAME, "_save").click()
    assert browser.find_elements(By.CSS_SELECTOR, ".messagelist .success")

    browser.get(f"{live_server.url}/admin/directory/service/{service.pk}/history/")
    history = browser.find_element(By.ID, "change-history").text
    assert "neuvola-publisher" in history  # who
    assert "Barnrådgivning" in history  # what
    _screenshot(browser, tmp_path, "history")

    browser.get(f"{live_server.url}/admin/directory/service/quality/")
    assert "Lastenneuvola" in browser.find_element(By.ID, "quality-table").text
    _screenshot(browser, tmp_path, "quality")

    # What the directory publishes to everyone who reads the HSDS API.
    with urllib.request.urlopen(f"{live_server.url}/api/hsds/services/{service.pk}") as response:  # noqa: S310 - our own live server
        published = json.load(response)
    assert published["translations"]["sv"]["name"] == "Barnrådgivning"
    assert published["translations"]["sv"]["description"] == "Hälsorådgivning för barnfamiljer."
    assert published["name"] == "Lastenneuvola"
