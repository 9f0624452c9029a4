"""In Chromium: a public health nurse logs in with her password and the code from her app, and sees whom
she acts as; axe-core finds no serious WCAG problem on the login pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from lape.accounts.tests.conftest import PASSWORD, World
from lape.accounts.tests.login_steps import code_for
from lape.conftest import _missing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.PROJECT_ROOT) / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(
  (result) => done(result.violations.filter((v) => ["serious", "critical"].includes(v.impact))
    .map((v) => v.id + ": " + v.help)),
  (error) => done(["axe-error: " + String(error)]),
);
"""


@pytest.fixture
def plain_http_cookies(settings: Any) -> None:
    # The live server speaks plain http; Secure cookies would never come back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


def _submit_and_wait_for(browser: Any, path: str) -> None:
    """Submit the page's form and wait until the browser has arrived at `path` (a click returns early)."""
    browser.find_element(By.CSS_SELECTOR, "form.account-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains(path))


def _axe_violations(browser: Any) -> list[str]:
    if not AXE.is_file():
        _missing(f"axe-core is not installed at {AXE}: run `make install` (npm ci)")
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    violations: list[str] = browser.execute_async_script(RUN_AXE)
    return violations


def test_a_nurse_logs_in_with_her_password_and_code_and_sees_whom_she_acts_as(
    browser: Any, live_server: Any, plain_http_cookies: None, world: World
) -> None:
    browser.get(f"{live_server.url}/accounts/login/?next=/accounts/")
    assert _axe_violations(browser) == []
    browser.find_element(By.ID, "id_username").send_keys("nurse")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    _submit_and_wait_for(browser, "/accounts/login/code/")
    assert _axe_violations(browser) == []
    browser.find_element(By.ID, "id_code").send_keys(code_for(world.nurse_device))
    browser.find_element(By.CSS_SELECTOR, "form.account-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_to_be(f"{live_server.url}/accounts/"))
    header = browser.find_element(By.CSS_SELECTOR, "[data-testid=acting-as]").text
    assert "Logged in as nurse, acting as public health nurse" in header
    assert "Pohjois-Savon hyvinvointialue / Child health clinic" in header
    assert _axe_violations(browser) == []


def test_a_new_social_worker_sets_up_her_app_in_the_browser(
    browser: Any, live_server: Any, plain_http_cookies: None, world: World
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    browser.get(f"{live_server.url}/accounts/login/")
    browser.find_element(By.ID, "id_username").send_keys("social-worker")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    _submit_and_wait_for(browser, "/accounts/two-factor/setup/")
    assert browser.find_element(By.CSS_SELECTOR, "figure.qr svg").is_displayed()
    assert _axe_violations(browser) == []
    device = TOTPDevice.objects.get(user=world.social_worker)
    browser.find_element(By.ID, "id_code").send_keys(code_for(device))
    browser.find_element(By.CSS_SELECTOR, "form.account-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_to_be(f"{live_server.url}/accounts/"))
    header = browser.find_element(By.CSS_SELECTOR, "[data-testid=acting-as]").text
    assert "acting as social worker" in header
