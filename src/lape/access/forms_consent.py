"""The consent form: who gave the consent, to which organisations, which information, what for, when.

The form parses what was typed; the rules (who may consent, the dates) are `grant_consent`'s, and
its translated errors are put next to these fields by the view. The field names are the action's
keyword arguments, so an error keyed by the action's argument lands on the field of that name.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from lape.directory.models import Organization
from lape.people.models import Person

from .categories import Category

MAX_PURPOSE = 2000

# What each category means, in the words a family would use: the label is the register's name.
CATEGORY_DESCRIPTIONS: dict[str, Any] = {
    Category.PUPIL_WELFARE: _("the school social worker's and school psychologist's work with the pupil"),
    Category.EARLY_EDUCATION: _("day care and pre-primary education"),
    Category.HEALTH: _("the child health clinic, school health care, doctors and psychologists"),
    Category.SOCIAL_SERVICES: _("family work, home help and social work"),
    Category.CHILD_PROTECTION: _("child welfare notifications, assessments and child welfare services"),
    Category.NGO_SUPPORT: _("family friends, clubs and peer groups of NGOs and parishes"),
    Category.CONTACT: _("a service may contact the family (what they asked, name, phone and e-mail)"),
}

CAPACITY_RULES = _(
    "A guardian consents for a child. A child of 12 or over is heard before a guardian consents for "
    "them (Child Welfare Act 417/2007, 20 §). A young person of 15 or over may consent alone in their "
    "own health care, social services, child protection, pupil welfare, NGO support and contact "
    "matters, but never in early childhood education; in their own health care they decide alone, so a "
    "guardian cannot consent for them there (Patients' Act 785/1992, 7 and 9 §). An adult consents only "
    "for themselves."
)


def category_choices() -> list[tuple[str, Any]]:
    """The categories as checkbox labels: the name, then what it covers."""
    return [
        (
            category.value,
            format_lazy("{}: {}", capfirst(category.label), CATEGORY_DESCRIPTIONS[category.value]),
        )
        for category in Category
    ]


class DateInput(forms.DateInput):
    """A calendar field; its value is ISO (YYYY-MM-DD), which every browser sends for type=date."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def date_field(label: Any, help_text: Any) -> forms.DateField:
    """An optional calendar field with a plain error for a date that is not one (the ban form uses it too)."""
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Give a real date: day, month and year.")},
    )


class ConsentForm(forms.Form):
    """Record a consent about one person: the giver, organisations, categories, purpose, dates, hearing.

    `givers` are the choices shown (the current guardians, and the person when they may consent
    themselves); `accepted_givers` also holds those the page may have shown a moment ago (a former
    guardian), so that the action, not the form, says why such a giver cannot consent.
    """

    given_by = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label=_("Who gave the consent"),
        help_text=CAPACITY_RULES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who gave the consent."),
            "invalid_choice": _("Choose who gave the consent: one of the child's guardians or the child."),
        },
    )
    organizations = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(),
        label=_("Organisations in the family centres' networks"),
        help_text=_("The information may be shared with these organisations."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose organisations from the list.")},
    )
    other_organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        label=_("Another organisation"),
        help_text=_("One that is not in the list above."),
        required=False,
        empty_label=_("No other organisation"),
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )
    categories = forms.MultipleChoiceField(
        label=_("Information that may be shared"),
        choices=category_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose information categories from the list.")},
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        help_text=_("What the information is shared for, as agreed with the family."),
        required=False,
        max_length=MAX_PURPOSE,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
    valid_from = date_field(_("Valid from"), _("Empty: from today."))
    valid_until = date_field(_("Valid until"), _("The last day. Empty: until withdrawn."))
    child_heard = forms.BooleanField(
        label=_("The child was heard"),
        help_text=_(
            "A child of 12 or over is heard about the consent before a guardian gives it. "
            "Not needed when the young person consents themselves."
        ),
        required=False,
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        givers: list[tuple[Person, Any]],
        accepted_givers: QuerySet[Person],
        network: QuerySet[Organization],
        organizations: QuerySet[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        given_by: forms.ModelChoiceField = self.fields["given_by"]  # type: ignore[assignment]
        given_by.queryset = accepted_givers
        # The radios show only who may give a consent now; the queryset above is what is accepted.
        given_by.widget.choices = [(str(person.pk), label) for person, label in givers]
        self.fields["organizations"].queryset = network  # type: ignore[attr-defined]
        self.fields["other_organization"].queryset = organizations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        """Say every missing choice at once (the action would stop at the first)."""
        cleaned = super().clean() or {}
        if "categories" in cleaned and not cleaned["categories"]:
            self.add_error("categories", _("Choose at least one information category."))
        if (
            "organizations" in cleaned
            and "other_organization" in cleaned
            and not cleaned["organizations"]
            and cleaned["other_organization"] is None
        ):
            self.add_error(
                "organizations", _("Choose at least one organisation the information may be shared with.")
            )
        if "purpose" in cleaned and not cleaned["purpose"].strip():
            self.add_error("purpose", _("Say what the information is shared for."))
        return cleaned

    def chosen_organizations(self) -> list[Organization]:
        """The organisations chosen from the list and the other one, each once."""
        chosen: list[Organization] = list(self.cleaned_data["organizations"])
        other = self.cleaned_data.get("other_organization")
        if other is not None and other not in chosen:
            chosen.append(other)
        return chosen


def initial_choices(
    organizations: QuerySet[Organization],
    network: QuerySet[Organization],
    organization_ids: Iterable[str],
    categories: Iterable[str],
) -> dict[str, Any]:
    """What a link may choose in advance (a referral's receiving organisation and category); others ignored."""
    wanted = set()
    for value in organization_ids:
        try:
            wanted.add(uuid.UUID(value))
        except ValueError:
            continue
    found = list(organizations.filter(pk__in=wanted))
    in_network = set(network.filter(pk__in=[o.pk for o in found]).values_list("pk", flat=True))
    others = [o for o in found if o.pk not in in_network]
    return {
        "organizations": sorted(in_network, key=str),
        "other_organization": others[0].pk if others else None,
        "categories": [c for c in categories if c in Category.values],
    }


class FamilyConsentForm(forms.Form):
    """A family member gives a consent themselves: to which of the organisations working with the
    child, which information, what for, when; a guardian of a child of 12 or over says they heard them.

    The giver is the signed-in member (never a field). The rules are `grant_consent`'s, as on the
    professionals' form, and its errors are put next to these fields by the view.
    """

    organizations = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(),
        label=_("Organisations"),
        help_text=_("The organisations working with the child. The information may be shared with these."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose organisations from the list.")},
    )
    categories = forms.MultipleChoiceField(
        label=_("Information that may be shared"),
        choices=category_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose information categories from the list.")},
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        help_text=_("What the information is shared for."),
        required=False,
        max_length=MAX_PURPOSE,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
    valid_from = date_field(_("Valid from"), _("Empty: from today."))
    valid_until = date_field(_("Valid until"), _("The last day. Empty: until withdrawn."))
    child_heard = forms.BooleanField(
        label=_("I have heard my child"),
        help_text=_(
            "A child of 12 or over is heard before a guardian consents for them (Child Welfare Act "
            "417/2007, 20 §): you have talked about this consent with your child and know their view."
        ),
        required=False,
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = organizations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        """Say every missing choice at once (the action would stop at the first)."""
        cleaned = super().clean() or {}
        if "organizations" in cleaned and not cleaned["organizations"]:
            self.add_error(
                "organizations", _("Choose at least one organisation the information may be shared with.")
            )
        if "categories" in cleaned and not cleaned["categories"]:
            self.add_error("categories", _("Choose at least one information category."))
        if "purpose" in cleaned and not cleaned["purpose"].strip():
            self.add_error("purpose", _("Say what the information is shared for."))
        return cleaned
