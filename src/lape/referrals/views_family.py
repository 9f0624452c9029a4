"""The family's pages: "Ask the family centre", the receipt, and the status link.

Nothing personal goes into an address: the form posts, the receipt is read from the session, and
the status link carries only a random token (of which the database keeps a hash). The status page
shows the status and its dates, never what the family wrote.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lape.directory.models import FamilyCentre, Service

from .forms import REQUEST_LANGUAGES, ContactRequestForm
from .models import AskedVia, RequestStatus
from .requests import request_status, submit_request
from .throttle import TooManyPosts, check_public_post
from .views import apply_errors

# The receipt waits in the session this long after sending: long enough to write the reference
# down, short enough that the next user of a shared computer does not find it.
RECEIPT_SESSION_KEY = "lape_contact_request_receipt"
RECEIPT_MINUTES = 30


def _explanation(status: str) -> str:
    """What a status means for the family, in plain words."""
    return {
        RequestStatus.NEW: _(
            "Your request has been received. A professional of the family centre will take it soon."
        ),
        RequestStatus.ASSIGNED: _("A professional has taken your request and will contact you."),
        RequestStatus.ANSWERED: _("A professional has answered your request."),
        RequestStatus.FORWARDED: _(
            "Your request was passed on to another service that can help you better. It will contact you."
        ),
        RequestStatus.CLOSED: _("Your request has been dealt with and closed."),
    }.get(RequestStatus(status), "")


def _one(model: type[Service] | type[FamilyCentre], value: str | None) -> Any:
    """The directory record named by an id in the address or the form, or None (never an error)."""
    try:
        return model.objects.get(pk=uuid.UUID(str(value or "")))
    except (ValueError, ObjectDoesNotExist):
        return None


def _centres_for(service: Service | None) -> QuerySet[FamilyCentre]:
    """The family centres to choose from: the networks the service belongs to, else all."""
    if service is not None:
        centres = service.family_centres.all()
        if centres.exists():
            return centres
    return FamilyCentre.objects.all()


def _language() -> str:
    code = (get_language() or "fi")[:2]
    return code if code in dict(REQUEST_LANGUAGES) else "fi"


def _render_form(
    request: HttpRequest, form: ContactRequestForm, service: Service | None, via: str, status: int = 200
) -> HttpResponse:
    centres = form.fields["family_centre"].queryset  # type: ignore[attr-defined]
    single = centres.first() if centres.count() == 1 and "family_centre" not in form.errors else None
    context = {"form": form, "service": service, "via": via, "single_centre": single}
    return render(request, "referrals/ask.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    """The form: what worries the family, the children's ages, language, how and when to contact them."""
    source = request.POST if request.method == "POST" else request.GET
    service = _one(Service, source.get("service"))
    centre = _one(FamilyCentre, source.get("centre"))
    centres = FamilyCentre.objects.filter(pk=centre.pk) if centre is not None else _centres_for(service)
    if request.method == "GET":
        via: str = (
            AskedVia.SERVICE_PAGE
            if service
            else AskedVia.FAMILY_CENTRE_PAGE
            if centre
            else AskedVia.START_PAGE
        )
        initial = {"language": _language(), "family_centre": centre.pk if centre else None}
        return _render_form(request, ContactRequestForm(initial=initial, centres=centres), service, via)
    via = source.get("via", "")
    if via not in (AskedVia.SERVICE_PAGE, AskedVia.FAMILY_CENTRE_PAGE, AskedVia.START_PAGE):
        via = AskedVia.START_PAGE
    form = ContactRequestForm(request.POST, centres=_centres_for(service) if centre is None else centres)
    if not form.is_valid():
        return _render_form(request, form, service, via, status=400)
    try:
        check_public_post(request)
    except TooManyPosts as refusal:
        return render(request, "referrals/too_many.html", {"message": refusal.message}, status=429)
    data = form.cleaned_data
    try:
        submitted = submit_request(
            worry=data["worry"],
            children_ages=data["children_ages"],
            language=data["language"],
            contact_method=data["contact_method"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            contact_email=data["contact_email"],
            contact_times=data["contact_times"],
            family_centre=data["family_centre"],
            service=service,
            asked_via=via,
        )
    except ValidationError as error:
        return _render_form(request, form, service, via, status=apply_errors(form, error))
    contact_request = submitted.request
    request.session[RECEIPT_SESSION_KEY] = {
        "reference": contact_request.reference,
        "token": submitted.status_token,
        "centre": str(contact_request.family_centre_id),
        "received_at": contact_request.received_at.isoformat(),
        "due_on": contact_request.due_on.isoformat(),
    }
    return HttpResponseRedirect(reverse("referrals:ask_received"))


@never_cache
@require_http_methods(["GET"])
def received(request: HttpRequest) -> HttpResponse:
    """The receipt: the reference and the status link (from the session, for a short while only)."""
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if not isinstance(receipt, dict):
        return HttpResponseRedirect(reverse("referrals:ask"))
    received_at = dt.datetime.fromisoformat(receipt["received_at"])
    if timezone.now() - received_at > dt.timedelta(minutes=RECEIPT_MINUTES):
        del request.session[RECEIPT_SESSION_KEY]
        return HttpResponseRedirect(reverse("referrals:ask"))
    status_url = reverse("referrals:request_status", kwargs={"token": receipt["token"]})
    context = {
        "reference": receipt["reference"],
        "centre": _one(FamilyCentre, receipt["centre"]),
        "received_at": received_at,
        "due_on": dt.date.fromisoformat(receipt["due_on"]),
        "status_url": status_url,
        "status_absolute_url": request.build_absolute_uri(status_url),
    }
    response = render(request, "referrals/received.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_http_methods(["GET"])
def status(request: HttpRequest, token: str) -> HttpResponse:
    """The status link: the status and its dates, nothing the family wrote. An unknown token: 404."""
    view = request_status(token)
    if view is None:
        raise Http404
    context = {"status": view, "explanation": _explanation(view.status)}
    response = render(request, "referrals/status.html", context)
    # The token is the key to this page: it must not leak to another site or a search engine.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
