"""The reviewer's pages in Chromium: the county's data-protection reviewer finds the nurse's
break-the-glass read of Aino's goal, tries to mark it reviewed without a note (the error next to the
field), then with one. axe-core on the list (waiting, reviewed) and on the review page (with the
error) in Finnish, Swedish and English: no serious or critical problem.

The browser helpers and fixtures are the consent pages' (lape.access.tests.test_browser_consent).
"""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from lape.access.tests.test_browser_consent import _as, _axe, axe_source, plain_http_cookies
from lape.accounts.models import Role
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import World, identified_request, make_actor, membership_of

from ..break_glass import entry_in_emergency
from ..entries import add_goal
from ..models import EmergencyReview
from ..team import add_member, start_plan
from .test_pages_emergency_review import REASON, _grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
world = referrals_world.world
__all__ = ["axe_source", "plain_http_cookies", "world"]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_reviewer_reviews_a_nurses_emergency_read(
    browser: Any, live_server: Any, axe_source: str, plain_http_cookies: None, world: World, lang: str
) -> None:
    browser.set_script_timeout(60)
    identified_request(world)
    plan = start_plan(world.family_worker, world.child.pk)
    add_member(world.family_worker, plan.pk, membership_of(world.nurse).pk)
    goal = add_goal(
        world.family_worker, plan.pk, category="social_services", domain="safe", words="Calm evenings"
    )
    entry_in_emergency(world.nurse, goal.pk, REASON)
    reviewer = _grant(make_actor("tietosuoja", world.county, Role.MANAGER))

    _as(browser, live_server, reviewer, lang)
    browser.get(f"{live_server.url}/work/emergency-reviews/")
    assert REASON in browser.find_element(By.CSS_SELECTOR, "[data-testid=waiting]").text
    problems = _axe(browser, axe_source, f"{lang} reviews, waiting")

    review = EmergencyReview.objects.get()
    browser.find_element(By.CSS_SELECTOR, f"a[href='/work/emergency-reviews/{review.pk}/']").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, "id_note"))
    browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, "form-errors"))
    problems += _axe(browser, axe_source, f"{lang} review, an error")

    browser.find_element(By.ID, "id_note").send_keys("Checked with the nurse: the emergency was real.")
    browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=reviewed-read]")
    )
    problems += _axe(browser, axe_source, f"{lang} reviews, reviewed")
    review.refresh_from_db()
    assert review.reviewed_at is not None
    assert problems == []
