"""The people pages: a child's guardians, recording and ending one (professionals only).

Addresses carry record ids (UUIDs) only: a person is never addressed by identity code.
"""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "people"
urlpatterns: list[URLPattern | URLResolver] = [
    path("work/people/<str:person_id>/guardians/", views.guardians, name="guardians"),
    path("work/guardianships/<str:relation_id>/end/", views.guardianship_end, name="guardianship_end"),
]
