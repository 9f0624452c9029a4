"""The access API (django-ninja router, mounted at /api/access/)."""

from ninja import Router

router = Router(tags=["access"])
