"""Template filters of the referrals pages."""

from __future__ import annotations

from django import template

from lape.directory.languages import language_name

from ..forms import REQUEST_LANGUAGES

register = template.Library()


@register.filter
def language_label(code: str) -> str:
    """A request's language by its name in the page's language ("sv" → "Swedish", "ruotsi", "svenska")."""
    names = dict(REQUEST_LANGUAGES)
    return str(names[code]) if code in names else language_name(code)
