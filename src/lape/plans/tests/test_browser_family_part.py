"""The family-level part in Chromium, with axe-core on every state of the plan page (no serious or
critical problem), in Finnish, Swedish and English: the family worker, who coordinates Aino's and her
brother Otto's plans, links them, is told what a family-level goal is missing, writes one; the city's
school social worker, on Aino's team only, sees it as a heading.
"""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from lape.access.tests import test_browser_consent as consent_pages

from ..models import FamilyEntry, LinkedPlan
from .conftest import Team, World, sibling_with_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

axe_source = consent_pages.axe_source
plain_http_cookies = consent_pages.plain_http_cookies
_as, _axe, _click_and_wait = consent_pages._as, consent_pages._axe, consent_pages._click_and_wait

GOAL = "A calm home for the whole family"


def _submit(browser: Any, action_end: str) -> Any:
    return browser.find_element(By.CSS_SELECTOR, f"form[action$='{action_end}'] button[type=submit]")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_coordinator_links_siblings_plans_and_writes_for_the_whole_family(
    browser: Any,
    live_server: Any,
    axe_source: str,
    plain_http_cookies: None,
    world: World,
    team: Team,
    lang: str,
) -> None:
    browser.set_script_timeout(60)
    otto = sibling_with_plan(world)
    plan_url = f"{live_server.url}/work/plans/{team.plan.pk}/"
    problems: list[str] = []

    _as(browser, live_server, world.family_worker, lang)
    browser.get(plan_url)
    problems += _axe(browser, axe_source, f"plan with a sibling's plan to link ({lang})")
    browser.find_element(By.CSS_SELECTOR, f"input[name='family-link-plans'][value='{otto.plan.pk}']").click()
    _click_and_wait(browser, _submit(browser, "/family/link/"), lambda: LinkedPlan.objects.count() == 2)
    problems += _axe(browser, axe_source, f"linked plan ({lang})")

    _click_and_wait(
        browser,
        _submit(browser, "/family/entries/"),
        lambda: bool(browser.find_elements(By.ID, "form-errors")),
    )
    assert not FamilyEntry.objects.exists()
    problems += _axe(browser, axe_source, f"family-level entry with errors ({lang})")

    browser.find_element(By.CSS_SELECTOR, "input[name='family-entry-kind'][value='goal']").click()
    Select(browser.find_element(By.ID, "id_family-entry-category")).select_by_value("social_services")
    Select(browser.find_element(By.ID, "id_family-entry-domain")).select_by_value("nurtured")
    browser.find_element(By.ID, "id_family-entry-text").send_keys(GOAL)
    _click_and_wait(browser, _submit(browser, "/family/entries/"), lambda: FamilyEntry.objects.exists())
    assert GOAL in browser.page_source

    _as(browser, live_server, world.school_social_worker, lang)
    browser.get(plan_url)
    assert GOAL not in browser.page_source
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-testid=family-withheld]")) == 1
    problems += _axe(browser, axe_source, f"linked plan as a member of one team ({lang})")
    assert problems == []
