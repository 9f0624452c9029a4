"""HSDS 3.1 API (placeholder router; filled in by the API work)."""

from ninja import Router

router = Router(tags=["HSDS"])
