"""The wellbeing domains a plan's goals are tied to: a small code list with fi/sv/en labels.

The eight wellbeing indicators of Scotland's "Getting it right for every child" (GIRFEC, the
SHANARRI indicators: safe, healthy, achieving, nurtured, active, respected, responsible, included),
whose Child's Plan is the model of "one child, one plan". They are in the child's words rather than
a service's, which is why the self-assessment of issue 5 can use them too. The Finnish and Swedish
labels are ours (the .po files); the codes stay the same in every language.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WellbeingDomain(models.TextChoices):
    """One of the eight wellbeing domains (GIRFEC's SHANARRI indicators)."""

    SAFE = "safe", _("safe")
    HEALTHY = "healthy", _("healthy")
    ACHIEVING = "achieving", _("achieving: learning and doing well")
    NURTURED = "nurtured", _("nurtured: cared for at home")
    ACTIVE = "active", _("active: play, hobbies and friends")
    RESPECTED = "respected", _("respected and heard")
    RESPONSIBLE = "responsible", _("responsible: taking part")
    INCLUDED = "included", _("included")
