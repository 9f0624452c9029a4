"""Multilingual text of the Finnish HSDS profile: base fields in Finnish, sv and en in `translations`."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("fi", "sv", "en")
OTHER_LANGUAGES = ("sv", "en")


class Translated(models.Model):
    """A model whose TRANSLATABLE fields hold Finnish, with Swedish and English in `translations`.

    `translations` is exactly the profile's extension: {"sv": {"name": "…"}, "en": {…}}.
    """

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ()

    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def text(self, field: str, lang: str | None = None, fallback: bool = True) -> str:
        """The field in `lang` (default: the active language), falling back to Finnish."""
        lang = (lang or get_language() or "fi")[:2]
        base: str = getattr(self, field) or ""
        if lang == "fi":
            return base
        value = (self.translations or {}).get(lang, {}).get(field) or ""
        return value or (base if fallback else "")

    def set_text(self, field: str, lang: str, value: str) -> None:
        """Set one field in one language; empty values are dropped from `translations`."""
        if lang == "fi":
            setattr(self, field, value)
            return
        translations: dict[str, Any] = dict(self.translations or {})
        per_lang = dict(translations.get(lang, {}))
        if value:
            per_lang[field] = value
        else:
            per_lang.pop(field, None)
        if per_lang:
            translations[lang] = per_lang
        else:
            translations.pop(lang, None)
        self.translations = translations

    def missing_translations(self) -> list[str]:
        """Languages in which a field that has Finnish text has none, e.g. ["sv:name"]."""
        missing = []
        for field in self.TRANSLATABLE:
            if not getattr(self, field):
                continue
            for lang in OTHER_LANGUAGES:
                if not (self.translations or {}).get(lang, {}).get(field):
                    missing.append(f"{lang}:{field}")
        return missing
