"""The forms of the referrals pages: the family's contact request, triage, referrals.

Forms only parse and check what a person typed, with errors in their language next to the field;
the actions (`requests.py`, `handling.py`, `referring.py`, `flow.py`) decide and write.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lape.directory.models import FamilyCentre
from lape.people.identity_codes import InvalidIdentityCode, parse_identity_code

from .models import ContactMethod

MAX_WORRY = 4000
MAX_CHILDREN = 12
MAX_AGE = 17
# Words that may stand between ages: "2, 7 and 12", "2, 7 ja 12", "2, 7 och 12".
AGE_SEPARATORS = re.compile(
    r"(?:\s|,|;|/|\band\b|\bja\b|\boch\b|\bår\b|\bvuotta\b|\byears?\b)+", re.IGNORECASE
)
PHONE = re.compile(r"\+?[0-9][0-9 ()-]{4,24}")

# The languages a family may ask to be served in: the national languages, Sámi, English and the
# languages most spoken by families in Finland (Statistics Finland). Names in the page's language.
REQUEST_LANGUAGES: tuple[tuple[str, Any], ...] = (
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
    ("en", _("English")),
    ("se", _("Northern Sámi")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
    ("et", _("Estonian")),
    ("ar", _("Arabic")),
    ("so", _("Somali")),
    ("fa", _("Persian")),
)


class CentreChoiceField(forms.ModelChoiceField):
    """A family centre shown by its name in the page's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


def parse_ages(text: str) -> list[int]:
    """The children's ages in whole years from "2, 7 and 12" (any of fi/sv/en); ValidationError otherwise."""
    parts = [part for part in AGE_SEPARATORS.split(text.strip()) if part]
    if not parts:
        return []
    if not all(part.isdigit() for part in parts):
        raise forms.ValidationError(
            _("Write the ages as numbers, separated by commas, for example 2, 7, 12."), code="format"
        )
    ages = [int(part) for part in parts]
    if any(age > MAX_AGE for age in ages):
        raise forms.ValidationError(
            _("Give the ages of children under 18 (0 for a baby under one year)."), code="range"
        )
    if len(ages) > MAX_CHILDREN:
        raise forms.ValidationError(
            _("Give at most %(count)d ages. Tell us about the others in your message.")
            % {"count": MAX_CHILDREN},
            code="too_many",
        )
    return ages


class ContactRequestForm(forms.Form):
    """ "Ask the family centre": what worries the family, the children's ages, how and when to contact them."""

    family_centre = CentreChoiceField(
        queryset=FamilyCentre.objects.none(),
        label=_("Family centre"),
        empty_label=_("Choose a family centre"),
        help_text=_("The family centre of your area. It will find the right service for you."),
        error_messages={
            "required": _("Choose the family centre you want to ask."),
            "invalid_choice": _("That family centre is not in the list. Choose one of the list."),
        },
    )
    worry = forms.CharField(
        label=_("What worries you, or what would you like help with?"),
        help_text=_("Tell us in your own words. You do not need to know which service you need."),
        max_length=MAX_WORRY,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        error_messages={
            "required": _("Tell us briefly what you would like help with."),
            "max_length": _("Your message is too long: write at most %(limit_value)d characters."),
        },
    )
    children_ages = forms.CharField(
        label=_("Children's ages"),
        required=False,
        max_length=200,
        help_text=_("In years, separated by commas, for example 2, 7, 12. A baby under one year: 0."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 20}),
    )
    language = forms.ChoiceField(
        label=_("Language in which you want to be contacted"),
        choices=REQUEST_LANGUAGES,
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )
    contact_name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=200,
        help_text=_("You may also ask anonymously: then leave your name out."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_method = forms.ChoiceField(
        label=_("How do you want to be contacted?"),
        choices=ContactMethod.choices,
        initial=ContactMethod.PHONE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you want to be contacted.")},
    )
    contact_phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        help_text=_("For a phone call or a text message."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Check the e-mail address: it should look like name@example.fi.")},
    )
    contact_times = forms.CharField(
        label=_("When can we contact you? (optional)"),
        required=False,
        max_length=300,
        help_text=_("For example: weekdays after 3 pm."),
    )

    # A family asking for a call gives its number; a professional asking for one may be the way to it.
    call_needs_phone = True

    def __init__(self, *args: Any, centres: QuerySet[FamilyCentre] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["family_centre"].queryset = (  # type: ignore[attr-defined]
            centres if centres is not None else FamilyCentre.objects.all()
        )

    def clean_worry(self) -> str:
        """The message with its surrounding space trimmed; not only blanks."""
        worry: str = self.cleaned_data["worry"].strip()
        if not worry:
            raise forms.ValidationError(_("Tell us briefly what you would like help with."), code="required")
        return worry

    def clean_children_ages(self) -> list[int]:
        """The ages as whole years (see parse_ages)."""
        return parse_ages(self.cleaned_data.get("children_ages") or "")

    def clean_contact_phone(self) -> str:
        """A phone number of digits, spaces, dashes and brackets, perhaps with a leading +."""
        phone: str = self.cleaned_data.get("contact_phone", "").strip()
        if phone and not PHONE.fullmatch(phone):
            raise forms.ValidationError(
                _("Check the phone number: use digits, for example 040 123 4567 or +358 40 123 4567."),
                code="format",
            )
        return phone

    def clean(self) -> dict[str, Any]:
        """The way of contact needs its detail: a phone number for a call or a text, an address for e-mail."""
        data = super().clean() or {}
        method = data.get("contact_method")
        needs_phone = method == ContactMethod.TEXT_MESSAGE or (
            method == ContactMethod.PHONE and self.call_needs_phone
        )
        if needs_phone and not data.get("contact_phone") and "contact_phone" not in self.errors:
            self.add_error("contact_phone", _("Give a phone number, or choose another way to be contacted."))
        if (
            method == ContactMethod.EMAIL
            and not data.get("contact_email")
            and "contact_email" not in self.errors
        ):
            self.add_error(
                "contact_email", _("Give an e-mail address, or choose another way to be contacted.")
            )
        return data


class OnBehalfForm(ContactRequestForm):
    """A professional's request on a family's behalf (Social Welfare Act 1301/2014, 35 §): whom it is about,
    and, without the family's consent, why it is urgent."""

    identity_code = forms.CharField(
        label=_("Identity code of the family member"),
        max_length=20,
        help_text=_("The child's or the parent's. Never shown again."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "size": 14}),
        error_messages={"required": _("Give the identity code.")},
    )
    given_names = forms.CharField(
        label=_("Given names"), max_length=200, error_messages={"required": _("Give the given names.")}
    )
    family_name = forms.CharField(
        label=_("Family name"), max_length=200, error_messages={"required": _("Give the family name.")}
    )
    urgent_reason = forms.CharField(
        label=_("Why is it urgent? (only without the family's consent)"),
        required=False,
        max_length=MAX_WORRY,
        help_text=_(
            "Leave empty when the family has consented and the consent is recorded. Without a consent, "
            "a request can be made only when the need is urgent: say why."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    call_needs_phone = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worry"].label = _("What worries you about the family, or what does the family need?")
        self.fields["contact_name"].label = _("Name of the person to contact (optional)")
        self.fields["contact_name"].help_text = ""

    def clean_identity_code(self) -> str:
        """A valid identity code (the error says what is wrong, never repeating the code)."""
        code: str = self.cleaned_data["identity_code"]
        try:
            return parse_identity_code(code).value
        except InvalidIdentityCode as error:
            raise forms.ValidationError(error.messages, code="invalid") from error
