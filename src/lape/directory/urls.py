from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.home, name="home"),
    path("family-centres/<str:centre_id>/", views.family_centre, name="family_centre"),
]
