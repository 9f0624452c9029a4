"""The referrals API (django-ninja router, mounted at /api/referrals/)."""

from ninja import Router

router = Router(tags=["referrals"])
