"""Search: the vocabulary (ontology concepts, synonyms, needs) and, later, the index.

A Concept comes from TERO (the national health and welfare ontology), from the PTV classifications
already in the directory, or from our own need vocabulary; its Labels carry the words in fi/sv/en.
The search expands a query with the labels of the concepts it names (see `ontology.synonyms`).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Concept(models.Model):
    """One concept of a vocabulary, named by its URI, with labels in fi/sv/en and broader concepts."""

    class Source(models.TextChoices):
        TERO = "tero", _("TERO ontology")
        PTV = "ptv", _("PTV classification")
        NEED = "need", _("need vocabulary")

    uri = models.CharField(_("URI"), max_length=500, unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, db_index=True)
    code = models.CharField(
        _("code"), max_length=200, blank=True, help_text=_("A PTV notation such as P5.2, or a need's key.")
    )
    service_classes = models.JSONField(
        _("service classes"),
        default=list,
        blank=True,
        help_text=_('PTV service class codes this concept leads to, e.g. ["P5.2", "P3.7"].'),
    )
    broader = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="narrower",
        verbose_name=_("broader concepts"),
    )

    class Meta:
        ordering = ["source", "uri"]
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")

    def __str__(self) -> str:
        label = self.pref_label("fi")
        return f"{label} ({self.source})" if label else self.uri

    def pref_label(self, lang: str) -> str:
        """The preferred label in `lang`, or "" when the concept has none in that language."""
        for label in self.labels.all():
            if label.lang == lang and label.kind == Label.Kind.PREF:
                return label.text
        return ""


class Label(models.Model):
    """A word or phrase for a concept in one language; `normalised` is the form lookups compare."""

    class Lang(models.TextChoices):
        FI = "fi", _("Finnish")
        SV = "sv", _("Swedish")
        EN = "en", _("English")

    class Kind(models.TextChoices):
        PREF = "pref", _("preferred")
        ALT = "alt", _("alternative")
        HIDDEN = "hidden", _("hidden (a variant only used for matching)")

    concept = models.ForeignKey(
        Concept, on_delete=models.CASCADE, related_name="labels", verbose_name=_("concept")
    )
    lang = models.CharField(_("language"), max_length=2, choices=Lang.choices)
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.PREF)
    text = models.CharField(_("text"), max_length=500)
    normalised = models.CharField(_("normalised text"), max_length=500, editable=False)

    class Meta:
        ordering = ["concept", "lang", "kind", "text"]
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        constraints = [
            models.UniqueConstraint(fields=["concept", "lang", "kind", "text"], name="search_label_unique"),
        ]
        indexes = [models.Index(fields=["normalised", "lang"], name="search_label_lookup")]

    def __str__(self) -> str:
        return f"{self.text} [{self.lang}]"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Trim `text` and keep `normalised` in step with it (bulk writes do the same themselves)."""
        from .ontology import normalise

        self.text = " ".join(self.text.split())
        self.normalised = normalise(self.text)
        super().save(*args, **kwargs)
