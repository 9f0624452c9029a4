"""Pages of the directory (the family's search and service pages come with the search issue)."""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .models import FamilyCentre, Organization, Service
from .opening_hours import service_is_open


def home(request: HttpRequest) -> HttpResponse:
    """A start page that says what the platform holds and where to go next."""
    context = {
        "service_count": Service.objects.filter(status=Service.Status.ACTIVE).count(),
        "organization_count": Organization.objects.count(),
        "family_centres": FamilyCentre.objects.prefetch_related("municipalities")[:50],
    }
    return render(request, "directory/home.html", context)


def family_centre(request: HttpRequest, centre_id: str) -> HttpResponse:
    """A family centre's network: its services grouped by the organisation that provides them."""
    try:
        pk = uuid.UUID(centre_id)
    except ValueError:
        raise Http404 from None
    services = (
        Service.objects.filter(status=Service.Status.ACTIVE)
        .select_related("organization")
        .prefetch_related(
            "schedules", "service_at_locations__schedules", "service_at_locations__location__schedules"
        )
    )
    centre = (
        FamilyCentre.objects.select_related("coordinator")
        .prefetch_related("municipalities", Prefetch("services", queryset=services))
        .filter(pk=pk)
        .first()
    )
    if centre is None:
        raise Http404
    now = timezone.now()
    by_organization: dict[Organization, list[tuple[Service, bool]]] = defaultdict(list)
    for service in centre.services.all():
        by_organization[service.organization].append((service, service_is_open(service, now)))
    groups = sorted(by_organization.items(), key=lambda item: item[0].text("name"))
    return render(
        request,
        "directory/family_centre.html",
        {"centre": centre, "description": centre.text("description"), "groups": groups},
    )
