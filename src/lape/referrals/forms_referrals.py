"""The forms of referrals: where to, what kind of service, what it carries; a notification; a status step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lape.access.categories import Category
from lape.directory.models import Service
from lape.people.identity_codes import InvalidIdentityCode, parse_identity_code

from .flow import NEEDS_REASON
from .forms_triage import GroupedServiceField
from .models import ReferralStatus
from .referring import SHAREABLE

MAX_TEXT = 4000

# The kinds of receiving service a referral may be for: the receiving register's category.
RECEIVING_CATEGORIES = [(c, Category(c).label) for c in SHAREABLE if c != Category.CHILD_PROTECTION]

# What each status's button says.
TRANSITION_BUTTONS: dict[str, Any] = {
    ReferralStatus.REQUESTED: _("Send the referral"),
    ReferralStatus.ACCEPTED: _("Accept"),
    ReferralStatus.REJECTED: _("Reject"),
    ReferralStatus.IN_PROGRESS: _("Start work (in progress)"),
    ReferralStatus.ON_HOLD: _("Put on hold"),
    ReferralStatus.COMPLETED: _("Complete and send the outcome"),
    ReferralStatus.FAILED: _("Mark as failed"),
    ReferralStatus.CANCELLED: _("Cancel the referral"),
    ReferralStatus.ENTERED_IN_ERROR: _("Mark as entered in error"),
}


def item_field_name(category: str) -> str:
    """The form field that carries one category of information."""
    return f"item_{category}"


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("What do you ask of the receiving service?"),
        help_text=_("The receiver sees this. Say what the family needs and what you have agreed with them."),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        error_messages={"required": _("Say what you ask of the receiving service.")},
    )


def _item_field(category: str) -> forms.CharField:
    return forms.CharField(
        label=_("Information: %(category)s (optional)") % {"category": Category(category).label},
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


class ReferralTargetForm(forms.Form):
    """Step 1 of a referral: the receiving service and the kind of service (its register's category)."""

    receiver_service = GroupedServiceField(
        queryset=Service.objects.none(),
        label=_("Receiving service"),
        empty_label=_("Choose a service"),
        error_messages={"required": _("Choose the service you refer the family to.")},
    )
    category = forms.ChoiceField(
        label=_("Kind of service"),
        choices=[("", _("Choose the kind of service")), *RECEIVING_CATEGORIES],
        help_text=_("The register the receiving service keeps its clients' information in."),
        error_messages={"required": _("Choose the kind of service the referral is for.")},
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiver_service"].queryset = services  # type: ignore[attr-defined]


class ReferralContentForm(forms.Form):
    """Step 2: what is asked, and the information it carries, one field for each category that may go."""

    reason = _reason_field()

    def __init__(self, *args: Any, carried: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in carried:
            self.fields[item_field_name(category)] = _item_field(category)
        self.carried = carried

    def items(self) -> dict[str, str]:
        """The information to carry, by category (only those filled in)."""
        return {c: self.cleaned_data.get(item_field_name(c), "") for c in self.carried}


class NotificationForm(forms.Form):
    """A child-protection notification (Child Welfare Act 417/2007, 25 §): the child, where to, what is known."""

    identity_code = forms.CharField(
        label=_("The child's identity code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "size": 14}),
        error_messages={"required": _("Give the child's identity code.")},
    )
    given_names = forms.CharField(
        label=_("The child's given names"),
        max_length=200,
        error_messages={"required": _("Give the child's given names.")},
    )
    family_name = forms.CharField(
        label=_("The child's family name"),
        max_length=200,
        error_messages={"required": _("Give the child's family name.")},
    )
    receiver_service = GroupedServiceField(
        queryset=Service.objects.none(),
        label=_("Child protection service"),
        empty_label=_("Choose a service"),
        error_messages={"required": _("Choose the child protection service to notify.")},
    )
    reason = forms.CharField(
        label=_("What worries you about the child"),
        help_text=_("What you have seen or heard, and when. The notification is made in your own name."),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        error_messages={"required": _("Say what worries you about the child.")},
    )

    def __init__(
        self, *args: Any, services: QuerySet[Service], own_categories: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiver_service"].queryset = services  # type: ignore[attr-defined]
        for category in own_categories:
            self.fields[item_field_name(category)] = _item_field(category)
        self.carried = own_categories

    def clean_identity_code(self) -> str:
        """A valid identity code (the error says what is wrong, never repeating the code)."""
        code: str = self.cleaned_data["identity_code"]
        try:
            return parse_identity_code(code).value
        except InvalidIdentityCode as error:
            raise forms.ValidationError(error.messages, code="invalid") from error

    def items(self) -> dict[str, str]:
        """The information to carry, by category (only those filled in)."""
        return {c: self.cleaned_data.get(item_field_name(c), "") for c in self.carried}


class TransitionForm(forms.Form):
    """One step of a referral's status: to which status, with a reason or an outcome when it needs one."""

    to_status = forms.ChoiceField(choices=ReferralStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=MAX_TEXT,
        help_text=_("The other side sees the reason."),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=MAX_TEXT,
        help_text=_("What came of the referral: it goes back to the one who made it."),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )

    def __init__(self, *args: Any, to_status: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"to-{to_status}")
        kwargs["initial"] = {"to_status": to_status}
        super().__init__(*args, **kwargs)
        self.button = TRANSITION_BUTTONS.get(to_status, to_status)
        if to_status not in NEEDS_REASON:
            del self.fields["reason"]
        if to_status != ReferralStatus.COMPLETED:
            del self.fields["outcome"]
