"""The disclosure-ban pages in Chromium: axe-core on every page (the list, the form, the form with
errors, a child of 13's form, lifting, a ban lifted already, the list after lifting) in Finnish,
Swedish and English: no serious or critical problem; and a ban recorded and lifted through the
pages, without JavaScript of our own.

Sessions, axe-core and the people are the consent pages' browser test's (test_browser_consent).
"""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from lape.access.ban_actions import lift_ban, set_ban
from lape.access.models import DisclosureBan
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import World, identified_request

from .test_browser_consent import _as, _axe, _click_and_wait, _teen, axe_source, plain_http_cookies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

world = referrals_world.world
__all__ = ["axe_source", "plain_http_cookies", "world"]  # fixtures used by name


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_axe_finds_no_serious_problem_on_the_ban_pages(
    browser: Any, live_server: Any, axe_source: str, plain_http_cookies: None, world: World, lang: str
) -> None:
    browser.set_script_timeout(60)
    identified_request(world, worker=world.social_worker)
    teen = _teen(world)
    in_force = set_ban(
        world.social_worker,
        person=world.child,
        set_by=world.mother,
        scope="service",
        service=world.family_work,
        categories=["social_services"],
    )
    lifted = set_ban(
        world.social_worker,
        person=world.child,
        set_by=world.mother,
        scope="organization",
        organization=world.city,
    )
    lift_ban(world.social_worker, lifted.pk, lifted_by=world.mother)
    _as(browser, live_server, world.social_worker, lang)
    problems: list[str] = []
    pages = [
        ("bans", f"/work/people/{world.child.pk}/bans/"),
        ("record a ban", f"/work/people/{world.child.pk}/bans/new/"),
        ("record a ban, a child of 13", f"/work/people/{teen.pk}/bans/new/"),
        ("lift", f"/work/bans/{in_force.pk}/lift/"),
        ("lifted already", f"/work/bans/{lifted.pk}/lift/"),
    ]
    for name, path in pages:
        browser.get(live_server.url + path)
        assert browser.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == lang, name
        assert browser.find_element(By.TAG_NAME, "h1").text, name
        problems += _axe(browser, axe_source, f"{name} ({lang})")

    # The form with errors (nothing chosen), then a ban recorded through it.
    browser.get(f"{live_server.url}/work/people/{world.child.pk}/bans/new/")
    browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]").click()
    assert browser.find_element(By.ID, "form-errors").is_displayed()
    assert browser.find_element(By.ID, "id_set_by_error").is_displayed()
    problems += _axe(browser, axe_source, f"record a ban with errors ({lang})")
    browser.find_element(By.CSS_SELECTOR, f'input[name="set_by"][value="{world.mother.pk}"]').click()
    browser.find_element(By.CSS_SELECTOR, 'input[name="scope"][value="organization"]').click()
    Select(browser.find_element(By.ID, "id_organization")).select_by_value(str(world.county.pk))
    browser.find_element(By.CSS_SELECTOR, 'input[name="categories"][value="health"]').click()
    button = browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]")
    _click_and_wait(browser, button, lambda: "/new/" not in browser.current_url)
    recorded = DisclosureBan.objects.get(organization=world.county)
    assert (recorded.set_by, recorded.categories) == (world.mother, ["health"])

    # Lifting the service's ban; the list after it.
    browser.get(f"{live_server.url}/work/bans/{in_force.pk}/lift/")
    browser.find_element(By.CSS_SELECTOR, f'input[name="lifted_by"][value="{world.mother.pk}"]').click()
    button = browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]")
    _click_and_wait(browser, button, lambda: "/lift/" not in browser.current_url)
    assert browser.find_element(By.CSS_SELECTOR, "[role=status] .message").is_displayed()
    problems += _axe(browser, axe_source, f"bans after lifting ({lang})")
    in_force.refresh_from_db()
    assert in_force.lifted_at is not None
    assert problems == [], "\n".join(problems)
