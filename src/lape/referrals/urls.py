"""The referrals pages: the family's contact request and its status, the coordinators' queue, referrals."""

from django.urls import URLPattern, URLResolver

app_name = "referrals"
urlpatterns: list[URLPattern | URLResolver] = []
