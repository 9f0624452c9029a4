"""The issue's own story in Chromium (issue 5, "Tests and measurements"): the county's family worker
(the coordinator) starts Aino's plan from her contact request with the City of Kuopio's school
social worker and the city's family worker; the guardian, Pekka, signs in through the local OIDC
provider and gives consent for one category (social services) and not another (pupil welfare) on
the family's consent page; the city's family worker sees exactly what that consent allows; Pekka
sees each of those reads in Aino's access log; he withdraws the consent, and the family worker's
next read is refused, logged, and in Pekka's log as refused. axe-core on the new pages (the
family's consent page, with errors, in en, fi and sv; a new member's consent needs): no serious or
critical problem.

The provider (lape_demo_idp) runs in its own process for this test, as in lape.access's family
browser test; professionals' sessions are made as in the consent pages' browser test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from lape.access.consents import consents_in_force
from lape.access.models import AccessLogEntry, Consent
from lape.access.tests import test_browser_consent as consent_pages
from lape.access.tests.test_browser_family import provider_for_live_server
from lape.accounts.roles import Role
from lape.accounts.tests.family_provider import PASSWORD, Family, Provider, family
from lape.referrals.tests import conftest as referrals_world
from lape.referrals.tests.conftest import identified_request, make_actor, membership_of

from ..entries import add_note
from ..models import Entry, Plan, TeamMember

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

world = referrals_world.world
axe_source = consent_pages.axe_source
plain_http_cookies = consent_pages.plain_http_cookies
_as, _axe, _click_and_wait = consent_pages._as, consent_pages._axe, consent_pages._click_and_wait
__all__ = ["axe_source", "family", "plain_http_cookies", "provider_for_live_server", "world"]

GOAL = "Calm evenings and a steady bedtime"
PUPIL_NOTE = "Absences down since the new timetable"


def _submit(browser: Any, action_end: str) -> Any:
    return browser.find_element(By.CSS_SELECTOR, f"form[action$='{action_end}'] button[type=submit]")


def _team_of(count: int) -> Callable[[], bool]:
    return lambda: TeamMember.objects.count() == count


def _as_guardian(browser: Any, live_server: Any, session: str, lang: str = "en") -> None:
    """Back to the guardian's own session (signed in through the provider earlier)."""
    browser.get(f"{live_server.url}/family-centres/")
    browser.delete_all_cookies()
    browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "path": "/"})
    browser.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": session, "path": "/"})


def _log_texts(browser: Any, live_server: Any, child_id: Any) -> list[str]:
    browser.get(f"{live_server.url}{reverse('access:family_access_log', kwargs={'person_id': child_id})}")
    return [row.text for row in browser.find_elements(By.CSS_SELECTOR, "[data-testid=log-row]")]


def test_a_guardian_gives_and_withdraws_consent_and_sees_every_read_of_the_shared_plan(
    browser: Any,
    live_server: Any,
    axe_source: str,
    plain_http_cookies: None,
    provider_for_live_server: Provider,
    family: Family,
) -> None:
    browser.set_script_timeout(60)
    world = family.world
    request = identified_request(world)
    city_family_worker = make_actor("city-family-worker", world.city, Role.FAMILY_WORKER)
    problems: list[str] = []

    # The coordinator starts the plan from the contact request and adds the two city professionals.
    _as(browser, live_server, world.family_worker, "en")
    browser.get(f"{live_server.url}/work/requests/{request.pk}/")
    _click_and_wait(
        browser,
        browser.find_element(By.CSS_SELECTOR, "a[href^='/work/plans/new/']"),
        lambda: "/work/plans/new/" in browser.current_url,
    )
    _click_and_wait(browser, _submit(browser, "/work/plans/new/"), lambda: Plan.objects.exists())
    plan = Plan.objects.get()
    for actor, count in ((world.school_social_worker, 2), (city_family_worker, 3)):
        browser.get(f"{live_server.url}/work/plans/{plan.pk}/")
        Select(browser.find_element(By.ID, "id_member-membership")).select_by_value(
            str(membership_of(actor).pk)
        )
        _click_and_wait(browser, _submit(browser, "/members/"), _team_of(count))
    # Adding asks for the consent the new member needs (nothing written yet: nothing to ask).
    assert "/reads/" in browser.current_url
    problems += _axe(browser, axe_source, "a new member's consent needs")
    browser.get(f"{live_server.url}/work/plans/{plan.pk}/")
    Select(browser.find_element(By.ID, "id_goal-domain")).select_by_value("safe")
    Select(browser.find_element(By.ID, "id_goal-category")).select_by_value("social_services")
    browser.find_element(By.ID, "id_goal-words").send_keys(GOAL)
    _click_and_wait(browser, _submit(browser, "/goals/"), lambda: Entry.objects.filter(kind="goal").exists())
    goal = Entry.objects.get(kind="goal")
    note = add_note(world.school_social_worker, plan.pk, category="pupil_welfare", text=PUPIL_NOTE)
    reach = reverse(
        "plans:member_reach",
        kwargs={
            "plan_id": plan.pk,
            "member_id": TeamMember.objects.get(membership=membership_of(city_family_worker)).pk,
        },
    )
    browser.get(f"{live_server.url}{reach}")
    assert browser.find_elements(
        By.CSS_SELECTOR, "[data-testid=reach-social_services] [data-testid=record-consent]"
    )
    problems += _axe(browser, axe_source, "a member's consent needs, none given")

    # The guardian signs in on the provider's own page and gives consent for social services only.
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/family/sign-in/")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=family-sign-in]").click()
    _click_and_wait(browser, browser.find_element(By.ID, "id_username"), lambda: True)
    browser.find_element(By.ID, "id_username").send_keys("pekka")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    _click_and_wait(
        browser,
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]"),
        lambda: browser.current_url == f"{live_server.url}/family/",
    )
    guardian_session = browser.get_cookie(settings.SESSION_COOKIE_NAME)["value"]
    browser.get(f"{live_server.url}{reverse('access:family_consents', kwargs={'person_id': world.child.pk})}")
    _click_and_wait(
        browser,
        browser.find_element(By.CSS_SELECTOR, "[data-testid=give]"),
        lambda: browser.current_url.endswith("/consents/new/"),
    )
    consent_page = browser.current_url
    problems += _axe(browser, axe_source, "the family's consent page")
    _click_and_wait(  # nothing chosen: the errors, linked to their fields
        browser,
        browser.find_element(By.CSS_SELECTOR, "[data-testid=give-consent]"),
        lambda: bool(browser.find_elements(By.ID, "form-errors")),
    )
    problems += _axe(browser, axe_source, "the family's consent page with errors")
    assert not Consent.objects.exists()
    browser.find_element(By.CSS_SELECTOR, f"input[name=organizations][value='{world.city.pk}']").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=categories][value=social_services]").click()
    browser.find_element(By.ID, "id_purpose").send_keys("Family work at home with the shared plan")
    _click_and_wait(
        browser,
        browser.find_element(By.CSS_SELECTOR, "[data-testid=give-consent]"),
        lambda: Consent.objects.exists(),
    )
    consent = Consent.objects.get()
    assert (consent.given_by, consent.categories) == (family.father, ["social_services"])
    assert "Your consent was recorded." in browser.page_source
    for lang in ("fi", "sv"):
        browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "path": "/"})
        browser.get(consent_page)
        assert f'lang="{lang}"' in browser.page_source
        problems += _axe(browser, axe_source, f"the family's consent page ({lang})")

    # The city's family worker: the goal whole (consent), the pupil-welfare note as its heading only.
    _as(browser, live_server, city_family_worker, "en")
    browser.get(f"{live_server.url}/work/plans/{plan.pk}/")
    assert GOAL in browser.page_source and PUPIL_NOTE not in browser.page_source
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-testid=withheld]")) == 1
    goal_page = f"{live_server.url}{reverse('plans:entry', kwargs={'entry_id': goal.pk})}"
    browser.get(goal_page)
    assert GOAL in browser.page_source
    browser.get(f"{live_server.url}{reverse('plans:entry', kwargs={'entry_id': note.pk})}")
    assert PUPIL_NOTE not in browser.page_source  # a 404, logged as refused
    reads = AccessLogEntry.objects.filter(username="city-family-worker").order_by("id")
    assert [
        (r.record_id, r.outcome, r.basis, r.refusal)
        for r in reads
        if r.record_id in (str(goal.pk), str(note.pk))
    ] == [
        (str(goal.pk), "allowed", "consent", ""),
        (str(goal.pk), "allowed", "consent", ""),
        (str(note.pk), "refused", "none", "no_basis"),
    ]

    # The guardian sees each of those reads in Aino's access log, then withdraws the consent.
    _as_guardian(browser, live_server, guardian_session)
    texts = _log_texts(browser, live_server, world.child.pk)
    worker = [t for t in texts if "city-family-worker" in t]
    assert sum("goal of a shared plan" in t and "Allowed" in t and "Consent" in t for t in worker) == 2
    assert sum("progress note of a shared plan" in t and "Refused" in t for t in worker) == 1
    assert any("Read: shared plan" in t and "Allowed" in t for t in worker)  # the plan page itself
    browser.get(f"{live_server.url}{reverse('access:family_consents', kwargs={'person_id': world.child.pk})}")
    _click_and_wait(
        browser,
        browser.find_element(By.CSS_SELECTOR, "[data-testid=withdraw]"),
        lambda: "/withdraw/" in browser.current_url,
    )
    _click_and_wait(
        browser,
        browser.find_element(By.CSS_SELECTOR, "form.lape-form button[type=submit]"),
        lambda: not consents_in_force(world.child.pk).exists(),
    )

    # The family worker's next read is refused and logged; the guardian sees the refusal.
    _as(browser, live_server, city_family_worker, "en")
    browser.get(goal_page)
    assert GOAL not in browser.page_source
    last = AccessLogEntry.objects.filter(username="city-family-worker").order_by("-id")[0]
    assert (last.record_id, last.outcome, last.refusal) == (str(goal.pk), "refused", "no_basis")
    browser.get(f"{live_server.url}/work/plans/{plan.pk}/")
    assert GOAL not in browser.page_source
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-testid=withheld]")) == 2
    _as_guardian(browser, live_server, guardian_session)
    texts = _log_texts(browser, live_server, world.child.pk)
    refused = [
        t for t in texts if "city-family-worker" in t and "goal of a shared plan" in t and "Refused" in t
    ]
    assert len(refused) == 1 and "no own register, consent or statutory basis covers this" in refused[0]
    assert problems == []
