"""The access pages: a person's consents and disclosure bans, recording and ending them (professionals only).

Addresses carry record ids (UUIDs) only: a person is never addressed by identity code.
"""

from django.urls import URLPattern, URLResolver, path

from . import views_ban, views_consent

app_name = "access"
urlpatterns: list[URLPattern | URLResolver] = [
    path("work/people/<str:person_id>/consents/", views_consent.consents, name="consents"),
    path("work/people/<str:person_id>/consents/new/", views_consent.consent_new, name="consent_new"),
    path("work/consents/<str:consent_id>/withdraw/", views_consent.consent_withdraw, name="consent_withdraw"),
    path("work/people/<str:person_id>/bans/", views_ban.bans, name="bans"),
    path("work/people/<str:person_id>/bans/new/", views_ban.ban_new, name="ban_new"),
    path("work/bans/<str:ban_id>/lift/", views_ban.ban_lift, name="ban_lift"),
]
