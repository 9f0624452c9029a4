"""The platform's addresses plus one page of client data behind `actor_required`, for the tests."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from ninja import NinjaAPI

from lape.accounts.acting import actor_required
from lape.accounts.api_auth import ActorAuth, actor_of


@actor_required
def client_record(request: HttpRequest) -> HttpResponse:
    """Stands for any page with a client's information: it shows who is acting."""
    actor = request.actor  # type: ignore[attr-defined]
    return HttpResponse(f"{actor.username} as {actor.role} in {actor.organization_id}")


api = NinjaAPI(urls_namespace="accounts-test-api", auth=ActorAuth())


@api.get("/client-record")
def client_record_api(request: HttpRequest) -> dict[str, str]:
    """The same through the API."""
    actor = actor_of(request)
    return {"username": actor.username, "role": actor.role}


@api.post("/client-record")
def change_client_record_api(request: HttpRequest) -> dict[str, str]:
    """A write through the API (CSRF-checked)."""
    return {"changed_by": actor_of(request).username}


urlpatterns = [
    path("client-record/", client_record),
    path("test-api/", api.urls),
    path("", include("lape.urls")),
]
