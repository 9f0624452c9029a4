"""The platform's addresses plus one page of client data behind `actor_required`, for the tests."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from lape.accounts.acting import actor_required


@actor_required
def client_record(request: HttpRequest) -> HttpResponse:
    """Stands for any page with a client's information: it shows who is acting."""
    actor = request.actor  # type: ignore[attr-defined]
    return HttpResponse(f"{actor.username} as {actor.role} in {actor.organization_id}")


urlpatterns = [
    path("client-record/", client_record),
    path("", include("lape.urls")),
]
