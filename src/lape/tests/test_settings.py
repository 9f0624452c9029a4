"""Settings from the environment: a bad value stops the start with a sentence that names it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _start(**environment: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LAPE_ALLOW_INSECURE_KEY="1", **environment)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import lape.settings as s; print(s.LAPE_SESSION_IDLE_MINUTES, s.API_CACHE_SECONDS)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_reads_whole_numbers_and_keeps_the_defaults_of_unset_or_empty_ones() -> None:
    started = _start(LAPE_SESSION_IDLE_MINUTES=" 45 ", LAPE_API_CACHE_SECONDS="")
    assert started.returncode == 0, started.stderr
    assert started.stdout.split() == ["45", "300"]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "LAPE_SESSION_IDLE_MINUTES",
            "half an hour",
            "LAPE_SESSION_IDLE_MINUTES must be a whole number, not 'half an hour'.",
        ),
        ("LAPE_SESSION_IDLE_MINUTES", "0", "LAPE_SESSION_IDLE_MINUTES must be at least 1, not 0."),
        ("LAPE_API_CACHE_SECONDS", "-5", "LAPE_API_CACHE_SECONDS must be at least 0, not -5."),
        ("LAPE_EMAIL_PORT", "5.87", "LAPE_EMAIL_PORT must be a whole number, not '5.87'."),
    ],
)
def test_it_refuses_a_bad_number_with_its_name(name: str, value: str, message: str) -> None:
    started = _start(**{name: value})
    assert started.returncode != 0
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in started.stderr
