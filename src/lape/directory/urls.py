from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("family-centres/", views.family_centres, name="family_centres"),
    path("family-centres/<str:centre_id>/", views.family_centre, name="family_centre"),
    path("services/<str:service_id>/", views.service, name="service"),
]
