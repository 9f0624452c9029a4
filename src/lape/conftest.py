"""Shared test fixtures: real databases, real Chromium, the real reference data in ../shared/data."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

CI = os.environ.get("CI", "").lower() == "true"


def _missing(reason: str) -> None:
    """Skip with a reason locally; with CI=true, fail instead (CI must run everything)."""
    if CI:
        pytest.fail(f"{reason} (CI=true: required, not skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data next to the project root; skipped when absent, never when CI=true."""
    path = Path(settings.SHARED_DATA_DIR)
    if not path.is_dir():
        _missing(f"the public reference data is not at {path}")
    return path


@pytest.fixture(scope="session")
def hsds_dir(shared_data: Path) -> Path:
    return shared_data / "hsds"


def _chromium() -> tuple[str, str] | None:
    binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    if binary and driver:
        return binary, driver
    return None


@pytest.fixture(scope="session")
def chromium_paths() -> tuple[str, str]:
    found = _chromium()
    if not found:
        _missing("Chromium and chromedriver are not installed (Debian: chromium chromium-driver)")
    assert found is not None
    return found


@pytest.fixture
def browser(chromium_paths: tuple[str, str], tmp_path: Path) -> Iterator[Any]:
    """A headless Chromium driven by Selenium, with the network-quiet flags this machine needs."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as ChromeService

    binary, driver_path = chromium_paths
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=ChromeService(executable_path=driver_path), options=options)
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(autouse=True)
def empty_caches() -> Iterator[None]:
    """Each test starts with empty caches: a rolled-back database gives the same directory version
    again, so a page cached by an earlier test would otherwise answer for other data."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def english_by_default() -> Iterator[None]:
    """Tests read messages in English (the source language) unless they ask for another language.

    The platform's default language is Finnish; requests still pick theirs (Accept-Language, cookie).
    """
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Any:
    """pytest-django's test client, asking for English pages unless a request says otherwise."""
    from django.test import Client

    return Client(headers={"Accept-Language": "en"})
