"""The plan pages in Chromium, with axe-core on every page on the way (no serious or critical
problem), in Finnish, Swedish and English: the county's family worker starts Aino's plan from her
contact request, adds the City of Kuopio's family worker to the team and writes a goal; the
county's nurse (added through the actions) writes a health note. Under the mother's consent to
share social services with the city, the city's family worker sees the goal whole and the health
note as its heading only, with no emergency link (her role may not break the glass).

Sessions, axe-core and the cookies are those of the consent pages' browser test (lape.access).
"""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from lape.access.tests import test_browser_consent as consent_pages
from lape.accounts.roles import Role
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import World, consent_to, identified_request, make_actor, membership_of

from ..entries import add_note
from ..models import Entry, Plan, TeamMember
from ..team import add_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

world = referrals_world.world
axe_source = consent_pages.axe_source
plain_http_cookies = consent_pages.plain_http_cookies
_as, _axe, _click_and_wait = consent_pages._as, consent_pages._axe, consent_pages._click_and_wait

GOAL = "Calm evenings and enough sleep"
NOTE = "Growth and sleep checked: fine"


def _submit(browser: Any, action_end: str) -> Any:
    return browser.find_element(By.CSS_SELECTOR, f"form[action$='{action_end}'] button[type=submit]")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_coordinator_starts_a_plan_and_a_member_of_another_organisation_sees_what_consent_allows(
    browser: Any, live_server: Any, axe_source: str, plain_http_cookies: None, world: World, lang: str
) -> None:
    browser.set_script_timeout(60)
    request = identified_request(world)
    city_worker = make_actor("city-family-worker", world.city, Role.FAMILY_WORKER)
    problems: list[str] = []

    # The family worker opens the contact request and starts the plan.
    _as(browser, live_server, world.family_worker, lang)
    browser.get(f"{live_server.url}/work/requests/{request.pk}/")
    _click_and_wait(
        browser,
        browser.find_element(By.CSS_SELECTOR, "a[href^='/work/plans/new/']"),
        lambda: "/work/plans/new/" in browser.current_url,
    )
    assert browser.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == lang
    problems += _axe(browser, axe_source, f"start ({lang})")
    _click_and_wait(browser, _submit(browser, "/work/plans/new/"), lambda: Plan.objects.exists())
    plan = Plan.objects.get()
    assert browser.current_url.endswith(f"/work/plans/{plan.pk}/")
    problems += _axe(browser, axe_source, f"plan ({lang})")

    # An empty goal: the errors linked to the fields, nothing written.
    _click_and_wait(
        browser, _submit(browser, "/goals/"), lambda: bool(browser.find_elements(By.ID, "form-errors"))
    )
    assert not Entry.objects.exists()
    problems += _axe(browser, axe_source, f"plan with errors ({lang})")

    # The city's family worker to the team, then a goal.
    Select(browser.find_element(By.ID, "id_member-membership")).select_by_value(
        str(membership_of(city_worker).pk)
    )
    browser.find_element(By.ID, "id_member-task").send_keys("Family work at home")
    _click_and_wait(browser, _submit(browser, "/members/"), lambda: TeamMember.objects.count() == 2)
    # Adding asks for the consent the new member needs; then back to the plan.
    assert "/reads/" in browser.current_url
    problems += _axe(browser, axe_source, f"a new member's consent needs ({lang})")
    browser.get(f"{live_server.url}/work/plans/{plan.pk}/")
    Select(browser.find_element(By.ID, "id_goal-domain")).select_by_value("safe")
    browser.find_element(By.ID, "id_goal-words").send_keys(GOAL)
    _click_and_wait(browser, _submit(browser, "/goals/"), lambda: Entry.objects.filter(kind="goal").exists())
    assert GOAL in browser.page_source

    # The county's nurse writes a health note; the mother consents to share social services with the city.
    add_member(world.family_worker, plan.pk, membership_of(world.nurse).pk)
    add_note(world.nurse, plan.pk, category="health", text=NOTE)
    consent_to(world, world.city, "social_services")

    # The city's family worker: the goal whole, the note as a heading only.
    _as(browser, live_server, city_worker, lang)
    browser.get(f"{live_server.url}/work/plans/")
    problems += _axe(browser, axe_source, f"my plans ({lang})")
    _click_and_wait(
        browser,
        browser.find_element(By.CSS_SELECTOR, f"a[href='/work/plans/{plan.pk}/']"),
        lambda: browser.current_url.endswith(f"/work/plans/{plan.pk}/"),
    )
    assert GOAL in browser.page_source
    assert NOTE not in browser.page_source
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-testid=withheld]")) == 1
    assert not browser.find_elements(By.CSS_SELECTOR, "a[href$='/emergency/']")
    problems += _axe(browser, axe_source, f"plan as a member ({lang})")
    assert problems == []
