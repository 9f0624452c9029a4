"""Admin forms that edit a translatable model's Swedish and English text next to the Finnish.

The Finnish profile keeps Finnish in the base fields and sv/en in `translations`; a publisher never
sees that JSON: every TRANSLATABLE field gets a Swedish and an English input (`name_sv`, `name_en`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.db import models
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .translation import OTHER_LANGUAGES, Translated

LANGUAGE_LABELS = {
    "fi": _("%(field)s (Finnish)"),
    "sv": _("%(field)s (Swedish)"),
    "en": _("%(field)s (English)"),
}
# The three languages of a text stand one under the other; short boxes keep them on one screen.
TEXTAREA_ROWS = 4


def translation_field_name(field: str, lang: str) -> str:
    """The form field that edits `field` in `lang`, e.g. name_sv."""
    return f"{field}_{lang}"


def _label(label: Any, lang: str) -> str:
    return capfirst(str(LANGUAGE_LABELS[lang]) % {"field": label})


_lazy_label = lazy(_label, str)


class TranslationFormMixin(forms.ModelForm):
    """Fills the sv/en inputs from `translations` and writes them back on save."""

    translatable_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        if not isinstance(instance, Translated):
            raise TypeError(f"{type(instance).__name__} has no translations.")
        for field in self.translatable_fields:
            if field in self.fields:
                self.fields[field].widget.attrs["lang"] = "fi"
                self.fields[field].label = _label(self.fields[field].label, "fi")
                if isinstance(self.fields[field].widget, forms.Textarea):
                    self.fields[field].widget.attrs["rows"] = TEXTAREA_ROWS
            for lang in OTHER_LANGUAGES:
                name = translation_field_name(field, lang)
                if name in self.fields and name not in self.initial:
                    self.initial[name] = (instance.translations or {}).get(lang, {}).get(field, "")

    def save(self, commit: bool = True) -> Any:
        """Put the sv/en inputs into the instance's `translations`, then save as usual."""
        instance = self.instance
        if not isinstance(instance, Translated):
            raise TypeError(f"{type(instance).__name__} has no translations.")
        for field in self.translatable_fields:
            for lang in OTHER_LANGUAGES:
                name = translation_field_name(field, lang)
                if name in self.cleaned_data:
                    instance.set_text(field, lang, (self.cleaned_data[name] or "").strip())
        return super().save(commit=commit)


def _translation_field(model_field: models.Field[Any, Any], lang: str) -> forms.CharField:
    attrs = {"lang": lang}
    widget: forms.Widget
    if isinstance(model_field, models.TextField):
        widget = admin_widgets.AdminTextareaWidget(attrs={**attrs, "rows": TEXTAREA_ROWS})
    else:
        widget = admin_widgets.AdminTextInputWidget(attrs=attrs)
    max_length = getattr(model_field, "max_length", None)
    return forms.CharField(
        label=_lazy_label(model_field.verbose_name, lang),
        required=False,
        max_length=max_length if isinstance(model_field, models.CharField) else None,
        widget=widget,
        help_text=model_field.help_text,
    )


def translation_form(
    model: type[Translated],
    base: type[forms.ModelForm] = forms.ModelForm,
) -> type[TranslationFormMixin]:
    """A ModelForm class for `model` with name_sv, name_en… for every TRANSLATABLE field."""
    attrs: dict[str, Any] = {"translatable_fields": tuple(model.TRANSLATABLE)}
    for field in model.TRANSLATABLE:
        model_field = model._meta.get_field(field)
        if not isinstance(model_field, models.Field):
            raise TypeError(f"{model.__name__}.{field} is not a text field.")
        for lang in OTHER_LANGUAGES:
            attrs[translation_field_name(field, lang)] = _translation_field(model_field, lang)
    attrs["Meta"] = type("Meta", (), {"model": model, "exclude": ["translations"]})
    return type(f"{model.__name__}TranslationForm", (TranslationFormMixin, base), attrs)


def with_translations(fields: Iterable[Any], model: type[Translated]) -> list[Any]:
    """A field list for admin fieldsets with each translatable field followed by its sv and en inputs."""
    out: list[Any] = []
    for field in fields:
        out.append(field)
        if isinstance(field, str) and field in model.TRANSLATABLE:
            out.extend(translation_field_name(field, lang) for lang in OTHER_LANGUAGES)
    return out


def translated_field_order(names: Sequence[str], model: type[Translated]) -> list[str]:
    """Reorder a flat field list so that each sv/en input comes right after its Finnish field."""
    extra = {translation_field_name(f, lang) for f in model.TRANSLATABLE for lang in OTHER_LANGUAGES}
    base = [name for name in names if name not in extra and name != "translations"]
    return [name for name in with_translations(base, model) if name in names]
