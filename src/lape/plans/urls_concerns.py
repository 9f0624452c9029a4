"""The concern-signal pages (docs/plans.md, "Concern signals"). Addresses carry UUIDs only."""

from django.urls import URLPattern, URLResolver, path

from . import views_concerns

app_name = "concerns"
urlpatterns: list[URLPattern | URLResolver] = [
    path("work/concerns/", views_concerns.concerns, name="concerns"),
    path("work/concerns/<str:signal_id>/withdraw/", views_concerns.concern_withdraw, name="concern_withdraw"),
    path(
        "family/people/<str:person_id>/concern-signals/",
        views_concerns.family_concern_signals,
        name="family_concern_signals",
    ),
]
