from django.contrib import admin
from django.urls import include, path

from lape.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # The family's pages: start and search (search app), services and family centres (directory app).
    path("", include("lape.search.urls")),
    path("", include("lape.directory.urls")),
    path("", include("lape.accounts.urls")),
    path("", include("lape.people.urls")),
    path("", include("lape.access.urls")),
    path("", include("lape.referrals.urls")),
    path("", include("lape.plans.urls")),
    path("", include("lape.plans.urls_concerns")),
]
