"""The access pages: a person's consents, recording one, withdrawing one (professionals only).

Addresses carry record ids (UUIDs) only: a person is never addressed by identity code.
"""

from django.urls import URLPattern, URLResolver, path

from . import views_consent

app_name = "access"
urlpatterns: list[URLPattern | URLResolver] = [
    path("work/people/<str:person_id>/consents/", views_consent.consents, name="consents"),
    path("work/people/<str:person_id>/consents/new/", views_consent.consent_new, name="consent_new"),
    path("work/consents/<str:consent_id>/withdraw/", views_consent.consent_withdraw, name="consent_withdraw"),
]
