"""The family's start and search pages."""

from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.start, name="start"),
    path("search/", views.search, name="search"),
]
