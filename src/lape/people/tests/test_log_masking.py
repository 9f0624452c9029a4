"""The logs: an identity code that reaches a log message is masked before it is written."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

from lape.people.log_masking import MaskIdentityCodes, mask_identity_codes

CODE = "010213A904S"


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """A handler with the filter as settings.LOGGING configures it, on a logger of its own."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(MaskIdentityCodes())
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("lape.tests.masking")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield out
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def test_it_masks_a_code_in_the_message(stream: io.StringIO) -> None:
    logging.getLogger("lape.tests.masking").warning(f"lookup of {CODE} failed")
    assert stream.getvalue().strip() == "lookup of 010213A**** failed"


def test_it_masks_a_code_in_the_arguments(stream: io.StringIO) -> None:
    logging.getLogger("lape.tests.masking").warning("Not Found: /people/%s/", CODE.lower())
    assert CODE.lower() not in stream.getvalue()
    assert "/people/010213a****/" in stream.getvalue()


def test_it_masks_a_code_in_a_traceback(stream: io.StringIO) -> None:
    try:
        raise ValueError(f"no person {CODE}")
    except ValueError:
        logging.getLogger("lape.tests.masking").exception("lookup failed")
    assert CODE not in stream.getvalue()
    assert "ValueError: no person 010213A****" in stream.getvalue()


def test_it_masks_codes_with_every_century_sign() -> None:
    text = "131052-308T 010594Y9032 020502B902X 010100+9013"
    assert mask_identity_codes(text) == "131052-**** 010594Y**** 020502B**** 010100+****"


def test_it_leaves_other_numbers_alone() -> None:
    # A phone number, a business ID, a UUID fragment and a date are not identity codes.
    text = "call 0401234567, y-tunnus 9876543-2, id 3f2a9c10-1234, on 2025-03-03"
    assert mask_identity_codes(text) == text


def test_it_keeps_ordinary_messages_intact(stream: io.StringIO) -> None:
    logging.getLogger("lape.tests.masking").warning("%d services imported in %.1f s", 12, 0.5)
    assert stream.getvalue().strip() == "12 services imported in 0.5 s"


def test_it_is_configured_on_every_handler_of_the_settings() -> None:
    logging_config: dict[str, Any] = settings.LOGGING
    assert logging_config["handlers"]
    for handler in logging_config["handlers"].values():
        assert "mask_identity_codes" in handler["filters"]
    masking = logging_config["filters"]["mask_identity_codes"]
    assert masking["()"] == "lape.people.log_masking.MaskIdentityCodes"


def test_it_masks_what_the_configured_root_handler_writes(capsys: pytest.CaptureFixture[str]) -> None:
    # The root logger's handlers as Django configured them from settings.LOGGING.
    root_handlers = [
        h for h in logging.getLogger().handlers if any(isinstance(f, MaskIdentityCodes) for f in h.filters)
    ]
    assert root_handlers
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: /x/%s", (CODE,), None
    )
    out = io.StringIO()
    for handler in root_handlers:
        assert handler.filter(record)
    logging.StreamHandler(out).handle(record)
    assert out.getvalue().strip() == "Not Found: /x/010213A****"
