"""The referrals API (django-ninja router, mounted at /api/referrals/): contact requests and referrals.

Handlers are thin: parse, call one action or query of this app, shape the answer. Professionals
use their session (the login with its second factor, acting in the chosen membership) and a CSRF
token on every write, exactly as the pages do; the same access rules apply, because the same
actions run. Answers: 404 for a record that is missing or not theirs (alike), 400 with each field's
problem, 409 for a step out of order, 429 for a flood of public requests; never a 500 for bad input.
A family's request and its status link need no login.
"""

from ninja import Router

from .api_referrals import router as referrals_router
from .api_requests import router as requests_router

router = Router(tags=["referrals"])
router.add_router("", requests_router)
router.add_router("", referrals_router)
