"""In Chromium, the whole loop of issue 4, with axe-core on every page on the way:

a parent asks the family centre in Swedish; the coordinator assigns the request to a family worker;
the family worker answers, identifies the child, records the mother as her guardian, records the
mother's consent and refers the family to an NGO (another organisation, on that consent); the NGO worker accepts, works and completes with an
outcome; the family worker sees the outcome; the parent sees the status on the status link.
Every professional logs in through the login pages with a password and the authenticator code.

axe-core comes from the npm registry (package.json; `make install` runs `npm ci`); nothing is
downloaded while the tests run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from lape.access.models import Consent
from lape.accounts.acting import Actor
from lape.conftest import _missing
from lape.people.identity_codes import compose_identity_code
from lape.people.models import GuardianRelation, Person
from lape.people.registry import register_person
from lape.referrals.models import ContactRequest, Referral, ReferralStatus, RequestStatus
from lape.referrals.tests.conftest import World, years_ago

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.PROJECT_ROOT) / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(
  (result) => done(result.violations.filter((v) => ["serious", "critical"].includes(v.impact))
    .map((v) => v.id + ": " + v.help + " at " + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "))),
  (error) => done(["axe-error: " + String(error)]),
);
"""
PASSWORD = "correct horse battery 42"
WORRY = "Vår dotter sover dåligt och vi orkar inte längre."
OUTCOME = "A family friend visits weekly from next month."


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


@dataclass
class Loop:
    world: World
    devices: dict[str, TOTPDevice]
    child: Person
    child_code: str
    mother_code: str


def _can_log_in(actor: Actor, key: str) -> TOTPDevice:
    user = User.objects.get(pk=actor.user_id)
    user.set_password(PASSWORD)
    user.save()
    return TOTPDevice.objects.create(user=user, name="LAPE", key=key, confirmed=True)


@pytest.fixture
def loop(world: World) -> Loop:
    """The world of the referrals tests, with passwords and apps for three professionals and a known child.

    The child (Lumi, 9) is registered with a test identity code (900–999); her mother is not
    registered yet (the family worker records her as guardian through the pages).
    """
    devices = {
        "coordinator": _can_log_in(world.coordinator, "3132333435363738393031323334353637383930"),
        "family-worker": _can_log_in(world.family_worker, "3132333435363738393031323334353637383931"),
        "ngo-worker": _can_log_in(world.ngo_worker, "3132333435363738393031323334353637383932"),
    }
    code = compose_identity_code(years_ago(9, days=40), 958)
    child = register_person(
        given_names="Lumi Demo", family_name="Testberg", identity_code=code, language="sv"
    )
    mother_code = compose_identity_code(years_ago(38, days=12), 957)
    return Loop(world, devices, child, code, mother_code)


def fresh_code(device: TOTPDevice) -> str:
    """The app's code now, or the next one when now's was used already (a code is accepted once)."""
    device.refresh_from_db()
    for ahead in (0, 1):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead)
        if totp.t() > device.last_t:
            return f"{totp.token():0{device.digits}d}"
    raise AssertionError("no fresh code within the accepted drift")


def _wait(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


class Pages:
    """The browser, with axe-core run on every page it lands on; problems collected for one assertion."""

    def __init__(self, browser: Any, live_server: Any, axe_source: str) -> None:
        self.browser = browser
        self.url = live_server.url
        self.axe_source = axe_source
        self.problems: list[str] = []
        self.checked: list[str] = []
        browser.set_script_timeout(60)

    def check(self, name: str) -> None:
        self.checked.append(name)
        self.browser.execute_script(self.axe_source)
        self.problems += [f"{name}: {v}" for v in self.browser.execute_async_script(RUN_AXE)]

    def speak(self, lang: str) -> None:
        self.browser.get(f"{self.url}/family-centres/")
        self.browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "path": "/"})

    def open(self, path: str, name: str) -> None:
        self.browser.get(self.url + path)
        self.check(name)

    def submit(self, form_selector: str, name: str, button: str = "button[type=submit]") -> None:
        before = self.browser.current_url
        old = self.browser.find_element(By.TAG_NAME, "html")
        self.browser.find_element(By.CSS_SELECTOR, f"{form_selector} {button}").click()
        _wait(lambda: self._stale(old) or self.browser.current_url != before)
        self.check(name)

    def _stale(self, element: Any) -> bool:
        from selenium.common.exceptions import WebDriverException

        try:
            element.tag_name  # noqa: B018 - touching it tells whether the page was replaced
        except WebDriverException:
            # Stale, or mid-navigation Chromium's "Node with given id does not belong to the
            # document": either way the old page is gone.
            return True
        return False

    def type(self, element_id: str, text: str) -> None:
        field = self.browser.find_element(By.ID, element_id)
        field.clear()
        field.send_keys(text)

    def choose(self, element_id: str, value: str) -> None:
        Select(self.browser.find_element(By.ID, element_id)).select_by_value(value)

    def log_in(self, username: str, device: TOTPDevice, lang: str) -> None:
        self.browser.delete_all_cookies()
        self.speak(lang)
        self.open("/accounts/login/?next=/work/", f"login ({username})")
        self.type("id_username", username)
        self.type("id_password", PASSWORD)
        self.submit("form.account-form", f"code ({username})")
        self.type("id_code", fresh_code(device))
        self.submit("form.account-form", f"work ({username})")
        assert _wait(lambda: self.browser.current_url == f"{self.url}/work/"), self.browser.current_url

    def text(self, selector: str) -> str:
        return str(self.browser.find_element(By.CSS_SELECTOR, selector).text)


@pytest.fixture
def pages(browser: Any, live_server: Any, axe_source: str, plain_http_cookies: None) -> Pages:
    return Pages(browser, live_server, axe_source)


def test_the_whole_loop_from_a_parents_question_to_the_outcome(pages: Pages, loop: Loop) -> None:
    world = loop.world
    # A parent asks in Swedish, from the family centre's page.
    pages.speak("sv")
    pages.open(f"/family-centres/{world.kuopio.pk}/", "family centre page (sv)")
    pages.browser.find_element(By.CSS_SELECTOR, f'a[href="/ask/?centre={world.kuopio.pk}"]').click()
    assert _wait(lambda: "/ask/" in pages.browser.current_url)
    pages.check("ask (sv)")
    assert pages.text("h1") == "Fråga familjecentret"
    pages.type("id_worry", WORRY)
    pages.type("id_children_ages", "9")
    assert (
        Select(pages.browser.find_element(By.ID, "id_language")).first_selected_option.get_attribute("value")
        == "sv"
    )
    pages.type("id_contact_phone", "040 765 4321")
    pages.submit("form.lape-form", "receipt (sv)")
    assert pages.text("h1") == "Din begäran har tagits emot"
    reference = pages.text("[data-testid=reference]")
    status_link = pages.browser.find_element(By.CSS_SELECTOR, "[data-testid=status-link]").get_attribute(
        "href"
    )
    assert "/ask/status/" in status_link and reference not in status_link
    request = ContactRequest.objects.get(reference=reference)
    assert (request.worry, request.language, request.children_ages) == (WORRY, "sv", [9])

    # The coordinator assigns it to the family worker.
    pages.log_in("coordinator", loop.devices["coordinator"], "fi")
    pages.browser.find_element(
        By.CSS_SELECTOR, f'a[href="/work/family-centres/{world.kuopio.pk}/queue/"]'
    ).click()
    assert _wait(lambda: "/queue/" in pages.browser.current_url)
    pages.check("queue (fi)")
    pages.browser.find_element(By.LINK_TEXT, reference).click()
    assert _wait(lambda: f"/work/requests/{request.pk}/" in pages.browser.current_url)
    pages.check("request (fi, coordinator)")
    assert WORRY in pages.text("[data-testid=worry]")
    pages.choose("id_assign-service", str(world.family_work.pk))
    pages.choose("id_assign-professional", str(world.family_worker.membership_id))
    pages.submit("section[aria-labelledby=assign-heading] form", "request assigned (fi)")
    request.refresh_from_db()
    assert request.status == RequestStatus.ASSIGNED

    # The family worker answers, identifies the child and refers the family to the NGO.
    pages.log_in("family-worker", loop.devices["family-worker"], "en")
    pages.open("/work/requests/", "my requests (en)")
    pages.browser.find_element(By.LINK_TEXT, reference).click()
    assert _wait(lambda: f"/work/requests/{request.pk}/" in pages.browser.current_url)
    pages.type("id_reply-message", "Called the mother; agreed on a family friend.")
    pages.submit("section[aria-labelledby=reply-heading] form", "request answered (en)")
    pages.type("id_identify-identity_code", loop.child_code)
    pages.submit("section[aria-labelledby=identify-heading] form", "request identified (en)")
    assert loop.child_code not in pages.browser.page_source
    # The mother, not registered yet, is recorded as Lumi's guardian through the guardians page.
    pages.browser.find_element(By.LINK_TEXT, "The child's guardians").click()
    assert _wait(lambda: "/guardians/" in pages.browser.current_url)
    pages.check("guardians, none (en)")
    assert "No guardian is registered." in pages.browser.page_source
    pages.type("id_identity_code", loop.mother_code)
    pages.type("id_given_names", "Sara Demo")
    pages.type("id_family_name", "Testberg")
    pages.submit("section[aria-labelledby=record-heading] form", "guardian recorded (en)")
    mother = Person.objects.get(given_names="Sara Demo", family_name="Testberg")
    assert GuardianRelation.objects.filter(guardian=mother, child=loop.child, ended__isnull=True).exists()
    assert "Sara Demo Testberg" in pages.text("[data-testid=guardian-current]")
    assert loop.mother_code not in pages.browser.page_source
    pages.browser.find_element(By.LINK_TEXT, "Back").click()
    assert _wait(lambda: pages.browser.current_url.endswith(f"/work/requests/{request.pk}/"))
    pages.browser.find_element(By.LINK_TEXT, "Make a referral for this family").click()
    assert _wait(lambda: "/work/referrals/new/" in pages.browser.current_url)
    pages.check("referral step 1 (en)")
    pages.choose("id_receiver_service", str(world.family_friend.pk))
    pages.choose("id_category", "ngo_support")
    pages.submit("form.lape-form", "referral step 2, no consent (en)")
    # The mother consents on the phone to a referral to the NGO and to sharing what the family
    # worker knows; the family worker records it from the referral's step 2, and comes back.
    assert "Social services: may not be sent" in pages.text("[data-testid=carriages]")
    pages.browser.find_element(
        By.CSS_SELECTOR, "[data-testid=carriages] a[href*='category=social_services']"
    ).click()
    assert _wait(lambda: "/consents/new/" in pages.browser.current_url)
    pages.check("record a consent (en)")
    pages.browser.find_element(By.CSS_SELECTOR, f"input[name=given_by][value='{mother.pk}']").click()
    pages.browser.find_element(By.CSS_SELECTOR, "input[value=ngo_support]").click()
    pages.type("id_purpose", "A family friend for the family")
    pages.submit("form.lape-form", "consent recorded, referral step 1 (en)")
    assert "/work/referrals/new/" in pages.browser.current_url
    consent = Consent.objects.get()
    assert (consent.person, consent.given_by, consent.categories, list(consent.organizations.all())) == (
        loop.child,
        mother,
        ["ngo_support", "social_services"],
        [world.ngo],
    )
    pages.choose("id_receiver_service", str(world.family_friend.pk))
    pages.choose("id_category", "ngo_support")
    pages.submit("form.lape-form", "referral step 2 (en)")
    assert "Social services: may be sent" in pages.text("[data-testid=carriages]")
    pages.type("id_reason", "Could a family friend visit weekly?")
    pages.type("id_item_social_services", "The parents are exhausted; the daughter sleeps badly.")
    pages.submit("form.lape-form", "referral sent (en)", button="button[value=now]")
    referral = Referral.objects.get()
    assert (referral.status, referral.receiver_organization) == (ReferralStatus.REQUESTED, world.ngo)
    assert referral.sender_organization != referral.receiver_organization

    # The NGO worker accepts, works and completes, with the outcome.
    pages.log_in("ngo-worker", loop.devices["ngo-worker"], "en")
    pages.open("/work/referrals/", "referrals (en, receiver)")
    pages.browser.find_element(By.CSS_SELECTOR, f'a[href="/work/referrals/{referral.pk}/"]').click()
    assert _wait(lambda: f"/work/referrals/{referral.pk}/" in pages.browser.current_url)
    pages.check("referral (en, receiver)")
    assert "The parents are exhausted" in pages.browser.page_source
    for to_status in ("accepted", "in-progress"):
        pages.submit(f"form:has(input[name=to][value={to_status}])", f"referral {to_status} (en)")
    pages.type("id_to-completed-outcome", OUTCOME)
    pages.submit("form:has(input[name=to][value=completed])", "referral completed (en)")
    assert pages.text("[data-testid=referral-status]") == "Completed"

    # The family worker, the sender, sees the outcome.
    pages.log_in("family-worker", loop.devices["family-worker"], "en")
    pages.open("/work/notifications/", "notifications (en)")
    assert "A referral's status changed: completed" in pages.text("ul.notifications")
    pages.open(f"/work/referrals/{referral.pk}/", "referral (en, sender)")
    assert pages.text("[data-testid=referral-status]") == "Completed"
    assert pages.text("[data-testid=referral-outcome]") == OUTCOME

    # The parent sees the status on the status link, in Swedish, with no content.
    pages.browser.delete_all_cookies()
    pages.speak("sv")
    pages.browser.get(status_link)
    pages.check("status (sv)")
    assert pages.text("[data-testid=status-value]") == "Besvarad"
    assert WORRY not in pages.browser.page_source and OUTCOME not in pages.browser.page_source

    assert len(pages.checked) >= 25, pages.checked
    assert pages.problems == [], "\n".join(pages.problems)
