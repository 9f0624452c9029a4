"""Searched pages of the HSDS API, kept in the cache until the directory changes.

A search costs the server 10–20 ms of CPU, most of it the same work for the same words; families
ask the same things ("neuvola", "päiväkoti") over and over. A page is kept under a key made of the
directory's version (`DirectoryVersion`, moved on by every write to the directory or the search
vocabulary, in the write's transaction), the request's path and query, and for "open now" the
minute. A write makes every earlier page unreachable at once, in every server process; the cache's
timeout bounds what a write that bypassed the signals (a raw `QuerySet.update`) can leave behind.

`LAPE_API_CACHE_SECONDS` (settings.API_CACHE_SECONDS) sets the timeout; 0 turns the cache off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from .models import DirectoryVersion

CACHE_ALIAS = "api"
VERSION_NAME = "directory"
# Responses vary with these only (not with the user: the HSDS API is public and the same for all).
TIME_DEPENDENT = ("open_now",)


def directory_version() -> int:
    """The directory's current version (0 before its first write)."""
    value = DirectoryVersion.objects.filter(name=VERSION_NAME).values_list("value", flat=True).first()
    return value or 0


def bump_directory_version(**_signal: Any) -> None:
    """Move the version on in the current transaction (a signal receiver; takes any signal arguments)."""
    # One UPDATE, in the caller's transaction (no savepoint of its own: it runs on every write).
    updated = DirectoryVersion.objects.filter(name=VERSION_NAME).update(value=F("value") + 1)
    if not updated:
        DirectoryVersion.objects.get_or_create(name=VERSION_NAME, defaults={"value": 1})


def _key(request: HttpRequest, version: int) -> str:
    query = sorted(request.GET.lists())
    parts = [str(version), request.path, repr(query), getattr(request, "LANGUAGE_CODE", "")]
    if any(name in request.GET for name in TIME_DEPENDENT):
        parts.append(timezone.now().strftime("%Y-%m-%dT%H:%M"))
    return "hsds-page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def cached_page(request: HttpRequest, compute: Callable[[], HttpResponseBase]) -> HttpResponseBase:
    """The page for this request from the cache, or computed and kept when it is a whole 200 JSON page."""
    seconds = settings.API_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    cache = caches[CACHE_ALIAS]
    key = _key(request, directory_version())
    kept = cache.get(key)
    if kept is not None:
        content_type, body = kept
        page = HttpResponse(body, content_type=content_type)
        page["X-Cache"] = "hit"
        return page
    response = compute()
    if response.status_code == 200 and isinstance(response, HttpResponse):
        cache.set(key, (response["Content-Type"], response.content), seconds)
        response["X-Cache"] = "miss"
    return response


def connect() -> None:
    """Move the version on with every write to the directory's records and every bulk import."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from .models import Publisher
    from .signals import services_imported

    for model in apps.get_app_config("directory").get_models():
        # Publishers' rights and the change history are not in the API's pages.
        if model in (DirectoryVersion, Publisher) or model.__name__.startswith("Historical"):
            continue
        uid = f"api-cache-{model._meta.label_lower}"
        post_save.connect(bump_directory_version, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(bump_directory_version, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(bump_directory_version, sender=through, dispatch_uid=f"{uid}-{field.name}")
    services_imported.connect(bump_directory_version, dispatch_uid="api-cache-services-imported")
