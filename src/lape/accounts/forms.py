"""The forms of login, the second factor and the choice of membership."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .models import Membership
from .throttling import USERNAME_MAX_LENGTH

PASSWORD_MAX_LENGTH = 1024

CODE_PATTERN = re.compile(r"[0-9]{6}")


class LoginForm(AuthenticationForm):
    """Username and password; `authenticate` runs through django-axes, which counts the failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or the password is wrong. Check them (both are case-sensitive) and try again."
        ),
        "inactive": _("This account is not in use. Ask your organisation's administrator."),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        # Django sets the username's max_length only for the widget; check it, and bound the password
        # (hashing a megabyte-long one is work an attacker should not be able to ask for).
        self.fields["username"].validators.append(MaxLengthValidator(USERNAME_MAX_LENGTH))
        self.fields["password"].validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app; spaces (as apps show the code) are ignored."""

    code = forms.CharField(
        label=_("Six-digit code"),
        max_length=20,
        help_text=_("Open the authenticator app on your phone and type the code it shows for LAPE."),
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def clean_code(self) -> str:
        """Six digits, or a translated error saying what a code looks like."""
        code = re.sub(r"[ \t-]", "", self.cleaned_data["code"])
        if not CODE_PATTERN.fullmatch(code):
            raise forms.ValidationError(_("A code is six digits, for example 123456."))
        return code


class MembershipChoiceField(forms.ModelChoiceField):
    """A membership shown as "role – organisation / unit"."""

    def label_from_instance(self, obj: Any) -> str:
        membership: Membership = obj
        place = str(membership.organization)
        if membership.unit_id:
            place = f"{place} / {membership.unit}"
        return f"{membership.get_role_display()} – {place}"


class ChooseMembershipForm(forms.Form):
    """Which of the user's active memberships to act in."""

    membership = MembershipChoiceField(
        queryset=Membership.objects.none(),
        label=_("Act as"),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the role you work in now."),
            "invalid_choice": _("That role is not one of yours now. Choose one of the list."),
        },
    )

    def __init__(self, memberships: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: MembershipChoiceField = self.fields["membership"]  # type: ignore[assignment]
        field.queryset = memberships
