"""A guardian in Chromium: signs in through the local OIDC provider's own login page, finds the
access log of their child's data with a social worker's read and a stranger's refused attempt,
their consents (and withdraws one) and the child's plan; axe-core on every family page in English,
Finnish and Swedish (no serious or critical problem).

The provider (lape_demo_idp) runs in its own process for this test, with the live server's
callback registered; the browser goes to it and back as it would to Suomi.fi's broker.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from lape.accounts.tests.family_provider import PASSWORD, Family, Provider, family, start_provider
from lape.plans.team import start_plan
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import consent_to, identified_request
from lape.referrals.tests.page_clients import browser_of

from .test_browser_consent import _axe, axe_source, plain_http_cookies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
world = referrals_world.world
__all__ = ["axe_source", "family", "plain_http_cookies", "world"]


@pytest.fixture
def provider_for_live_server(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[Provider]:
    with start_provider(tmp_path / "provider", [f"{live_server.url}/family/sign-in/callback/"]) as provider:
        settings.LAPE_FAMILY_OIDC = provider.settings()
        yield provider


def _wait(browser: Any, until: Any) -> None:
    WebDriverWait(browser, 20).until(lambda _driver: until())


def _language(browser: Any, live_server: Any, lang: str) -> None:
    browser.get(f"{live_server.url}/family/sign-in/")
    browser.add_cookie({"name": django_settings.LANGUAGE_COOKIE_NAME, "value": lang, "path": "/"})


def test_a_guardian_signs_in_through_the_provider_and_sees_who_has_seen_the_childs_data(
    browser: Any,
    live_server: Any,
    axe_source: str,
    plain_http_cookies: None,
    provider_for_live_server: Provider,
    family: Family,
) -> None:
    browser.set_script_timeout(60)
    world = family.world
    identified_request(world, worker=world.social_worker)
    consents = reverse("access:consents", kwargs={"person_id": family.child.pk})
    assert browser_of(world.social_worker).get(consents).status_code == 200
    assert browser_of(world.stranger).get(consents).status_code == 404
    consent = consent_to(world, world.ngo, "ngo_support", by=world.social_worker)
    plan = start_plan(world.social_worker, world.child.pk)
    problems: list[str] = []

    _language(browser, live_server, "en")
    browser.get(f"{live_server.url}/family/sign-in/")
    problems += _axe(browser, axe_source, "sign-in")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=family-sign-in]").click()
    _wait(browser, lambda: browser.current_url.startswith(provider_for_live_server.url))
    assert "Demo identification" in browser.page_source
    browser.find_element(By.ID, "id_username").send_keys("pekka")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait(browser, lambda: browser.current_url == f"{live_server.url}/family/")

    assert "Signed in as Pekka Testinen." in browser.page_source
    problems += _axe(browser, axe_source, "home")
    browser.find_element(By.LINK_TEXT, "Who has seen the information: Aino Testinen").click()
    _wait(browser, lambda: "/access-log/" in browser.current_url)
    rows = browser.find_elements(By.CSS_SELECTOR, "[data-testid=log-row]")
    texts = [row.text for row in rows]
    assert any("social-worker" in t and "Read: consents" in t and "Allowed" in t for t in texts)
    assert any("stranger" in t and "Keski-Suomen hyvinvointialue" in t and "Refused" in t for t in texts)
    assert "you" in texts[0]  # this very read, newest first
    problems += _axe(browser, axe_source, "access log")
    browser.get(
        f"{live_server.url}{reverse('access:family_consents', kwargs={'person_id': family.child.pk})}"
    )
    problems += _axe(browser, axe_source, "consents")
    consents_url = browser.current_url
    browser.find_element(By.CSS_SELECTOR, "[data-testid=withdraw]").click()
    _wait(browser, lambda: "/withdraw/" in browser.current_url)
    problems += _axe(browser, axe_source, "withdraw")
    withdraw_url = browser.current_url
    plan_url = f"{live_server.url}{reverse('plans:family_plan', kwargs={'plan_id': plan.pk})}"
    browser.get(plan_url)
    assert "Shared plan: Aino Testinen" in browser.page_source
    problems += _axe(browser, axe_source, "plan")

    log_url = consents_url.replace("/consents/", "/access-log/")
    for lang in ("fi", "sv"):
        browser.add_cookie({"name": django_settings.LANGUAGE_COOKIE_NAME, "value": lang, "path": "/"})
        for url in (f"{live_server.url}/family/", log_url, consents_url, withdraw_url, plan_url):
            browser.get(url)
            assert f'lang="{lang}"' in browser.page_source
            problems += _axe(browser, axe_source, f"{url} ({lang})")

    # The withdrawal itself, by the keyboard-reachable button of the confirmation page.
    browser.get(withdraw_url)
    browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]").click()
    _wait(browser, lambda: browser.current_url == consents_url)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert problems == []
