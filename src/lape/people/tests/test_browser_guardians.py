"""The guardians page in Chromium, in Finnish, Swedish and English: a social worker records a new
guardian (after an empty form's errors) and ends a guardianship, with axe-core on every page on the
way: no serious or critical problem. And the way from a consent form that has no guardian to offer,
to the guardians page and back to the form, which then offers the guardian recorded.

Sessions, axe-core and the cookies are those of the consent pages' browser test (lape.access).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from lape.access.tests import test_browser_consent as consent_pages
from lape.people.identity_codes import compose_identity_code
from lape.people.models import GuardianRelation, Person
from lape.people.registry import end_guardianship, register_person
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import World, identified_request, years_ago

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The referrals tests' world: the social worker's contact request about Aino (10); Maija, her mother.
world = referrals_world.world
axe_source = consent_pages.axe_source
plain_http_cookies = consent_pages.plain_http_cookies
_as, _axe, _click_and_wait = consent_pages._as, consent_pages._axe, consent_pages._click_and_wait


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_social_worker_records_and_ends_a_guardianship_and_axe_finds_no_serious_problem(
    browser: Any, live_server: Any, axe_source: str, plain_http_cookies: None, world: World, lang: str
) -> None:
    browser.set_script_timeout(60)
    identified_request(world, worker=world.social_worker)
    _as(browser, live_server, world.social_worker, lang)
    page = f"{live_server.url}/work/people/{world.child.pk}/guardians/"
    problems: list[str] = []

    browser.get(page)
    assert browser.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == lang
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-testid=guardian-current]")) == 1
    problems += _axe(browser, axe_source, f"guardians ({lang})")

    # An empty form: the errors at the top, linked to the field, and next to it.
    submit = browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]")
    _click_and_wait(browser, submit, lambda: bool(browser.find_elements(By.ID, "form-errors")))
    assert browser.find_element(By.ID, "id_identity_code_error").is_displayed()
    problems += _axe(browser, axe_source, f"guardians with errors ({lang})")

    # A guardian not registered yet: the code and the names.
    code = compose_identity_code(years_ago(42, days=5), 948)
    browser.find_element(By.ID, "id_identity_code").send_keys(code)
    browser.find_element(By.ID, "id_given_names").send_keys("Kalle Demo")
    browser.find_element(By.ID, "id_family_name").send_keys("Testinen")
    submit = browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]")
    _click_and_wait(
        browser,
        submit,
        lambda: len(browser.find_elements(By.CSS_SELECTOR, "[data-testid=guardian-current]")) == 2,
    )
    assert code not in browser.page_source and code[:7] + "****" in browser.page_source
    kalle = Person.objects.get(given_names="Kalle Demo")
    assert GuardianRelation.objects.filter(guardian=kalle, child=world.child, ended__isnull=True).exists()
    problems += _axe(browser, axe_source, f"guardians after recording ({lang})")

    # Ending Maija's guardianship, after the confirmation.
    maija = GuardianRelation.objects.get(guardian=world.mother)
    _click_and_wait(
        browser,
        browser.find_element(By.CSS_SELECTOR, f"a[href='/work/guardianships/{maija.pk}/end/']"),
        lambda: "/end/" in browser.current_url,
    )
    assert browser.find_element(By.ID, "id_ended").get_attribute("type") == "date"
    problems += _axe(browser, axe_source, f"end a guardianship ({lang})")
    submit = browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]")
    _click_and_wait(browser, submit, lambda: "/guardians/" in browser.current_url)
    maija.refresh_from_db()
    assert maija.ended is not None
    assert browser.find_element(By.CSS_SELECTOR, "[role=status] .message").is_displayed()
    problems += _axe(browser, axe_source, f"guardians after ending ({lang})")
    assert problems == [], "\n".join(problems)


def test_the_consent_form_without_guardians_leads_here_and_back(
    browser: Any, live_server: Any, axe_source: str, plain_http_cookies: None, world: World
) -> None:
    browser.set_script_timeout(60)
    identified_request(world, worker=world.social_worker)
    end_guardianship(world.mother, world.child, ended=timezone.localdate() - dt.timedelta(days=1))
    pekka = register_person(
        given_names="Pekka",
        family_name="Testinen",
        identity_code=compose_identity_code(years_ago(45, days=8), 949),
    )
    _as(browser, live_server, world.social_worker, "en")
    consent_form = f"{live_server.url}/work/people/{world.child.pk}/consents/new/"
    problems: list[str] = []

    browser.get(consent_form)
    assert not browser.find_elements(By.CSS_SELECTOR, "input[name=given_by]")
    problems += _axe(browser, axe_source, "record a consent, no guardian")
    _click_and_wait(
        browser,
        browser.find_element(By.LINK_TEXT, "Record the guardians"),
        lambda: "/guardians/" in browser.current_url,
    )
    browser.find_element(By.ID, "id_identity_code").send_keys(compose_identity_code(pekka.birth_date, 949))
    submit = browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]")
    _click_and_wait(browser, submit, lambda: bool(browser.find_elements(By.CSS_SELECTOR, "[role=status]")))
    problems += _axe(browser, axe_source, "guardians with a way back")
    _click_and_wait(
        browser, browser.find_element(By.LINK_TEXT, "Back"), lambda: browser.current_url == consent_form
    )
    assert browser.find_element(By.CSS_SELECTOR, f"input[name=given_by][value='{pekka.pk}']").is_displayed()
    assert problems == [], "\n".join(problems)
