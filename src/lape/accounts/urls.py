"""The accounts pages: login, the second factor, choosing a membership, logout; the family's sign-in."""

from django.urls import URLPattern, URLResolver, path

from . import views, views_family

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/", views.account, name="account"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/login/code/", views.verify, name="verify"),
    path("accounts/two-factor/setup/", views.setup_totp, name="setup_totp"),
    path("accounts/acting-as/", views.choose, name="choose"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("family/sign-in/", views_family.family_sign_in, name="family_sign_in"),
    path("family/sign-in/callback/", views_family.family_callback, name="family_callback"),
    path("family/sign-out/", views_family.family_sign_out, name="family_sign_out"),
    path("accounts/logout-everywhere/", views.logout_everywhere_view, name="logout_everywhere"),
]
