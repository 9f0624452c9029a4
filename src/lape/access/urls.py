"""The access pages: a person's consents and disclosure bans, recording and ending them
(professionals); the family's own pages: home, the access log of their data, their consents.

Addresses carry record ids (UUIDs) only: a person is never addressed by identity code.
"""

from django.urls import URLPattern, URLResolver, path

from . import views_ban, views_consent, views_export, views_family

app_name = "access"
urlpatterns: list[URLPattern | URLResolver] = [
    path("work/people/<str:person_id>/consents/", views_consent.consents, name="consents"),
    path("work/people/<str:person_id>/consents/new/", views_consent.consent_new, name="consent_new"),
    path("work/consents/<str:consent_id>/withdraw/", views_consent.consent_withdraw, name="consent_withdraw"),
    path("work/people/<str:person_id>/bans/", views_ban.bans, name="bans"),
    path("work/people/<str:person_id>/bans/new/", views_ban.ban_new, name="ban_new"),
    path("work/bans/<str:ban_id>/lift/", views_ban.ban_lift, name="ban_lift"),
    # The family's own pages (a signed-in family member: lape.accounts.family).
    path("family/", views_family.family_home, name="family_home"),
    path(
        "family/people/<str:person_id>/access-log/", views_family.family_access_log, name="family_access_log"
    ),
    path("family/people/<str:person_id>/consents/", views_family.family_consents, name="family_consents"),
    path("family/export.json", views_export.family_export_json, name="family_export_json"),
    path("family/export.pdf", views_export.family_export_pdf, name="family_export_pdf"),
    path(
        "family/people/<str:person_id>/consents/new/",
        views_family.family_consent_new,
        name="family_consent_new",
    ),
    path(
        "family/consents/<str:consent_id>/withdraw/",
        views_family.family_consent_withdraw,
        name="family_consent_withdraw",
    ),
]
