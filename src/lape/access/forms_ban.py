"""The disclosure-ban forms: recording a ban (who asks, what it covers, which information, from when)
and lifting one (who asks).

The forms parse what was typed; the rules (who may decide, what each scope needs, the date) are
`set_ban`'s and `lift_ban`'s, and their translated errors are put next to these fields by the view
(the field names are the actions' keyword arguments).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lape.directory.models import Organization, Service
from lape.people.models import Person

from .forms_consent import CAPACITY_RULES, category_choices, date_field
from .models import BanScope
from .record_types import bannable_types

HEARD_HELP = _(
    "A child of 12 or over is heard about the ban before a guardian decides on it. "
    "Not needed when the young person decides themselves."
)


def _record_type_choices() -> list[tuple[str, str]]:
    """The kinds of record a ban on one record may name (the apps register them when they start)."""
    return [("", str(_("Choose the kind of record"))), *bannable_types()]


def _givers_field(label: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label=label,
        help_text=format_lazy("{} {}", CAPACITY_RULES, _("The same rules hold for disclosure bans.")),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who asks for it."),
            "invalid_choice": _("Choose who asks for it: one of the child's guardians or the child."),
        },
    )


def _set_givers(field: forms.Field, givers: list[tuple[Person, Any]], accepted: QuerySet[Person]) -> None:
    """The radios show only who may decide now; the queryset also accepts a former guardian, whom the
    action then refuses with its own reason."""
    field.queryset = accepted  # type: ignore[attr-defined]
    field.widget.choices = [(str(person.pk), label) for person, label in givers]


class _ServiceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organization} – {obj}"


class BanForm(forms.Form):
    """Record a disclosure ban about one person: who asks, what it covers, which information, from when."""

    set_by = _givers_field(_("Who asks for the ban"))
    child_heard = forms.BooleanField(label=_("The child was heard"), help_text=HEARD_HELP, required=False)
    scope = forms.ChoiceField(
        label=_("What the ban covers"),
        help_text=_("Nothing of it is disclosed outside the register that holds it, even on a consent."),
        choices=BanScope.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what the ban covers."),
            "invalid_choice": _("Choose what the ban covers from the list."),
        },
    )
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        label=_("Organisation"),
        help_text=_("When the ban covers one organisation's records."),
        required=False,
        empty_label=_("Choose an organisation"),
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )
    service = _ServiceChoice(
        queryset=Service.objects.none(),
        label=_("Service"),
        help_text=_("When the ban covers one service's records."),
        required=False,
        empty_label=_("Choose a service"),
        error_messages={"invalid_choice": _("Choose a service from the list.")},
    )
    record_type = forms.ChoiceField(
        label=_("Kind of record"),
        help_text=_("When the ban covers one record."),
        choices=_record_type_choices,
        required=False,
        error_messages={"invalid_choice": _("Choose the kind of record from the list.")},
    )
    record_id = forms.CharField(
        label=_("Record identifier"),
        help_text=_("The record's identifier, as the record's own page gives it."),
        required=False,
        max_length=100,
    )
    categories = forms.MultipleChoiceField(
        label=_("Information the ban covers"),
        help_text=_("None chosen: every category."),
        choices=category_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose information categories from the list.")},
    )
    valid_from = date_field(_("In force from"), _("Empty: from today. Lifted only when the family asks."))

    def __init__(
        self,
        *args: Any,
        givers: list[tuple[Person, Any]],
        accepted_givers: QuerySet[Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_givers(self.fields["set_by"], givers, accepted_givers)
        self.fields["organization"].queryset = Organization.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["service"].queryset = (  # type: ignore[attr-defined]
            Service.objects.filter(status=Service.Status.ACTIVE)
            .select_related("organization")
            .order_by("organization__name", "name")
        )


class LiftBanForm(forms.Form):
    """Lift a disclosure ban: who asks for it to be lifted (and whether the child was heard)."""

    lifted_by = _givers_field(_("Who asks for the ban to be lifted"))
    child_heard = forms.BooleanField(label=_("The child was heard"), help_text=HEARD_HELP, required=False)

    def __init__(
        self,
        *args: Any,
        givers: list[tuple[Person, Any]],
        accepted_givers: QuerySet[Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_givers(self.fields["lifted_by"], givers, accepted_givers)
