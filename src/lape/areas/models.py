"""Municipalities, wellbeing-services counties and regions with their official codes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class NamedArea(models.Model):
    """An area with an official code and names in Finnish, Swedish and English."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name()} ({self.code})"

    def name(self, lang: str | None = None) -> str:
        """The name in the given (or the active) language, falling back to Finnish."""
        lang = (lang or get_language() or "fi")[:2]
        value: str = getattr(self, f"name_{lang}", "") if lang in {"fi", "sv", "en"} else ""
        return value or self.name_fi


class Region(NamedArea):
    """A region (maakunta), code as in Statistics Finland's classification (e.g. 11 Pohjois-Savo)."""

    class Meta(NamedArea.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class WellbeingCounty(NamedArea):
    """A unit of the wellbeing-services county classification (hyvinvointialue).

    The classification has 23 units: 21 wellbeing-services counties, the City of Helsinki
    (which organises its own social and health services) and Åland.
    """

    class Kind(models.TextChoices):
        COUNTY = "county", _("wellbeing-services county")
        HELSINKI = "helsinki", _("City of Helsinki")
        ALAND = "aland", _("Åland")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COUNTY)

    class Meta(NamedArea.Meta):
        verbose_name = _("wellbeing-services county")
        verbose_name_plural = _("wellbeing-services counties")


# The national code list's URI of a municipality (koodistot.suomi.fi, code scheme kunta_1_20230101).
MUNICIPALITY_URI = "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/{code}"


def municipality_uri(code: str) -> str:
    """The national code list URI of the municipality with this three-digit code."""
    return MUNICIPALITY_URI.format(code=code)


class Municipality(NamedArea):
    """A municipality (kunta) with its three-digit code, e.g. 297 Kuopio."""

    class LanguageStatus(models.TextChoices):
        FINNISH = "fi", _("unilingual Finnish")
        BILINGUAL_FINNISH_MAJORITY = "fi-sv", _("bilingual, Finnish majority")
        BILINGUAL_SWEDISH_MAJORITY = "sv-fi", _("bilingual, Swedish majority")
        SWEDISH = "sv", _("unilingual Swedish")

    language_status = models.CharField(
        _("language status"), max_length=5, choices=LanguageStatus.choices, default=LanguageStatus.FINNISH
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("region"),
    )
    wellbeing_county = models.ForeignKey(
        WellbeingCounty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("wellbeing-services county"),
    )
    central_locality = models.CharField(_("central locality"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    valid_year = models.PositiveSmallIntegerField(
        _("classification year"), null=True, blank=True, help_text=_("Year of the code list it came from.")
    )

    class Meta(NamedArea.Meta):
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    @property
    def is_bilingual(self) -> bool:
        return self.language_status in {
            self.LanguageStatus.BILINGUAL_FINNISH_MAJORITY,
            self.LanguageStatus.BILINGUAL_SWEDISH_MAJORITY,
        }
