"""axe-core in Chromium on every page of the referrals app (18), in Finnish, Swedish and English: no serious or
critical WCAG problem, and each page in the language asked for. Also a form with errors, the flood
page, a notification's clocks and a receiver's buttons. Professionals' sessions are made as in the
page tests (password and code are the login pages' own browser test); the whole loop logs in for real.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from lape.access.consent_actions import grant_consent
from lape.accounts.acting import Actor
from lape.conftest import _missing
from lape.people.identity_codes import compose_identity_code
from lape.people.registry import add_guardian
from lape.referrals.handling import assign_request, identify_person
from lape.referrals.models import ContactRequest, Referral
from lape.referrals.referring import create_referral
from lape.referrals.tests.conftest import World, family_asks, membership_of, years_ago
from lape.referrals.tests.page_clients import browser_of

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


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        _missing(f"axe-core is not installed at {AXE}: run `make install` (npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def plain_http_cookies(settings: Any) -> None:
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@dataclass
class Records:
    request: ContactRequest  # new, in the Kuopio queue
    handled: ContactRequest  # assigned to the family worker, person known
    referral: Referral  # sent by the family worker to the NGO
    notification: Referral  # a teacher's child-protection notification
    status_token: str


@pytest.fixture
def records(world: World) -> Records:
    submitted = family_asks(world)
    handled = family_asks(world).request
    assign_request(
        world.coordinator,
        handled.pk,
        service=world.family_work,
        professional=membership_of(world.family_worker),
    )
    identify_person(
        world.family_worker,
        handled.pk,
        identity_code=compose_identity_code(years_ago(6), 955),
        given_names="Elsa Demo",
        family_name="Testberg",
    )
    handled.refresh_from_db()
    assert handled.person is not None
    add_guardian(world.mother, handled.person)
    grant_consent(
        world.family_worker,
        person=handled.person,
        given_by=world.mother,
        organizations=[world.ngo],
        categories=["ngo_support", "social_services"],
        purpose="A family friend",
    )
    referral = create_referral(
        world.family_worker,
        person=handled.person,
        receiver_service=world.family_friend,
        reason="A family friend, please.",
        category="ngo_support",
        items={"social_services": "Home visits since March."},
        contact_request=handled,
    )
    notification = create_referral(
        world.teacher,
        person=handled.person,
        receiver_service=world.child_protection,
        reason="Bruises twice this month.",
        kind="child_protection_notification",
        items={"pupil_welfare": "Absent 12 days."},
    )
    return Records(submitted.request, handled, referral, notification, submitted.status_token)


def _as(browser: Any, live_server: Any, actor: Actor | None, lang: str) -> None:
    """Act in the browser as `actor` (or as a family), asking for pages in `lang`."""
    browser.get(f"{live_server.url}/family-centres/")
    browser.delete_all_cookies()
    browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "path": "/"})
    if actor is not None:
        client = browser_of(actor)
        browser.add_cookie(
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "path": "/",
            }
        )


def _pages(world: World, records: Records) -> list[tuple[Actor | None, str, str]]:
    """(who, name, path) of every page of the app."""
    return [
        (None, "ask", "/ask/"),
        (None, "ask from a service", f"/ask/?service={world.counselling.pk}"),
        (None, "status", f"/ask/status/{records.status_token}/"),
        (world.coordinator, "overview", "/work/"),
        (world.coordinator, "queue", f"/work/family-centres/{world.kuopio.pk}/queue/"),
        (
            world.coordinator,
            "queue filtered",
            f"/work/family-centres/{world.kuopio.pk}/queue/?status=new&overdue=on",
        ),
        (world.coordinator, "new request", f"/work/requests/{records.request.pk}/"),
        (world.coordinator, "response target", f"/work/family-centres/{world.kuopio.pk}/settings/"),
        (world.coordinator, "notifications", "/work/notifications/"),
        (world.family_worker, "my requests", "/work/requests/"),
        (world.family_worker, "handled request", f"/work/requests/{records.handled.pk}/"),
        (world.family_worker, "referral step 1", f"/work/referrals/new/?request={records.handled.pk}"),
        (world.family_worker, "referrals", "/work/referrals/"),
        (world.family_worker, "referral (sender)", f"/work/referrals/{records.referral.pk}/"),
        (world.ngo_worker, "referral (receiver)", f"/work/referrals/{records.referral.pk}/"),
        (world.teacher, "notification form", "/work/referrals/new/"),
        (world.teacher, "request on a family's behalf", "/work/requests/new/"),
        (world.cp_worker, "notification (receiver, clocks)", f"/work/referrals/{records.notification.pk}/"),
    ]


def _axe(browser: Any, axe_source: str, name: str) -> list[str]:
    browser.execute_script(axe_source)
    return [f"{name}: {v}" for v in browser.execute_async_script(RUN_AXE)]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_axe_finds_no_serious_problem_on_any_referrals_page(
    browser: Any,
    live_server: Any,
    axe_source: str,
    plain_http_cookies: None,
    world: World,
    records: Records,
    lang: str,
) -> None:
    browser.set_script_timeout(60)
    problems: list[str] = []
    current: Actor | str | None = "nobody yet"
    for actor, name, path in _pages(world, records):
        if actor != current:
            _as(browser, live_server, actor, lang)
            current = actor
        browser.get(live_server.url + path)
        assert browser.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == lang, name
        assert browser.find_element(By.TAG_NAME, "h1").text, name
        assert "Not Found" not in browser.page_source, name
        problems += _axe(browser, axe_source, f"{name} ({path})")

    # Pages that come from a post: a form with errors, step 2 of a referral, the receipt, the flood page.
    _as(browser, live_server, None, lang)
    browser.get(f"{live_server.url}/ask/")
    browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]").click()
    assert browser.find_element(By.ID, "form-errors").is_displayed()
    problems += _axe(browser, axe_source, "ask with errors")
    _as(browser, live_server, world.family_worker, lang)
    browser.get(f"{live_server.url}/work/referrals/new/?request={records.handled.pk}")
    Select(browser.find_element(By.ID, "id_receiver_service")).select_by_value(str(world.family_friend.pk))
    Select(browser.find_element(By.ID, "id_category")).select_by_value("ngo_support")
    browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]").click()
    assert browser.find_element(By.ID, "id_item_social_services").is_displayed()
    problems += _axe(browser, axe_source, "referral step 2")
    assert problems == [], "\n".join(problems)


def test_axe_finds_no_serious_problem_on_the_receipt_and_the_flood_page(
    browser: Any, live_server: Any, axe_source: str, plain_http_cookies: None, world: World, settings: Any
) -> None:
    settings.LAPE_CONTACT_REQUEST_LIMIT = 1
    browser.set_script_timeout(60)
    problems: list[str] = []
    for lang in ("fi", "sv", "en"):
        _as(browser, live_server, None, lang)
        browser.get(f"{live_server.url}/ask/?centre={world.kuopio.pk}")
        browser.find_element(By.ID, "id_worry").send_keys("Tarvitsemme apua.")
        browser.find_element(By.ID, "id_contact_phone").send_keys("040 123 4567")
        browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]").click()
        page = browser.page_source
        if lang == "fi":
            assert re.search(r'data-testid="reference">[A-Z0-9]{4}-[A-Z0-9]{4}<', page), page[:500]
            problems += _axe(browser, axe_source, "receipt")
        else:  # one post an address an hour here: the next ones meet the limit
            assert "429" not in browser.title
            assert browser.find_element(By.CSS_SELECTOR, "p.message.error").is_displayed()
            problems += _axe(browser, axe_source, f"flood page ({lang})")
    assert ContactRequest.objects.count() == 1
    assert problems == [], "\n".join(problems)
