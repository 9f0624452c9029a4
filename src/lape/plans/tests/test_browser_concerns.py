"""The concern-signal page in Chromium: a public health nurse registers a signal about Aino through
the form (first with a mistyped identity code), and finds that the city's school social worker has
signalled too: who and how to reach them. axe-core on the page (with errors, with a match) in
Finnish, Swedish and English: no serious or critical problem.

The browser helpers and fixtures are the consent pages' (lape.access.tests.test_browser_consent).
"""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from lape.access.tests.test_browser_consent import _as, _axe, axe_source, plain_http_cookies
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import World, child_code

from ..concerns import register_signal
from ..models import ConcernSignal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
world = referrals_world.world
__all__ = ["axe_source", "plain_http_cookies", "world"]

SUBMIT = "form.lape-form button[type=submit]"


def _fill(browser: Any, identity_code: str, contact: str) -> None:
    for name, value in (("identity_code", identity_code), ("contact", contact)):
        field = browser.find_element(By.ID, f"id_{name}")
        field.clear()
        field.send_keys(value)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_nurse_signals_and_meets_the_school_social_worker(
    browser: Any, live_server: Any, axe_source: str, plain_http_cookies: None, world: World, lang: str
) -> None:
    browser.set_script_timeout(60)
    register_signal(
        world.school_social_worker, identity_code=child_code(world), contact="kuraattori@example.org"
    )
    _as(browser, live_server, world.nurse, lang)
    browser.get(f"{live_server.url}/work/concerns/")
    problems = _axe(browser, axe_source, f"{lang} signals, none")

    _fill(browser, "010101-123X", "neuvola@example.org")
    browser.find_element(By.CSS_SELECTOR, SUBMIT).click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, "form-errors"))
    assert browser.find_element(By.ID, "id_contact").get_attribute("value") == "neuvola@example.org"
    problems += _axe(browser, axe_source, f"{lang} signals, an error")

    _fill(browser, child_code(world), "neuvola@example.org")
    browser.find_element(By.CSS_SELECTOR, SUBMIT).click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=match]"))
    match = browser.find_element(By.CSS_SELECTOR, "[data-testid=match]").text
    assert "school-social-worker, Kuopion kaupunki: kuraattori@example.org" in match
    assert ConcernSignal.objects.filter(membership_id=world.nurse.membership_id).exists()
    problems += _axe(browser, axe_source, f"{lang} signals, a match")
    assert problems == []
