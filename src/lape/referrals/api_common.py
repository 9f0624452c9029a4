"""What every handler of the referrals API shares: the professional's session, and how refusals answer."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from ninja import Status

from lape.access.guard import NotFoundOrForbidden
from lape.accounts.api_auth import acting, acting_actor
from lape.api_errors import AUTH_ERRORS, ERRORS
from lape.api_errors import answers as api_answers

from .steps import StepRefused
from .throttle import TooManyPosts

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["AUTH_ERRORS", "ERRORS", "acting", "acting_actor", "answers", "by_id", "status_url"]


def answers(view: F) -> F:
    """Turn this app's refusals into the API's answers: 404, 400 with the fields, 409, 403, 429."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except TooManyPosts as refusal:
            return Status(429, {"detail": refusal.message})

    return cast(F, api_answers(wrapped, conflicts=(StepRefused,)))


def by_id(model: Any, object_id: uuid.UUID | None, field: str, *, missing: str = "field") -> Any:
    """A directory or accounts object by id (these are not client data); None for no id.

    An unknown id is a field error, or with `missing="404"` not found (a family centre that does not exist).
    """
    if object_id is None:
        return None
    found = model.objects.filter(pk=object_id).first()
    if found is None:
        if missing == "404":
            raise NotFoundOrForbidden()
        raise ValidationError({field: _("No such item. Check the id.")}, code="unknown")
    return found


def status_url(token: str) -> str:
    """The family's status page for a token (the pages' address)."""
    try:
        return reverse("referrals:request_status", kwargs={"token": token})
    except NoReverseMatch:
        return f"/ask/status/{token}/"
