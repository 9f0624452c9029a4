"""Errors of the JSON API: a sentence in `detail`, and for invalid parameters each problem.

`answers` turns the domain's refusals into the client-data APIs' answers, the same way for every
app: 404 alike for missing and forbidden (NotFoundOrForbidden, logged by the guard), 409 for a step
out of order (the app's own ValidationError subclass), 403, and 400 with each field's problem.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Status
from ninja.errors import ValidationError
from pydantic import Field

from lape.access.guard import NotFoundOrForbidden

F = TypeVar("F", bound=Callable[..., Any])


class ErrorResponse(Schema):
    """An error, explained in a sentence."""

    detail: str


class ErrorItem(Schema):
    """One invalid parameter."""

    loc: list[str | int] = Field(description='Where: e.g. ["query", "page"].')
    msg: str
    type: str


class ValidationErrorResponse(Schema):
    """Invalid parameters: a sentence, and each problem."""

    detail: str
    errors: list[ErrorItem]


class FieldErrors(Schema):
    """Input refused: a sentence, and each field's problems (field names as in the request body)."""

    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Empty when the body could not be read."
    )


# Every client-data operation's refusals (401 only where a login is needed).
ERRORS: dict[int, Any] = {
    400: FieldErrors,
    403: ErrorResponse,
    404: ErrorResponse,
    409: ErrorResponse,
    422: ValidationErrorResponse,
}
AUTH_ERRORS: dict[int, Any] = {401: ErrorResponse, **ERRORS}


def not_found() -> Status:
    """The one answer for a record that is missing or not the asker's."""
    return Status(404, {"detail": _("Not found. It does not exist, or you may not see it.")})


def field_errors(error: DjangoValidationError) -> Status:
    """400 with a sentence naming the fields and each field's problems."""
    fields = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    names = ", ".join(sorted(fields))
    return Status(
        400,
        {
            "detail": _("Some information is missing or not valid: %(names)s.") % {"names": names},
            "errors": {name: [str(m) for m in messages] for name, messages in fields.items()},
        },
    )


def answers(
    view: F, *, conflicts: tuple[type[Exception], ...] = (), conflict_codes: tuple[str, ...] = ()
) -> F:
    """Turn refusals into answers: 404 (missing or forbidden), 409 (`conflicts`: a step out of order;
    a ValidationError with a code of `conflict_codes`: done already), 403, 400 with each field."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except NotFoundOrForbidden:
            return not_found()
        except conflicts as refusal:
            messages = getattr(refusal, "messages", None) or [str(refusal)]
            return Status(409, {"detail": " ".join(messages)})
        except PermissionDenied as refusal:
            return Status(403, {"detail": str(refusal) or _("You may not do this.")})
        except DjangoValidationError as error:
            if getattr(error, "code", None) in conflict_codes:
                return Status(409, {"detail": " ".join(error.messages)})
            return field_errors(error)

    # django-ninja reads the handler's annotations in the wrapper's module: give it them resolved.
    wrapped.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
    return cast(F, wrapped)


def answers_withdrawal(view: F) -> F:
    """`answers` for a withdrawal: one withdrawn already (code `withdrawn`) is 409."""
    return answers(view, conflict_codes=("withdrawn",))


def _item(error: dict[str, Any]) -> dict[str, Any]:
    loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
    return {"loc": loc, "msg": str(error.get("msg", "")), "type": str(error.get("type", ""))}


def validation_error_body(exc: ValidationError) -> dict[str, Any]:
    """A sentence naming the invalid parameters, and each problem in `errors`."""
    items = [_item(e) for e in exc.errors]
    names = ", ".join(str(i["loc"][-1]) for i in items if i["loc"]) or _("the request")
    detail = _("Some parameters are not valid: %(names)s. Correct them and try again.") % {"names": names}
    return {"detail": detail, "errors": items}


def install_error_handlers(api: NinjaAPI) -> None:
    """Make invalid parameters answer 422 with ValidationErrorResponse."""

    def on_validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, validation_error_body(exc), status=422)

    api.add_exception_handler(ValidationError, on_validation_error)
