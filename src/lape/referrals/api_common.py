"""What every handler of the referrals API shares: the professional's session, and how refusals answer."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from ninja import Status
from ninja.errors import HttpError
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf

from lape.access.guard import NotFoundOrForbidden
from lape.accounts.acting import Actor, current_actor
from lape.api_errors import ErrorResponse, ValidationErrorResponse

from . import api_schemas as s
from .steps import StepRefused
from .throttle import TooManyPosts

F = TypeVar("F", bound=Callable[..., Any])

# Every operation's refusals (401 only where a login is needed: see `acting`).
ERRORS: dict[int, Any] = {
    400: s.FieldErrors,
    403: ErrorResponse,
    404: ErrorResponse,
    409: ErrorResponse,
    422: ValidationErrorResponse,
}
AUTH_ERRORS: dict[int, Any] = {401: ErrorResponse, **ERRORS}


class ActingProfessional(APIKeyCookie):
    """The session of a professional acting in a membership, with the second factor when the role needs it."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if request.method not in ("GET", "HEAD", "OPTIONS") and check_csrf(request):
            raise HttpError(
                403, _("The security token (CSRF) is missing or wrong. Reload the page and try again.")
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        actor = current_actor(request)
        if actor is None:
            return None
        if not actor.may_act:
            raise HttpError(
                403, _("Log in with your second factor (the code of your authenticator app) first.")
            )
        return actor


acting = ActingProfessional()


def acting_actor(request: HttpRequest) -> Actor:
    """The actor the authentication found for this request."""
    return cast(Actor, request.auth)  # type: ignore[attr-defined]


def answers(view: F) -> F:
    """Turn this app's refusals into the API's answers: 404, 400 with the fields, 409, 403, 429."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except NotFoundOrForbidden:
            return Status(404, {"detail": _("Not found. It does not exist, or you may not see it.")})
        except TooManyPosts as refusal:
            return Status(429, {"detail": refusal.message})
        except StepRefused as refusal:
            return Status(409, {"detail": " ".join(refusal.messages)})
        except PermissionDenied as refusal:
            return Status(403, {"detail": str(refusal) or _("You may not do this.")})
        except ValidationError as error:
            fields = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            names = ", ".join(sorted(fields))
            return Status(
                400,
                {
                    "detail": _("Some information is missing or not valid: %(names)s.") % {"names": names},
                    "errors": {name: [str(m) for m in messages] for name, messages in fields.items()},
                },
            )

    return cast(F, wrapped)


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
