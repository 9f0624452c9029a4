"""An action's ValidationError on a form: each message next to the field it names, others at the top.

Pages of several apps (access, people, referrals) call actions whose errors are keyed by the
action's keyword arguments; their forms name their fields the same, so the keys are field names.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put the action's errors next to the form's fields they name; the others at the top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
