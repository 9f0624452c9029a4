"""The guardian forms: who the guardian is (identity code, and names when new) and since when; an end.

The forms parse what was typed; the rules (an adult guardian, a child ward, not twice, an end not
before the start) are the registry's, and the view puts their translated errors next to these
fields. The field names are those the actions' errors are keyed by.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lape.access.forms_consent import date_field

from .registry import NAME_MAX_LENGTH


class GuardianForm(forms.Form):
    """Record a guardian: found by identity code, registered with the names when nobody has that code."""

    identity_code = forms.CharField(
        label=_("The guardian's identity code"),
        help_text=_("The Finnish personal identity code, such as 010180-123A."),
        max_length=20,
        error_messages={"required": _("Give the guardian's identity code.")},
        # Never remembered by the browser; shown again only on this form when it needs correcting.
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "size": 14}),
    )
    given_names = forms.CharField(
        label=_("Given names"),
        help_text=_("Only when the guardian is not registered yet."),
        required=False,
        max_length=NAME_MAX_LENGTH,
    )
    family_name = forms.CharField(
        label=_("Family name"),
        help_text=_("Only when the guardian is not registered yet."),
        required=False,
        max_length=NAME_MAX_LENGTH,
    )
    started = date_field(_("Guardian since"), _("Empty: from today."))
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class EndGuardianshipForm(forms.Form):
    """End a guardianship: its last day."""

    ended = date_field(_("The last day of the guardianship"), _("Empty: today."))
