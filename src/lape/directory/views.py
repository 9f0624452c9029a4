"""Pages of the directory (the family's pages come with the search issue)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import FamilyCentre, Organization, Service


def home(request: HttpRequest) -> HttpResponse:
    """A start page that says what the platform holds and where to go next."""
    context = {
        "service_count": Service.objects.filter(status=Service.Status.ACTIVE).count(),
        "organization_count": Organization.objects.count(),
        "family_centres": FamilyCentre.objects.all()[:20],
    }
    return render(request, "directory/home.html", context)
