"""The forms of the family centre's triage: the queue's filter, a request's steps, the response target."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lape.accounts.models import Membership, Unit
from lape.directory.models import FamilyCentre, Service

from .models import MAX_RESPONSE_DAYS, RequestOutcome, RequestStatus

MAX_TEXT = 4000


def professional_label(membership: Membership) -> str:
    """A professional as a coordinator chooses them: name (or username), role, unit."""
    user = membership.user
    name = user.get_full_name() or user.get_username()
    place = f", {membership.unit}" if membership.unit_id else ""
    return f"{name} – {membership.get_role_display()}{place}"


class ProfessionalField(forms.ModelChoiceField):
    """A membership shown as name – role, unit."""

    def label_from_instance(self, obj: Any) -> str:
        return professional_label(obj)


class GroupedServiceField(forms.ModelChoiceField):
    """A service shown with its organisation."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.organization})"


class QueueFilterForm(forms.Form):
    """What part of the queue to show (a GET form: the address keeps no personal data)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All open requests")), *list(RequestStatus.choices)],
    )
    overdue = forms.BooleanField(label=_("Only overdue requests"), required=False)


class AssignForm(forms.Form):
    """Assign a request to a service of the organisation that holds it, and to a professional there."""

    service = GroupedServiceField(
        queryset=Service.objects.none(),
        label=_("Service"),
        empty_label=_("Choose a service"),
        error_messages={"required": _("Choose the service that takes the request.")},
    )
    professional = ProfessionalField(
        queryset=Membership.objects.none(),
        label=_("Professional"),
        empty_label=_("Choose a professional"),
        error_messages={"required": _("Choose the professional who contacts the family.")},
    )

    def __init__(
        self, *args: Any, services: QuerySet[Service], professionals: QuerySet[Membership], **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "assign")
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["professional"].queryset = professionals  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    """What was answered to the family."""

    message = forms.CharField(
        label=_("What was answered to the family"),
        help_text=_("How you contacted the family and what you agreed. The family does not see this text."),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        error_messages={"required": _("Write what was answered to the family.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "reply")
        super().__init__(*args, **kwargs)


class ForwardForm(forms.Form):
    """Forward a request to another family centre, or to a service of another organisation and a professional."""

    family_centre = forms.ModelChoiceField(
        queryset=FamilyCentre.objects.none(),
        label=_("Another family centre"),
        required=False,
        empty_label=_("No family centre"),
    )
    service = GroupedServiceField(
        queryset=Service.objects.none(),
        label=_("Or a service of another organisation"),
        required=False,
        empty_label=_("No service"),
    )
    professional = ProfessionalField(
        queryset=Membership.objects.none(),
        label=_("Professional at that service"),
        required=False,
        empty_label=_("Choose a professional"),
        help_text=_("Needed when you forward to a service: a professional of the service's organisation."),
    )
    note = forms.CharField(
        label=_("Note for the receiver (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def __init__(
        self,
        *args: Any,
        centres: QuerySet[FamilyCentre],
        services: QuerySet[Service],
        professionals: QuerySet[Membership],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", "forward")
        super().__init__(*args, **kwargs)
        self.fields["family_centre"].queryset = centres  # type: ignore[attr-defined]
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["professional"].queryset = professionals  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        """Either a family centre or a service (with its professional), not both and not neither."""
        data = super().clean() or {}
        centre, service = data.get("family_centre"), data.get("service")
        if centre is not None and service is not None:
            self.add_error("family_centre", _("Choose either a family centre or a service, not both."))
        elif centre is None and service is None and not self.errors:
            self.add_error("family_centre", _("Choose the family centre or the service to forward to."))
        elif service is not None and data.get("professional") is None and "professional" not in self.errors:
            self.add_error("professional", _("Choose the professional who takes the request."))
        return data


class CloseForm(forms.Form):
    """Close a request with its outcome."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("Choose the outcome")), *list(RequestOutcome.choices)],
        error_messages={"required": _("Choose what came of the request.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)


class IdentifyForm(forms.Form):
    """Whom the request is about: found by identity code, or registered with the names given."""

    identity_code = forms.CharField(
        label=_("Identity code of the child or the family member"),
        max_length=20,
        help_text=_("Needed before a referral. The code is not stored on the request and never shown again."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "size": 14}),
        error_messages={"required": _("Give the identity code.")},
    )
    given_names = forms.CharField(
        label=_("Given names (if not yet registered)"), required=False, max_length=200
    )
    family_name = forms.CharField(
        label=_("Family name (if not yet registered)"), required=False, max_length=200
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "identify")
        super().__init__(*args, **kwargs)


class ResponseTargetForm(forms.Form):
    """The family centre's response target in working days, and the unit whose coordinators share the queue."""

    response_days = forms.IntegerField(
        label=_("Response target (working days)"),
        min_value=1,
        max_value=MAX_RESPONSE_DAYS,
        help_text=_(
            "Requests not answered within this many working days are shown as overdue. From 1 to 30."
        ),
        error_messages={
            "required": _("Give the response target in working days."),
            "invalid": _("Give the response target as a whole number of working days."),
            "min_value": _("The response target is at least 1 working day."),
            "max_value": _("The response target is at most %(limit_value)s working days."),
        },
        widget=forms.NumberInput(attrs={"size": 4}),
    )
    coordinating_unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label=_("Coordinating unit"),
        required=False,
        empty_label=_("Every coordinator of the organisation"),
        help_text=_("Only the coordinators of this unit share the queue."),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinating_unit"].queryset = units  # type: ignore[attr-defined]
