"""The referrals pages: the family's contact request and its status, the coordinators' queue, referrals.

Addresses carry no personal data: ids of records (UUIDs) and the family's random status token only.
Notification links are built from these names (lape.referrals.notifications).
"""

from django.urls import URLPattern, URLResolver, path

from . import views, views_family, views_notifications, views_on_behalf, views_referrals, views_triage

app_name = "referrals"
urlpatterns: list[URLPattern | URLResolver] = [
    # The family
    path("ask/", views_family.ask, name="ask"),
    path("ask/received/", views_family.received, name="ask_received"),
    path("ask/status/<str:token>/", views_family.status, name="request_status"),
    # Professionals
    path("work/", views.work, name="work"),
    path("work/family-centres/<str:centre_id>/queue/", views_triage.queue, name="queue"),
    path(
        "work/family-centres/<str:centre_id>/settings/", views_triage.centre_settings, name="centre_settings"
    ),
    path("work/requests/", views_triage.mine, name="my_requests"),
    path("work/requests/new/", views_on_behalf.request_new, name="request_new"),
    path("work/requests/<str:request_id>/", views_triage.request_page, name="request"),
    path("work/requests/<str:request_id>/assign/", views_triage.request_assign, name="request_assign"),
    path("work/requests/<str:request_id>/reply/", views_triage.request_reply, name="request_reply"),
    path("work/requests/<str:request_id>/forward/", views_triage.request_forward, name="request_forward"),
    path("work/requests/<str:request_id>/close/", views_triage.request_close, name="request_close"),
    path("work/requests/<str:request_id>/identify/", views_triage.request_identify, name="request_identify"),
    path("work/referrals/", views_referrals.referral_list, name="referrals"),
    path("work/referrals/new/", views_referrals.referral_new, name="referral_new"),
    path("work/referrals/<str:referral_id>/", views_referrals.referral_page, name="referral"),
    path(
        "work/referrals/<str:referral_id>/status/",
        views_referrals.referral_transition,
        name="referral_transition",
    ),
    path("work/notifications/", views_notifications.notification_list, name="notifications"),
    path("work/notifications/read/", views_notifications.notifications_read, name="notifications_read"),
    path(
        "work/notifications/<str:notification_id>/open/",
        views_notifications.notification_open,
        name="notification_open",
    ),
]
