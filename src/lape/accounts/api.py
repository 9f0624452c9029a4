"""The accounts API (django-ninja router, mounted at /api/accounts/)."""

from ninja import Router

router = Router(tags=["accounts"])
