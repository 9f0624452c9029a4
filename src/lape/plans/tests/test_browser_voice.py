"""Veera (13) in Chromium: signs in through the local OIDC provider's own login page and answers
her wellbeing self-assessment with the keyboard only (Tab between the questions, arrow keys between
the faces, Enter to send), first sending nothing (the error), then her answers; her plan shows them
in the table. axe-core on the form, the form with its error, and the plan (en, fi, sv): no serious or
critical problem. The focus on a face is visible (its outline), though the radio itself is hidden.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from lape.access.tests.test_browser_consent import _axe, axe_source, plain_http_cookies
from lape.accounts.tests.family_provider import PASSWORD, Family, Provider, family, start_provider
from lape.referrals.tests import conftest as referrals_world

from ..models import SelfAssessment
from .test_pages_voice import teen_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
world = referrals_world.world
__all__ = ["axe_source", "family", "plain_http_cookies", "world"]

# The faces Veera chooses (0: "I'd rather not say", left as it is).
ANSWERS = {
    "safe": 4,
    "healthy": 3,
    "achieving": 5,
    "nurtured": 5,
    "active": 0,
    "respected": 2,
    "responsible": 4,
    "included": 3,
}


@pytest.fixture
def provider_for_live_server(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[Provider]:
    with start_provider(tmp_path / "provider", [f"{live_server.url}/family/sign-in/callback/"]) as provider:
        settings.LAPE_FAMILY_OIDC = provider.settings()
        yield provider


def _wait(browser: Any, until: Any) -> None:
    WebDriverWait(browser, 20).until(lambda _driver: until())


def _press(browser: Any, *keys: str) -> None:
    actions = ActionChains(browser)
    for key in keys:
        actions.send_keys(key)
    actions.perform()


def _focused(browser: Any, script: str) -> Any:
    return browser.execute_script(f"const e = document.activeElement; return {script};")


def _tab_until(browser: Any, script: str) -> None:
    for _ in range(80):
        _press(browser, Keys.TAB)
        if _focused(browser, script):
            return
    raise AssertionError(f"the keyboard never reached {script}")


def test_a_young_person_answers_her_self_assessment_with_the_keyboard_only(
    browser: Any,
    live_server: Any,
    axe_source: str,
    plain_http_cookies: None,
    provider_for_live_server: Provider,
    family: Family,
) -> None:
    browser.set_script_timeout(60)
    plan = teen_plan(family.world, family.teen)
    problems: list[str] = []
    browser.get(f"{live_server.url}/family/sign-in/")
    browser.add_cookie({"name": django_settings.LANGUAGE_COOKIE_NAME, "value": "en", "path": "/"})
    browser.get(f"{live_server.url}/family/sign-in/")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=family-sign-in]").click()
    _wait(browser, lambda: browser.current_url.startswith(provider_for_live_server.url))
    browser.find_element(By.ID, "id_username").send_keys("veera")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD + Keys.ENTER)
    _wait(browser, lambda: browser.current_url == f"{live_server.url}/family/")

    plan_url = f"{live_server.url}{reverse('plans:family_plan', kwargs={'plan_id': plan.pk})}"
    form_url = f"{live_server.url}{reverse('plans:family_self_assessment', kwargs={'plan_id': plan.pk})}"
    browser.get(plan_url)
    assert (
        browser.find_element(By.CSS_SELECTOR, "[data-testid=answer-self-assessment]").get_attribute("href")
        == form_url
    )
    browser.get(form_url)
    assert "How are you?" in browser.page_source
    problems += _axe(browser, axe_source, "self-assessment")

    # Sending nothing: Tab to the button, Enter; the error is announced at the top.
    _tab_until(
        browser,
        "e.tagName === 'BUTTON' && e.type === 'submit' && e.form !== null && e.form.matches('.faces-form')",
    )
    _press(browser, Keys.ENTER)
    _wait(browser, lambda: "Choose a face for at least one question." in browser.page_source)
    problems += _axe(browser, axe_source, "self-assessment with an error")

    # The first question's radio group: the checked radio ("I'd rather not say") takes the focus.
    _tab_until(browser, "e.name === 'safe'")
    assert _focused(browser, "e.type") == "radio" and _focused(browser, "e.value") == ""
    outline = _focused(browser, "getComputedStyle(e.nextElementSibling).outlineStyle")
    assert outline == "solid", "the focused face shows no focus outline"
    for number, (domain, feeling) in enumerate(ANSWERS.items()):
        assert _focused(browser, "e.name") == domain
        _press(browser, *[Keys.ARROW_RIGHT] * feeling)
        assert _focused(browser, "e.value") == (str(feeling) if feeling else "")
        if number < len(ANSWERS) - 1:
            _press(browser, Keys.TAB)
    _press(browser, Keys.TAB)
    assert _focused(browser, "e.tagName") == "BUTTON"
    _press(browser, Keys.ENTER)
    _wait(browser, lambda: browser.current_url.startswith(plan_url))

    assessment = SelfAssessment.objects.get()
    answered = dict(assessment.answers.values_list("domain", "feeling"))
    assert answered == {domain: feeling for domain, feeling in ANSWERS.items() if feeling}
    row = browser.find_element(By.CSS_SELECTOR, "[data-testid=wellbeing-safe]").text
    assert "4 – good" in row
    assert "not answered" in browser.find_element(By.CSS_SELECTOR, "[data-testid=wellbeing-active]").text
    assert "Thank you! Your answers were saved in the plan." in browser.page_source
    problems += _axe(browser, axe_source, "plan with the table")

    for lang in ("fi", "sv"):
        browser.add_cookie({"name": django_settings.LANGUAGE_COOKIE_NAME, "value": lang, "path": "/"})
        for url in (form_url, plan_url):
            browser.get(url)
            assert f'lang="{lang}"' in browser.page_source
            problems += _axe(browser, axe_source, f"{url} ({lang})")
    assert problems == []
