"""The consent pages in Chromium: a social worker, making a referral to an NGO, finds that the
social-services information may not go, follows "record the family's consent", records the mother's
consent and sends the referral, which now carries that information on the consent. And axe-core on
every consent page in Finnish, Swedish and English: no serious or critical problem.

Professionals' sessions are made as in the referrals' page tests (a real TOTP device in the
session); logging in with password and code has its own browser tests in lape.accounts and
lape.referrals. axe-core comes from npm (`make install`); nothing is downloaded while testing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from lape.access.consent_actions import grant_consent, withdraw_consent
from lape.access.models import Consent
from lape.accounts.acting import Actor
from lape.conftest import _missing
from lape.people.identity_codes import compose_identity_code
from lape.people.models import Person
from lape.people.registry import add_guardian
from lape.referrals.handling import assign_request, identify_person
from lape.referrals.models import ContactRequest, Referral, ReferralStatus
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import World, family_asks, identified_request, membership_of, years_ago
from lape.referrals.tests.page_clients import browser_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The referrals tests' world: the Kuopio family centre, an NGO in its network, Aino (10) and Maija.
world = referrals_world.world

AXE = Path(settings.PROJECT_ROOT) / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(
  (result) => done(result.violations.filter((v) => ["serious", "critical"].includes(v.impact))
    .map((v) => v.id + ": " + v.help + " at " + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "))),
  (error) => done(["axe-error: " + String(error)]),
);
"""
KNOWN = "Home visits since March; the mother is exhausted."


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        _missing(f"axe-core is not installed at {AXE}: run `make install` (npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def plain_http_cookies(settings: Any) -> None:
    # The live server speaks plain http; Secure cookies would never come back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


def _as(browser: Any, live_server: Any, actor: Actor, lang: str) -> None:
    """Act in the browser as `actor`, asking for pages in `lang`."""
    browser.get(f"{live_server.url}/family-centres/")
    browser.delete_all_cookies()
    browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "path": "/"})
    client = browser_of(actor)
    browser.add_cookie(
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )


def _axe(browser: Any, axe_source: str, name: str) -> list[str]:
    browser.execute_script(axe_source)
    return [f"{name}: {v}" for v in browser.execute_async_script(RUN_AXE)]


def _click_and_wait(browser: Any, element: Any, until: Callable[[], bool]) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    element.click()
    WebDriverWait(browser, 10).until(lambda _driver: until())


def _step_one(browser: Any, world: World) -> None:
    Select(browser.find_element(By.ID, "id_receiver_service")).select_by_value(str(world.family_friend.pk))
    Select(browser.find_element(By.ID, "id_category")).select_by_value("ngo_support")
    button = browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]")
    _click_and_wait(browser, button, lambda: "Step 2 of 2" in browser.page_source)


def test_a_social_worker_records_the_mothers_consent_and_refers_the_family_with_it(
    browser: Any, live_server: Any, axe_source: str, plain_http_cookies: None, world: World
) -> None:
    browser.set_script_timeout(60)
    request = identified_request(world, worker=world.social_worker)
    problems: list[str] = []
    _as(browser, live_server, world.social_worker, "en")

    # The request page links to the family's consents: none yet.
    browser.get(f"{live_server.url}/work/requests/{request.pk}/")
    _click_and_wait(
        browser,
        browser.find_element(By.LINK_TEXT, "The family's consents"),
        lambda: "/consents/" in browser.current_url,
    )
    assert "No consent is in force." in browser.page_source
    problems += _axe(browser, axe_source, "consents, none")
    _click_and_wait(
        browser, browser.find_element(By.LINK_TEXT, "Back"), lambda: "/work/requests/" in browser.current_url
    )

    # Making a referral to the NGO: the social-services information may not go without a consent.
    _click_and_wait(
        browser,
        browser.find_element(By.LINK_TEXT, "Make a referral for this family"),
        lambda: "/work/referrals/new/" in browser.current_url,
    )
    _step_one(browser, world)
    carriages = browser.find_element(By.CSS_SELECTOR, "[data-testid=carriages]").text
    assert "Social services: may not be sent" in carriages
    link = browser.find_element(
        By.CSS_SELECTOR, "[data-testid=carriages] a[href*='category=social_services']"
    )
    _click_and_wait(browser, link, lambda: "/consents/new/" in browser.current_url)

    # The consent form comes with the NGO and the category chosen; the mother gave the consent.
    assert browser.find_element(By.CSS_SELECTOR, f"input[value='{world.ngo.pk}']").is_selected()
    assert browser.find_element(By.CSS_SELECTOR, "input[value=social_services]").is_selected()
    problems += _axe(browser, axe_source, "record a consent")
    browser.find_element(By.CSS_SELECTOR, f"input[name=given_by][value='{world.mother.pk}']").click()
    browser.find_element(By.CSS_SELECTOR, "input[value=ngo_support]").click()  # to refer at all
    browser.find_element(By.ID, "id_purpose").send_keys("A family friend for the family")
    # Wait to leave the form: its own address names the referral too (in next=).
    _click_and_wait(
        browser,
        browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]"),
        # The address changes before the new page is read, and the form's own next= names the referral
        # page: wait for the consent form to be gone and the referral page itself (a loaded machine).
        lambda: "/consents/new/" not in browser.current_url and "Make a referral" in browser.page_source,
    )
    assert "The consent was recorded." in browser.page_source
    consent = Consent.objects.get()
    assert (consent.given_by, consent.categories, list(consent.organizations.all())) == (
        world.mother,
        ["ngo_support", "social_services"],
        [world.ngo],
    )

    # Back at the referral: now the information may go, on the consent.
    _step_one(browser, world)
    carriages = browser.find_element(By.CSS_SELECTOR, "[data-testid=carriages]").text
    assert "Social services: may be sent (consent)" in carriages
    browser.find_element(By.ID, "id_reason").send_keys("Could a family friend visit weekly?")
    browser.find_element(By.ID, "id_item_social_services").send_keys(KNOWN)
    _click_and_wait(
        browser,
        browser.find_element(By.CSS_SELECTOR, "form.lape-form button[value=now]"),
        lambda: Referral.objects.exists() and "/work/referrals/new/" not in browser.current_url,
    )
    referral = Referral.objects.get()
    assert (referral.status, referral.receiver_organization) == (ReferralStatus.REQUESTED, world.ngo)
    assert referral.sender_organization != referral.receiver_organization
    assert list(referral.items.values_list("category", "text", "basis", "consent")) == [
        ("social_services", KNOWN, "consent", consent.pk)
    ]

    # The consent is listed, in force, with who gave and recorded it.
    browser.get(f"{live_server.url}/work/people/{world.child.pk}/consents/")
    current = browser.find_element(By.CSS_SELECTOR, "[data-testid=consent-current]").text
    assert "Maija Testinen (guardian)" in current and "social-worker" in current
    assert "Social services" in current and "MLL Kuopio" in current
    problems += _axe(browser, axe_source, "consents, one in force")
    assert problems == [], "\n".join(problems)


def _teen(world: World) -> Person:
    """Iida (13), identified on the social worker's request; her father is her guardian."""
    request = family_asks(world).request
    assign_request(
        world.coordinator,
        request.pk,
        service=world.family_work,
        professional=membership_of(world.social_worker),
    )
    code = compose_identity_code(years_ago(13, days=20), 964)
    identify_person(
        world.social_worker, request.pk, identity_code=code, given_names="Iida", family_name="Esimerkki"
    )
    person = ContactRequest.objects.get(pk=request.pk).person
    assert person is not None
    father = Person.objects.create(given_names="Pekka", family_name="Esimerkki", birth_date=years_ago(45))
    add_guardian(father, person)
    return person


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_axe_finds_no_serious_problem_on_the_consent_pages(
    browser: Any, live_server: Any, axe_source: str, plain_http_cookies: None, world: World, lang: str
) -> None:
    browser.set_script_timeout(60)
    identified_request(world, worker=world.social_worker)
    teen = _teen(world)
    in_force = grant_consent(
        world.social_worker,
        person=world.child,
        given_by=world.mother,
        organizations=[world.ngo, world.city],
        categories=["ngo_support", "social_services"],
        purpose="A family friend",
        valid_until=timezone.localdate().replace(year=timezone.localdate().year + 1),
    )
    withdrawn = grant_consent(
        world.social_worker,
        person=world.child,
        given_by=world.mother,
        organizations=[world.county],
        categories=["health"],
        purpose="The child health clinic",
    )
    withdraw_consent(world.social_worker, withdrawn.pk)
    _as(browser, live_server, world.social_worker, lang)
    problems: list[str] = []
    pages = [
        ("consents", f"/work/people/{world.child.pk}/consents/"),
        ("record a consent", f"/work/people/{world.child.pk}/consents/new/"),
        ("record a consent, a child of 13", f"/work/people/{teen.pk}/consents/new/"),
        ("withdraw", f"/work/consents/{in_force.pk}/withdraw/"),
        ("withdrawn already", f"/work/consents/{withdrawn.pk}/withdraw/"),
    ]
    for name, path in pages:
        browser.get(live_server.url + path)
        assert browser.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == lang, name
        assert browser.find_element(By.TAG_NAME, "h1").text, name
        problems += _axe(browser, axe_source, f"{name} ({lang})")

    # The form with errors (nothing chosen), and the list after a withdrawal.
    browser.get(f"{live_server.url}/work/people/{teen.pk}/consents/new/")
    browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]").click()
    assert browser.find_element(By.ID, "form-errors").is_displayed()
    assert browser.find_element(By.ID, "id_given_by_error").is_displayed()
    problems += _axe(browser, axe_source, f"record a consent with errors ({lang})")
    browser.get(f"{live_server.url}/work/consents/{in_force.pk}/withdraw/")
    button = browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]")
    _click_and_wait(browser, button, lambda: "/withdraw/" not in browser.current_url)
    assert browser.find_element(By.CSS_SELECTOR, "[role=status] .message").is_displayed()
    problems += _axe(browser, axe_source, f"consents after a withdrawal ({lang})")
    in_force.refresh_from_db()
    assert in_force.withdrawn_at is not None
    assert problems == [], "\n".join(problems)
