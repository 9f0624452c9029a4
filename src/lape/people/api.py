"""The people API (django-ninja router, mounted at /api/people/)."""

from ninja import Router

router = Router(tags=["people"])
