"""The platform's JSON API: one NinjaAPI with a router per domain."""

from ninja import NinjaAPI

from lape.access.api import router as access_router
from lape.accounts.api import router as accounts_router
from lape.api_errors import install_error_handlers
from lape.directory.api import router as hsds_router
from lape.people.api import router as people_router
from lape.plans.api import router as plans_router
from lape.plans.api_concerns import router as concerns_router
from lape.referrals.api import router as referrals_router

api = NinjaAPI(
    title="LAPE API",
    version="1.0",
    description=(
        "Open Referral HSDS 3.1 with the Finnish profile (fi base fields, sv/en in `translations`), "
        "and the client-data APIs (referrals, plans, concern signals, consents, the family's access log), "
        "each read decided and logged by lape.access. See docs/hsds-profile.md and docs/api.md."
    ),
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/hsds/", hsds_router)
api.add_router("/accounts/", accounts_router)
api.add_router("/people/", people_router)
api.add_router("/access/", access_router)
api.add_router("/referrals/", referrals_router)
api.add_router("/plans/", plans_router)
api.add_router("/concerns/", concerns_router)
