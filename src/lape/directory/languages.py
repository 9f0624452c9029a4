"""Names of service languages in the reader's language."""

from __future__ import annotations

from django.utils.translation import get_language_info


def language_name(code: str, given: str = "") -> str:
    """The language's name in the active language; else the name the directory gives; else its code."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return given or code
