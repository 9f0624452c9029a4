"""Errors of the JSON API: a sentence in `detail`, and for invalid parameters each problem."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError
from pydantic import Field


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
