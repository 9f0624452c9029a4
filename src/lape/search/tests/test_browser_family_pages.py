"""The family's pages in Chromium: axe-core finds no serious or critical WCAG problem on any page in any
language, a family completes a search with the keyboard alone, and a printed search is the results alone.

axe-core comes from the npm registry (package.json; `make install` runs `npm ci`) and is injected
into each page; nothing is downloaded while the tests run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from lape.areas.models import WellbeingCounty
from lape.conftest import _missing
from lape.directory.models import FamilyCentre
from lape.directory.tests.api_fixtures import Directory, build_directory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.PROJECT_ROOT) / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(
  (result) => done(result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }))),
  (error) => done([{id: "axe-error", impact: "critical", help: String(error), nodes: []}]),
);
"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        _missing(f"axe-core is not installed at {AXE}: run `make install` (npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def plain_http_cookies(settings: Any) -> None:
    # The live server speaks plain http; Secure cookies (language switch's CSRF) would never come back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def directory() -> Directory:
    found = build_directory()
    county = WellbeingCounty.objects.create(code="15", name_fi="Pohjois-Savon hyvinvointialue")
    found.kuopio.wellbeing_county = county
    found.kuopio.save()
    centre = FamilyCentre.objects.create(
        name="Kuopion perhekeskus", coordinator=found.county, phone="017 555 0100", email="perhe@example.org"
    )
    centre.municipalities.add(found.kuopio)
    centre.services.add(found.clinic, found.playgroup, found.counselling)
    location = found.clinic_at_centre.location
    location.extra = {"accessibility": [{"description": "Esteetön sisäänkäynti"}]}
    location.save()
    return found


def _family_pages(directory: Directory) -> dict[str, str]:
    centre = FamilyCentre.objects.get()
    return {
        "start": "/",
        "search with results": "/search/?q=neuvola",
        "search with no results": "/search/?q=hevosterapia&municipality=297",
        "search with a filter error": "/search/?age=500&q=%3Cscript%3E",
        "service": f"/services/{directory.clinic.pk}/",
        "family centre": f"/family-centres/{centre.pk}/",
        "family centres": "/family-centres/",
    }


def _speak(browser: Any, live_server: Any, lang: str) -> None:
    """Ask for pages in `lang` as the language switch would (Django's language cookie)."""
    browser.get(f"{live_server.url}/family-centres/")
    browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "path": "/"})


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_axe_finds_no_serious_problem_on_any_family_page(
    browser: Any, live_server: Any, axe_source: str, directory: Directory, lang: str
) -> None:
    _speak(browser, live_server, lang)
    browser.set_script_timeout(60)
    problems = []
    for name, path in _family_pages(directory).items():
        browser.get(live_server.url + path)
        assert browser.find_element("css selector", "html").get_attribute("lang") == lang, name
        browser.execute_script(axe_source)
        violations = browser.execute_async_script(RUN_AXE)
        problems += [
            f"{name} ({path}): {v['id']} [{v['impact']}] {v['help']} at {v['nodes']}"
            for v in violations
            if v["impact"] in FAILING_IMPACTS
        ]
    assert problems == [], "\n".join(problems)


def _wait(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _tab_to(browser: Any, found: Callable[[Any], bool], most: int = 120) -> Any:
    """Press Tab until the focused element satisfies `found`; the keyboard is the only input."""
    from selenium.webdriver.common.keys import Keys

    for _ in range(most):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        element = browser.switch_to.active_element
        if found(element):
            return element
    raise AssertionError("the element was not reachable with Tab")


def test_a_family_searches_and_opens_a_service_with_the_keyboard_alone(
    browser: Any, live_server: Any, plain_http_cookies: None, directory: Directory
) -> None:
    from selenium.webdriver.common.keys import Keys

    _speak(browser, live_server, "fi")
    browser.get(live_server.url + "/")
    skip = _tab_to(browser, lambda e: True, most=1)
    assert skip.get_attribute("class") == "skip"  # the first Tab offers the skip link

    search_box = _tab_to(browser, lambda e: e.get_attribute("id") == "q")
    search_box.send_keys("neuvola")
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert _wait(lambda: "/search/?q=neuvola" in browser.current_url), browser.current_url
    assert _wait(lambda: bool(browser.find_elements("css selector", "ol.results a")))

    link = _tab_to(browser, lambda e: "/services/" in (e.get_attribute("href") or ""))
    name, address = link.text, link.get_attribute("href")
    assert name in {"Lastenneuvola", "Perheneuvola"}
    link.send_keys(Keys.ENTER)
    assert _wait(lambda: browser.current_url == address), browser.current_url
    assert browser.find_element("css selector", "h1").text == name


def test_a_printed_search_shows_the_results_without_the_forms(
    browser: Any, live_server: Any, directory: Directory
) -> None:
    browser.get(live_server.url + "/search/?q=clinic")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not browser.find_element("css selector", ".filters").is_displayed()
    assert not browser.find_element("css selector", "nav.lang").is_displayed()
    assert browser.find_element("css selector", "ol.results").is_displayed()


def test_htmx_updates_the_results_in_place_and_keeps_the_address_shareable(
    browser: Any, live_server: Any, directory: Directory
) -> None:
    from selenium.webdriver.common.keys import Keys

    browser.get(live_server.url + "/search/?q=clinic")
    assert _wait(lambda: browser.execute_script("return typeof htmx !== 'undefined'")), "htmx did not load"
    browser.execute_script("window.sameDocument = true")
    search_box = browser.find_element("id", "q")
    search_box.clear()
    search_box.send_keys("family counselling", Keys.ENTER)

    assert _wait(lambda: "q=family+counselling" in browser.current_url), browser.current_url
    assert _wait(lambda: "Family counselling" in browser.find_element("css selector", "ol.results").text)
    assert browser.execute_script("return window.sameDocument === true")  # swapped in place, not reloaded
    assert browser.switch_to.active_element.get_attribute("id") == "q"  # focus stays in the search box
    assert (
        browser.find_element("id", "language-next").get_attribute("value") == "/search/?q=family+counselling"
    )
    shown = len(browser.find_elements("css selector", "ol.results > li"))
    status = browser.find_element("id", "search-status").get_attribute("textContent")
    assert f"{shown} service" in status  # the count is the new search's
