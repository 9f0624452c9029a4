"""The platform's JSON API: one NinjaAPI with a router per domain."""

from ninja import NinjaAPI

from lape.api_errors import install_error_handlers
from lape.directory.api import router as hsds_router

api = NinjaAPI(
    title="LAPE API",
    version="1.0",
    description=(
        "Open Referral HSDS 3.1 with the Finnish profile (fi base fields, sv/en in `translations`). "
        "See docs/hsds-profile.md and docs/api.md."
    ),
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/hsds/", hsds_router)
